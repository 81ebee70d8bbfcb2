package dev.haetae.moderation.spring;

import dev.haetae.moderation.core.engine.ModerationEngineBuilder;

/**
 * Changes the engine's builder after the {@code haetae.*} properties were applied and before the
 * engine is built: the host's signal providers, policies, listeners, isolation and so on. The
 * starters apply every customizer bean in order.
 *
 * @since 0.2
 */
@FunctionalInterface
public interface HaetaeEngineCustomizer {
  /**
   * Customizes the builder.
   *
   * @param builder the builder, already configured from the properties; not null
   */
  void customize(ModerationEngineBuilder builder);
}

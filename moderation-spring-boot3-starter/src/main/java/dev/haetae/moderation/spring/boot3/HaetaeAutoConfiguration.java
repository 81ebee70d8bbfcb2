package dev.haetae.moderation.spring.boot3;

import dev.haetae.moderation.core.engine.ModerationEngine;
import dev.haetae.moderation.spring.HaetaeProperties;
import dev.haetae.moderation.spring.HaetaeSetup;
import dev.haetae.moderation.spring.autoconfigure.HaetaeEngineConfiguration;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Spring Boot 3.5 auto-configuration of a {@link ModerationEngine} from the {@code haetae.*}
 * properties (see {@link HaetaeProperties}): the beans of {@link HaetaeEngineConfiguration}, the
 * same on every Boot line (a {@link HaetaeSetup} with banks, profiles, policies and PostgreSQL; the
 * engine, closed when the context closes; the engine's metrics and the PostgreSQL pool's bound to
 * the application's {@code MeterRegistry} when Micrometer and {@code moderation-micrometer} are on
 * the class path), and the {@code haetae} health indicator of this Boot line when Boot's actuator is on
 * the class path.
 *
 * <p>Every bean backs off when the host defines its own of the same type. {@code
 * haetae.enabled=false} turns it all off.
 *
 * @since 0.2
 */
@AutoConfiguration
@ConditionalOnClass(ModerationEngine.class)
@ConditionalOnProperty(prefix = "haetae", name = "enabled", havingValue = "true", matchIfMissing = true)
@Import(HaetaeEngineConfiguration.class)
public class HaetaeAutoConfiguration {
  /** Created by Spring. */
  public HaetaeAutoConfiguration() {}

  /** The health indicator, when Boot's health support is present and the indicator is enabled. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(HealthIndicator.class)
  @ConditionalOnEnabledHealthIndicator("haetae")
  static class HealthConfiguration {
    @Bean
    @ConditionalOnMissingBean(name = "haetaeHealthIndicator")
    HaetaeHealthIndicator haetaeHealthIndicator(ModerationEngine engine, HaetaeSetup setup) {
      return new HaetaeHealthIndicator(engine, setup);
    }
  }
}

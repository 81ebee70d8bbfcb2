package dev.haetae.moderation.api.spi;

import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.ModerationRequest;

/**
 * The host's side of a decision: removes, blocks, restricts, notifies. The engine calls it after
 * the decision is durable in the decision log, on the thread that called {@code evaluate}.
 *
 * <p>It receives the original request, with the host's raw ids, so that it can act on them; the
 * log itself holds only pseudonyms.
 *
 * <p><b>Thread safety.</b> Called concurrently from every thread that evaluates. If it throws, the
 * engine wraps the exception in an {@code ActionExecutionException} carrying the (already logged)
 * decision, so that the host can retry the actions.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface ActionExecutor {

  /** An executor that does nothing, for dry runs and tests. */
  ActionExecutor NONE = (request, decision) -> { };

  /**
   * Carries out a decision.
   *
   * @param request the request that was decided; never null
   * @param decision the decision, already durable; never null
   */
  void execute(ModerationRequest request, Decision decision);
}

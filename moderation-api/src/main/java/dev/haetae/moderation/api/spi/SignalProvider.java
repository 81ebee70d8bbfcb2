package dev.haetae.moderation.api.spi;

import dev.haetae.moderation.api.ModerationRequest;
import dev.haetae.moderation.api.Signal;
import java.time.Instant;
import java.util.List;

/**
 * A host's source of extra signals (e.g. a classifier score, an account-age service). Its signals
 * are recorded in the evidence with its {@link #version()}, so that replays do not need to call it
 * again.
 *
 * <p><b>Thread safety.</b> Implementations must be safe for concurrent calls. They run on the
 * evaluation hot path: keep them fast, and do I/O only with a short timeout. A provider that throws
 * contributes no signals and the failure is logged; the evaluation goes on.
 *
 * @since 0.1
 */
public interface SignalProvider {

  /**
   * A stable id, recorded as the key of {@link #version()} in the evidence.
   *
   * @return the id; never null
   */
  String id();

  /**
   * The provider's current version (model version, data version...).
   *
   * @return the version; never null
   */
  String version();

  /**
   * Signals for one request.
   *
   * @param request the request (its content bytes, if any, are already fingerprinted); never null
   * @param now the instant of evaluation; never null
   * @return the signals, possibly empty; never null
   */
  List<Signal> signals(ModerationRequest request, Instant now);
}

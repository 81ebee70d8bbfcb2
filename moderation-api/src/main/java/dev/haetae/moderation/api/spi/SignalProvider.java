package dev.haetae.moderation.api.spi;

import dev.haetae.moderation.api.FailMode;
import dev.haetae.moderation.api.ModerationRequest;
import dev.haetae.moderation.api.Signal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A host's source of extra signals (e.g. a classifier score, an account-age service). Its signals
 * are recorded in the evidence with its {@link #version()}, so that replays do not need to call it
 * again.
 *
 * <p><b>Thread safety.</b> Implementations must be safe for concurrent calls. They run on the
 * evaluation hot path: keep them fast, and do I/O only with a short timeout.
 *
 * <p><b>Failure.</b> The engine isolates a provider as it does a policy plugin: {@link #signals}
 * and {@link #version()} run on a worker thread under {@link #timeBudget()}. A provider that throws
 * (any exception or error short of out-of-memory), exceeds its budget, returns null, a null
 * element, a signal that is not a {@link Signal.Custom} under its own {@link #id()}, or a null
 * version contributes no signals; the failure is logged, recorded in the evidence's versions
 * ({@code provider:<id>}) and in the decision's failures, and {@link #failMode()} applies. A provider
 * that keeps timing out is tripped (not called for a cool-down), as policies are.
 *
 * <p><b>Personal data.</b> The attributes of a provider's custom signals are written to the
 * decision log masked (their length and a keyed hash), unless named in {@link #safeAttributes()}.
 * Policies see the real values; an auditor's replay sees the masked ones, so a record whose
 * decision depends on a masked attribute cannot be replayed (the replay says so).
 *
 * <p>{@link #id()}, {@link #timeBudget()}, {@link #failMode()} and {@link #safeAttributes()} are read
 * once, when the engine is built, which refuses a provider whose answers are invalid.
 *
 * @since 0.1
 */
public interface SignalProvider {

  /**
   * A stable id, recorded as the key of {@link #version()} in the evidence. Read once, when the
   * engine is built.
   *
   * @return the id; never null or blank, at most 256 characters, unique among the engine's providers
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

  /**
   * How long one call of {@link #signals} (with {@link #version()}) may take, from when it starts
   * running, before the engine gives up on it and evaluates without its signals.
   *
   * @return the budget; positive, at most one minute; default 500 milliseconds
   * @since 0.2
   */
  default Duration timeBudget() {
    return Duration.ofMillis(500);
  }

  /**
   * What the decision does when this provider fails: {@link FailMode#IGNORE} decides without its
   * signals, {@link FailMode#REVIEW} also queues the request for review (choose it when a policy
   * would restrict on this provider's signals and their absence must not mean "allow").
   *
   * @return the fail mode; not null; default {@link FailMode#IGNORE}
   * @since 0.2
   */
  default FailMode failMode() {
    return FailMode.IGNORE;
  }

  /**
   * The names of this provider's custom-signal attributes that hold no personal data and may be
   * written to the decision log in clear (a score, a model label, a language code). Every other
   * attribute is masked in the log: an e-mail address, a phone number or a name a provider passes
   * on never reaches it.
   *
   * @return the names; not null; default none (every attribute masked)
   * @since 0.2
   */
  default Set<String> safeAttributes() {
    return Set.of();
  }
}

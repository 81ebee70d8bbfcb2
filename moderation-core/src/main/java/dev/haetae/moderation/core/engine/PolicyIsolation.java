package dev.haetae.moderation.core.engine;

/**
 * How the engine runs policies.
 *
 * @since 0.1
 */
public enum PolicyIsolation {
  /**
   * Each policy runs on a worker thread and is abandoned (interrupted) when it exceeds its time
   * budget, so a hung plugin can never hold up an upload. Costs a thread hand-off per policy. The
   * default.
   */
  THREADS,
  /**
   * Policies run on the caller's thread: fastest, and still isolated from exceptions and nulls, but
   * a policy that hangs holds up its caller. For trusted, built-in policy sets and benchmarks.
   */
  INLINE
}

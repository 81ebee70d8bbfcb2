package dev.haetae.moderation.api.observe;

import dev.haetae.moderation.api.Decision;
import java.util.Arrays;
import java.util.Objects;

/**
 * One finished evaluation: the decision and how long each stage took. Immutable and thread-safe.
 *
 * @since 0.2
 */
public final class Evaluation {
  private static final Stage[] STAGES = Stage.values();

  private final String requestType;
  private final Decision decision;
  private final long[] nanos;

  /**
   * Creates an evaluation.
   *
   * @param requestType the request's type ({@link dev.haetae.moderation.api.ModerationRequest#type()},
   *     e.g. {@code content}); not null
   * @param decision the decision; not null
   * @param stageNanos the nanoseconds each stage took, indexed by {@link Stage#ordinal()}; not null,
   *     exactly one element per stage, none negative; copied
   * @throws NullPointerException when an argument is null
   * @throws IllegalArgumentException when {@code stageNanos} has the wrong length or a negative element
   */
  public Evaluation(String requestType, Decision decision, long[] stageNanos) {
    this.requestType = Objects.requireNonNull(requestType, "requestType");
    this.decision = Objects.requireNonNull(decision, "decision");
    Objects.requireNonNull(stageNanos, "stageNanos");
    if (stageNanos.length != STAGES.length) {
      throw new IllegalArgumentException("stageNanos has " + stageNanos.length + " elements; one per stage ("
          + STAGES.length + ") is required");
    }
    for (int i = 0; i < stageNanos.length; i++) {
      if (stageNanos[i] < 0) {
        throw new IllegalArgumentException("stageNanos[" + STAGES[i].tag() + "] is negative: " + stageNanos[i]);
      }
    }
    this.nanos = stageNanos.clone();
  }

  /**
   * The request's type, as {@link dev.haetae.moderation.api.ModerationRequest#type()} names it.
   *
   * @return the type; never null
   */
  public String requestType() {
    return requestType;
  }

  /**
   * The decision: its actions, reasons, policies, policy failures and shadow outcomes.
   *
   * @return the decision; never null
   */
  public Decision decision() {
    return decision;
  }

  /**
   * How long one stage took.
   *
   * @param stage the stage; not null
   * @return nanoseconds, zero or more
   * @throws NullPointerException when {@code stage} is null
   */
  public long nanos(Stage stage) {
    return nanos[stage.ordinal()];
  }

  /**
   * How long the whole evaluation took: the sum of its stages.
   *
   * @return nanoseconds, zero or more
   */
  public long totalNanos() {
    long t = 0;
    for (long n : nanos) {
      t += n;
    }
    return t;
  }

  @Override
  public String toString() {
    return "Evaluation[" + requestType + " " + decision.id() + " " + Arrays.toString(nanos) + " ns]";
  }
}

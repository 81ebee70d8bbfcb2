package dev.haetae.moderation.core.reputation;

import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.Signal;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the reputation model learnt when a report came in, beyond the weighed
 * {@link Signal.Reports}: the reporter's standing and misuse step, whether the report is a
 * duplicate, whether the target is already queued for review or already decided, and how the
 * reporters of the target cluster. It travels in the evidence as a {@link Signal.Custom} of
 * provider {@value #PROVIDER} and name {@value #NAME}, so that it is recorded and replayable;
 * this class names its attributes and reads it back. Immutable and thread-safe.
 *
 * @param reports the weighed reports on the target; not null
 * @param signal the intake signal; not null
 * @param step the reporter's misuse step for this report; not null
 * @param duplicate whether the same reporter had already reported the same target (counted once)
 * @since 0.1
 */
public record ReportIntake(Signal.Reports reports, Signal.Custom signal, MisuseStep step, boolean duplicate) {
  /** The provider of the intake signal. */
  public static final String PROVIDER = "reputation";
  /** The name of the intake signal. */
  public static final String NAME = "report_intake";
  /** Attribute: the {@link MisuseStep#wireName() misuse step}. */
  public static final String STEP = "step";
  /** Attribute: when processing resumes, for {@code suspend} and {@code suspended} (ISO-8601). */
  public static final String SUSPENDED_UNTIL = "suspended_until";
  /** Attribute: misuse warnings given to the reporter before this report. */
  public static final String WARNINGS = "warnings";
  /** Attribute: manifestly unfounded reports counted in the current window. */
  public static final String UNFOUNDED = "unfounded";
  /** Attribute: {@code true} when the reporter already reported this target. */
  public static final String DUPLICATE = "duplicate";
  /** Attribute: the reporter's credibility, 3 decimals. */
  public static final String CREDIBILITY = "credibility";
  /** Attribute: {@code true} for a registered trusted flagger. */
  public static final String TRUSTED_FLAGGER = "trusted_flagger";
  /** Attribute: {@code true} when the reporter's account is younger than the model's new-account age. */
  public static final String YOUNG = "young";
  /**
   * Attribute: {@code true} when the reporter has a track record (aged account, enough reviewed
   * reports, credibility at or above the prior) or is a trusted flagger.
   */
  public static final String PROVEN = "proven";
  /**
   * Attribute: {@code true} when the reports on the target come from at least the model's
   * corroboration count of distinct reporters, or from a proven one.
   */
  public static final String CORROBORATED = "corroborated";
  /** Attribute: the id of the decision the target's open review item came from, if any. */
  public static final String ATTACHED_TO = "attached_to";
  /** Attribute: {@code true} when a trusted flagger's report is among those attached to it. */
  public static final String ATTACHED_TRUSTED = "attached_trusted";
  /**
   * Attribute: {@code true} when review already found the target not violating (the latest
   * resolved report on it was rejected).
   */
  public static final String CLEARED = "cleared";
  /** Attribute: {@code true} when the target (content) was already removed. */
  public static final String TARGET_REMOVED = "target_removed";
  /** Attribute: pending reports from reporters without a track record. */
  public static final String UNPROVEN = "unproven";
  /** Attribute: the size of the largest cluster of correlated unproven reporters. */
  public static final String LARGEST_CLUSTER = "largest_cluster";
  /**
   * Attribute: which correlations linked reporters, comma-separated from {@code created_together},
   * {@code joined_together}, {@code reported_together}, {@code wave}; empty when none.
   */
  public static final String CORRELATION = "correlation";

  /**
   * Validates.
   *
   * @param reports the reports component, as described on the record
   * @param signal the signal component, as described on the record
   * @param step the step component, as described on the record
   * @param duplicate the duplicate component, as described on the record
   * @throws NullPointerException when a reference component is null
   */
  public ReportIntake {
    Objects.requireNonNull(reports, "reports");
    Objects.requireNonNull(signal, "signal");
    Objects.requireNonNull(step, "step");
  }

  /**
   * The intake signal's attributes in an evidence, if it has one.
   *
   * @param evidence the evidence; not null
   * @return the attributes of the first intake signal; never null
   */
  public static Optional<Map<String, String>> attributes(Evidence evidence) {
    for (Signal.Custom c : evidence.signals(Signal.Custom.class)) {
      if (c.provider().equals(PROVIDER) && c.name().equals(NAME)) {
        return Optional.of(c.attributes());
      }
    }
    return Optional.empty();
  }
}

package dev.haetae.moderation.core.reputation;

import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.DecisionId;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.UserReport;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The report intake as version 0.1 logged it: a {@link Signal.Custom} of provider {@value #PROVIDER}
 * and name {@value #NAME} with string attributes, replaced in 0.2 by the typed
 * {@link Signal.ReportIntake}. Old decision logs still hold it; this class is the one place that
 * names its attributes, and reads such a signal back as the typed one as far as it can (fields 0.1
 * did not record take neutral values: no first-party claim, no owner, no campaign, score 0). Policies
 * read only the typed signal, so a decision whose evidence holds the old one is not replayed as it
 * was decided. Stateless and thread-safe.
 *
 * @since 0.2
 */
public final class LegacyIntake {
  /** The provider of the old intake signal. */
  public static final String PROVIDER = "reputation";
  /** The name of the old intake signal. */
  public static final String NAME = "report_intake";
  /** Attribute: the misuse step, {@code none}, {@code warn}, {@code suspend}, {@code suspended} or {@code restore}. */
  public static final String STEP = "step";
  /** Attribute: when processing resumes, for {@code suspend} and {@code suspended} (ISO-8601). */
  public static final String SUSPENDED_UNTIL = "suspended_until";
  /** Attribute: misuse warnings given to the reporter before the report. */
  public static final String WARNINGS = "warnings";
  /** Attribute: manifestly unfounded reports counted in the window. */
  public static final String UNFOUNDED = "unfounded";
  /** Attribute: {@code true} when the reporter already reported the target. */
  public static final String DUPLICATE = "duplicate";
  /** Attribute: the reporter's credibility, 3 decimals. */
  public static final String CREDIBILITY = "credibility";
  /** Attribute: {@code true} for a registered trusted flagger. */
  public static final String TRUSTED_FLAGGER = "trusted_flagger";
  /** Attribute: {@code true} when the reporter's account was young. */
  public static final String YOUNG = "young";
  /** Attribute: {@code true} when the reporter had a track record. */
  public static final String PROVEN = "proven";
  /** Attribute: {@code true} when the reports were corroborated. */
  public static final String CORROBORATED = "corroborated";
  /** Attribute: the id of the decision the open review item came from, if any. */
  public static final String ATTACHED_TO = "attached_to";
  /** Attribute: {@code true} when a trusted flagger's report was attached to it. */
  public static final String ATTACHED_TRUSTED = "attached_trusted";
  /** Attribute: {@code true} when review had found the target not violating (any harm). */
  public static final String CLEARED = "cleared";
  /** Attribute: {@code true} when the target had been removed. */
  public static final String TARGET_REMOVED = "target_removed";
  /** Attribute: pending reports from reporters without a track record. */
  public static final String UNPROVEN = "unproven";
  /** Attribute: the size of the largest correlated cluster. */
  public static final String LARGEST_CLUSTER = "largest_cluster";
  /** Attribute: comma-separated correlations ({@code created_together}, {@code joined_together}, ...). */
  public static final String CORRELATION = "correlation";

  private LegacyIntake() {}

  /**
   * Whether a signal is the old intake signal.
   *
   * @param signal the signal; not null
   * @return true for a custom signal of provider {@value #PROVIDER} and name {@value #NAME}
   */
  public static boolean is(Signal signal) {
    return signal instanceof Signal.Custom && ((Signal.Custom) signal).provider().equals(PROVIDER)
        && ((Signal.Custom) signal).name().equals(NAME);
  }

  /**
   * The old intake signal's attributes in an evidence, as version 0.1 read them.
   *
   * @param evidence the evidence; not null
   * @return the attributes of the first old intake signal; empty when there is none
   */
  public static Optional<Map<String, String>> attributes(Evidence evidence) {
    for (Signal s : evidence.signals()) {
      if (is(s)) {
        return Optional.of(((Signal.Custom) s).attributes());
      }
    }
    return Optional.empty();
  }

  /**
   * Reads an old evidence's intake signal as the typed one.
   *
   * @param evidence an evidence of a report; not null
   * @return the typed intake, or empty when the evidence is not a report's or has no old intake
   *     signal
   * @throws IllegalArgumentException when an attribute holds a value 0.1 never wrote
   */
  public static Optional<Signal.ReportIntake> read(Evidence evidence) {
    if (!(evidence.request() instanceof UserReport)) {
      return Optional.empty();
    }
    UserReport report = (UserReport) evidence.request();
    for (Signal s : evidence.signals()) {
      if (is(s)) {
        return Optional.of(toTyped(((Signal.Custom) s).attributes(), report));
      }
    }
    return Optional.empty();
  }

  private static Signal.ReportIntake toTyped(Map<String, String> a, UserReport report) {
    String step = a.getOrDefault(STEP, "none");
    Signal.ReportIntake.Misuse misuse;
    switch (step) {
      case "none":
        misuse = Signal.ReportIntake.Misuse.NONE;
        break;
      case "warn":
        misuse = Signal.ReportIntake.Misuse.WARNING_NOTICE;
        break;
      case "suspend":
      case "suspended":
        misuse = Signal.ReportIntake.Misuse.SUSPENDED;
        break;
      case "restore":
        misuse = Signal.ReportIntake.Misuse.RESTORED;
        break;
      default:
        throw new IllegalArgumentException("unknown 0.1 misuse step '" + step + "'");
    }
    Set<Signal.ReportIntake.Correlation> correlation = EnumSet.noneOf(Signal.ReportIntake.Correlation.class);
    for (String c : a.getOrDefault(CORRELATION, "").split(",")) {
      if (!c.isBlank()) {
        correlation.add(Signal.ReportIntake.Correlation.fromWire(c.trim().toLowerCase(Locale.ROOT)));
      }
    }
    boolean cleared = bool(a, CLEARED);
    double credibility = Math.max(0, Math.min(1, Double.parseDouble(a.getOrDefault(CREDIBILITY, "0"))));
    return new Signal.ReportIntake(report.target(), report.category(), false, bool(a, DUPLICATE), misuse,
        Optional.ofNullable(a.get(SUSPENDED_UNTIL)).map(Instant::parse), count(a, UNFOUNDED), credibility,
        bool(a, TRUSTED_FLAGGER), bool(a, YOUNG), bool(a, PROVEN), Boolean.parseBoolean(a.getOrDefault(CORROBORATED,
        "true")), Optional.empty(), Optional.ofNullable(a.get(ATTACHED_TO)).map(DecisionId::of), Optional.empty(),
        bool(a, ATTACHED_TRUSTED), false, false, cleared ? EnumSet.allOf(Category.class) : Set.of(), false,
        bool(a, TARGET_REMOVED), count(a, UNPROVEN), count(a, LARGEST_CLUSTER), correlation, Optional.empty(), 0, 0,
        false, 0);
  }

  private static boolean bool(Map<String, String> a, String key) {
    return Boolean.parseBoolean(a.get(key));
  }

  private static int count(Map<String, String> a, String key) {
    return Math.max(0, Integer.parseInt(a.getOrDefault(key, "0")));
  }
}

package dev.haetae.moderation.core.decide;

import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.FailMode;
import dev.haetae.moderation.api.PolicyFailure;
import dev.haetae.moderation.api.PolicyId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Signal-provider failures, carried in the evidence so that the decision and its replay agree: the
 * engine records a failed provider's version as {@code failed: <kind>; fail mode <mode>} (e.g.
 * {@code failed: timed_out; fail mode review}) under {@code provider:<id>} (an external matcher's
 * under {@code matcher:<id>}), and the decider reads each such entry back as a {@link PolicyFailure}
 * of policy {@code provider:<id>} or {@code matcher:<id>} (version {@code
 * -}) whose fail mode applies. Records written before 0.2 say only {@code failed} and contribute no
 * failure, as they did not then. Stateless; not part of the exported API.
 */
public final class ProviderFailures {
  private static final String PREFIX = "provider:";
  private static final String MATCHER = "matcher:";
  private static final Pattern FAILED = Pattern.compile("failed: ([a-z_]+); fail mode ([a-z]+)");

  private ProviderFailures() {}

  /**
   * The version recorded for a provider that failed.
   *
   * @param kind how it failed; not null
   * @param mode its fail mode; not null
   * @return the version text; never null
   */
  public static String version(PolicyFailure.Kind kind, FailMode mode) {
    return "failed: " + kind.name().toLowerCase(Locale.ROOT) + "; fail mode " + mode.name().toLowerCase(Locale.ROOT);
  }

  /** The provider failures an evidence records, in the order of its (sorted) versions. */
  static List<PolicyFailure> of(Evidence evidence) {
    List<PolicyFailure> out = new ArrayList<>(0);
    for (Map.Entry<String, String> e : evidence.versions().entrySet()) {
      boolean matcher = e.getKey().startsWith(MATCHER);
      if (!(matcher || e.getKey().startsWith(PREFIX)) || !e.getValue().startsWith("failed: ")) {
        continue;
      }
      Matcher m = FAILED.matcher(e.getValue());
      if (!m.matches()) {
        continue;
      }
      PolicyFailure.Kind kind;
      FailMode mode;
      try {
        kind = PolicyFailure.Kind.valueOf(m.group(1).toUpperCase(Locale.ROOT));
        mode = FailMode.valueOf(m.group(2).toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException x) {
        continue;
      }
      out.add(new PolicyFailure(PolicyId.of(e.getKey(), "-"), kind, (matcher ? "external matcher " : "signal provider ")
          + e.getKey().substring(matcher ? MATCHER.length() : PREFIX.length()) + " failed (" + m.group(1)
          + "); decided without its " + (matcher ? "hits" : "signals"), mode));
    }
    return out;
  }
}

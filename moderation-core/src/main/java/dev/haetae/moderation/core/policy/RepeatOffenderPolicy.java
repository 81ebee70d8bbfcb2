package dev.haetae.moderation.core.policy;

import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ContentEvent;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.Outcome;
import dev.haetae.moderation.api.PolicyId;
import dev.haetae.moderation.api.Reason;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.StatementOfReasons;
import dev.haetae.moderation.api.spi.Policy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Repeat offenders: every removal of an account's content is a strike that lives for a time set per
 * policy ({@code strike_ttl}: e.g. a CSAM strike a decade, a spam strike a month; the engine applies
 * these TTLs when it records the strike). When an account with at least
 * {@code restrict_forwarding_at} live strikes posts or forwards, the new item cannot be forwarded
 * further; at {@code suspend_at} strikes the account is also suspended for {@code suspension}. The
 * strikes counted are those before this decision (a policy never sees what the others decide), so
 * the step takes effect on the account's next post. Immutable and thread-safe.
 */
final class RepeatOffenderPolicy implements Policy {
  static final String NAME = "repeat-offender";

  private final PolicyId id;
  private final int restrictAt;
  private final int suspendAt;
  private final Duration suspension;
  private final Map<String, Duration> strikeTtl;

  RepeatOffenderPolicy(Params p) {
    this.strikeTtl = p.durations("strike_ttl", Map.of("default", Duration.ofDays(90)));
    this.restrictAt = p.integer("restrict_forwarding_at", 2, 1, 1000);
    this.suspendAt = p.integer("suspend_at", 3, 1, 1000);
    if (suspendAt < restrictAt) {
      throw new PolicyConfigException(p.path() + ".suspend_at", "must be at least restrict_forwarding_at ("
          + restrictAt + "), got " + suspendAt);
    }
    this.suspension = p.duration("suspension", Duration.ofDays(30));
    p.requireNoUnknown();
    this.id = new PolicyId(NAME, "1", p.hash());
  }

  /** The strike TTLs by policy name ({@code default} for the rest), for the engine. */
  Map<String, Duration> strikeTtl() {
    return strikeTtl;
  }

  @Override
  public PolicyId id() {
    return id;
  }

  @Override
  public Outcome evaluate(Evidence evidence) {
    if (!(evidence.request() instanceof ContentEvent)) {
      return Outcome.none();
    }
    for (Signal.AccountStanding s : evidence.signals(Signal.AccountStanding.class)) {
      if (s.suspended() || s.strikes() < restrictAt) {
        continue;
      }
      String facts = "The account has " + s.strikes() + " live strike(s) for removed content (limit for forwarding: "
          + restrictAt + ", for suspension: " + suspendAt + ").";
      List<Action> actions = new ArrayList<>(3);
      actions.add(new Action.RestrictForwarding());
      if (s.strikes() >= suspendAt) {
        actions.add(new Action.SuspendAccount(Optional.of(suspension)));
        actions.add(new Action.NotifyUser(Action.Recipient.UPLOADER,
            new StatementOfReasons(Grounds.repeat(), facts + " The account is suspended for " + suspension.toDays()
                + " days.", false, true, Grounds.redress())));
      }
      return Outcome.of(actions, List.of(Reason.of(id, s.strikes() >= suspendAt ? "repeat_offender_suspended"
          : "repeat_offender_restricted", facts, Category.OTHER, Grounds.repeat())));
    }
    return Outcome.none();
  }
}

package dev.haetae.moderation.core.audit;

import dev.haetae.moderation.api.AccountEvent;
import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Appeal;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.Content;
import dev.haetae.moderation.api.ContentEvent;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.ContentKind;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.DecisionId;
import dev.haetae.moderation.api.Duty;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.FailMode;
import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.Jurisdiction;
import dev.haetae.moderation.api.LegalGround;
import dev.haetae.moderation.api.LegalNotice;
import dev.haetae.moderation.api.MatchType;
import dev.haetae.moderation.api.Md5;
import dev.haetae.moderation.api.ModerationRequest;
import dev.haetae.moderation.api.NoticeSender;
import dev.haetae.moderation.api.Outcome;
import dev.haetae.moderation.api.Pdq;
import dev.haetae.moderation.api.PdqHash;
import dev.haetae.moderation.api.PolicyFailure;
import dev.haetae.moderation.api.PolicyId;
import dev.haetae.moderation.api.Priority;
import dev.haetae.moderation.api.Reason;
import dev.haetae.moderation.api.ReporterId;
import dev.haetae.moderation.api.ReviewOutcome;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.Sha256;
import dev.haetae.moderation.api.ShadowOutcome;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.StatementOfReasons;
import dev.haetae.moderation.api.Surface;
import dev.haetae.moderation.api.Target;
import dev.haetae.moderation.api.UserReport;
import dev.haetae.moderation.api.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * Seeded generator of Evidence/Decision pairs covering every request, signal and action type. Raw
 * ids carry the marker {@code RAWID} and free text the marker {@code SECRETTEXT}, so that tests can
 * scan log bytes for them.
 */
final class Fixtures {
  static final PolicyId P1 = new PolicyId("known-ncii", "1.0", "abc123");
  static final PolicyId P2 = PolicyId.of("reports", "2.1");
  static final PolicyId SHADOW = PolicyId.of("candidate", "0.1");
  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  private final Random r;
  private int n;

  Fixtures(long seed) {
    this.r = new Random(seed);
  }

  static String raw(String kind, int i) {
    return "RAWID-" + kind + "-" + i;
  }

  private String id(String kind) {
    return raw(kind, r.nextInt(50));
  }

  private static String hex(Random r, int digits) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < digits; i++) {
      sb.append(Character.forDigit(r.nextInt(16), 16));
    }
    return sb.toString();
  }

  ModerationRequest request(Instant now) {
    switch (r.nextInt(6)) {
      case 0: {
        Content c = new Content(ContentId.of(id("content")), ContentKind.values()[r.nextInt(5)],
            Surface.values()[r.nextInt(3)], r.nextBoolean() ? Set.of(Jurisdiction.of("DE"), Jurisdiction.of("FR"))
                : Set.of(),
            new Fingerprints(Optional.of(Sha256.fromHex(hex(r, 64))), Optional.of(Md5.fromHex(hex(r, 32))),
                Optional.of(new Pdq(PdqHash.fromHex(hex(r, 64)), r.nextInt(101),
                    List.of(PdqHash.fromHex(hex(r, 64)))))),
            r.nextBoolean() ? Optional.of("SECRETTEXT caption " + r.nextInt()) : Optional.empty());
        return new ContentEvent(ContentEvent.Action.values()[r.nextInt(3)], c, AccountId.of(id("account")),
            Optional.of(RoomId.of(id("room"))),
            r.nextBoolean() ? Optional.of(ContentId.of(id("content"))) : Optional.empty(), r.nextBoolean(),
            Optional.empty());
      }
      case 1:
        return new UserReport(ReporterId.of(id("reporter")), target(), Category.values()[r.nextInt(8)],
            r.nextBoolean() ? Optional.of("SECRETTEXT report by me") : Optional.empty(), r.nextBoolean());
      case 2:
        return new LegalNotice(id("notice"), "US-TAKE-IT-DOWN", ContentId.of(id("content")),
            NoticeSender.values()[r.nextInt(7)], Map.of("signature", "SECRETTEXT Jane Doe",
                "contact", "SECRETTEXT jane@example.org"), now.minusSeconds(r.nextInt(3600)));
      case 3: {
        // the draws in their former order; the reviewer (a raw id the log must not show) rides on them
        Target t = target();
        Verdict v = Verdict.values()[r.nextInt(2)];
        Optional<Category> c = r.nextBoolean() ? Optional.of(Category.NCII) : Optional.empty();
        Optional<String> note = r.nextBoolean() ? Optional.of("SECRETTEXT moderator note") : Optional.empty();
        return new ReviewOutcome(t, v, c, note, c.isPresent() ? Optional.of(raw("reviewer", v.ordinal()))
            : Optional.empty());
      }
      case 4:
        return new Appeal(id("appeal"), DecisionId.of("d-" + r.nextInt(1000)), ContentId.of(id("content")),
            AccountId.of(id("account")), now.minusSeconds(60), Optional.of("SECRETTEXT please restore"));
      default:
        return new AccountEvent(AccountId.of(id("account")), now.minus(Duration.ofDays(3)), r.nextBoolean(),
            Optional.of("SECRETTEXT Helpline"));
    }
  }

  private Target target() {
    switch (r.nextInt(3)) {
      case 0:
        return Target.content(ContentId.of(id("content")));
      case 1:
        return Target.account(AccountId.of(id("account")));
      default:
        return Target.room(RoomId.of(id("room")));
    }
  }

  List<Signal> signals(Instant now) {
    List<Signal> s = new ArrayList<>();
    int k = r.nextInt(5);
    for (int i = 0; i < k; i++) {
      switch (r.nextInt(10)) {
        case 8:
          s.add(reportIntake(now));
          break;
        case 9:
          s.add(reportResolution());
          break;
        case 0: {
          // the draws in their former order, so the seeded fixtures stay what they were
          int version = r.nextInt(9);
          String entry = hex(r, 64);
          int distance = r.nextInt(32);
          int quality = r.nextInt(101);
          boolean reviewOnly = r.nextBoolean();
          // an entry's uploader and a poster (keyed pseudonyms), derived from the draws above
          Optional<String> uploader = version % 2 == 1 && quality % 3 == 0
              ? Optional.of("k1:u" + (distance % 4)) : Optional.empty();
          s.add(new Signal.HashMatch(version % 2 == 0 ? "stopncii" : "platform-removals", version, Category.NCII,
              MatchType.PDQ, entry, distance, 31, quality, reviewOnly,
              version % 2 == 0 ? Optional.empty() : Optional.of(now.minusSeconds(60L * distance)), uploader));
          if (version % 3 == 0) {
            s.add(new Signal.KnownContent(ContentId.of(raw("content", distance)), Fingerprints.none(),
                AccountId.of(raw("account", quality % 50)),
                Optional.empty(), Surface.GROUP, reviewOnly, distance % 2 == 0 ? Optional.empty()
                    : Optional.of(now.minusSeconds(3600L * distance)), Optional.empty(),
                distance % 4 == 1 ? List.of(ContentId.of(raw("content", distance + 1)),
                    ContentId.of(raw("content", distance + 2))) : List.of(),
                quality % 2 == 0 ? Optional.of("k1:u" + (quality % 4)) : Optional.empty()));
          }
          break;
        }
        case 1:
          s.add(new Signal.Reports(target(), Category.HARASSMENT, r.nextInt(9), r.nextDouble() * 3, r.nextInt(2),
              r.nextDouble(), r.nextBoolean(), "rep-1.0"));
          break;
        case 2:
          s.add(new Signal.NoticeCheck("US-TAKE-IT-DOWN", true, r.nextBoolean() ? List.of("signature") : List.of(),
              false));
          break;
        case 3:
          s.add(new Signal.Obligation("obl-" + raw("notice", 3), "US-TAKE-IT-DOWN", "TAKE IT DOWN Act sec. 3",
              now.plus(Duration.ofHours(48)), List.of(Duty.REMOVE, Duty.PRESERVE), Duration.ofDays(365),
              Category.NCII));
          break;
        case 4:
          s.add(new Signal.AccountStanding(AccountId.of(id("account")), r.nextInt(4), r.nextBoolean(),
              r.nextBoolean() ? Optional.of(Duration.ofDays(r.nextInt(900))) : Optional.empty()));
          break;
        case 5:
          s.add(new Signal.RoomActivity(RoomId.of(id("room")), r.nextInt(20), Duration.ofHours(1)));
          break;
        case 6:
          s.add(new Signal.ProfilePhotoMatch(AccountId.of(id("account")), ContentId.of(id("content")), r.nextInt(20)));
          break;
        default:
          s.add(new Signal.Custom("nsfw", "score", Map.of("score", Double.toString(r.nextDouble())),
              java.util.Set.of("score")));
      }
    }
    return s;
  }

  private <E extends Enum<E>> java.util.Set<E> some(Class<E> type) {
    java.util.Set<E> out = java.util.EnumSet.noneOf(type);
    for (E e : type.getEnumConstants()) {
      if (r.nextInt(3) == 0) {
        out.add(e);
      }
    }
    return out;
  }

  private Signal.ReportIntake reportIntake(Instant now) {
    return new Signal.ReportIntake(target(), Category.values()[r.nextInt(8)], r.nextBoolean(), r.nextBoolean(),
        Signal.ReportIntake.Misuse.values()[r.nextInt(4)],
        r.nextBoolean() ? Optional.of(now.plus(Duration.ofDays(14))) : Optional.empty(), r.nextInt(9), r.nextDouble(),
        r.nextBoolean(), r.nextBoolean(), r.nextBoolean(), r.nextBoolean(),
        r.nextBoolean() ? Optional.of(now.plus(Duration.ofHours(24))) : Optional.empty(),
        r.nextBoolean() ? Optional.of(DecisionId.of("d-" + r.nextInt(1000))) : Optional.empty(),
        r.nextBoolean() ? Optional.of(Category.values()[r.nextInt(8)]) : Optional.empty(), r.nextBoolean(),
        r.nextBoolean(), r.nextBoolean(), some(Category.class), r.nextBoolean(), r.nextBoolean(), r.nextInt(500),
        r.nextInt(500), some(Signal.ReportIntake.Correlation.class),
        r.nextBoolean() ? Optional.of(AccountId.of(id("account"))) : Optional.empty(), r.nextInt(40), r.nextInt(90),
        r.nextBoolean(), r.nextDouble());
  }

  private Signal.ReportResolution reportResolution() {
    List<Signal.ReportResolution.MisuseFinding> misuse = new ArrayList<>();
    for (int i = r.nextInt(3); i > 0; i--) {
      misuse.add(new Signal.ReportResolution.MisuseFinding(ReporterId.of(id("reporter")), r.nextBoolean(),
          r.nextInt(9), r.nextDouble(), Signal.ReportResolution.Step.values()[r.nextInt(3)]));
    }
    return new Signal.ReportResolution(target(), Verdict.values()[r.nextInt(2)], some(Category.class), r.nextInt(9),
        r.nextInt(9), r.nextInt(9), misuse, r.nextBoolean());
  }

  Evidence evidence() {
    Instant now = T0.plusSeconds(60L * n);
    return new Evidence(now, request(now), signals(now), Map.of("bank:stopncii", "7", "reputation", "rep-1.0"));
  }

  Decision decision(Evidence e) {
    int i = n++;
    LegalGround g = LegalGround.law("TAKE IT DOWN Act, sec. 3(a)", "Non-consensual intimate image.");
    List<Action> actions = new ArrayList<>();
    List<Reason> reasons = new ArrayList<>();
    switch (r.nextInt(5)) {
      case 0:
        actions.add(new Action.Allow());
        break;
      case 4:
        actions.add(new Action.Allow());
        actions.add(new Action.Reinstate(DecisionId.of("d-" + r.nextInt(1000))));
        break;
      case 1:
        actions.add(new Action.Remove());
        actions.add(new Action.BlockReupload());
        actions.add(new Action.PreserveEvidence(Duration.ofDays(365)));
        if (i % 4 == 0) {
          actions.add(new Action.RemoveCopies(List.of(ContentId.of(raw("content", i % 7)),
              ContentId.of(raw("content", 7 + i % 5)))));
        }
        actions.add(new Action.NotifyUser(Action.Recipient.UPLOADER,
            new StatementOfReasons(g, "Matched a StopNCII hash.", true, true, "Appeal within 6 months.")));
        reasons.add(Reason.of(P1, "bank_match", "Content matched bank stopncii.", Category.NCII, g));
        break;
      case 2:
        actions.add(new Action.QueueForReview(Priority.HIGH, r.nextBoolean(), "default",
            r.nextBoolean() ? Action.QueueForReview.UNRANKED : r.nextDouble()));
        actions.add(new Action.Blur("sensitive"));
        reasons.add(Reason.note(P2, "reports", "Reports about " + e.request().contentId().map(ContentId::value)
            .orElse("nothing") + " crossed the threshold."));
        break;
      default:
        actions.add(new Action.RestrictForwarding());
        actions.add(new Action.SuspendAccount(r.nextBoolean() ? Optional.of(Duration.ofDays(7)) : Optional.empty()));
        actions.add(new Action.ReportToAuthority("NCMEC", true));
        reasons.add(Reason.of(P1, "room", "Room spreading matches.", Category.SEXUAL_DEEPFAKE,
            LegalGround.terms("ToS 4.2", "Sexual deepfakes are banned.")));
    }
    List<PolicyFailure> failures = r.nextInt(5) == 0
        ? List.of(new PolicyFailure(P2, PolicyFailure.Kind.THREW, "IllegalStateException: boom", FailMode.REVIEW))
        : List.of();
    List<ShadowOutcome> shadow = r.nextBoolean()
        ? List.of(new ShadowOutcome(SHADOW, Outcome.of(List.of(new Action.Remove()), List.of(
            Reason.of(SHADOW, "x", "would remove", Category.NCII, g))), Optional.empty()))
        : List.of();
    return new Decision(DecisionId.of("d-" + i), e.now(), actions, reasons,
        r.nextBoolean() ? Optional.of(e.now().plus(Duration.ofHours(48))) : Optional.empty(), List.of(P1, P2),
        failures, shadow);
  }
}

package dev.haetae.moderation.testkit;

import dev.haetae.moderation.api.AccountEvent;
import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Appeal;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.Content;
import dev.haetae.moderation.api.ContentEvent;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.ContentKind;
import dev.haetae.moderation.api.DecisionId;
import dev.haetae.moderation.api.Duty;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.LegalNotice;
import dev.haetae.moderation.api.MatchType;
import dev.haetae.moderation.api.ModerationRequest;
import dev.haetae.moderation.api.NoticeSender;
import dev.haetae.moderation.api.Pdq;
import dev.haetae.moderation.api.PdqHash;
import dev.haetae.moderation.api.ReporterId;
import dev.haetae.moderation.api.ReviewOutcome;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.Sha256;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.Surface;
import dev.haetae.moderation.api.Target;
import dev.haetae.moderation.api.UserReport;
import dev.haetae.moderation.api.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * Evidence a policy must survive: every request type, every signal type, and their edge values
 * (no signals, zero and maximal distances, unknown quality, review-only entries, huge strike counts,
 * an owner matching their own photo, empty and maximal-length text in Korean and English, the epoch
 * and far-future instants), plus seeded random combinations. Deterministic: the same seed gives the
 * same list. Stateless and thread-safe.
 *
 * @since 0.1
 */
public final class EvidenceSamples {
  private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");
  private static final String PDQ = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";
  private static final String SHA = "ab".repeat(32);

  private EvidenceSamples() {}

  /**
   * The fixed edge cases followed by {@code generated} random combinations from {@code seed}.
   *
   * @param seed the generator's seed
   * @param generated how many random combinations to add, at least 0
   * @return a new list; never null
   * @throws IllegalArgumentException when {@code generated} is negative
   */
  public static List<Evidence> all(long seed, int generated) {
    List<Evidence> out = new ArrayList<>(edgeCases());
    out.addAll(generated(seed, generated));
    return out;
  }

  /**
   * The fixed edge cases: each request with no signals, each with every signal, and each signal
   * alone with its edge values.
   *
   * @return a new list; never null
   */
  public static List<Evidence> edgeCases() {
    List<Evidence> out = new ArrayList<>();
    for (ModerationRequest r : requests()) {
      out.add(new Evidence(NOW, r, List.of(), Map.of()));
      out.add(new Evidence(NOW, r, signals(r), Map.of("bank:b", "1")));
      for (Signal s : signals(r)) {
        out.add(new Evidence(NOW, r, List.of(s), Map.of()));
      }
    }
    ModerationRequest upload = requests().get(0);
    out.add(new Evidence(Instant.EPOCH, upload, signals(upload), Map.of()));
    out.add(new Evidence(Instant.parse("9999-12-31T23:59:59Z"), upload, signals(upload), Map.of()));
    return out;
  }

  /**
   * Random combinations of requests and signals.
   *
   * @param seed the seed
   * @param n how many, at least 0
   * @return a new list of {@code n} evidence; never null
   * @throws IllegalArgumentException when {@code n} is negative
   */
  public static List<Evidence> generated(long seed, int n) {
    if (n < 0) {
      throw new IllegalArgumentException("n must be >= 0, got " + n);
    }
    Random rnd = new Random(seed);
    List<ModerationRequest> requests = requests();
    List<Evidence> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      ModerationRequest r = requests.get(rnd.nextInt(requests.size()));
      List<Signal> pool = signals(r);
      List<Signal> chosen = new ArrayList<>();
      for (Signal s : pool) {
        if (rnd.nextInt(3) == 0) {
          chosen.add(s);
        }
      }
      chosen.add(new Signal.HashMatch("gen", rnd.nextInt(5), Category.values()[rnd.nextInt(Category.values().length)],
          MatchType.PDQ, PDQ, rnd.nextInt(64), rnd.nextInt(64), rnd.nextInt(102) - 1, rnd.nextBoolean()));
      chosen.add(new Signal.AccountStanding(AccountId.of("u1"), rnd.nextInt(10), rnd.nextBoolean(), Optional.empty()));
      out.add(new Evidence(NOW.plusSeconds(rnd.nextInt(1_000_000)), r, chosen, Map.of()));
    }
    return out;
  }

  private static List<ModerationRequest> requests() {
    List<ModerationRequest> out = new ArrayList<>();
    Fingerprints fp = Fingerprints.none().withPdq(new Pdq(PdqHash.fromHex(PDQ), 100, List.of()))
        .withSha256(Sha256.fromHex(SHA));
    String longText = "가".repeat(2048) + "a".repeat(2048);
    for (ContentKind kind : ContentKind.values()) {
      for (Surface surface : Surface.values()) {
        Content c = new Content(ContentId.of("c-" + kind.wireName() + "-" + surface.wireName()), kind, surface, Set.of(),
            fp, Optional.empty());
        out.add(ContentEvent.upload(c, AccountId.of("u1"), RoomId.of("r1")));
      }
    }
    Content base = Content.of(ContentId.of("c1"), ContentKind.IMAGE, Surface.GROUP).withFingerprints(fp);
    out.add(ContentEvent.upload(base.withText(""), AccountId.of("u1"), RoomId.of("r1")));
    out.add(ContentEvent.upload(base.withText(longText), AccountId.of("u1"), RoomId.of("r1")));
    out.add(ContentEvent.upload(base.withText("이름: 김민지 17살 서울여고 2학년 강남구 101동 1203호 010-1234-5678"),
        AccountId.of("u1"), RoomId.of("r1")));
    out.add(ContentEvent.upload(base.withText("her name is Jane, 16 years old, Lincoln High School, 42 Elm Street"),
        AccountId.of("u1"), RoomId.of("r1")));
    out.add(ContentEvent.forward(base, AccountId.of("u2"), RoomId.of("r2"), ContentId.of("c0")));
    out.add(new ContentEvent(ContentEvent.Action.PROFILE_PHOTO_CHANGE,
        Content.of(ContentId.of("p1"), ContentKind.PROFILE_PHOTO, Surface.PUBLIC_CHANNEL).withFingerprints(fp),
        AccountId.of("u3"), Optional.empty(), Optional.empty(), true, Optional.empty()));
    out.add(new ContentEvent(ContentEvent.Action.UPLOAD, Content.of(ContentId.of("c2"), ContentKind.TEXT, Surface.DIRECT),
        AccountId.of("u1"), Optional.empty(), Optional.empty(), false, Optional.empty()));
    for (Category cat : Category.values()) {
      out.add(UserReport.of(ReporterId.of("r1"), Target.content(ContentId.of("c1")), cat));
    }
    out.add(UserReport.of(ReporterId.of("r1"), Target.account(AccountId.of("u1")), Category.HARASSMENT));
    out.add(UserReport.of(ReporterId.of("r1"), Target.room(RoomId.of("r1")), Category.NCII));
    for (Category cat : List.of(Category.NCII, Category.SEXUAL_DEEPFAKE, Category.CSAM, Category.SPAM)) {
      out.add(UserReport.firstParty(ReporterId.of("victim"), Target.content(ContentId.of("c1")), cat));
    }
    out.add(new LegalNotice("n1", "US-TAKE-IT-DOWN", ContentId.of("c1"), NoticeSender.VICTIM, Map.of(), NOW));
    out.add(new LegalNotice("n2", "NO-SUCH-INSTRUMENT", ContentId.of("c1"), NoticeSender.USER,
        Map.of("signature", "s"), NOW.minus(Duration.ofDays(400))));
    for (Verdict v : Verdict.values()) {
      for (Category cat : Category.values()) {
        out.add(ReviewOutcome.ofContent(ContentId.of("c1"), v, cat));
      }
      out.add(new ReviewOutcome(Target.account(AccountId.of("u1")), v, Optional.empty(), Optional.empty()));
    }
    out.add(new Appeal("a1", DecisionId.of("d1"), ContentId.of("c1"), AccountId.of("u1"), NOW, Optional.empty()));
    out.add(new Appeal("a2", DecisionId.of("d1"), ContentId.of("c1"), AccountId.of("u1"),
        NOW.minus(Duration.ofDays(3650)), Optional.of("late")));
    out.add(new AccountEvent(AccountId.of("u1"), NOW, true, Optional.of("org")));
    return out;
  }

  private static List<Signal> signals(ModerationRequest r) {
    AccountId poster = r instanceof ContentEvent ? ((ContentEvent) r).account() : AccountId.of("u1");
    List<Signal> out = new ArrayList<>();
    for (Category cat : Category.values()) {
      out.add(new Signal.HashMatch("b-" + cat.wireName(), 1, cat, MatchType.PDQ, PDQ, 0, 31, 100, false));
    }
    out.add(new Signal.HashMatch("b", 1, Category.NCII, MatchType.PDQ, PDQ, 31, 31, 0, false));
    out.add(new Signal.HashMatch("b", 1, Category.CSAM, MatchType.PDQ, PDQ, 255, 0, -1, true));
    out.add(new Signal.HashMatch("b", 1, Category.NCII, MatchType.SHA256, "0", 0, 0, -1, false));
    out.add(new Signal.HashMatch("b", Long.MAX_VALUE, Category.SEXUAL_DEEPFAKE, MatchType.MD5, "", 0, 0, -1, true));
    out.add(new Signal.Reports(Target.content(ContentId.of("c1")), Category.NCII, 0, 0, 0, 0, false, "m"));
    out.add(new Signal.Reports(Target.content(ContentId.of("c1")), Category.CSAM, Integer.MAX_VALUE, 1e9, 5, 1, true,
        "m"));
    out.add(new Signal.NoticeCheck("US-TAKE-IT-DOWN", true, List.of(), false));
    out.add(new Signal.NoticeCheck("X", false, List.of("signature"), true));
    out.add(new Signal.Obligation("o1", "US-TAKE-IT-DOWN", "cite", NOW.minus(Duration.ofDays(1)),
        List.of(Duty.values()), Duration.ZERO, Category.NCII));
    out.add(new Signal.Obligation("o2", "EU-DSA-16", "cite", NOW.plus(Duration.ofHours(48)), List.of(),
        Duration.ofDays(3650), Category.OTHER));
    out.add(new Signal.AccountStanding(poster, 0, false, Optional.empty()));
    out.add(new Signal.AccountStanding(poster, Integer.MAX_VALUE, true, Optional.of(Duration.ZERO)));
    out.add(new Signal.RoomActivity(RoomId.of("r1"), 0, Duration.ofHours(24)));
    out.add(new Signal.RoomActivity(RoomId.of("r1"), Integer.MAX_VALUE, Duration.ofNanos(1)));
    out.add(new Signal.ProfilePhotoMatch(poster, ContentId.of("p1"), 0));
    out.add(new Signal.ProfilePhotoMatch(AccountId.of("someone-else"), ContentId.of("p1"), 255));
    out.add(new Signal.ProfilePhotoMatch(AccountId.of("someone-else"), ContentId.of("p1"), 3));
    // the engine's own facts, typed: what it found in a caption, remembered about content, worked out
    // for a notice or an appeal
    out.add(new Signal.TextFindings("content.text", "identifying-details/1(scan=1024)", 0, List.of()));
    out.add(new Signal.TextFindings("content.text", "identifying-details/1(scan=1024)", 64, List.of("name", "age")));
    out.add(new Signal.TextFindings("content.text", "identifying-details/1(scan=1024)", 1024,
        List.of("name", "age", "school", "address", "phone")));
    out.add(new Signal.NotHashed("CorruptContentException: image: truncated"));
    out.add(new Signal.KnownContent(ContentId.of("c1"), Fingerprints.none().withPdq(new Pdq(PdqHash.fromHex(PDQ), 100,
        List.of())), poster, Optional.of(RoomId.of("r1")), Surface.GROUP, false));
    out.add(new Signal.KnownContent(ContentId.of("c1"), Fingerprints.none(), poster, Optional.empty(), Surface.DIRECT,
        true));
    out.add(new Signal.NoticeReceipt("US-TAKE-IT-DOWN", true, false, Optional.of("o1"),
        Optional.of(Signal.ObligationState.OPEN), Optional.of(NOW.plus(Duration.ofHours(48)))));
    out.add(new Signal.NoticeReceipt("EU-DSA-16", true, true, Optional.of("o2"),
        Optional.of(Signal.ObligationState.CLOSED), Optional.of(NOW)));
    out.add(new Signal.NoticeReceipt("X", false, false, Optional.empty(), Optional.empty(), Optional.empty()));
    out.add(new Signal.AppealWindow("a1", DecisionId.of("d1"), true, Optional.of("EU-DSA-16"), "EU-DSA-20",
        "DSA Art. 20", java.time.Period.ofMonths(6), NOW, NOW.plus(Duration.ofDays(183)), true, false,
        Optional.of("o2")));
    out.add(new Signal.AppealWindow("a2", DecisionId.of("d1"), false, Optional.empty(), "PLATFORM-APPEAL", "ToS",
        java.time.Period.ofMonths(6), NOW.minus(Duration.ofDays(3650)), NOW.minus(Duration.ofDays(3400)), false,
        false, Optional.empty()));
    out.add(new Signal.AppealReview("a1", DecisionId.of("d1"), "o2", "EU-DSA-20", "DSA Art. 20", true));
    out.add(new Signal.AppealReview("a1", DecisionId.of("d1"), "o2", "EU-DSA-20", "DSA Art. 20", false));
    out.addAll(reportSignals());
    out.add(new Signal.Custom("host", "x", Map.of()));
    return out;
  }

  /** The reputation model's intake and resolution signals, one of each misuse state and lane. */
  private static List<Signal> reportSignals() {
    Target c1 = Target.content(ContentId.of("c1"));
    List<Signal> out = new ArrayList<>();
    Set<Category> none = Set.of();
    Set<Signal.ReportIntake.Correlation> uncorrelated = Set.of();
    for (Signal.ReportIntake.Misuse m : Signal.ReportIntake.Misuse.values()) {
      out.add(new Signal.ReportIntake(c1, Category.NCII, false, false, m,
          m == Signal.ReportIntake.Misuse.SUSPENDED ? Optional.of(NOW.plus(Duration.ofDays(14))) : Optional.empty(),
          m == Signal.ReportIntake.Misuse.WARNING_NOTICE ? 5 : 0, 1.0 / 3, false, false, false, false,
          Optional.of(NOW.minusSeconds(1)), Optional.empty(), Optional.empty(), false, false, false, none, false,
          false, 1, 1, uncorrelated, Optional.empty(), 0, 0, false, 0));
    }
    // first-party claim escalating an item queued for spam, after a spam verdict
    out.add(new Signal.ReportIntake(c1, Category.NCII, true, false, Signal.ReportIntake.Misuse.NONE, Optional.empty(),
        0, 1.0 / 3, false, true, false, false, Optional.empty(), Optional.of(DecisionId.of("d0")),
        Optional.of(Category.SPAM), false, true, false, Set.of(Category.SPAM), false, false, 3, 1, uncorrelated,
        Optional.of(AccountId.of("u1")), 1, 3, false, 0.33));
    // a wave found late on a queued item, part of a campaign against its owner
    out.add(new Signal.ReportIntake(c1, Category.HARASSMENT, false, false, Signal.ReportIntake.Misuse.NONE,
        Optional.empty(), 0, 0.2, false, true, false, true, Optional.empty(), Optional.of(DecisionId.of("d1")),
        Optional.of(Category.HARASSMENT), false, false, true, none, true, false, Integer.MAX_VALUE, 500,
        EnumSet.allOf(Signal.ReportIntake.Correlation.class), Optional.of(AccountId.of("u1")), 30, 100, true, 1));
    // a trusted flagger reopening a cleared target
    out.add(new Signal.ReportIntake(c1, Category.CSAM, false, false, Signal.ReportIntake.Misuse.NONE, Optional.empty(),
        0, 0.9, true, false, true, true, Optional.empty(), Optional.empty(), Optional.empty(), false, false, false,
        EnumSet.allOf(Category.class), false, true, 0, 0, uncorrelated, Optional.empty(), 0, 0, false, 0.9));
    List<Signal.ReportResolution.MisuseFinding> findings = new ArrayList<>();
    for (Signal.ReportResolution.Step step : Signal.ReportResolution.Step.values()) {
      findings.add(new Signal.ReportResolution.MisuseFinding(ReporterId.of("r-" + step.wireName()),
          step == Signal.ReportResolution.Step.ALERT_OPERATOR, 5, 1, step));
    }
    out.add(new Signal.ReportResolution(c1, Verdict.NOT_VIOLATING, EnumSet.allOf(Category.class), 0, 3, 0, findings));
    out.add(new Signal.ReportResolution(c1, Verdict.VIOLATING, Set.of(Category.NCII), 2, 0, 1, List.of()));
    return out;
  }
}

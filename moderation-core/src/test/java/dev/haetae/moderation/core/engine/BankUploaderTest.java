package dev.haetae.moderation.core.engine;

import static dev.haetae.moderation.core.engine.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.MatchType;
import dev.haetae.moderation.api.Priority;
import dev.haetae.moderation.api.ReporterId;
import dev.haetae.moderation.api.ReviewOutcome;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.Target;
import dev.haetae.moderation.api.UserReport;
import dev.haetae.moderation.api.Verdict;
import dev.haetae.moderation.api.spi.HashBankSource;
import dev.haetae.moderation.api.spi.Policy;
import dev.haetae.moderation.api.spi.Pseudonymizer;
import dev.haetae.moderation.core.audit.AuditLog;
import dev.haetae.moderation.core.audit.LoggedRecord;
import dev.haetae.moderation.core.audit.ProgressListener;
import dev.haetae.moderation.core.audit.Pseudonymizers;
import dev.haetae.moderation.core.audit.ReplayReport;
import dev.haetae.moderation.core.audit.Replayer;
import dev.haetae.moderation.core.effect.Effect;
import dev.haetae.moderation.core.hash.Bank;
import dev.haetae.moderation.core.hash.BankConfig;
import dev.haetae.moderation.core.hash.EntryInfo;
import dev.haetae.moderation.core.policy.PolicyPack;
import dev.haetae.moderation.core.simulate.SettableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The uploader on a platform-bank entry: an entry the engine banks records the keyed pseudonym of
 * the removed content's poster (never the raw id), in the bank, the logged effect and the logged
 * evidence of a report's match; {@code known-ncii@4} and {@code csam@4} act in full on a report-path
 * match only when the reported content's poster is that same account, and otherwise only blur and
 * queue a person, however late the content was posted. Entries without an uploader keep the
 * posting-time rule. Logs replay identically, also under the retired version 3.
 */
class BankUploaderTest {
  private static final String PHOTO = "5a3c96e1f00d4b2a9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c";
  private static final String OTHER = "0f1e2d3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff0";
  private static final Pseudonymizer P = Pseudonymizers.hmacSha256("k1",
      "uploader-test-key-0123456789abcd".getBytes(StandardCharsets.UTF_8));

  private final SettableClock clock = new SettableClock(T0);

  private ModerationEngine engine(Path dir, List<Policy> pack) {
    ModerationEngineBuilder b = ModerationEngine.builder().clock(clock).logDirectory(dir).pseudonymizer(P)
        .policyIsolation(PolicyIsolation.INLINE);
    return (pack == null ? b : b.policyPack(pack)).build();
  }

  private static String pseudonym(String account) {
    return "k1:" + P.pseudonymize("account", account);
  }

  private static Decision report(ModerationEngine e, String reporter, String content, Category c) {
    return e.evaluate(UserReport.of(ReporterId.of(reporter), Target.content(ContentId.of(content)), c));
  }

  private static boolean acted(Decision d) {
    return d.has(Action.Remove.class) || d.has(Action.BlockReupload.class) || d.has(Action.NotifyUser.class)
        || d.has(Action.ReportToAuthority.class);
  }

  private static List<LoggedRecord> records(Path dir) {
    List<LoggedRecord> out = new ArrayList<>();
    AuditLog.open(dir).forEach(ProgressListener.NONE, out::add);
    return out;
  }

  private static <S extends Signal> List<S> logged(Path dir, Decision d, Class<S> type) {
    List<S> out = new ArrayList<>();
    for (LoggedRecord r : records(dir)) {
      if (r.decision().id().equals(d.id())) {
        out.addAll(r.evidence().signals(type));
      }
    }
    return out;
  }

  private static void replaysIdentically(Path dir, List<Policy> pack) {
    ReplayReport r = Replayer.of(pack).replay(AuditLog.open(dir), ProgressListener.NONE);
    assertTrue(r.allIdentical(), r.findings().isEmpty() ? r.toString() : r.findings().get(0).toString());
  }

  /** Bans the abuser's copy on two reviewers' word (four eyes). */
  private static void banAbusersCopy(ModerationEngine e, String copy, Category c) {
    e.evaluate(ReviewOutcome.ofContent(ContentId.of(copy), Verdict.VIOLATING, c).by("first"));
    Decision banked = e.evaluate(ReviewOutcome.ofContent(ContentId.of(copy), Verdict.VIOLATING, c).by("second"));
    assertTrue(banked.has(Action.BlockReupload.class), banked.toString());
  }

  @Test
  void aBankedEntryRecordsItsPostersPseudonymNeverTheRawId(@TempDir Path dir) {
    try (ModerationEngine e = engine(dir, null)) {
      e.evaluate(Fixtures.upload("leak", "abuser-account", "den", PHOTO));
      banAbusersCopy(e, "leak", Category.NCII);
      EntryInfo info = e.banks().find(ModerationEngine.PLATFORM_BANK).orElseThrow().entry(MatchType.PDQ, PHOTO)
          .orElseThrow();
      assertEquals(Optional.of(pseudonym("abuser-account")), info.uploader());
      assertFalse(info.uploader().get().contains("abuser"), info.toString());
      // a copy removed on sight, posted by someone else, does not take the entry over
      clock.advance(Duration.ofHours(1));
      Decision onSight = e.evaluate(Fixtures.upload("reshare", "forwarder", "room", PHOTO));
      assertTrue(onSight.has(Action.Remove.class), onSight.toString());
      assertEquals(Optional.of(pseudonym("abuser-account")), e.banks().find(ModerationEngine.PLATFORM_BANK)
          .orElseThrow().entry(MatchType.PDQ, PHOTO).orElseThrow().uploader());
    }
    List<Optional<String>> uploaders = new ArrayList<>();
    for (LoggedRecord r : records(dir)) {
      for (Effect fx : r.effects()) {
        if (fx instanceof Effect.BankFingerprints) {
          uploaders.add(((Effect.BankFingerprints) fx).uploader());
        }
      }
    }
    assertEquals(List.of(Optional.of(pseudonym("abuser-account")), Optional.of(pseudonym("forwarder"))), uploaders,
        "each logged bank effect names its own poster, pseudonymized");
    replaysIdentically(dir, PolicyPack.defaults());
  }

  @Test
  void herPhotoPostedAfterTheEntryButBeforeThisInstanceHadItOnlyBlursOnAReport(@TempDir Path dir) {
    // another instance banked the abuser's copy at T0; this one follows it two hours late, after she
    // posted her own photo here (so nothing removed it on sight), and the abuser posted a second copy
    Instant bankedElsewhere = clock.instant();
    Decision hers;
    Decision his;
    try (ModerationEngine e = engine(dir, null)) {
      clock.advance(Duration.ofHours(1));
      e.evaluate(Fixtures.upload("her-photo", "victim", "family", PHOTO));
      e.evaluate(Fixtures.upload("second-copy", "abuser-account", "den", PHOTO));
      clock.advance(Duration.ofHours(1));
      followLate(e, PHOTO, Category.NCII, bankedElsewhere, Optional.of(pseudonym("abuser-account")));

      clock.advance(Duration.ofHours(1));
      hers = report(e, "throwaway", "her-photo", Category.NCII);
      assertFalse(acted(hers), "her photo must not be removed on a report: " + hers);
      assertTrue(hers.has(Action.Blur.class), hers.toString());
      assertEquals(Priority.HIGH, hers.action(Action.QueueForReview.class).orElseThrow().priority());
      assertTrue(hers.reasons().stream().anyMatch(r -> r.code().equals("bank_match_other_uploader")),
          hers.reasons().toString());
      assertEquals(0, e.strikes().live(AccountId.of("victim"), clock.instant()));

      his = report(e, "bystander", "second-copy", Category.NCII);
      assertTrue(his.has(Action.Remove.class), "the banked poster's own copy goes: " + his);
    }
    Signal.HashMatch m = logged(dir, hers, Signal.HashMatch.class).get(0);
    assertEquals(Optional.of(pseudonym("abuser-account")), m.uploader());
    assertEquals(Optional.of(pseudonym("victim")), logged(dir, hers, Signal.KnownContent.class).get(0).poster());
    assertEquals(Optional.of(pseudonym("abuser-account")),
        logged(dir, his, Signal.KnownContent.class).get(0).poster());
    replaysIdentically(dir, PolicyPack.defaults());
  }

  @Test
  void underTheRetiredPostingTimeRuleTheSameReportRemovedHerPhotoAndThatLogStillReplays(@TempDir Path dir) {
    List<Policy> v3 = new ArrayList<>();
    for (Policy p : PolicyPack.defaults()) {
      if (!p.id().name().equals("known-ncii") && !p.id().name().equals("csam")) {
        v3.add(p);
      }
    }
    for (Policy p : PolicyPack.retired()) {
      if ((p.id().name().equals("known-ncii") || p.id().name().equals("csam")) && p.id().version().equals("3")) {
        v3.add(p);
      }
    }
    assertEquals(v3.size(), PolicyPack.defaults().size(), "version 3 of both is retired, not lost");
    Instant bankedElsewhere = clock.instant();
    try (ModerationEngine e = engine(dir, v3)) {
      clock.advance(Duration.ofHours(1));
      e.evaluate(Fixtures.upload("her-photo", "victim", "family", PHOTO));
      clock.advance(Duration.ofHours(1));
      followLate(e, PHOTO, Category.NCII, bankedElsewhere, Optional.of(pseudonym("abuser-account")));
      clock.advance(Duration.ofHours(1));
      Decision hers = report(e, "throwaway", "her-photo", Category.NCII);
      assertTrue(hers.has(Action.Remove.class), "version 3 judged by the posting time alone: " + hers);
    }
    // old logs replay identically under the retired versions (the uploader in the evidence is ignored)
    List<Policy> all = new ArrayList<>(PolicyPack.defaults());
    all.addAll(PolicyPack.retired());
    replaysIdentically(dir, all);
  }

  @Test
  void anEntryWithoutAnUploaderKeepsThePostingTimeRule(@TempDir Path dir) {
    Instant hostAdded = clock.instant();
    try (ModerationEngine e = engine(dir, null)) {
      clock.advance(Duration.ofHours(1));
      e.evaluate(Fixtures.upload("late-copy", "someone", "room", PHOTO));
      clock.advance(Duration.ofHours(1));
      followLate(e, PHOTO, Category.NCII, hostAdded, Optional.empty());
      // the older original: posted before the entry (the entry is added after it below)
      e.evaluate(Fixtures.upload("older", "owner", "family", OTHER));
      clock.advance(Duration.ofHours(1));
      followLate(e, OTHER, Category.NCII, clock.instant(), Optional.empty());
      clock.advance(Duration.ofHours(1));
      Decision late = report(e, "r1", "late-copy", Category.NCII);
      assertTrue(late.has(Action.Remove.class), "posted after an entry without an uploader: acts in full: " + late);
      Decision older = report(e, "r2", "older", Category.NCII);
      assertFalse(acted(older), older.toString());
      assertTrue(older.reasons().stream().anyMatch(r -> r.code().equals("bank_match_older_upload")),
          older.reasons().toString());
      assertEquals(Optional.empty(), logged(dir, late, Signal.KnownContent.class).get(0).poster(),
          "no poster pseudonym when no entry records an uploader");
    }
    replaysIdentically(dir, PolicyPack.defaults());
  }

  @Test
  void aCsamEntryReachedThroughAReportOnSomeoneElsesContentIsNeitherRemovedNorReported(@TempDir Path dir) {
    Instant bankedElsewhere = clock.instant();
    try (ModerationEngine e = engine(dir, null)) {
      clock.advance(Duration.ofHours(1));
      e.evaluate(Fixtures.upload("innocent", "parent", "family", OTHER));
      e.evaluate(Fixtures.upload("offending", "offender", "den", OTHER));
      clock.advance(Duration.ofHours(1));
      followLate(e, OTHER, Category.CSAM, bankedElsewhere, Optional.of(pseudonym("offender")));
      clock.advance(Duration.ofHours(1));
      Decision d = report(e, "stranger", "innocent", Category.CSAM);
      assertFalse(acted(d), d.toString());
      assertTrue(d.has(Action.Blur.class), d.toString());
      assertEquals(Priority.URGENT, d.action(Action.QueueForReview.class).orElseThrow().priority());
      assertTrue(d.reasons().stream().anyMatch(r -> r.code().equals("csam_match_other_uploader")),
          d.reasons().toString());
      Decision own = report(e, "stranger-2", "offending", Category.CSAM);
      assertTrue(own.has(Action.ReportToAuthority.class), own.toString());
    }
    replaysIdentically(dir, PolicyPack.defaults());
  }

  /** What a follower does when another instance's entry arrives: applies it at its own addition time. */
  private static void followLate(ModerationEngine e, String pdq, Category c, Instant added, Optional<String> uploader) {
    Bank bank = e.banks().find(ModerationEngine.PLATFORM_BANK)
        .orElseGet(() -> e.banks().define(BankConfig.builder(ModerationEngine.PLATFORM_BANK, c).build()));
    assertTrue(bank.apply(new HashBankSource.Entry(MatchType.PDQ, pdq, HashBankSource.Entry.State.ACTIVE,
        Optional.of(added), Optional.empty(), Optional.of(c), Optional.of("banked on another instance"), uploader)));
  }
}

package dev.haetae.moderation.core.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.Content;
import dev.haetae.moderation.api.ContentEvent;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.ContentKind;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.MatchType;
import dev.haetae.moderation.api.ModerationRequest;
import dev.haetae.moderation.api.Outcome;
import dev.haetae.moderation.api.ReporterId;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.Surface;
import dev.haetae.moderation.api.Target;
import dev.haetae.moderation.api.UserReport;
import dev.haetae.moderation.api.spi.Policy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Seeded properties of the known-content policies. Version 2: a platform-bank match reached
 * through a report out of a flagged wave never removes, blocks, reports to an authority or
 * notifies; it blurs and asks a second review; everything else decides as version 1 did. Version 3:
 * a platform-bank match reached through any report on content the evidence does not show was
 * posted after the entry was added acts at most as blur and a queued review; uploads, and reports
 * on content shown to be posted after the entry, decide as version 2 did. Version 4 (current): on
 * evidence without an entry's uploader it decides as version 3; with one, a report-path
 * platform-bank match acts in full only on content whose poster is the entry's uploader, and
 * otherwise at most blurs and queues, however late the content was posted; uploads decide as
 * version 3.
 */
class BankMatchBoundsPropertyTest {
  private static final int RUNS = Integer.getInteger("haetae.fuzz.runs", 3000);
  private static final Instant NOW = Instant.parse("2026-12-01T09:00:00Z");
  private static final ContentId C = ContentId.of("c1");
  private static final List<Category> CATEGORIES = List.of(Category.NCII, Category.SEXUAL_DEEPFAKE, Category.CSAM,
      Category.TERRORISM, Category.DOXXING, Category.HARASSMENT);

  private static Policy current(String name) {
    return PolicyPack.defaults().stream().filter(p -> p.id().name().equals(name)).findFirst().orElseThrow();
  }

  private static Policy retired(String name) {
    return PolicyPack.retired().stream().filter(p -> p.id().name().equals(name)).findFirst().orElseThrow();
  }

  private static Policy retired(String name, String version) {
    return PolicyPack.retired().stream().filter(p -> p.id().name().equals(name) && p.id().version().equals(version))
        .findFirst().orElseThrow();
  }

  private static Signal.ReportIntake intake(Random r, boolean campaign, boolean reflag, boolean linked) {
    return new Signal.ReportIntake(Target.content(C), Category.NCII, false, false, Signal.ReportIntake.Misuse.NONE,
        Optional.empty(), 0, r.nextDouble(), false, r.nextBoolean(), r.nextBoolean(), r.nextBoolean(),
        Optional.empty(), Optional.empty(), Optional.empty(), false, false, reflag, Set.of(), linked, false,
        r.nextInt(9), r.nextInt(9), Set.of(), Optional.of(AccountId.of("owner")), r.nextInt(9), r.nextInt(9), campaign,
        r.nextDouble());
  }

  @Test
  void flaggedReportsNeverActInFullOnThePlatformBankAlone() {
    Random r = new Random(16);
    int bounded = 0;
    for (int i = 0; i < RUNS; i++) {
      boolean report = r.nextInt(3) > 0;
      ModerationRequest req = report
          ? UserReport.of(ReporterId.of("r" + r.nextInt(5)), Target.content(C), Category.NCII)
          : ContentEvent.upload(Content.of(C, ContentKind.IMAGE, Surface.GROUP), AccountId.of("u1"), RoomId.of("x"));
      List<Signal> signals = new ArrayList<>();
      boolean campaign = r.nextInt(4) == 0;
      boolean reflag = r.nextInt(6) == 0;
      boolean linked = r.nextInt(6) == 0;
      boolean brigading = r.nextInt(4) == 0;
      if (report) {
        signals.add(new Signal.Reports(Target.content(C), Category.NCII, 1 + r.nextInt(9), r.nextDouble() * 3, 0, 0.5,
            brigading, "m"));
        signals.add(intake(r, campaign, reflag, linked));
      }
      boolean external = false;
      for (int m = r.nextInt(4); m > 0; m--) {
        boolean platform = r.nextBoolean();
        external |= !platform;
        Category c = CATEGORIES.get(r.nextInt(CATEGORIES.size()));
        int max = 31;
        signals.add(new Signal.HashMatch(platform ? BankMatches.PLATFORM_BANK : "stopncii", 3, c, MatchType.PDQ,
            String.format("%064x", r.nextInt(1000)), r.nextInt(max + 1), max, r.nextBoolean() ? -1 : r.nextInt(101),
            r.nextInt(5) == 0));
      }
      Evidence ev = new Evidence(NOW, req, signals, Map.of());
      boolean flagged = report && (campaign || reflag || linked || brigading);
      for (String name : List.of(KnownNciiPolicy.NAME, CsamPolicy.NAME)) {
        Outcome now = retired(name, "2").evaluate(ev);
        Outcome before = retired(name, "1").evaluate(ev);
        if (!flagged) {
          assertEquals(before.actions(), now.actions(), "case " + i + " " + name + ": unflagged decides as before");
          continue;
        }
        if (!external) {
          for (Action a : now.actions()) {
            assertFalse(a instanceof Action.Remove || a instanceof Action.BlockReupload
                || a instanceof Action.ReportToAuthority || a instanceof Action.NotifyUser,
                "case " + i + " " + name + ": " + now.actions());
          }
          if (!now.actions().isEmpty()) {
            bounded++;
            assertTrue(now.actions().stream().anyMatch(a -> a instanceof Action.QueueForReview
                && ((Action.QueueForReview) a).lane().equals(PolicyPack.SECOND_REVIEW_LANE)), now.actions().toString());
            assertFalse(now.reasons().isEmpty(), "every bounded outcome states a reason");
          }
        }
      }
    }
    assertTrue(bounded > RUNS / 20, "the generator reaches the bounded case: " + bounded);
  }

  @Test
  void reportsOnContentNotShownToBeNewerThanTheEntryOnlyBlurAndQueue() {
    Random r = new Random(1616);
    Instant added = NOW.minus(java.time.Duration.ofDays(3));
    int bounded = 0;
    int same = 0;
    for (int i = 0; i < RUNS; i++) {
      boolean report = r.nextInt(4) > 0;
      ModerationRequest req = report
          ? UserReport.of(ReporterId.of("r" + r.nextInt(5)), Target.content(C), Category.NCII)
          : ContentEvent.upload(Content.of(C, ContentKind.IMAGE, Surface.GROUP), AccountId.of("u1"), RoomId.of("x"));
      List<Signal> signals = new ArrayList<>();
      if (report) {
        signals.add(new Signal.Reports(Target.content(C), Category.NCII, 1, r.nextDouble(), 0, 0.5, false, "m"));
        signals.add(intake(r, false, false, false));
      }
      // the content's posting time: unknown, before, in the same second as, or after the entry
      int when = r.nextInt(4);
      Optional<Instant> postedAt = when == 0 ? Optional.empty()
          : Optional.of(when == 1 ? added.minusSeconds(1 + r.nextInt(100_000))
              : when == 2 ? added.plusMillis(r.nextInt(1000)) : added.plusSeconds(1 + r.nextInt(100_000)));
      if (report) {
        signals.add(new Signal.KnownContent(C, dev.haetae.moderation.api.Fingerprints.none(), AccountId.of("owner"),
            Optional.empty(), Surface.GROUP, false, postedAt));
      }
      boolean external = false;
      boolean known = r.nextInt(5) > 0; // whether the entries' addition times are in the evidence
      for (int m = r.nextInt(4); m > 0; m--) {
        boolean platform = r.nextBoolean();
        external |= !platform;
        Category c = CATEGORIES.get(r.nextInt(CATEGORIES.size()));
        signals.add(new Signal.HashMatch(platform ? BankMatches.PLATFORM_BANK : "stopncii", 3, c, MatchType.PDQ,
            String.format("%064x", r.nextInt(1000)), r.nextInt(32), 31, r.nextBoolean() ? -1 : r.nextInt(101),
            r.nextInt(5) == 0, known ? Optional.of(added) : Optional.empty()));
      }
      Evidence ev = new Evidence(NOW, req, signals, Map.of());
      boolean newer = when == 3 && known;
      for (String name : List.of(KnownNciiPolicy.NAME, CsamPolicy.NAME)) {
        Outcome now = retired(name, "3").evaluate(ev);
        Outcome before = retired(name, "2").evaluate(ev);
        assertEquals("4", current(name).id().version());
        assertEquals(decided(now), decided(current(name).evaluate(ev)), "case " + i + " " + name
            + ": without an uploader version 4 keeps the posting-time rule");
        if (!report || newer) {
          assertEquals(before.actions(), now.actions(), "case " + i + " " + name + ": decides as version 2");
          same++;
          continue;
        }
        if (!external) {
          for (Action a : now.actions()) {
            assertFalse(a instanceof Action.Remove || a instanceof Action.BlockReupload
                || a instanceof Action.ReportToAuthority || a instanceof Action.NotifyUser,
                "case " + i + " " + name + ": " + now.actions());
          }
          if (!now.actions().isEmpty()) {
            bounded++;
            assertTrue(now.actions().stream().anyMatch(a -> a instanceof Action.QueueForReview)
                && now.actions().stream().anyMatch(a -> a instanceof Action.Blur), now.actions().toString());
            assertTrue(now.reasons().stream().allMatch(x -> x.code().endsWith("_older_upload")),
                now.reasons().toString());
          }
        }
      }
    }
    assertTrue(bounded > RUNS / 10, "the generator reaches the bounded case: " + bounded);
    assertTrue(same > RUNS / 10, "the generator reaches the unchanged case: " + same);
  }

  /** An outcome's actions and reason codes: what two versions of a policy must agree on. */
  private static List<Object> decided(Outcome o) {
    List<Object> out = new ArrayList<>(o.actions());
    o.reasons().forEach(x -> out.add(x.code()));
    return out;
  }

  @Test
  void withAnUploaderAReportPathMatchActsInFullOnlyOnTheBankedPostersOwnContent() {
    Random r = new Random(1604);
    Instant added = NOW.minus(java.time.Duration.ofDays(3));
    List<String> people = List.of("k1:abuser", "k1:victim", "k2:abuser", "k1:reader");
    int bounded = 0;
    int own = 0;
    int uploads = 0;
    for (int i = 0; i < RUNS; i++) {
      boolean report = r.nextInt(4) > 0;
      ModerationRequest req = report
          ? UserReport.of(ReporterId.of("r" + r.nextInt(5)), Target.content(C), Category.NCII)
          : ContentEvent.upload(Content.of(C, ContentKind.IMAGE, Surface.GROUP), AccountId.of("u1"), RoomId.of("x"));
      List<Signal> signals = new ArrayList<>();
      if (report) {
        signals.add(new Signal.Reports(Target.content(C), Category.NCII, 1, r.nextDouble(), 0, 0.5, false, "m"));
        signals.add(intake(r, false, false, false));
      }
      // posted before or after the entry: under version 4 the time no longer matters once the uploader is known
      Optional<Instant> postedAt = Optional.of(r.nextBoolean() ? added.minusSeconds(1 + r.nextInt(100_000))
          : added.plusSeconds(1 + r.nextInt(100_000)));
      Optional<String> poster = r.nextInt(6) == 0 ? Optional.empty()
          : Optional.of(people.get(r.nextInt(people.size())));
      if (report) {
        signals.add(new Signal.KnownContent(C, dev.haetae.moderation.api.Fingerprints.none(), AccountId.of("owner"),
            Optional.empty(), Surface.GROUP, false, postedAt, Optional.empty(), List.of(), poster));
      }
      String uploader = people.get(r.nextInt(2)); // abuser or victim, under key k1
      Category c = CATEGORIES.get(r.nextInt(CATEGORIES.size()));
      Signal.HashMatch m = new Signal.HashMatch(BankMatches.PLATFORM_BANK, 4, c, MatchType.PDQ,
          String.format("%064x", r.nextInt(1000)), r.nextInt(20), 31, r.nextBoolean() ? -1 : 50 + r.nextInt(51),
          false, Optional.of(added), Optional.of(uploader));
      signals.add(m);
      Evidence ev = new Evidence(NOW, req, signals, Map.of());
      boolean same = poster.isPresent() && poster.get().equals(uploader);
      for (String name : List.of(KnownNciiPolicy.NAME, CsamPolicy.NAME)) {
        Outcome now = current(name).evaluate(ev);
        if (!report) {
          assertEquals(decided(retired(name, "3").evaluate(ev)), decided(now), "case " + i + " " + name
              + ": uploads as version 3");
          uploads++;
          continue;
        }
        if (same) {
          // the banked poster's own content: as an upload would be (version 3 on content posted after the entry)
          Signal.KnownContent k = new Signal.KnownContent(C, dev.haetae.moderation.api.Fingerprints.none(),
              AccountId.of("owner"), Optional.empty(), Surface.GROUP, false, Optional.of(added.plusSeconds(5)));
          List<Signal> newer = new ArrayList<>(signals);
          newer.replaceAll(s -> s instanceof Signal.KnownContent ? k : s);
          assertEquals(retired(name, "3").evaluate(new Evidence(NOW, req, newer, Map.of())).actions(), now.actions(),
              "case " + i + " " + name);
          own += now.actions().isEmpty() ? 0 : 1;
          continue;
        }
        for (Action a : now.actions()) {
          assertFalse(a instanceof Action.Remove || a instanceof Action.BlockReupload
              || a instanceof Action.ReportToAuthority || a instanceof Action.NotifyUser,
              "case " + i + " " + name + ": " + now.actions());
        }
        if (!now.actions().isEmpty()) {
          bounded++;
          assertTrue(now.actions().stream().anyMatch(a -> a instanceof Action.QueueForReview)
              && now.actions().stream().anyMatch(a -> a instanceof Action.Blur), now.actions().toString());
          assertTrue(now.reasons().stream().allMatch(x -> x.code().endsWith("_other_uploader")),
              now.reasons().toString());
        }
      }
    }
    assertTrue(bounded > RUNS / 10, "the generator reaches the bounded case: " + bounded);
    assertTrue(own > RUNS / 50, "the generator reaches the banked poster's own content: " + own);
    assertTrue(uploads > RUNS / 10, "the generator reaches uploads: " + uploads);
  }

  @Test
  void theRetiredVersionsKeepTheirIdsSoOldLogsReplay() {
    assertEquals("2", retired(ReviewVerdictPolicy.NAME).id().version());
    assertEquals("1", retired(KnownNciiPolicy.NAME).id().version());
    assertEquals("1", retired(CsamPolicy.NAME).id().version());
    assertEquals(retired(KnownNciiPolicy.NAME).id().configHash(), current(KnownNciiPolicy.NAME).id().configHash());
    assertEquals(BankMatches.PLATFORM_BANK, dev.haetae.moderation.core.engine.ModerationEngine.PLATFORM_BANK);
  }
}

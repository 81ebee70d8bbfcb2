package dev.haetae.moderation.core.reputation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.AccountEvent;
import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.DecisionId;
import dev.haetae.moderation.api.InvalidRequestException;
import dev.haetae.moderation.api.ReporterId;
import dev.haetae.moderation.api.ReporterSanction;
import dev.haetae.moderation.api.ReviewOutcome;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.StoreUnavailableException;
import dev.haetae.moderation.api.Target;
import dev.haetae.moderation.api.UserReport;
import dev.haetae.moderation.api.Verdict;
import dev.haetae.moderation.api.spi.ReportRecord;
import dev.haetae.moderation.api.spi.ReporterRecord;
import dev.haetae.moderation.api.spi.ReputationStore;
import dev.haetae.moderation.core.store.InMemoryReputationStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The model's two halves: what the pure half sees, and that the apply half is idempotent. */
class ReputationModelTest {
  private static final Instant T0 = Instant.parse("2026-12-01T09:00:00Z");
  private final ReputationModel model = ReputationModel.defaults();
  private final InMemoryReputationStore store = new InMemoryReputationStore();
  private Instant now = T0;
  private int decisions;

  private void account(String id, Instant created, String... rooms) {
    List<AccountEvent.RoomJoin> joins = new ArrayList<>();
    for (String r : rooms) {
      joins.add(new AccountEvent.RoomJoin(RoomId.of(r), created.plusSeconds(60)));
    }
    model.account(new AccountEvent(AccountId.of(id), created, false, Optional.empty(), joins), next(), now, store);
  }

  private DecisionId next() {
    return DecisionId.of("d-" + decisions++);
  }

  private static Target content(String id) {
    return Target.content(ContentId.of(id));
  }

  /** A report as the engine takes it: intake, then (as if logged) filed, queued or not. */
  private Signal.ReportIntake report(String reporter, Target t, Category c, boolean firstParty, boolean queued,
      Optional<AccountId> owner) {
    UserReport r = new UserReport(ReporterId.of(reporter), t, c, Optional.empty(), firstParty);
    Signal.ReportIntake in = model.intake(r, now, store, new ReportContext(false, owner)).signal();
    model.file(r, in, next(), queued, now, store);
    return in;
  }

  private Signal.ReportIntake report(String reporter, Target t, Category c, boolean queued) {
    return report(reporter, t, c, false, queued, Optional.empty());
  }

  private Signal.ReportResolution review(Target t, Verdict v, Category c) {
    ReviewOutcome o = new ReviewOutcome(t, v, Optional.ofNullable(c), Optional.empty());
    Signal.ReportResolution res = model.resolution(o, now, store);
    model.applyReview(o, res, next(), now, store);
    return res;
  }

  private ReporterRecord rec(String id) {
    return store.reporter(ReporterId.of(id)).orElseThrow();
  }

  /** Everything the store holds about some reporters and targets, for before/after comparisons. */
  private String snapshot(List<String> reporters, List<Target> targets) {
    Map<String, Object> m = new TreeMap<>();
    for (String r : reporters) {
      m.put("reporter " + r, store.reporter(ReporterId.of(r)));
    }
    for (Target t : targets) {
      m.put("target " + t.id(), store.reports(t));
    }
    return m.toString();
  }

  /** A store that fails every write: the pure half must never write. */
  private static ReputationStore readOnly(ReputationStore s) {
    return new ReputationStore() {
      @Override
      public Optional<ReporterRecord> reporter(ReporterId reporter) {
        return s.reporter(reporter);
      }

      @Override
      public ReporterRecord updateReporter(ReporterId reporter, Instant at, UnaryOperator<ReporterRecord> change) {
        throw new AssertionError("the pure half wrote reporter " + reporter);
      }

      @Override
      public boolean addReport(ReportRecord report) {
        throw new AssertionError("the pure half stored a report");
      }

      @Override
      public List<ReportRecord> reports(Target target) {
        return s.reports(target);
      }

      @Override
      public List<ReportRecord> updateReports(Target target, UnaryOperator<List<ReportRecord>> change) {
        throw new AssertionError("the pure half changed the reports on " + target);
      }
    };
  }

  @Test
  void intakeResolutionAndWeighingReadTheStoreAndWriteNothing() {
    account("a", T0.minus(Duration.ofDays(300)));
    account("owner", T0.minus(Duration.ofDays(900)));
    report("a", content("p"), Category.HARASSMENT, true);
    ReputationStore ro = readOnly(store);
    UserReport b = UserReport.firstParty(ReporterId.of("b"), content("p"), Category.NCII);
    ReportIntake in = model.intake(b, now, ro, new ReportContext(false, Optional.of(AccountId.of("owner"))));
    assertEquals(2, in.reports().reports(), "weighed as if stored");
    assertTrue(in.signal().escalates());
    model.resolution(new ReviewOutcome(content("p"), Verdict.NOT_VIOLATING, Optional.empty(), Optional.empty()), now,
        ro);
    model.weigh(content("p"), now, ro);
    assertEquals(1, store.reports(content("p")).size(), "nothing was stored");
  }

  @Test
  void everyApplyStepChangesNothingWhenCalledAgainForTheSameDecision() {
    account("a", T0.minus(Duration.ofDays(300)));
    account("b", T0.minus(Duration.ofDays(200)));
    account("owner", T0.minus(Duration.ofDays(900)));
    List<String> who = List.of("a", "b", "owner");
    List<Target> what = List.of(content("p"));
    UserReport ra = UserReport.of(ReporterId.of("a"), content("p"), Category.NCII);
    Signal.ReportIntake ia = model.intake(ra, now, store,
        new ReportContext(false, Optional.of(AccountId.of("owner")))).signal();
    DecisionId d1 = next();
    model.file(ra, ia, d1, true, now, store);
    String once = snapshot(who, what);
    model.file(ra, ia, d1, true, now, store);
    assertEquals(once, snapshot(who, what), "file");

    now = now.plusSeconds(60);
    report("b", content("p"), Category.NCII, false);
    now = now.plusSeconds(600);
    ReviewOutcome o = ReviewOutcome.ofContent(ContentId.of("p"), Verdict.VIOLATING, Category.NCII);
    Signal.ReportResolution res = model.resolution(o, now, store);
    DecisionId d2 = next();
    assertEquals(2, model.applyReview(o, res, d2, now, store));
    once = snapshot(who, what);
    assertEquals(2, model.applyReview(o, res, d2, now, store), "the same two, found again");
    assertEquals(once, snapshot(who, what), "applyReview");

    now = now.plusSeconds(600);
    DecisionId d3 = next();
    assertEquals(2, model.reverse(content("p"), now.minusSeconds(1), d3, now, store));
    once = snapshot(who, what);
    assertEquals(2, model.reverse(content("p"), now.minusSeconds(1), d3, now, store));
    assertEquals(once, snapshot(who, what), "reverse");

    AccountEvent e = new AccountEvent(AccountId.of("a"), T0.minus(Duration.ofDays(300)), false, Optional.empty(),
        List.of(new AccountEvent.RoomJoin(RoomId.of("r1"), T0)));
    DecisionId d4 = next();
    model.account(e, d4, now, store);
    once = snapshot(who, what);
    model.account(e, d4, now, store);
    assertEquals(once, snapshot(who, what), "account");

    DecisionId proposal = next();
    store.updateReporter(ReporterId.of("b"), now, r -> r.withSanction(Optional.of(
        new ReporterRecord.Sanction(proposal, ReporterRecord.Sanction.State.PROPOSED))));
    DecisionId d5 = next();
    ReporterSanction confirm = ReporterSanction.by("mod", ReporterSanction.Step.CONFIRM, ReporterId.of("b"), proposal);
    model.applySanction(confirm, d5, now, store);
    once = snapshot(who, what);
    model.applySanction(confirm, d5, now.plusSeconds(5), store);
    assertEquals(once, snapshot(who, what), "sanction");
    DecisionId d6 = next();
    ReporterSanction again = ReporterSanction.by("mod", ReporterSanction.Step.CONFIRM, ReporterId.of("b"), proposal);
    model.applySanction(again, d6, now.plusSeconds(9), store);
    assertEquals(once, snapshot(who, what), "a step the case no longer waits for changes nothing");
  }

  @Test
  void aReviewInterruptedAfterItsClaimIsCompletedWithoutCountingAnyoneTwice() {
    account("a", T0.minus(Duration.ofDays(300)));
    account("b", T0.minus(Duration.ofDays(300)).plus(Duration.ofDays(40)));
    report("a", content("p"), Category.NCII, false);
    report("b", content("p"), Category.NCII, false);
    int[] writes = {0};
    ReputationStore flaky = new ReputationStore() {
      @Override
      public Optional<ReporterRecord> reporter(ReporterId reporter) {
        return store.reporter(reporter);
      }

      @Override
      public ReporterRecord updateReporter(ReporterId reporter, Instant at, UnaryOperator<ReporterRecord> change) {
        if (++writes[0] == 2) {
          throw new StoreUnavailableException("crash (simulated)", null);
        }
        return store.updateReporter(reporter, at, change);
      }

      @Override
      public boolean addReport(ReportRecord report) {
        return store.addReport(report);
      }

      @Override
      public List<ReportRecord> reports(Target target) {
        return store.reports(target);
      }

      @Override
      public List<ReportRecord> updateReports(Target target, UnaryOperator<List<ReportRecord>> change) {
        return store.updateReports(target, change);
      }
    };
    ReviewOutcome o = ReviewOutcome.ofContent(ContentId.of("p"), Verdict.VIOLATING, Category.NCII);
    Signal.ReportResolution res = model.resolution(o, now, flaky);
    DecisionId d = next();
    assertThrows(StoreUnavailableException.class, () -> model.applyReview(o, res, d, now, flaky));
    assertTrue(store.reports(content("p")).stream().allMatch(r -> r.status() == ReportRecord.Status.CONFIRMED
        && r.resolvedBy().equals(Optional.of(d))), "both reports were claimed before the crash");
    assertEquals(1.0, rec("a").confirmed(), 1e-9, "the first reporter was counted before the crash");
    assertEquals(0.0, rec("b").confirmed(), 1e-9, "the second was not");
    assertEquals(2, model.applyReview(o, res, d, now, flaky), "the re-delivery finds what it claimed");
    assertEquals(1.0, rec("a").confirmed(), 1e-9, "and counts nobody twice");
    assertEquals(1.0, rec("b").confirmed(), 1e-9);
  }

  @Test
  void twoDeliveriesOfOneVerdictResolveEachReportOnce() {
    account("a", T0.minus(Duration.ofDays(300)));
    account("b", T0.minus(Duration.ofDays(300)).plus(Duration.ofDays(40)));
    report("a", content("p"), Category.HARASSMENT, false);
    report("b", content("p"), Category.HARASSMENT, false);
    ReviewOutcome o = ReviewOutcome.ofContent(ContentId.of("p"), Verdict.NOT_VIOLATING, null);
    // both instances work the verdict out before either applies it
    Signal.ReportResolution first = model.resolution(o, now, store);
    Signal.ReportResolution second = model.resolution(o, now, store);
    assertEquals(2, model.applyReview(o, first, next(), now, store));
    assertEquals(0, model.applyReview(o, second, next(), now, store), "the other delivery finds nothing to claim");
    assertEquals(1.0, rec("a").rejected(), 1e-9);
    assertEquals(1.0, rec("b").rejected(), 1e-9);
    assertEquals(1, rec("a").unfounded().size());
  }

  @Test
  void aVerdictResolvesOnlyTheClaimsItCoversAndClearedIsPerHarm() {
    account("ring", T0.minus(Duration.ofDays(300)));
    account("victim", T0.minus(Duration.ofDays(1)));
    report("ring", content("img"), Category.SPAM, true);
    Signal.ReportIntake v = report("victim", content("img"), Category.NCII, true, true, Optional.empty());
    assertTrue(v.escalates(), "an NCII claim on an item queued for spam escalates it");
    assertEquals(Optional.of(Category.SPAM), v.attachedCategory());
    Signal.ReportResolution res = review(content("img"), Verdict.NOT_VIOLATING, Category.SPAM);
    assertEquals(1, res.rejected());
    assertEquals(1, res.untouched(), "the NCII claim stays pending");
    Map<ReporterId, ReportRecord.Status> status = new TreeMap<>((x, y) -> x.value().compareTo(y.value()));
    store.reports(content("img")).forEach(r -> status.put(r.reporter(), r.status()));
    assertEquals(ReportRecord.Status.REJECTED, status.get(ReporterId.of("ring")));
    assertEquals(ReportRecord.Status.PENDING, status.get(ReporterId.of("victim")));
    assertEquals(0, rec("victim").rejected(), 1e-9);
    Signal.ReportIntake later = model.intake(UserReport.of(ReporterId.of("x"), content("img"), Category.HARASSMENT),
        now, store, ReportContext.none()).signal();
    assertEquals(java.util.Set.of(Category.SPAM), later.cleared());
  }

  @Test
  void aReportThatOnlyAttachedEarnsTheAttachCreditAndClustersShareTheirs() {
    account("opener", T0.minus(Duration.ofDays(900)));
    for (int i = 0; i < 3; i++) {
      account("pile-" + i, T0.minus(Duration.ofDays(100 + 50 * i)));
    }
    report("opener", content("p"), Category.NCII, true);
    for (int i = 0; i < 3; i++) {
      now = now.plusSeconds(10);
      report("pile-" + i, content("p"), Category.NCII, false);
    }
    now = now.plusSeconds(600);
    review(content("p"), Verdict.VIOLATING, Category.NCII);
    assertEquals(1.0, rec("opener").confirmed(), 1e-9);
    for (int i = 0; i < 3; i++) {
      assertEquals(0.1, rec("pile-" + i).confirmed(), 1e-9, "pile-" + i);
    }
    // three accounts created together that report before anything is queued share one credit
    for (int i = 0; i < 3; i++) {
      account("bulk-" + i, T0.minus(Duration.ofDays(60)).plusSeconds(600L * i));
      report("bulk-" + i, content("q"), Category.NCII, false);
    }
    now = now.plusSeconds(600);
    review(content("q"), Verdict.VIOLATING, Category.NCII);
    for (int i = 0; i < 3; i++) {
      assertEquals(1.0 / 3, rec("bulk-" + i).confirmed(), 1e-9, "bulk-" + i);
    }
  }

  @Test
  void misuseIsARateOverAMinimumCountAndATrustedFlaggerIsOnlyAlertedAbout() {
    account("accurate", T0.minus(Duration.ofDays(500)));
    account("troll", T0.minus(Duration.ofDays(500)));
    model.account(new AccountEvent(AccountId.of("centre"), T0.minus(Duration.ofDays(500)), true,
        Optional.of("centre")), next(), now, store);
    for (int i = 0; i < 20; i++) {
      now = now.plusSeconds(3600);
      report("accurate", content("good-" + i), Category.NCII, true);
      review(content("good-" + i), Verdict.VIOLATING, Category.NCII);
    }
    List<Signal.ReportResolution.Step> accurate = new ArrayList<>();
    List<Signal.ReportResolution.Step> troll = new ArrayList<>();
    List<Signal.ReportResolution.Step> centre = new ArrayList<>();
    List<Signal.ReportIntake.Misuse> told = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      now = now.plusSeconds(3600);
      for (String who : List.of("accurate", "troll", "centre")) {
        Signal.ReportIntake in = report(who, content(who + "-bad-" + i), Category.HARASSMENT, true);
        if (who.equals("troll")) {
          told.add(in.misuse());
        }
        Signal.ReportResolution res = review(content(who + "-bad-" + i), Verdict.NOT_VIOLATING, null);
        List<Signal.ReportResolution.Step> into = who.equals("accurate") ? accurate : who.equals("troll") ? troll
            : centre;
        res.misuse().forEach(f -> into.add(f.step()));
      }
    }
    assertEquals(List.of(), accurate, "8 unfounded of 28 is under the share");
    assertEquals(List.of(Signal.ReportResolution.Step.WARN), troll, "warned at the fifth; not yet again");
    assertEquals(List.of(Signal.ReportResolution.Step.ALERT_OPERATOR), centre);
    assertEquals(1, rec("troll").warnings());
    assertEquals(0, rec("centre").warnings());
    assertTrue(rec("centre").suspendedUntil().isEmpty());
    // the warning, taken on the fifth rejection's review, is told on the next report, once
    Signal.ReportIntake.Misuse none = Signal.ReportIntake.Misuse.NONE;
    assertEquals(List.of(none, none, none, none, none, Signal.ReportIntake.Misuse.WARNING_NOTICE, none, none), told);
  }

  @Test
  void manyTargetsOfOneOwnerReportedByManyReportersWithoutARecordAreOneCampaign() {
    account("her", T0.minus(Duration.ofDays(900)));
    Optional<AccountId> her = Optional.of(AccountId.of("her"));
    List<Signal.ReportIntake> seen = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      account("d-" + i, T0.minus(Duration.ofDays(40 + 3L * i)));
      now = now.plusSeconds(1800);
      seen.add(report("d-" + i, content("her-post-" + (i % 5)), Category.HARASSMENT, false, false, her));
    }
    assertFalse(seen.get(4).campaign(), "five reporters are not yet a campaign");
    assertTrue(seen.get(5).campaign(), "six reporters over five of her posts are");
    assertEquals(5, seen.get(7).campaignTargets());
    assertEquals(8, seen.get(7).campaignReporters());
  }

  @Test
  void aVictimIsNotClusteredWithTheFriendsWhoBackHer() {
    account("victim", T0.minus(Duration.ofDays(1)));
    account("friend-1", T0.minus(Duration.ofDays(2)));
    account("friend-2", T0.minus(Duration.ofDays(2)).plusSeconds(3000));
    report("victim", content("img"), Category.NCII, true, true, Optional.empty());
    now = now.plusSeconds(60);
    report("friend-1", content("img"), Category.NCII, false);
    now = now.plusSeconds(60);
    Signal.ReportIntake last = report("friend-2", content("img"), Category.NCII, false);
    assertEquals(2, last.largestCluster());
    assertFalse(model.weigh(content("img"), now, store).brigadingSuspected());
    // the same three as ordinary reports are a cluster of three
    account("x-0", T0.minus(Duration.ofDays(1)));
    report("x-0", content("img-2"), Category.NCII, false);
    now = now.plusSeconds(60);
    report("friend-1", content("img-2"), Category.NCII, false);
    now = now.plusSeconds(60);
    report("friend-2", content("img-2"), Category.NCII, false);
    assertTrue(model.weigh(content("img-2"), now, store).brigadingSuspected());
  }

  @Test
  void reportersWhoReportedOtherTargetsTogetherAreLinkedATrackRecordNeedsTwoTargets() {
    for (String a : List.of("u1", "u2")) {
      account(a, T0.minus(Duration.ofDays(a.equals("u1") ? 100 : 300)));
    }
    report("u1", content("elsewhere-1"), Category.SPAM, false);
    now = now.plusSeconds(120);
    report("u2", content("elsewhere-1"), Category.SPAM, false);
    now = now.plusSeconds(86_400);
    report("u1", content("p"), Category.HARASSMENT, false);
    Signal.ReportIntake in = report("u2", content("p"), Category.HARASSMENT, false);
    assertEquals(2, in.largestCluster());
    assertTrue(in.correlation().contains(Signal.ReportIntake.Correlation.REPORTED_ELSEWHERE_TOGETHER));
  }

  @Test
  void coordinationFoundAfterTheItemWasQueuedFlagsItOnce() {
    account("first", T0.minus(Duration.ofDays(900)));
    report("first", content("p"), Category.HARASSMENT, true);
    List<Boolean> reflags = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      account("young-" + i, now.minus(Duration.ofHours(2)));
      now = now.plusSeconds(30);
      reflags.add(report("young-" + i, content("p"), Category.HARASSMENT, false).reflag());
    }
    assertEquals(List.of(false, false, true, false, false), reflags, "the third young account makes a cluster");
  }

  @Test
  void aLoneReportThatWaitsIsDueForARecheck() {
    account("lone", T0.minus(Duration.ofDays(400)));
    Signal.ReportIntake in = report("lone", content("p"), Category.HARASSMENT, false);
    assertFalse(in.corroborated());
    assertEquals(Optional.of(now.plus(Duration.ofHours(24))), in.recheckAt());
  }

  @Test
  @SuppressWarnings("deprecation") // the host path outside the log still refuses a trusted flagger
  void aTrustedFlaggerCannotBeSuspendedByTheModel() {
    model.account(new AccountEvent(AccountId.of("centre"), T0.minus(Duration.ofDays(500)), true,
        Optional.of("centre")), next(), now, store);
    InvalidRequestException refused = assertThrows(InvalidRequestException.class, () -> model.checkSanction(
        ReporterSanction.by("mod", ReporterSanction.Step.CONFIRM, ReporterId.of("centre"), next()), store));
    assertEquals("sanction.reporter", refused.field());
    assertTrue(refused.getMessage().contains("22(6)"), refused.getMessage());
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> model.suspend(ReporterId.of("centre"), next(), now, store));
    assertTrue(e.getMessage().contains("22(6)"), e.getMessage());
  }
}

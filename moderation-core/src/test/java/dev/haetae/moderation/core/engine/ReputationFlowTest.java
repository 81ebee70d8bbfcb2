package dev.haetae.moderation.core.engine;

import static dev.haetae.moderation.core.engine.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.AccountEvent;
import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.DecisionId;
import dev.haetae.moderation.api.InvalidRequestException;
import dev.haetae.moderation.api.MatchType;
import dev.haetae.moderation.api.Priority;
import dev.haetae.moderation.api.Reason;
import dev.haetae.moderation.api.ReporterId;
import dev.haetae.moderation.api.ReporterSanction;
import dev.haetae.moderation.api.ReviewOutcome;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.Target;
import dev.haetae.moderation.api.UserReport;
import dev.haetae.moderation.api.Verdict;
import dev.haetae.moderation.api.spi.ReporterRecord;
import dev.haetae.moderation.core.reputation.ReportContext;
import dev.haetae.moderation.core.reputation.ReporterStanding;
import dev.haetae.moderation.core.reputation.ReputationModel;
import dev.haetae.moderation.core.simulate.SettableClock;
import dev.haetae.moderation.core.store.InMemoryReputationStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The five reputation scenarios of the issue, and intake rules, through a real engine. */
class ReputationFlowTest {
  private static final String NCII_PDQ = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";
  private static final String NCII_PDQ_NEAR = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b23";

  private final SettableClock clock = new SettableClock(T0);
  private final RecordingLog log = new RecordingLog(new CopyOnWriteArrayList<>());
  private final InMemoryReputationStore store = new InMemoryReputationStore();

  private ModerationEngine engine() {
    return ModerationEngine.builder().clock(clock).decisionLog(log).reputationStore(store).build();
  }

  private static UserReport report(String reporter, String content, Category c) {
    return UserReport.of(ReporterId.of(reporter), Target.content(ContentId.of(content)), c);
  }

  private static AccountEvent account(String id, Instant created, String... rooms) {
    List<AccountEvent.RoomJoin> joins = new ArrayList<>();
    for (String r : rooms) {
      joins.add(new AccountEvent.RoomJoin(RoomId.of(r), created.plus(Duration.ofHours(1))));
    }
    return new AccountEvent(AccountId.of(id), created, false, Optional.empty(), joins);
  }

  private static boolean restricts(Decision d) {
    return d.has(Action.Remove.class) || d.has(Action.RestrictForwarding.class) || d.has(Action.Blur.class)
        || d.has(Action.SuspendAccount.class) || d.has(Action.BlockReupload.class);
  }

  /** Gives a reporter a good record: {@code n} confirmed reports on throwaway content. */
  private void goodRecord(ModerationEngine engine, String reporter, int n) {
    engine.evaluate(account(reporter, T0.minus(Duration.ofDays(900))));
    for (int i = 0; i < n; i++) {
      String c = reporter + "-past-" + i;
      engine.evaluate(Fixtures.upload(c, "someone", "r9", "00000000000000000000000000000000000000000000000000000000"
          + String.format("%08x", (reporter.hashCode() * 31 + i))));
      engine.evaluate(report(reporter, c, Category.HARASSMENT));
      clock.advance(Duration.ofMinutes(1));
      engine.evaluate(ReviewOutcome.ofContent(ContentId.of(c), Verdict.VIOLATING, Category.HARASSMENT));
    }
  }

  private List<Decision> reportDecisions(String content) {
    List<Decision> out = new ArrayList<>();
    for (RecordingLog.Entry e : log.entries) {
      if (e.evidence().request() instanceof UserReport
          && ((UserReport) e.evidence().request()).target().id().equals(content)) {
        out.add(e.decision());
      }
    }
    return out;
  }

  private static void assertOneBrigadingItemAndNoRestriction(List<Decision> decisions) {
    assertEquals(500, decisions.size());
    List<Action.QueueForReview> queued = new ArrayList<>();
    for (Decision d : decisions) {
      assertFalse(restricts(d), d.toString());
      d.action(Action.QueueForReview.class).ifPresent(queued::add);
    }
    assertEquals(1, queued.size(), queued.toString());
    assertTrue(queued.get(0).brigadingSuspected(), queued.toString());
    assertEquals("brigading", queued.get(0).lane());
  }

  @Test
  void scenario1FiveHundredFreshAccountsWithinTenMinutesQueueOneFlaggedItem() {
    try (ModerationEngine engine = engine()) {
      engine.evaluate(Fixtures.upload("post", "journalist", "news", NCII_PDQ.replace('f', '1')));
      for (int i = 0; i < 500; i++) {
        clock.set(T0.plus(Duration.ofHours(1)).plusMillis(i * 1200L));
        engine.evaluate(account("fresh-" + i, clock.instant().minus(Duration.ofMinutes(30))));
        engine.evaluate(report("fresh-" + i, "post", Category.SEXUAL_DEEPFAKE));
      }
      assertOneBrigadingItemAndNoRestriction(reportDecisions("post"));
      Signal.Reports last = log.entries.get(log.entries.size() - 1).evidence().signals(Signal.Reports.class).get(0);
      assertTrue(last.brigadingSuspected());
      assertEquals(500, last.reports());
      assertTrue(last.weight() < 0.5, "500 correlated reports weigh as one cluster: " + last.weight());

      // the moderator clears the post; the wave goes on and does not reopen it
      clock.advance(Duration.ofMinutes(30));
      engine.evaluate(ReviewOutcome.ofContent(ContentId.of("post"), Verdict.NOT_VIOLATING, null));
      for (int i = 500; i < 600; i++) {
        clock.advance(Duration.ofSeconds(2));
        engine.evaluate(account("fresh-" + i, clock.instant().minus(Duration.ofMinutes(30))));
        Decision d = engine.evaluate(report("fresh-" + i, "post", Category.SEXUAL_DEEPFAKE));
        assertFalse(d.has(Action.QueueForReview.class) || restricts(d), d.toString());
        assertEquals("already_reviewed", d.reasons().get(0).code());
      }
    }
  }

  @Test
  void scenario2TheSameWaveOverADayFromAgedQuietAccountsQueuesOneFlaggedItem() {
    try (ModerationEngine engine = engine()) {
      engine.evaluate(Fixtures.upload("post", "journalist", "news", NCII_PDQ.replace('f', '1')));
      // accounts bought in bulk: created within a few hours of each other 200 days ago, dormant since,
      // they joined the journalist's channel over the day before reporting
      Instant created = T0.minus(Duration.ofDays(200));
      for (int i = 0; i < 500; i++) {
        engine.evaluate(new AccountEvent(AccountId.of("aged-" + i), created.plusSeconds(i * 20L), false,
            Optional.empty(), List.of(new AccountEvent.RoomJoin(RoomId.of("news"), T0.plusSeconds(i * 60L)))));
      }
      for (int i = 0; i < 500; i++) {
        clock.set(T0.plus(Duration.ofHours(1)).plusSeconds(i * 172L));
        engine.evaluate(report("aged-" + i, "post", Category.HARASSMENT));
      }
      assertOneBrigadingItemAndNoRestriction(reportDecisions("post"));
      Set<Signal.ReportIntake.Correlation> correlation = lastIntake().correlation();
      assertTrue(correlation.contains(Signal.ReportIntake.Correlation.CREATED_TOGETHER)
          && correlation.contains(Signal.ReportIntake.Correlation.JOINED_TOGETHER), correlation.toString());
    }
  }

  @Test
  void scenario3AVictimAndTwoGoodReportersOfAnNciiBankMatchRemoveOnThatEvaluation() {
    try (ModerationEngine engine = engine()) {
      goodRecord(engine, "good-1", 3);
      goodRecord(engine, "good-2", 3);
      engine.evaluate(account("victim", T0.minus(Duration.ofDays(800))));
      engine.evaluate(Fixtures.upload("img", "abuser", "room-x", NCII_PDQ_NEAR));
      engine.banks().add("stopncii", Category.NCII, MatchType.PDQ, NCII_PDQ);
      clock.advance(Duration.ofMinutes(5));
      Decision first = engine.evaluate(report("victim", "img", Category.NCII));
      assertTrue(first.has(Action.Remove.class), first.toString());
      assertTrue(first.has(Action.BlockReupload.class));
      Decision second = engine.evaluate(report("good-1", "img", Category.NCII));
      Decision third = engine.evaluate(report("good-2", "img", Category.NCII));
      for (Decision d : List.of(second, third)) {
        assertFalse(d.has(Action.QueueForReview.class), d.toString());
        assertTrue(d.reasons().stream().anyMatch(r -> r.code().equals("already_removed")), d.toString());
      }
    }
  }

  @Test
  void scenario4ATrustedFlaggersNoticeIsQueuedAheadOfOlderOrdinaryReports() {
    try (ModerationEngine engine = engine()) {
      goodRecord(engine, "good-1", 3);
      goodRecord(engine, "good-2", 3);
      engine.evaluate(new AccountEvent(AccountId.of("centre"), T0.minus(Duration.ofDays(30)), true,
          Optional.of("Digital sexual crime victim support centre")));
      for (String c : List.of("a", "b", "c")) {
        engine.evaluate(Fixtures.upload(c, "u1", "r1", NCII_PDQ.replace('f', c.charAt(0))));
      }
      record Item(Instant at, Action.QueueForReview review, String target) {}
      List<Item> queue = new ArrayList<>();
      clock.advance(Duration.ofMinutes(1));
      queue.add(new Item(clock.instant(), engine.evaluate(report("good-1", "a", Category.NCII))
          .action(Action.QueueForReview.class).get(), "a"));
      clock.advance(Duration.ofMinutes(1));
      queue.add(new Item(clock.instant(), engine.evaluate(report("good-2", "b", Category.HARASSMENT))
          .action(Action.QueueForReview.class).get(), "b"));
      clock.advance(Duration.ofMinutes(30));
      Decision flagged = engine.evaluate(report("centre", "c", Category.SEXUAL_DEEPFAKE));
      queue.add(new Item(clock.instant(), flagged.action(Action.QueueForReview.class).get(), "c"));
      assertEquals(Priority.URGENT, queue.get(2).review().priority());
      assertEquals("trusted_flagger", queue.get(2).review().lane());
      assertEquals(0.9, queue.get(2).review().score(), 1e-9, "a trusted flagger's credibility, a severe harm");
      // a host queue: priority first, then age
      queue.sort(Comparator.comparing((Item i) -> i.review().priority()).reversed().thenComparing(Item::at));
      assertEquals("c", queue.get(0).target());

      // a trusted flagger's report on a target ordinary reports already queued moves it to the priority lane
      Decision onA = engine.evaluate(report("centre", "a", Category.NCII));
      assertEquals("trusted_flagger", onA.action(Action.QueueForReview.class).get().lane());

      // their accuracy is still tracked
      clock.advance(Duration.ofHours(1));
      engine.evaluate(ReviewOutcome.ofContent(ContentId.of("c"), Verdict.NOT_VIOLATING, null));
      ReputationModel model = ReputationModel.defaults();
      ReporterRecord centre = store.reporter(ReporterId.of("centre")).get();
      ReporterStanding s = model.standing(centre, clock.instant());
      assertTrue(s.trustedFlagger());
      assertEquals(0.0, s.accuracy().get(), 1e-9);
      assertTrue(s.credibility() < model.priorMean(true));
    }
  }

  @Test
  void scenario5MisuseIsARateStepsRideOnReviewsAndAPersonConfirmsTheSuspension() {
    ReputationModel model = ReputationModel.defaults();
    try (ModerationEngine engine = engine()) {
      engine.evaluate(account("troll", T0.minus(Duration.ofDays(300))));
      int[] n = {0};
      List<Decision> reviews = new ArrayList<>();
      java.util.function.Supplier<Decision> rejectedReport = () -> {
        String c = "t" + n[0]++;
        engine.evaluate(Fixtures.upload(c, "victim", "r1",
            "00000000000000000000000000000000000000000000000000000000" + String.format("%08x", n[0])));
        Decision d = engine.evaluate(report("troll", c, Category.HARASSMENT));
        clock.advance(Duration.ofHours(1));
        reviews.add(engine.evaluate(ReviewOutcome.ofContent(ContentId.of(c), Verdict.NOT_VIOLATING, null)));
        clock.advance(Duration.ofHours(5));
        return d;
      };
      for (int i = 0; i < 4; i++) {
        assertTrue(codes(rejectedReport.get()).stream().noneMatch(c -> c.startsWith("reporter_")));
        assertTrue(codes(reviews.get(i)).stream().noneMatch(c -> c.startsWith("reporter_")));
      }
      // the fifth rejection crosses the line (5 unfounded, all of them): the review decision warns
      assertTrue(codes(rejectedReport.get()).stream().noneMatch(c -> c.startsWith("reporter_")));
      Decision warning = reviews.get(4);
      Reason w = warning.reasons().stream().filter(r -> r.code().equals("reporter_warning")).findFirst()
          .orElseThrow(() -> new AssertionError(warning.toString()));
      assertTrue(w.ground().get().citation().contains("Art. 23"));
      assertEquals(1, store.reporter(ReporterId.of("troll")).get().warnings());
      // the next report tells the reporter, and is processed like any other
      Decision told = rejectedReport.get();
      assertTrue(codes(told).contains("reporter_warning_notice"), told.toString());
      assertEquals(Action.Recipient.REPORTERS, told.action(Action.NotifyUser.class).get().recipient());
      assertEquals(1, lastReportsOf(told).reports(), "the report that carries the notice is weighed");
      for (int i = 0; i < 3; i++) {
        assertTrue(codes(rejectedReport.get()).stream().noneMatch(c -> c.startsWith("reporter_")));
      }
      // over the line again after the warning: a person is asked; nothing is suspended yet
      rejectedReport.get();
      Decision proposal = reviews.get(reviews.size() - 1);
      assertTrue(codes(proposal).contains("reporter_suspension_proposed"), proposal.toString());
      assertEquals("report_misuse", proposal.action(Action.QueueForReview.class).get().lane());
      assertTrue(store.reporter(ReporterId.of("troll")).get().suspendedUntil().isEmpty());
      // a person confirms, through the engine: logged, then applied
      Instant confirmed = clock.instant();
      ReporterSanction confirm = ReporterSanction.by("moderator-1", ReporterSanction.Step.CONFIRM,
          ReporterId.of("troll"), proposal.id());
      assertTrue(codes(engine.evaluate(confirm)).contains("reporter_suspension_confirmed"));
      clock.advance(Duration.ofSeconds(60));
      assertThrows(InvalidRequestException.class, () -> engine.evaluate(confirm), "the case has moved on");
      Instant until = store.reporter(ReporterId.of("troll")).get().suspendedUntil().get();
      assertEquals(confirmed.plus(Duration.ofDays(14)), until, "confirming twice changes nothing");
      // while suspended: recorded, not weighed; a severe claim is still queued, at low priority
      engine.evaluate(Fixtures.upload("s0", "victim", "r1", NCII_PDQ.replace('f', '6')));
      Decision mild = engine.evaluate(report("troll", "s0", Category.HARASSMENT));
      assertEquals(List.of("reporter_suspended"), codes(mild));
      assertEquals(List.of(new Action.Allow()), mild.actions());
      engine.evaluate(Fixtures.upload("s1", "victim", "r1", NCII_PDQ.replace('f', '7')));
      Decision during = engine.evaluate(report("troll", "s1", Category.NCII));
      assertEquals(List.of("reporter_suspended"), codes(during));
      assertEquals(0, lastReports().reports(), "a suspended reporter's report is not weighed");
      assertEquals(Priority.LOW, during.action(Action.QueueForReview.class).get().priority());
      assertEquals("suspended_reporter", during.action(Action.QueueForReview.class).get().lane());
      // after the period: restored, weighed again
      clock.set(until.plus(Duration.ofMinutes(1)));
      engine.evaluate(Fixtures.upload("s2", "victim", "r1", NCII_PDQ.replace('f', '8')));
      Decision after = engine.evaluate(report("troll", "s2", Category.NCII));
      assertTrue(codes(after).contains("reporter_restored"), after.toString());
      assertEquals(1, lastReports().reports());
      assertTrue(store.reporter(ReporterId.of("troll")).get().suspendedUntil().isEmpty());
    }
  }

  @Test
  void aTrustedFlaggerIsNeverWarnedOrSuspendedTheOperatorIsAlerted() {
    ReputationModel model = ReputationModel.defaults();
    try (ModerationEngine engine = engine()) {
      engine.evaluate(new AccountEvent(AccountId.of("centre"), T0.minus(Duration.ofDays(30)), true,
          Optional.of("centre")));
      List<Decision> all = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        String c = "b" + i;
        engine.evaluate(Fixtures.upload(c, "ring", "r1",
            "00000000000000000000000000000000000000000000000000000000" + String.format("%08x", 100 + i)));
        all.add(engine.evaluate(report("centre", c, Category.NCII)));
        clock.advance(Duration.ofHours(1));
        all.add(engine.evaluate(ReviewOutcome.ofContent(ContentId.of(c), Verdict.NOT_VIOLATING, null)));
      }
      long alerts = all.stream().filter(d -> codes(d).contains("trusted_flagger_precision")).count();
      assertEquals(1, alerts, "one alert within the validity period");
      Decision alert = all.stream().filter(d -> codes(d).contains("trusted_flagger_precision")).findFirst().get();
      assertEquals("trusted_flagger_precision", alert.action(Action.QueueForReview.class).get().lane());
      assertTrue(alert.reasons().stream().anyMatch(r -> r.ground().map(g -> g.citation().contains("22(6)"))
          .orElse(false)));
      for (Decision d : all) {
        assertTrue(codes(d).stream().noneMatch(c -> c.startsWith("reporter_")), d.toString());
      }
      InvalidRequestException refused = assertThrows(InvalidRequestException.class, () -> engine.evaluate(
          ReporterSanction.by("moderator-1", ReporterSanction.Step.CONFIRM, ReporterId.of("centre"),
              DecisionId.of("person-2"))));
      assertEquals("sanction.reporter", refused.field());
    }
  }

  @Test
  @SuppressWarnings("deprecation") // the host path outside the log, kept for hosts without an engine
  void anUpheldAppealLiftsASuspension() {
    ReputationModel model = ReputationModel.builder().misuse(1, Duration.ofDays(30), Duration.ofDays(90),
        Duration.ofDays(14)).build();
    ReporterId r = ReporterId.of("appellant");
    store.updateReporter(r, T0, cur -> new ReporterRecord(r, Optional.of(T0.minus(Duration.ofDays(99))), false, 0,
        3, T0, 1, Optional.of(T0.plus(Duration.ofDays(14))), List.of(), List.of(), Optional.of(T0)));
    UserReport any = report("appellant", "x", Category.SPAM);
    assertEquals(Signal.ReportIntake.Misuse.SUSPENDED,
        model.intake(any, T0.plusSeconds(1), store, ReportContext.none()).signal().misuse());
    ReporterRecord after = model.upholdAppeal(r, T0.plusSeconds(2), store);
    assertTrue(after.suspendedUntil().isEmpty());
    assertEquals(0, after.warnings());
    assertEquals(Signal.ReportIntake.Misuse.NONE,
        model.intake(any, T0.plusSeconds(3), store, ReportContext.none()).signal().misuse());
  }

  private Signal.ReportIntake lastIntake() {
    return log.entries.get(log.entries.size() - 1).evidence().signals(Signal.ReportIntake.class).get(0);
  }

  private Signal.Reports lastReportsOf(Decision d) {
    return log.entries.stream().filter(e -> e.decision().id().equals(d.id())).findFirst().get().evidence()
        .signals(Signal.Reports.class).get(0);
  }

  private Signal.Reports lastReports() {
    return log.entries.get(log.entries.size() - 1).evidence().signals(Signal.Reports.class).get(0);
  }

  private static List<String> codes(Decision d) {
    return d.reasons().stream().map(Reason::code).toList();
  }

  @Test
  void duplicateReportsCountOnceAndLaterReportsAttachToTheQueuedDecision() {
    try (ModerationEngine engine = engine()) {
      goodRecord(engine, "good-1", 3);
      goodRecord(engine, "good-2", 3);
      engine.evaluate(Fixtures.upload("x"));
      Decision first = engine.evaluate(report("good-1", "x", Category.HARASSMENT));
      assertTrue(first.has(Action.QueueForReview.class));
      Decision again = engine.evaluate(report("good-1", "x", Category.HARASSMENT));
      assertEquals(1, lastReports().reports());
      assertTrue(lastIntake().duplicate());
      assertFalse(again.has(Action.QueueForReview.class));
      Decision other = engine.evaluate(report("good-2", "x", Category.HARASSMENT));
      assertFalse(other.has(Action.QueueForReview.class));
      assertTrue(other.reasons().get(0).explanation().contains(first.id().value()), other.toString());
      // after the verdict, a new report may queue again
      clock.advance(Duration.ofHours(1));
      engine.evaluate(ReviewOutcome.ofContent(ContentId.of("x"), Verdict.NOT_VIOLATING, null));
      goodRecord(engine, "good-3", 3);
      assertTrue(engine.evaluate(report("good-3", "x", Category.HARASSMENT)).has(Action.QueueForReview.class));
    }
  }

  @Test
  void onlyReviewsAfterAReportMoveItsReportersCredibility() {
    try (ModerationEngine engine = engine()) {
      engine.evaluate(Fixtures.upload("y"));
      engine.evaluate(ReviewOutcome.ofContent(ContentId.of("y"), Verdict.VIOLATING, Category.SPAM));
      clock.advance(Duration.ofMinutes(1));
      engine.evaluate(report("late", "y", Category.SPAM));
      ReporterRecord r = store.reporter(ReporterId.of("late")).orElse(ReporterRecord.unknown(ReporterId.of("late"), T0));
      assertEquals(0.0, r.confirmed());
      assertEquals(0.0, r.rejected());
      assertEquals(dev.haetae.moderation.api.spi.ReportRecord.Status.PENDING,
          store.reports(Target.content(ContentId.of("y"))).get(0).status());
    }
  }

  @Test
  void aSingleNewAccountWaitsForCorroborationButAnEstablishedReporterOfSevereHarmIsQueuedAtOnce() {
    try (ModerationEngine engine = engine()) {
      engine.evaluate(Fixtures.upload("z"));
      engine.evaluate(account("newbie", T0.minus(Duration.ofDays(1))));
      Decision d = engine.evaluate(report("newbie", "z", Category.NCII));
      assertFalse(d.has(Action.QueueForReview.class));
      assertEquals("awaiting_corroboration", d.reasons().get(0).code());
      engine.evaluate(account("old", T0.minus(Duration.ofDays(700))));
      Decision o = engine.evaluate(report("old", "z", Category.NCII));
      Action.QueueForReview q = o.action(Action.QueueForReview.class).get();
      assertEquals(Priority.HIGH, q.priority());
      assertEquals("reports", q.lane());
      // two independent reporters without a record, each 1/3: 1 - (2/3)^2
      assertEquals(5.0 / 9, q.score(), 0.001);
    }
  }
}

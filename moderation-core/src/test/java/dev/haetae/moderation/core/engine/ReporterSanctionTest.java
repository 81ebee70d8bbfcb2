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
import dev.haetae.moderation.api.Reason;
import dev.haetae.moderation.api.ReporterId;
import dev.haetae.moderation.api.ReporterSanction;
import dev.haetae.moderation.api.ReporterSanction.Step;
import dev.haetae.moderation.api.ReviewOutcome;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.Target;
import dev.haetae.moderation.api.UserReport;
import dev.haetae.moderation.api.Verdict;
import dev.haetae.moderation.api.spi.Pseudonymizer;
import dev.haetae.moderation.api.spi.ReporterRecord;
import dev.haetae.moderation.core.audit.AuditLog;
import dev.haetae.moderation.core.audit.LoggedRecord;
import dev.haetae.moderation.core.audit.ProgressListener;
import dev.haetae.moderation.core.audit.ReplayReport;
import dev.haetae.moderation.core.audit.Replayer;
import dev.haetae.moderation.core.hash.HashBanks;
import dev.haetae.moderation.core.legal.JurisdictionProfiles;
import dev.haetae.moderation.core.legal.Obligations;
import dev.haetae.moderation.core.policy.PolicyPack;
import dev.haetae.moderation.core.reputation.ReputationModel;
import dev.haetae.moderation.core.simulate.SettableClock;
import dev.haetae.moderation.core.store.InMemoryObligationStore;
import dev.haetae.moderation.core.store.InMemoryReputationStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reporter's misuse case through the engine's one data path: the model proposes a suspension on a
 * review decision, and only a logged {@link ReporterSanction} by a person changes the reporter's
 * record (confirm, reject, appeal, uphold, dismiss); steps that do not answer the case as it stands
 * are refused before anything is logged; the log replays to identical decisions, and its effects
 * alone rebuild identical reporter records.
 */
class ReporterSanctionTest {
  private static final ReporterId TROLL = ReporterId.of("troll");
  /** Ids as they are, so that the records rebuilt from the log compare with the live ones. */
  private static final Pseudonymizer SAME = new Pseudonymizer() {
    @Override
    public String keyId() {
      return "same";
    }

    @Override
    public String pseudonymize(String kind, String rawId) {
      return rawId;
    }
  };

  private final SettableClock clock = new SettableClock(T0);
  private final InMemoryReputationStore store = new InMemoryReputationStore();
  private final ReputationModel model = ReputationModel.defaults();

  private ModerationEngine engine(Path dir) {
    return ModerationEngine.builder().clock(clock).logDirectory(dir).pseudonymizer(SAME).reputationStore(store)
        .reputationModel(model).policyIsolation(PolicyIsolation.INLINE).build();
  }

  /** Rejected reports until the review decision proposes a suspension (after a warning); returns it. */
  private Decision overTheLineTwice(ModerationEngine engine, String reporter, int[] n) {
    engine.evaluate(new AccountEvent(AccountId.of(reporter), T0.minus(Duration.ofDays(300)), false,
        Optional.empty()));
    for (int i = 0; i < 40; i++) {
      String c = reporter + "-t" + n[0]++;
      engine.evaluate(Fixtures.upload(c, "victim", "r1",
          "00000000000000000000000000000000000000000000000000000000" + String.format("%08x", n[0] + 7919)));
      engine.evaluate(UserReport.of(ReporterId.of(reporter), Target.content(ContentId.of(c)), Category.HARASSMENT));
      clock.advance(Duration.ofHours(1));
      Decision review = engine.evaluate(ReviewOutcome.ofContent(ContentId.of(c), Verdict.NOT_VIOLATING, null));
      clock.advance(Duration.ofHours(5));
      if (codes(review).contains("reporter_suspension_proposed")) {
        return review;
      }
    }
    throw new AssertionError("no proposal to suspend " + reporter);
  }

  private ReporterRecord troll() {
    return store.reporter(TROLL).orElseThrow();
  }

  private static List<String> codes(Decision d) {
    List<String> out = new ArrayList<>();
    for (Reason r : d.reasons()) {
      out.add(r.code());
    }
    return out;
  }

  private static void refused(String field, ModerationEngine engine, ReporterSanction s) {
    InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> engine.evaluate(s));
    assertEquals(field, e.field(), e.getMessage());
  }

  @Test
  void aProposalChangesNothingUntilAPersonConfirmsAndAnUpheldAppealLiftsIt(@TempDir Path dir) {
    Decision proposal;
    Decision confirm;
    try (ModerationEngine engine = engine(dir)) {
      proposal = overTheLineTwice(engine, "troll", new int[1]);
      assertEquals("report_misuse", proposal.action(Action.QueueForReview.class).orElseThrow().lane());
      ReporterRecord proposed = troll();
      assertTrue(proposed.suspendedUntil().isEmpty(), "a proposal suspends nothing");
      assertEquals(Optional.of(new ReporterRecord.Sanction(proposal.id(), ReporterRecord.Sanction.State.PROPOSED)),
          proposed.sanction());
      // the evidence a person sees: the rates on the proposal's misuse finding
      Signal.ReportResolution.MisuseFinding f = lastResolution(dir, proposal.id()).misuse().get(0);
      assertEquals(TROLL, f.reporter());
      assertTrue(f.unfounded() >= 5 && f.share() >= 0.5, f.toString());

      // refused before anything is logged: no step answers a case it does not name or is not in
      long before = countRecords(dir);
      refused("sanction.decision", engine, ReporterSanction.by("mod-1", Step.CONFIRM, TROLL, DecisionId.of("other")));
      refused("sanction.decision", engine, ReporterSanction.appeal(TROLL, proposal.id(), Optional.empty()));
      refused("sanction.decision", engine, ReporterSanction.by("mod-1", Step.UPHOLD, TROLL, proposal.id()));
      refused("sanction.reporter", engine, ReporterSanction.by("mod-1", Step.CONFIRM, ReporterId.of("nobody"),
          proposal.id()));
      assertEquals(before, countRecords(dir), "nothing refused is logged");
      assertEquals(proposed, troll(), "nothing refused changes the record");

      // a person confirms: logged first, then the suspension runs from the decision's instant
      clock.advance(Duration.ofMinutes(3));
      confirm = engine.evaluate(ReporterSanction.by("mod-1", Step.CONFIRM, TROLL, proposal.id()));
      assertEquals(List.of("reporter_suspension_confirmed"), codes(confirm));
      assertFalse(confirm.restrictive());
      assertEquals(Optional.of(clock.instant().plus(Duration.ofDays(14))), troll().suspendedUntil());
      assertEquals(ReporterRecord.Sanction.State.SUSPENDED, troll().sanction().orElseThrow().state());
      refused("sanction.decision", engine, ReporterSanction.by("mod-1", Step.CONFIRM, TROLL, proposal.id()));
      Decision mild = engine.evaluate(UserReport.of(TROLL, Target.content(ContentId.of("troll-t0")),
          Category.SPAM));
      assertEquals(List.of("reporter_suspended"), codes(mild));

      // the reporter appeals; a moderator dismisses; the reporter appeals again; another upholds
      Decision appeal = engine.evaluate(ReporterSanction.appeal(TROLL, confirm.id(), Optional.of("I was right")));
      assertEquals("report_misuse_appeal", appeal.action(Action.QueueForReview.class).orElseThrow().lane());
      assertTrue(troll().suspendedAt(clock.instant()), "an appeal alone lifts nothing");
      Decision dismissed = engine.evaluate(ReporterSanction.by("mod-2", Step.DISMISS, TROLL, confirm.id()));
      assertEquals(List.of("reporter_appeal_dismissed"), codes(dismissed));
      assertTrue(troll().suspendedAt(clock.instant()));
      engine.evaluate(ReporterSanction.appeal(TROLL, confirm.id(), Optional.empty()));
      int warnings = troll().warnings();
      Decision upheld = engine.evaluate(ReporterSanction.by("mod-3", Step.UPHOLD, TROLL, confirm.id()));
      assertEquals(List.of("reporter_appeal_upheld"), codes(upheld));
      assertTrue(troll().suspendedUntil().isEmpty());
      assertEquals(warnings - 1, troll().warnings());
      assertTrue(troll().sanction().isEmpty(), "the case is closed");
      refused("sanction.decision", engine, ReporterSanction.appeal(TROLL, confirm.id(), Optional.empty()));
    }
    assertLogReplays(dir);
  }

  @Test
  void aRejectedProposalSuspendsNothingAndATrustedFlaggerIsNeverSuspended(@TempDir Path dir) {
    try (ModerationEngine engine = engine(dir)) {
      Decision proposal = overTheLineTwice(engine, "troll", new int[1]);
      Decision rejected = engine.evaluate(new ReporterSanction(Step.REJECT, TROLL, proposal.id(),
          Optional.of("mod-1"), Optional.of("the reports were borderline")));
      assertEquals(List.of("reporter_suspension_rejected"), codes(rejected));
      assertTrue(troll().suspendedUntil().isEmpty());
      assertTrue(troll().sanction().isEmpty());
      refused("sanction.decision", engine, ReporterSanction.by("mod-1", Step.CONFIRM, TROLL, proposal.id()));

      engine.evaluate(new AccountEvent(AccountId.of("centre"), T0.minus(Duration.ofDays(30)), true,
          Optional.of("centre")));
      refused("sanction.reporter", engine, ReporterSanction.by("mod-1", Step.CONFIRM, ReporterId.of("centre"),
          proposal.id()));
    }
    assertLogReplays(dir);
  }

  @Test
  void theRequestItselfRefusesAReviewerWhoIsTheReporterOrNone() {
    assertEquals("sanction.reviewer", assertThrows(InvalidRequestException.class,
        () -> ReporterSanction.by("troll", Step.CONFIRM, TROLL, DecisionId.of("d"))).field());
    assertEquals("sanction.reviewer", assertThrows(InvalidRequestException.class,
        () -> new ReporterSanction(Step.UPHOLD, TROLL, DecisionId.of("d"), Optional.empty(), Optional.empty()))
        .field());
    assertEquals("sanction.reviewer", assertThrows(InvalidRequestException.class,
        () -> new ReporterSanction(Step.APPEAL, TROLL, DecisionId.of("d"), Optional.of("mod"), Optional.empty()))
        .field());
    assertEquals("sanction.reviewer", assertThrows(InvalidRequestException.class,
        () -> ReporterSanction.by(" ", Step.REJECT, TROLL, DecisionId.of("d"))).field());
    assertEquals("sanction.step", assertThrows(InvalidRequestException.class,
        () -> Step.fromWire("suspend")).field());
    assertEquals("sanction.decision", assertThrows(InvalidRequestException.class,
        () -> new ReporterSanction(Step.CONFIRM, TROLL, null, Optional.of("mod"), Optional.empty())).field());
  }

  @Test
  void aReplayedLogRebuildsTheSameReporterRecordsFromItsEffectsAlone(@TempDir Path dir) {
    try (ModerationEngine engine = engine(dir)) {
      int[] n = new int[1];
      Decision p1 = overTheLineTwice(engine, "troll", n);
      Decision c1 = engine.evaluate(ReporterSanction.by("mod-1", Step.CONFIRM, TROLL, p1.id()));
      engine.evaluate(ReporterSanction.appeal(TROLL, c1.id(), Optional.empty()));
      engine.evaluate(ReporterSanction.by("mod-2", Step.DISMISS, TROLL, c1.id()));
      Decision p2 = overTheLineTwice(engine, "heckler", n);
      engine.evaluate(ReporterSanction.by("mod-1", Step.REJECT, ReporterId.of("heckler"), p2.id()));
      Decision p3 = overTheLineTwice(engine, "spammer", n);
      Decision c3 = engine.evaluate(ReporterSanction.by("mod-4", Step.CONFIRM, ReporterId.of("spammer"), p3.id()));
      engine.evaluate(ReporterSanction.appeal(ReporterId.of("spammer"), c3.id(), Optional.empty()));
      engine.evaluate(ReporterSanction.by("mod-5", Step.UPHOLD, ReporterId.of("spammer"), c3.id()));
      overTheLineTwice(engine, "lurker", n); // a proposal nobody answered yet
    }
    assertLogReplays(dir);
    // rebuild the reputation store from the logged effects alone, in log order
    InMemoryReputationStore rebuilt = new InMemoryReputationStore();
    Stores fresh = Stores.inMemory().withReputation(rebuilt);
    Applier applier = new Applier(HashBanks.inMemory(), SharedBank.LOCAL, fresh.memory(), fresh.strikes(), rebuilt,
        model, new Obligations(JurisdictionProfiles.bundled(), new InMemoryObligationStore(), 0.5, 0.8),
        fresh.holds());
    int sanctions = 0;
    for (LoggedRecord r : records(dir)) {
      applier.apply(r.effects(), r.obligationEvents());
      sanctions += r.evidence().request() instanceof ReporterSanction ? 1 : 0;
    }
    assertEquals(7, sanctions);
    assertEquals(snapshot(store), snapshot(rebuilt));
    assertTrue(snapshot(rebuilt).get("troll").suspendedUntil().isPresent());
    assertTrue(snapshot(rebuilt).get("heckler").suspendedUntil().isEmpty());
    assertTrue(snapshot(rebuilt).get("spammer").suspendedUntil().isEmpty());
    assertEquals(ReporterRecord.Sanction.State.PROPOSED, snapshot(rebuilt).get("lurker").sanction().orElseThrow()
        .state());
  }

  private static Map<String, ReporterRecord> snapshot(InMemoryReputationStore s) {
    Map<String, ReporterRecord> out = new TreeMap<>();
    s.forEachReporter(r -> out.put(r.reporter().value(), r));
    return out;
  }

  private static List<LoggedRecord> records(Path dir) {
    List<LoggedRecord> out = new ArrayList<>();
    AuditLog.open(dir).forEach(ProgressListener.NONE, out::add);
    return out;
  }

  private static long countRecords(Path dir) {
    return records(dir).size();
  }

  private static Signal.ReportResolution lastResolution(Path dir, DecisionId id) {
    for (LoggedRecord r : records(dir)) {
      if (r.decision().id().equals(id)) {
        return r.evidence().signals(Signal.ReportResolution.class).get(0);
      }
    }
    throw new AssertionError("not logged: " + id.value());
  }

  private static void assertLogReplays(Path dir) {
    ReplayReport rep = Replayer.of(PolicyPack.defaults()).replay(AuditLog.open(dir), ProgressListener.NONE);
    assertTrue(rep.allIdentical(), rep.findings().isEmpty() ? rep.toString() : rep.findings().get(0).toString());
  }
}

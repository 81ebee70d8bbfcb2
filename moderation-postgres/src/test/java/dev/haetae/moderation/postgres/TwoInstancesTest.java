package dev.haetae.moderation.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.AccountEvent;
import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.LegalNotice;
import dev.haetae.moderation.api.ModerationRequest;
import dev.haetae.moderation.api.NoticeSender;
import dev.haetae.moderation.api.ObligationEvent;
import dev.haetae.moderation.api.ReporterId;
import dev.haetae.moderation.api.ReviewOutcome;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.Target;
import dev.haetae.moderation.api.UserReport;
import dev.haetae.moderation.api.Verdict;
import dev.haetae.moderation.api.spi.DecisionLog;
import dev.haetae.moderation.api.spi.EvidenceHold;
import dev.haetae.moderation.api.spi.EvidenceHoldStore;
import dev.haetae.moderation.api.spi.ObligationRecord;
import dev.haetae.moderation.api.spi.ObligationStore;
import dev.haetae.moderation.api.spi.ReportRecord;
import dev.haetae.moderation.api.spi.ReporterRecord;
import dev.haetae.moderation.api.spi.ReputationStore;
import dev.haetae.moderation.core.engine.ModerationEngine;
import dev.haetae.moderation.core.engine.PolicyIsolation;
import dev.haetae.moderation.core.legal.EvidenceHolds;
import dev.haetae.moderation.core.simulate.SettableClock;
import dev.haetae.moderation.core.store.InMemoryObligationStore;
import dev.haetae.moderation.core.store.InMemoryReputationStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two backend instances: two engines, each with its own {@link HaetaePostgres} pool on one schema,
 * take the same user reports, account events, legal notices, review outcomes and clock ticks
 * concurrently from several threads (each request reaches both instances, as a retried or
 * duplicated delivery would). The reputation records, reports, obligations and evidence holds they
 * leave must equal what one engine with the in-memory stores leaves after taking the same requests
 * one at a time, and each obligation event and hold expiry must be reported once between them.
 *
 * <p>Real transactions on a real server; no mocks. The clock is shared and moves only between
 * phases, so that every instant recorded is the same in both runs.
 */
@RequiresPostgres
class TwoInstancesTest {
  private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
  private static final int REPORTERS = 12;
  private static final int CONTENTS = 6;
  private static final int THREADS_PER_ENGINE = 3;

  /** What an engine (or a pair of engines) reported to its listeners. */
  private static final class Heard {
    final List<ObligationEvent> events = new CopyOnWriteArrayList<>();
    final List<EvidenceHold> expired = new CopyOnWriteArrayList<>();

    Map<String, Integer> eventCounts() {
      Map<String, Integer> out = new TreeMap<>();
      for (ObligationEvent e : events) {
        out.merge(e.type() + " " + e.obligation().id(), 1, Integer::sum);
      }
      return out;
    }

    List<String> expiredIds() {
      return normalisedHolds(expired);
    }
  }

  private static ModerationEngine engine(Clock clock, ReputationStore rep, ObligationStore obl, EvidenceHoldStore holds,
      Heard heard) {
    return ModerationEngine.builder().clock(clock).decisionLog(DecisionLog.DISCARD).reputationStore(rep)
        .obligationStore(obl).evidenceHoldStore(holds).obligationListener(heard.events::add)
        .holdListener(heard.expired::add).policyIsolation(PolicyIsolation.INLINE).serviceLoader(false, null)
        .build();
  }

  /** One phase: the requests (each sent twice) at an instant, then ticks. */
  private record Phase(Instant at, List<ModerationRequest> requests, List<Instant> ticks) {}

  private static List<Phase> phases() {
    List<ModerationRequest> intake = new ArrayList<>();
    for (int r = 0; r < REPORTERS; r++) {
      intake.add(new AccountEvent(AccountId.of("r" + r), T0.minus(Duration.ofDays(400 + r)), false, Optional.empty(),
          List.of(new AccountEvent.RoomJoin(RoomId.of("room" + (r % 3)), T0.minus(Duration.ofDays(30))))));
      for (int c = 0; c < CONTENTS; c++) {
        intake.add(UserReport.of(ReporterId.of("r" + r), Target.content(ContentId.of("c" + c)),
            r % 2 == 0 ? Category.NCII : Category.HARASSMENT));
      }
    }
    for (int c = 0; c < CONTENTS; c++) {
      intake.add(new LegalNotice("dsa-" + c, "EU-DSA-16", ContentId.of("c" + c), NoticeSender.USER,
          Map.of("explanation", "intimate image", "location", "c" + c, "name", "A", "email", "a@example.org",
              "good_faith_statement", "accurate"), T0));
    }
    for (int c = 0; c < 2; c++) {
      intake.add(new LegalNotice("tco-" + c, "EU-TCO-3", ContentId.of("c" + c), NoticeSender.REGULATOR,
          Map.of("authority", "Police nationale", "statement_of_reasons", "video", "location", "c" + c), T0));
    }
    for (int d = 0; d < 4; d++) {
      intake.add(new LegalNotice("uk-" + d, "UK-OSA-INTERNAL", ContentId.of("d" + d), NoticeSender.USER,
          Map.of("explanation", "harassment", "location", "d" + d), T0));
    }
    List<ModerationRequest> reviews = new ArrayList<>();
    for (int c = 0; c < CONTENTS; c++) {
      reviews.add(ReviewOutcome.ofContent(ContentId.of("c" + c), c % 2 == 0 ? Verdict.VIOLATING : Verdict.NOT_VIOLATING,
          Category.NCII));
    }
    return List.of(
        new Phase(T0, intake, List.of()),
        new Phase(T0.plus(Duration.ofHours(1)), reviews, List.of()),
        // UK-OSA-INTERNAL: 24 hours, escalations at 50% and 80%, then the breach; TCO holds: 186 days
        new Phase(T0.plus(Duration.ofHours(13)), List.of(), List.of(T0.plus(Duration.ofHours(13)),
            T0.plus(Duration.ofHours(20)), T0.plus(Duration.ofHours(25)), T0.plus(Duration.ofDays(200)))));
  }

  @Test
  void twoEnginesOnOneSchemaLeaveWhatOneEngineLeaves() throws Exception {
    List<Phase> phases = phases();

    // The reference: one engine, in-memory stores, every request twice, one at a time.
    SettableClock refClock = new SettableClock(T0);
    InMemoryReputationStore refRep = new InMemoryReputationStore();
    InMemoryObligationStore refObl = new InMemoryObligationStore();
    EvidenceHolds refHolds = new EvidenceHolds();
    Heard refHeard = new Heard();
    Random order = new Random(7);
    try (ModerationEngine one = engine(refClock, refRep, refObl, refHolds, refHeard)) {
      for (Phase p : phases) {
        refClock.set(p.at());
        List<ModerationRequest> twice = new ArrayList<>(p.requests());
        twice.addAll(p.requests());
        Collections.shuffle(twice, order);
        for (ModerationRequest r : twice) {
          one.evaluate(r);
        }
        for (Instant t : p.ticks()) {
          one.tick(t);
          one.tick(t);
        }
      }
    }

    // Two instances on one fresh schema, each request once to each, from several threads.
    String schema = PgTestServer.freshSchema("two");
    SettableClock clock = new SettableClock(T0);
    Heard heard = new Heard();
    ExecutorService pool = Executors.newFixedThreadPool(2 * THREADS_PER_ENGINE);
    try (HaetaePostgres pgA = PgTestServer.open("two", schema);
        HaetaePostgres pgB = PgTestServer.open("two", schema);
        ModerationEngine a = engine(clock, pgA.reputationStore(), pgA.obligationStore(), pgA.evidenceHoldStore(),
            heard);
        ModerationEngine b = engine(clock, pgB.reputationStore(), pgB.obligationStore(), pgB.evidenceHoldStore(),
            heard)) {
      for (Phase p : phases) {
        clock.set(p.at());
        List<Runnable> work = new ArrayList<>();
        for (ModerationRequest r : p.requests()) {
          work.add(() -> a.evaluate(r));
          work.add(() -> b.evaluate(r));
        }
        Collections.shuffle(work, order);
        runConcurrently(pool, work);
        for (Instant t : p.ticks()) {
          runConcurrently(pool, List.of(() -> a.tick(t), () -> b.tick(t), () -> a.tick(t), () -> b.tick(t)));
        }
      }

      ReputationStore rep = pgA.reputationStore();
      for (int r = 0; r < REPORTERS; r++) {
        ReporterId id = ReporterId.of("r" + r);
        Optional<ReporterRecord> want = refRep.reporter(id);
        assertTrue(want.isPresent());
        ReporterRecord got = rep.reporter(id).orElseThrow();
        assertEquals(comparable(want.get()), comparable(got), "reporter " + id);
        // each review was applied to the reporter once, whichever instance's decision applied it
        assertEquals(want.get().applied().size(), got.applied().size(), "reviews applied to " + id);
        // a confirmation earns full credit for the report that opened the item and the attach credit
        // for the others; which report opened it depends on arrival order
        // (the NCII verdicts do not cover the odd reporters' harassment claims, which stay pending)
        assertEquals(want.get().confirmed() > 0, got.confirmed() > 0, "confirmed of " + id + ": " + got);
        assertTrue(got.confirmed() <= CONTENTS / 2.0, "confirmed of " + id + ": " + got);
      }
      for (int c = 0; c < CONTENTS; c++) {
        Target t = Target.content(ContentId.of("c" + c));
        assertEquals(normalised(refRep.reports(t)), normalised(rep.reports(t)), "reports on c" + c);
        assertEquals(REPORTERS, rep.reports(t).size(), "one report per reporter on c" + c);
      }
      List<ObligationRecord> obligations = pgB.obligationStore().all();
      assertEquals(byId(refObl.all()), byId(obligations), "obligations");
      // the scenario did what it is meant to: reviews and removals fulfilled, clocks escalated and breached
      Map<String, String> states = new TreeMap<>();
      for (ObligationRecord o : obligations) {
        states.merge(o.instrument() + " " + o.status() + " " + o.escalations(), "x", String::concat);
      }
      assertEquals(Map.of("EU-DSA-16 FULFILLED 0", "x".repeat(CONTENTS), "EU-TCO-3 FULFILLED 0", "xx",
          "UK-OSA-INTERNAL BREACHED 2", "xxxx"), states);
      assertEquals(normalisedHolds(refHolds.all()), normalisedHolds(pgA.evidenceHoldStore().all()), "evidence holds");
      System.out.println("[two instances] compared " + REPORTERS + " reporters, " + CONTENTS * REPORTERS + " reports, "
          + obligations.size() + " obligations, " + refHolds.all().size() + " holds, " + refHeard.events.size()
          + " obligation events, " + refHeard.expired.size() + " hold expiries");
      assertFalse(refHeard.expired.isEmpty(), "the scenario must expire holds");
      assertEquals(refHeard.eventCounts(), heard.eventCounts(), "each obligation event reported once");
      assertEquals(refHeard.expiredIds(), heard.expiredIds(), "each hold expiry reported once");
      assertEquals(heard.expired.size(), heard.expired.stream().map(EvidenceHold::id).distinct().count(),
          "no hold expired on both instances");
      assertEquals(pgA.evidenceHoldStore().all().size(), heard.expired.size(), "every hold expired once");
    } finally {
      pool.shutdownNow();
      PgTestServer.drop(schema);
    }
  }

  /** Runs every task on the pool, all released at once, and rethrows the first failure. */
  private static void runConcurrently(ExecutorService pool, List<Runnable> work) throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> fs = new ArrayList<>();
    for (Runnable w : work) {
      fs.add(pool.submit(() -> {
        go.await(30, TimeUnit.SECONDS);
        w.run();
        return null;
      }));
    }
    go.countDown();
    for (Future<?> f : fs) {
      f.get(120, TimeUnit.SECONDS);
    }
  }

  /**
   * Reports without the decision they are attached to (decision ids are random per engine, and
   * which decision a report attaches to depends on arrival order), by reporter.
   */
  private static List<String> normalised(List<ReportRecord> reports) {
    List<String> out = new ArrayList<>();
    for (ReportRecord r : reports) {
      out.add(r.reporter() + " " + r.target().kind() + ":" + r.target().id() + " " + r.category() + " " + r.at()
          + " " + r.status());
    }
    Collections.sort(out);
    return out;
  }

  /**
   * A reporter's record without what depends on arrival order or on decision ids (random per
   * engine): the confirmation credit and the ids of the decisions applied.
   */
  private static ReporterRecord comparable(ReporterRecord r) {
    return new ReporterRecord(r.reporter(), r.accountCreated(), r.trustedFlagger(), 0, r.rejected(), r.updatedAt(),
        r.warnings(), r.suspendedUntil(), r.rooms(), r.unfounded(), r.warnedAt(), r.reported(), r.received(),
        List.of());
  }

  private static List<ObligationRecord> byId(List<ObligationRecord> all) {
    List<ObligationRecord> out = new ArrayList<>(all);
    out.sort(Comparator.comparing(ObligationRecord::id));
    return out;
  }

  /**
   * Holds as text, sorted. A hold placed for an obligation must appear exactly once. A hold placed
   * for a decision's PreserveEvidence action has the decision's (random) id as its basis, and one
   * delivery of a duplicate notice that races with the first can see the obligation still open and
   * decide to remove and preserve too (as a second thread of one engine could): it places a second
   * hold with the same start and end. Such holds are compared as a set: the evidence is held just
   * as long.
   */
  private static List<String> normalisedHolds(List<EvidenceHold> holds) {
    java.util.TreeSet<String> out = new java.util.TreeSet<>();
    List<String> byObligation = new ArrayList<>();
    for (EvidenceHold h : holds) {
      String text = h.content() + " " + (h.basis().startsWith("decision:") ? "decision:*" : h.basis()) + " "
          + h.citation() + " " + h.from() + " " + h.until() + " " + h.expiredAt();
      if (h.basis().startsWith("decision:")) {
        out.add(text);
      } else {
        byObligation.add(text);
      }
    }
    List<String> all = new ArrayList<>(byObligation);
    all.addAll(out);
    Collections.sort(all);
    return all;
  }
}

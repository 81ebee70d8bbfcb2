package dev.haetae.moderation.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.DecisionLogException;
import dev.haetae.moderation.api.LegalNotice;
import dev.haetae.moderation.api.ModerationRequest;
import dev.haetae.moderation.api.NoticeSender;
import dev.haetae.moderation.api.StoreUnavailableException;
import dev.haetae.moderation.api.spi.DecisionLog;
import dev.haetae.moderation.api.spi.ObligationStore;
import dev.haetae.moderation.core.audit.VerificationReport;
import dev.haetae.moderation.core.engine.ModerationEngine;
import dev.haetae.moderation.core.engine.PolicyIsolation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The database restarting and stopping under an engine whose reputation, obligations, evidence holds
 * and decision log all live in it, on a mix of uploads, reports, reviews, account events and legal
 * notices. Every failed evaluate throws one of the two specific exceptions and is never handed to
 * the action executor; a decision that reached the log although evaluate failed is one that the
 * exception said was logged (or whose COMMIT was in doubt); the shard verifies; and the stores work
 * again once the server is back.
 *
 * <p>Like {@link PgDecisionLogRestartTest}, it restarts the server {@code .ci/postgres.sh} manages.
 */
@RequiresPostgres
class PgStoresRestartTest {
  private static final Pattern LOGGED = Pattern.compile("decision (\\S+) was logged");

  @Test
  void sharedStoresFailCleanlyAndRecover() throws Exception {
    assumeTrue(PgTestServer.canRestart(), "SKIPPED: this test restarts the PostgreSQL server, which it can do"
        + " only for the local server that .ci/postgres.sh manages (HAETAE_PG_URL is set or the script is"
        + " missing)");
    String schema = PgTestServer.freshSchema("storesfault");
    HaetaePostgres pg = HaetaePostgres.builder().jdbcUrl(PgTestServer.url())
        .credentials(PgTestServer.user(), PgTestServer.password()).schema(schema).maxPoolSize(6)
        .connectTimeout(Duration.ofSeconds(1)).build();
    Map<String, Integer> acted = new ConcurrentHashMap<>();
    Set<String> returned = ConcurrentHashMap.newKeySet();
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    AtomicInteger next = new AtomicInteger();
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> workers = new ArrayList<>();
    DecisionLog log = pg.decisionLog("stores-fault", LogRequests.KEY);
    ObligationStore obligations = pg.obligationStore();
    ModerationEngine engine = ModerationEngine.builder().clock(new LogRequests.TickingClock())
        .policyIsolation(PolicyIsolation.INLINE).serviceLoader(false, null).decisionLog(log)
        .reputationStore(pg.reputationStore()).obligationStore(obligations)
        .evidenceHoldStore(pg.evidenceHoldStore())
        .actionExecutor((request, decision) -> acted.merge(decision.id().value(), 1, Integer::sum))
        .build();
    try {
      for (int w = 0; w < 2; w++) {
        Random r = new Random(100 + w);
        Thread t = new Thread(() -> {
          while (!stop.get()) {
            int i = next.getAndIncrement();
            ModerationRequest request = i % 9 == 0 ? notice(i) : LogRequests.request(r, i);
            try {
              Decision d = engine.evaluate(request);
              returned.add(d.id().value());
            } catch (RuntimeException e) {
              failures.add(e);
            }
          }
        }, "evaluate-stores-" + w);
        t.start();
        workers.add(t);
      }
      PgTestServer.awaitAtLeast("decisions before the restart", returned::size, 40);
      PgTestServer.restart();
      PgTestServer.awaitAtLeast("decisions after the restart", returned::size, returned.size() + 40);
      PgTestServer.stop();
      int failedBefore = failures.size();
      PgTestServer.awaitAtLeast("failed evaluations while the server is down", failures::size, failedBefore + 4);
      PgTestServer.start();
      PgTestServer.awaitAtLeast("decisions after the server came back", returned::size, returned.size() + 40);
    } finally {
      stop.set(true);
      for (Thread t : workers) {
        t.join(TimeUnit.SECONDS.toMillis(30));
      }
      PgTestServer.start();
      PgTestServer.awaitAccepting();
    }
    try {
      List<String> unexpected = new ArrayList<>();
      Set<String> saidLogged = new HashSet<>();
      for (Throwable f : failures) {
        if (!(f instanceof DecisionLogException || f instanceof StoreUnavailableException)) {
          unexpected.add(f.toString());
        }
        Matcher m = LOGGED.matcher(String.valueOf(f.getMessage()));
        if (f instanceof StoreUnavailableException && m.find()) {
          saidLogged.add(m.group(1));
        }
      }
      assertTrue(unexpected.isEmpty(), "unexpected exceptions: " + unexpected);
      assertTrue(failures.size() >= 4, "evaluations should have failed while the server was down");
      assertEquals(returned, acted.keySet(), "the executor saw a decision that evaluate did not return");
      assertTrue(acted.values().stream().allMatch(n -> n == 1), "a decision was acted on twice");

      DecisionLogShard shard = pg.decisionLogShard("stores-fault");
      VerificationReport v = shard.verify();
      assertTrue(v.ok(), v.toString());
      Set<String> inLog = new HashSet<>();
      shard.forEach(rec -> {
        if (!inLog.add(rec.decision().id().value())) {
          fail("decision " + rec.decision().id().value() + " is logged twice");
        }
      });
      assertTrue(inLog.containsAll(returned), "a returned decision is missing from the log");
      Set<String> inDoubt = new HashSet<>(((PgDecisionLog) log).committedInDoubt());
      for (String id : inLog) {
        if (!returned.contains(id)) {
          assertTrue(saidLogged.contains(id) || inDoubt.contains(id),
              "decision " + id + " is in the log, was not returned, and no exception said it was logged");
        }
      }
      assertTrue(inLog.containsAll(saidLogged), "an exception said a decision was logged that is not in the log");

      // the shared stores work again: a fresh notice opens its obligation, visible through the store
      Decision after = engine.evaluate(notice(1_000_000));
      assertFalse(after.actions().isEmpty() && after.reasons().isEmpty(), after.toString());
      assertFalse(obligations.openFor(ContentId.of(LogRequests.contentId(1_000_000))).isEmpty(),
          "the notice sent after recovery opened no obligation in the shared store");
      System.out.printf("[haetae] stores restart test: %d decisions returned and acted on, %d evaluations failed"
          + " cleanly (%d after logging, %d with COMMIT in doubt), shard of %d records verifies%n",
          returned.size() + 1, failures.size(), saidLogged.size(), inDoubt.size(), v.records());
    } finally {
      engine.close();
      log.close();
      pg.close();
      PgTestServer.drop(schema);
    }
  }

  /** A legal notice on content {@code i} under the DSA's notice-and-action clock. */
  private static LegalNotice notice(int i) {
    String c = LogRequests.contentId(i);
    return new LegalNotice("notice-" + i, "EU-DSA-16", ContentId.of(c), NoticeSender.USER,
        Map.of("explanation", "intimate image", "location", c, "name", "A", "email", "a@example.org",
            "good_faith_statement", "accurate"), Instant.parse("2026-05-01T08:00:00Z"));
  }
}

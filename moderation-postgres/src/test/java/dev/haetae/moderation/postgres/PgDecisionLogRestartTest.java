package dev.haetae.moderation.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.haetae.moderation.api.ContentEvent;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.DecisionLogException;
import dev.haetae.moderation.api.StoreUnavailableException;
import dev.haetae.moderation.api.spi.DecisionLog;
import dev.haetae.moderation.core.audit.VerificationReport;
import dev.haetae.moderation.core.engine.ModerationEngine;
import dev.haetae.moderation.core.engine.PolicyIsolation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The database restarting and stopping under an engine that logs to it: evaluate fails with a
 * specific exception, the failed decision is never handed to the action executor, the shard has no
 * half-written record, and evaluation succeeds again once the server is back.
 *
 * <p>It restarts the server that {@code .ci/postgres.sh} manages on {@code HAETAE_PG_PORT}: run it on
 * a server of your own when others test on the default one. Before returning it waits until the
 * server accepts connections again, so the test classes after it find it up.
 */
@RequiresPostgres
class PgDecisionLogRestartTest {

  /** What happened to request i. */
  private static final class Outcome {
    final String decisionId; // null when evaluate threw
    final Throwable failure;

    Outcome(String decisionId, Throwable failure) {
      this.decisionId = decisionId;
      this.failure = failure;
    }

    boolean inDoubt() {
      return failure != null && String.valueOf(failure.getMessage()).contains("may have committed");
    }
  }

  @Test
  void evaluateFailsCleanlyWhileTheDatabaseIsDownAndRecoversWhenItIsBack() throws Exception {
    assumeTrue(PgTestServer.canRestart(), "SKIPPED: this test restarts the PostgreSQL server, which it can do"
        + " only for the local server that .ci/postgres.sh manages (HAETAE_PG_URL is set or the script is"
        + " missing)");
    String schema = PgTestServer.freshSchema("restart");
    HaetaePostgres pg = HaetaePostgres.builder().jdbcUrl(PgTestServer.url())
        .credentials(PgTestServer.user(), PgTestServer.password()).schema(schema).maxPoolSize(4)
        .connectTimeout(Duration.ofSeconds(1)).build();
    Map<String, Integer> acted = new ConcurrentHashMap<>();
    Map<Integer, Outcome> outcomes = new ConcurrentHashMap<>();
    AtomicInteger next = new AtomicInteger();
    AtomicInteger successes = new AtomicInteger();
    AtomicInteger failures = new AtomicInteger();
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> workers = new ArrayList<>();
    DecisionLog log = pg.decisionLog("fault", LogRequests.KEY);
    ModerationEngine engine = ModerationEngine.builder().clock(new LogRequests.TickingClock())
        .policyIsolation(PolicyIsolation.INLINE).decisionLog(log)
        .actionExecutor((request, decision) -> acted.merge(decision.id().value(), 1, Integer::sum))
        .build();
    try {
      for (int w = 0; w < 2; w++) {
        Random r = new Random(w);
        Thread t = new Thread(() -> {
          while (!stop.get()) {
            int i = next.getAndIncrement();
            ContentEvent request = LogRequests.upload(r, i, "RAWID-account-" + (i % 7));
            try {
              Decision d = engine.evaluate(request);
              outcomes.put(i, new Outcome(d.id().value(), null));
              successes.incrementAndGet();
            } catch (RuntimeException e) {
              outcomes.put(i, new Outcome(null, e));
              failures.incrementAndGet();
            }
          }
        }, "evaluate-" + w);
        t.start();
        workers.add(t);
      }
      PgTestServer.awaitAtLeast("decisions before the restart", successes::get, 40);
      PgTestServer.restart(); // fast shutdown: the pool's connections are cut mid-transaction
      PgTestServer.awaitAtLeast("decisions after the restart", successes::get, successes.get() + 40);
      PgTestServer.stop();
      int failedBefore = failures.get();
      PgTestServer.awaitAtLeast("failed evaluations while the server is down", failures::get, failedBefore + 4);
      PgTestServer.start();
      PgTestServer.awaitAtLeast("decisions after the server came back", successes::get, successes.get() + 40);
    } finally {
      stop.set(true);
      for (Thread t : workers) {
        t.join(TimeUnit.SECONDS.toMillis(30));
      }
      PgTestServer.start(); // idempotent; the classes after this one need the server
      PgTestServer.awaitAccepting();
      engine.close();
      log.close();
    }
    try {
      // every failure is one of the two specific exceptions
      List<String> unexpected = new ArrayList<>();
      Set<Integer> failed = new HashSet<>();
      Set<Integer> inDoubt = new HashSet<>();
      Map<String, Integer> succeeded = new HashMap<>();
      for (Map.Entry<Integer, Outcome> e : outcomes.entrySet()) {
        Outcome o = e.getValue();
        if (o.decisionId != null) {
          succeeded.put(o.decisionId, e.getKey());
          continue;
        }
        failed.add(e.getKey());
        if (o.inDoubt()) {
          inDoubt.add(e.getKey());
        }
        if (!(o.failure instanceof DecisionLogException || o.failure instanceof StoreUnavailableException)) {
          unexpected.add(o.failure.toString());
        }
      }
      assertTrue(unexpected.isEmpty(), "unexpected exceptions: " + unexpected);
      assertTrue(failed.size() >= 4, "evaluations should have failed while the server was down");
      // the executor acted on exactly the decisions evaluate returned, once each
      assertEquals(succeeded.keySet(), acted.keySet(), "the executor saw a decision that was not returned");
      assertTrue(acted.values().stream().allMatch(n -> n == 1), "a decision was acted on twice");
      // the shard is intact: contiguous seqs, an unbroken chain, a head on the last record
      DecisionLogShard shard = pg.decisionLogShard("fault");
      VerificationReport v = shard.verify();
      assertTrue(v.ok(), v.toString());
      assertEquals(shard.size(), v.records());
      // the log holds every returned decision once; anything else is a failure whose COMMIT was in doubt
      Map<String, Integer> byPseudonym = new HashMap<>();
      for (int i : outcomes.keySet()) {
        byPseudonym.put(LogRequests.KEY.pseudonymize("content", LogRequests.contentId(i)), i);
      }
      Map<Integer, Integer> logged = new HashMap<>();
      Set<String> loggedNotReturned = new HashSet<>();
      shard.forEach(rec -> {
        if (!succeeded.containsKey(rec.decision().id().value())) {
          loggedNotReturned.add(rec.decision().id().value());
        }
        ContentEvent c = (ContentEvent) rec.evidence().request();
        Integer i = byPseudonym.get(c.content().id().value());
        if (i == null) {
          fail("the log holds a request that was never evaluated: seq " + rec.seq());
        }
        logged.merge(i, 1, Integer::sum);
      });
      assertTrue(logged.values().stream().allMatch(n -> n == 1), "a request was logged twice");
      for (int i : succeeded.values()) {
        assertTrue(logged.containsKey(i), "returned decision of request " + i + " is not in the log");
      }
      for (int i : logged.keySet()) {
        if (!succeeded.containsValue(i)) {
          assertTrue(inDoubt.contains(i), "request " + i + " failed but its record is in the log, and the"
              + " failure did not say the COMMIT was in doubt: " + outcomes.get(i).failure);
        }
      }
      // the log found the same ones itself once the server answered again (and logged them)
      assertEquals(loggedNotReturned, new HashSet<>(((PgDecisionLog) log).committedInDoubt()),
          "the log's own check of doubtful commits disagrees with the shard");
      System.out.printf("[haetae] restart test: %d decisions logged and acted on, %d evaluations failed"
          + " cleanly (%d with COMMIT in doubt, %d of those committed), shard of %d records verifies; e.g. %s%n",
          succeeded.size(), failed.size(), inDoubt.size(), logged.size() - succeeded.size(), v.records(),
          outcomes.get(failed.iterator().next()).failure);
    } finally {
      pg.close();
      PgTestServer.drop(schema);
    }
  }
}

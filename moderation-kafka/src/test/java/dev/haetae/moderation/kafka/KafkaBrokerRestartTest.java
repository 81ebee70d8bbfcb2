package dev.haetae.moderation.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.haetae.moderation.api.Content;
import dev.haetae.moderation.api.ContentEvent;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.ContentKind;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.DecisionLogException;
import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.Jurisdiction;
import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.Sha256;
import dev.haetae.moderation.api.StoreUnavailableException;
import dev.haetae.moderation.api.Surface;
import dev.haetae.moderation.api.spi.Pseudonymizer;
import dev.haetae.moderation.core.audit.AuditLog;
import dev.haetae.moderation.core.audit.EngineLog;
import dev.haetae.moderation.core.audit.LoggedRecord;
import dev.haetae.moderation.core.audit.Pseudonymizers;
import dev.haetae.moderation.core.audit.VerificationReport;
import dev.haetae.moderation.core.engine.ModerationEngine;
import dev.haetae.moderation.core.engine.PolicyIsolation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker stopping, being killed and coming back under an engine that logs to it: evaluate
 * fails with {@link DecisionLogException} while it is away, the action executor sees exactly the
 * decisions evaluate returned (none whose append failed), every returned decision is in the shard
 * once, a logged decision that was not returned is one whose commit the log said was in doubt (and
 * found committed itself), and the shard's chain verifies. After each restart the writer must append
 * again: a transaction the broker left open at its stop (see {@code endHanging} in the writer) is
 * ended by the writer, and the test prints how many were.
 */
class KafkaBrokerRestartTest {
  private static final Pseudonymizer KEY =
      Pseudonymizers.hmacSha256("kafka-test", "0123456789abcdef0123".getBytes(StandardCharsets.UTF_8));

  /** A clock that advances one second per reading: deterministic, never the wall clock. */
  private static final class TickingClock extends Clock {
    private long seconds;

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public synchronized Instant instant() {
      return Instant.parse("2026-05-01T08:00:00Z").plusSeconds(seconds++);
    }
  }

  private record Outcome(String decisionId, RuntimeException failure) {
    boolean inDoubt() {
      return failure != null && String.valueOf(failure.getMessage()).contains("outcome is unknown");
    }
  }

  private static String contentId(int i) {
    return "RAWID-content-" + i;
  }

  private static ContentEvent upload(Random r, int i) {
    byte[] h = new byte[32];
    r.nextBytes(h);
    Content content = new Content(ContentId.of(contentId(i)), ContentKind.IMAGE, Surface.GROUP,
        Set.of(Jurisdiction.of("DE")), Fingerprints.none().withSha256(Sha256.fromBytes(h)),
        Optional.of("RAWID caption " + i));
    return ContentEvent.upload(content, AccountId.of("RAWID-account-" + (i % 7)), RoomId.of("RAWID-room-" + (i % 5)));
  }

  @Test
  void nothingAcknowledgedIsLostAndNothingUnacknowledgedIsActedOn(@TempDir Path dir) throws Exception {
    Map<String, Integer> acted = new ConcurrentHashMap<>();
    Map<Integer, Outcome> outcomes = new ConcurrentHashMap<>();
    AtomicInteger next = new AtomicInteger();
    Semaphore successes = new Semaphore(0);
    Semaphore failures = new Semaphore(0);
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> workers = new ArrayList<>();
    int[] counts = new int[6];
    try (KafkaBroker broker = KafkaBroker.start("restart")) {
      broker.createLogTopics("fault", 1);
      KafkaLogShard shard = KafkaLogShard.of(broker.bootstrap(), "fault", 0).withTimeout(Duration.ofSeconds(5));
      EngineLog log = shard.writer().pseudonymizer(KEY).build();
      ModerationEngine engine = ModerationEngine.builder().clock(new TickingClock())
          .policyIsolation(PolicyIsolation.INLINE).decisionLog(log)
          .actionExecutor((request, decision) -> acted.merge(decision.id().value(), 1, Integer::sum))
          .build();
      try {
        for (int w = 0; w < 2; w++) {
          Random r = new Random(w);
          Thread t = new Thread(() -> {
            while (!stop.get()) {
              int i = next.getAndIncrement();
              try {
                Decision d = engine.evaluate(upload(r, i));
                outcomes.put(i, new Outcome(d.id().value(), null));
                successes.release();
              } catch (RuntimeException e) {
                outcomes.put(i, new Outcome(null, e));
                failures.release();
              }
            }
          }, "evaluate-" + w);
          t.start();
          workers.add(t);
        }
        await(successes, 30, "decisions before the broker stops");
        broker.stop(); // SIGTERM: a clean shutdown while appends are in flight
        await(failures, 2, "failed evaluations while the broker is down");
        broker.restart();
        successes.drainPermits();
        await(successes, 30, "decisions after the restart");
        broker.kill(); // SIGKILL: no shutdown at all
        failures.drainPermits();
        await(failures, 2, "failed evaluations while the broker is dead");
        broker.restart();
        successes.drainPermits();
        await(successes, 30, "decisions after the broker came back from a kill");
      } catch (AssertionError e) {
        String last = outcomes.values().stream().filter(o -> o.failure() != null)
            .map(o -> String.valueOf(o.failure().getMessage())).reduce((a, b) -> b).orElse("none");
        throw new AssertionError(e.getMessage() + "; a failed append said: " + last
            + "; the shard's transactions then: " + transactions(broker), e);
      } finally {
        stop.set(true);
        for (Thread t : workers) {
          t.join(TimeUnit.SECONDS.toMillis(60));
        }
        engine.close();
        log.close();
      }
      List<String> unexpected = new ArrayList<>();
      Set<Integer> failed = new HashSet<>();
      Set<Integer> inDoubt = new HashSet<>();
      Map<String, Integer> succeeded = new HashMap<>();
      outcomes.forEach((i, o) -> {
        if (o.decisionId() != null) {
          succeeded.put(o.decisionId(), i);
          return;
        }
        failed.add(i);
        if (o.inDoubt()) {
          inDoubt.add(i);
        }
        if (!(o.failure() instanceof DecisionLogException || o.failure() instanceof StoreUnavailableException)) {
          unexpected.add(o.failure().toString());
        }
      });
      assertTrue(unexpected.isEmpty(), "unexpected exceptions: " + unexpected);
      assertTrue(failed.size() >= 4, "evaluations should have failed while the broker was away");
      assertEquals(succeeded.keySet(), acted.keySet(), "the executor saw a decision evaluate did not return");
      assertTrue(acted.values().stream().allMatch(n -> n == 1), "a decision was acted on twice");
      Map<String, Integer> byPseudonym = new HashMap<>();
      for (int i : outcomes.keySet()) {
        byPseudonym.put(KEY.pseudonymize("content", contentId(i)), i);
      }
      Map<Integer, Integer> logged = new HashMap<>();
      Set<String> loggedNotReturned = new HashSet<>();
      long records = shard.forEachEntry(e -> {
        if (!(e instanceof LoggedRecord rec)) {
          return;
        }
        if (!succeeded.containsKey(rec.decision().id().value())) {
          loggedNotReturned.add(rec.decision().id().value());
        }
        Integer i = byPseudonym.get(((ContentEvent) rec.evidence().request()).content().id().value());
        if (i == null) {
          fail("the log holds a request that was never evaluated: seq " + rec.seq());
        }
        logged.merge(i, 1, Integer::sum);
      });
      assertTrue(logged.values().stream().allMatch(n -> n == 1), "a request was logged twice");
      for (int i : succeeded.values()) {
        assertTrue(logged.containsKey(i), "acknowledged decision of request " + i + " is not in the log");
      }
      for (int i : logged.keySet()) {
        if (!succeeded.containsValue(i)) {
          assertTrue(inDoubt.contains(i), "request " + i + " failed but its record is in the log, and the failure"
              + " did not say the commit was in doubt: " + outcomes.get(i).failure());
        }
      }
      assertEquals(loggedNotReturned, new HashSet<>(((KafkaDecisionLog) log).committedInDoubt),
          "the log's own check of doubtful commits disagrees with the shard");
      shard.exportTo(dir.resolve("export"));
      VerificationReport v = AuditLog.open(dir.resolve("export")).verify();
      assertTrue(v.ok(), v.toString());
      assertEquals(records, v.records());
      counts[0] = succeeded.size();
      counts[1] = failed.size();
      counts[2] = inDoubt.size();
      counts[3] = logged.size() - succeeded.size();
      counts[4] = (int) ((KafkaDecisionLog) log).headChanged.get();
      counts[5] = (int) ((KafkaDecisionLog) log).hangingEnded.get();
    }
    System.out.printf("[haetae] kafka restart test: %d decisions logged and acted on, %d evaluations failed cleanly"
        + " (%d with the commit in doubt, %d of those committed; %d batches aborted because the partition had"
        + " changed since the head was read; %d transactions left open by the cluster ended), the shard verifies%n",
        counts[0], counts[1], counts[2], counts[3], counts[4], counts[5]);
  }

  /** The producers of the shard's partitions and the coordinators' view of the transactions, for a failure message. */
  private static String transactions(KafkaBroker broker) {
    try (var admin = broker.admin()) {
      var parts = List.of(new org.apache.kafka.common.TopicPartition("fault", 0),
          new org.apache.kafka.common.TopicPartition(KafkaLogShard.outboxTopic("fault"), 0));
      var ids = admin.listTransactions().all().get(30, TimeUnit.SECONDS).stream()
          .map(org.apache.kafka.clients.admin.TransactionListing::transactionalId).toList();
      return admin.describeProducers(parts).all().get(30, TimeUnit.SECONDS) + ", "
          + admin.describeTransactions(ids).all().get(30, TimeUnit.SECONDS);
    } catch (Exception x) {
      return "(not available: " + x + ")";
    }
  }

  private static void await(Semaphore s, int permits, String what) throws InterruptedException {
    if (!s.tryAcquire(permits, 180, TimeUnit.SECONDS)) {
      throw new AssertionError("not within three minutes: " + what);
    }
  }
}

package dev.haetae.moderation.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.DecisionId;
import dev.haetae.moderation.api.Duty;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.LegalNotice;
import dev.haetae.moderation.api.NoticeSender;
import dev.haetae.moderation.api.ObligationEvent;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.Sha256;
import dev.haetae.moderation.api.Surface;
import dev.haetae.moderation.api.spi.DecisionLog;
import dev.haetae.moderation.api.spi.ObligationRecord;
import dev.haetae.moderation.core.audit.EngineLog;
import dev.haetae.moderation.core.audit.LogEntry;
import dev.haetae.moderation.core.audit.LogEvent;
import dev.haetae.moderation.core.audit.LoggedEvent;
import dev.haetae.moderation.core.audit.LoggedRecord;
import dev.haetae.moderation.core.effect.Effect;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The contract of an {@link EngineLog}, for adapter authors, on top of the {@link
 * DecisionLogContract}: a decision appended with its effects and obligation events is read back
 * with them; event records take their place in the same chain; every decision appended with its
 * effects is {@linkplain EngineLog#pending() pending}, with the host's raw ids exactly as given,
 * until it is marked {@linkplain EngineLog#done done} (at once, for the process that marked it);
 * events and decisions appended without effects are never pending; and all of it survives closing
 * and reopening the log: what was pending is still pending, what was marked done before a clean
 * close is not, and numbering goes on where it stopped.
 *
 * <p>A subclass names its logs: {@link #open(String)} gives a new, empty log for a new name, and
 * the same log again for a name opened before (after it was closed).
 *
 * @since 0.2
 */
public abstract class EngineLogContract extends DecisionLogContract {
  private static final Instant T = Instant.parse("2026-11-21T10:00:00Z");
  private static final AtomicInteger NAMES = new AtomicInteger();

  /** For subclasses. */
  protected EngineLogContract() {}

  /**
   * Opens the log called {@code name}: a new, empty log the first time, the same log (everything
   * appended to it, the done marks written when it was closed) when opened again after it was
   * closed. The contract closes every log it opens.
   *
   * @param name a name of letters, digits and '-'; not null
   * @return the log; never null
   * @throws Exception when it cannot be opened
   */
  protected abstract EngineLog open(String name) throws Exception;

  /**
   * Every record of the log called {@code name}, in sequence order, as an auditor reads it (with
   * pseudonyms for ids).
   *
   * @param name the log's name, as given to {@link #open}; not null
   * @return the records; never null
   * @throws Exception when they cannot be read
   */
  protected abstract List<LogEntry> entries(String name) throws Exception;

  @Override
  protected final DecisionLog openLog() throws Exception {
    return open(newName());
  }

  private static String newName() {
    return "engine-log-" + NAMES.incrementAndGet();
  }

  private static ObligationRecord obligation(int i) {
    return new ObligationRecord("US-TAKE-IT-DOWN:n" + i, "US-TAKE-IT-DOWN", "TAKE IT DOWN Act s. 3", Category.NCII,
        ContentId.of("c" + i), T, T.plus(Duration.ofHours(48)), List.of(Duty.REMOVE), Duration.ZERO,
        ObligationRecord.Status.OPEN, T.plus(Duration.ofHours(24)), 0, Optional.empty());
  }

  /** A notice about content c{i}, with raw ids and text the log itself must not keep. */
  private static Evidence evidence(int i) {
    return new Evidence(T.plusSeconds(i), new LegalNotice("n" + i, "US-TAKE-IT-DOWN", ContentId.of("c" + i),
        NoticeSender.VICTIM, Map.of("signature", "Jane Roe " + i, "location", "c" + i), T), List.of(), Map.of());
  }

  private static Decision decision(int i) {
    return new Decision(DecisionId.of("d" + i), T.plusSeconds(i), List.of(new Action.Remove()), List.of(),
        Optional.empty(), List.of(), List.of(), List.of());
  }

  private static List<Effect> effects(int i) {
    ContentId c = ContentId.of("c" + i);
    return List.of(
        new Effect.RememberContent(c, Fingerprints.none().withSha256(Sha256.fromHex("%064x".formatted(i + 1))),
            AccountId.of("u" + i), Optional.of(RoomId.of("r" + i)), Surface.GROUP),
        new Effect.OpenObligation(obligation(i)),
        new Effect.MarkRemoved(c, T.plusSeconds(i)),
        new Effect.Strike(AccountId.of("u" + i), c, T.plus(Duration.ofDays(90))));
  }

  private static List<ObligationEvent> events(int i) {
    return List.of(new ObligationEvent(ObligationEvent.Type.OPENED, obligation(i), T.plusSeconds(i), Duration.ZERO));
  }

  private static long append(EngineLog log, int i) {
    return log.append(evidence(i), decision(i), effects(i), events(i));
  }

  private static List<Long> seqs(List<EngineLog.Pending> pending) {
    List<Long> out = new ArrayList<>();
    pending.forEach(p -> out.add(p.seq()));
    return out;
  }

  /** A decision appended with effects and events is read back with them, and pending with its raw ids. */
  @Test
  void aDecisionIsReadBackWithItsEffectsAndEvents() throws Exception {
    String name = newName();
    try (EngineLog log = open(name)) {
      assertEquals(0, append(log, 1));
      List<EngineLog.Pending> pending = log.pending();
      assertEquals(1, pending.size());
      EngineLog.Pending p = pending.get(0);
      assertEquals(0, p.seq());
      assertEquals(evidence(1).request(), p.evidence().request(), "the outbox keeps the raw request");
      assertEquals(decision(1), p.decision());
      assertEquals(effects(1), p.effects(), "the outbox keeps the effects with raw ids");
      assertEquals(events(1), p.events());
    }
    List<LogEntry> entries = entries(name);
    assertEquals(1, entries.size());
    LoggedRecord r = assertInstanceOf(LoggedRecord.class, entries.get(0));
    List<Effect.Kind> kinds = new ArrayList<>();
    r.effects().forEach(e -> kinds.add(e.kind()));
    assertEquals(List.of(Effect.Kind.REMEMBER_CONTENT, Effect.Kind.OPEN_OBLIGATION, Effect.Kind.MARK_REMOVED,
        Effect.Kind.STRIKE), kinds);
    assertEquals(1, r.obligationEvents().size());
    assertEquals(ObligationEvent.Type.OPENED, r.obligationEvents().get(0).type());
    assertEquals(decision(1).id(), r.decision().id());
  }

  /** Event records share the chain with decisions and are never pending. */
  @Test
  void eventRecordsTakeTheirPlaceInTheChain() throws Exception {
    String name = newName();
    try (EngineLog log = open(name)) {
      assertEquals(0, log.append(new LogEvent.Recovery(T, List.of(), List.of())));
      assertEquals(1, append(log, 1));
      assertEquals(2, log.append(new LogEvent.Delivery(T, DecisionId.of("d1"), 1, "redelivered", Optional.empty())));
      assertEquals(3, log.append(evidence(2), decision(2)), "a decision without its effects");
      assertEquals(List.of(1L), seqs(log.pending()), "only the decision appended with its effects is pending");
    }
    List<LogEntry> entries = entries(name);
    assertEquals(4, entries.size());
    assertEquals(LogEvent.Kind.RECOVERY, assertInstanceOf(LoggedEvent.class, entries.get(0)).event().kind());
    assertInstanceOf(LoggedRecord.class, entries.get(1));
    assertEquals(LogEvent.Kind.DELIVERY, assertInstanceOf(LoggedEvent.class, entries.get(2)).event().kind());
    assertInstanceOf(LoggedRecord.class, entries.get(3));
    for (int i = 0; i < entries.size(); i++) {
      assertEquals(i, entries.get(i).seq());
    }
  }

  /** A decision stays pending until it is marked done; the mark counts at once. */
  @Test
  void decisionsArePendingUntilDone() throws Exception {
    try (EngineLog log = open(newName())) {
      for (int i = 0; i < 3; i++) {
        assertEquals(i, append(log, i));
      }
      assertEquals(List.of(0L, 1L, 2L), seqs(log.pending()), "oldest first");
      log.done(1);
      assertEquals(List.of(0L, 2L), seqs(log.pending()));
      log.done(1);
      log.done(0);
      log.done(2);
      assertTrue(log.pending().isEmpty());
      assertEquals(3, append(log, 3));
      assertEquals(List.of(3L), seqs(log.pending()));
    }
  }

  /** What is pending survives a close and a reopen; done marks written at close do too. */
  @Test
  void pendingDecisionsSurviveAReopen() throws Exception {
    String name = newName();
    try (EngineLog log = open(name)) {
      for (int i = 0; i < 3; i++) {
        append(log, i);
      }
      log.done(1);
    }
    try (EngineLog log = open(name)) {
      List<EngineLog.Pending> pending = log.pending();
      assertEquals(List.of(0L, 2L), seqs(pending), "pending before the close, and not marked done");
      assertEquals(effects(2), pending.get(1).effects());
      assertEquals(3, append(log, 3), "numbering goes on where it stopped");
      log.done(0);
      log.done(2);
    }
    try (EngineLog log = open(name)) {
      assertEquals(List.of(3L), seqs(log.pending()));
    }
    assertEquals(4, entries(name).size());
  }

  /** Concurrent appends with effects are each pending once, under distinct positions. */
  @Test
  void concurrentAppendsAreEachPendingOnce() throws Exception {
    int threads = 4;
    int each = 25;
    try (EngineLog log = open(newName())) {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<List<Long>>> fs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          int base = t * each;
          fs.add(pool.submit(() -> {
            List<Long> got = new ArrayList<>(each);
            for (int i = 0; i < each; i++) {
              got.add(append(log, base + i));
            }
            return got;
          }));
        }
        Set<Long> all = new TreeSet<>();
        for (Future<List<Long>> f : fs) {
          all.addAll(f.get());
        }
        assertEquals(threads * each, all.size());
        List<EngineLog.Pending> pending = log.pending();
        assertEquals(new ArrayList<>(all), seqs(pending), "every decision pending once, in log order");
        for (EngineLog.Pending p : pending) {
          int i = Integer.parseInt(p.decision().id().value().substring(1));
          assertEquals(effects(i), p.effects(), "each entry belongs to its own record");
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }
}

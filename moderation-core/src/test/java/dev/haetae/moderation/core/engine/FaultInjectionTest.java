package dev.haetae.moderation.core.engine;

import static dev.haetae.moderation.core.engine.Fixtures.PDQ_A;
import static dev.haetae.moderation.core.engine.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.AccountEvent;
import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.ActionExecutionException;
import dev.haetae.moderation.api.Appeal;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.DecisionId;
import dev.haetae.moderation.api.DecisionLogException;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.LegalNotice;
import dev.haetae.moderation.api.MatchType;
import dev.haetae.moderation.api.ModerationRequest;
import dev.haetae.moderation.api.NoticeSender;
import dev.haetae.moderation.api.ObligationEvent;
import dev.haetae.moderation.api.ReporterId;
import dev.haetae.moderation.api.ReviewOutcome;
import dev.haetae.moderation.api.StoreUnavailableException;
import dev.haetae.moderation.api.Target;
import dev.haetae.moderation.api.UserReport;
import dev.haetae.moderation.api.Verdict;
import dev.haetae.moderation.api.spi.EvidenceHoldStore;
import dev.haetae.moderation.api.spi.ObligationStore;
import dev.haetae.moderation.api.spi.ReputationStore;
import dev.haetae.moderation.api.spi.StrikeStore;
import dev.haetae.moderation.core.audit.AuditLog;
import dev.haetae.moderation.core.audit.DecisionLogs;
import dev.haetae.moderation.core.audit.EngineLog;
import dev.haetae.moderation.core.audit.LogEvent;
import dev.haetae.moderation.core.audit.LoggedEvent;
import dev.haetae.moderation.core.audit.ProgressListener;
import dev.haetae.moderation.core.effect.Effect;
import dev.haetae.moderation.core.hash.HashBanks;
import dev.haetae.moderation.core.simulate.SettableClock;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The fault-injection matrix of the decision path: for each request type, a failure at each step
 * after the decision — the log append, the apply of the plan, the delivery to the executor — and
 * what must hold: a failed append changes no store; a failed apply or delivery leaves the decision
 * logged and pending, and {@link ModerationEngine#recover()} completes it, changing each store once.
 */
class FaultInjectionTest {
  private static final Map<String, String> TID = Map.of("signature", "s", "identification", "i", "location", "l",
      "good_faith_statement", "g", "contact", "c");

  /** One request type, with what it needs in place before it. */
  enum Kind {
    UPLOAD_MATCHING_BANK(e -> { }, () -> Fixtures.upload("c9", "u9", "r9", PDQ_A)),
    REPORT(e -> e.evaluate(Fixtures.upload("c1")), () -> UserReport.of(ReporterId.of("rep1"),
        Target.content(ContentId.of("c1")), Category.NCII)),
    NOTICE(e -> e.evaluate(Fixtures.upload("c1")), () -> new LegalNotice("n1", "US-TAKE-IT-DOWN",
        ContentId.of("c1"), NoticeSender.VICTIM, TID, T0)),
    REVIEW(e -> {
      e.evaluate(Fixtures.upload("c1"));
      e.evaluate(UserReport.of(ReporterId.of("rep1"), Target.content(ContentId.of("c1")), Category.HARASSMENT));
    }, () -> new ReviewOutcome(Target.content(ContentId.of("c1")), Verdict.VIOLATING, Optional.of(Category.HARASSMENT),
        Optional.empty())),
    APPEAL(e -> e.evaluate(Fixtures.upload("c9", "u9", "r9", PDQ_A)), () -> new Appeal("a1", DecisionId.of("unknown"),
        ContentId.of("c9"), AccountId.of("u9"), T0, Optional.empty())),
    ACCOUNT(e -> { }, () -> new AccountEvent(AccountId.of("u5"), T0.minus(Duration.ofDays(3)), false,
        Optional.empty()));

    final java.util.function.Consumer<ModerationEngine> setUp;
    final Supplier<ModerationRequest> request;

    Kind(java.util.function.Consumer<ModerationEngine> setUp, Supplier<ModerationRequest> request) {
      this.setUp = setUp;
      this.request = request;
    }
  }

  /** A log over a real directory log that can be told to fail its next decision append. */
  static final class SwitchLog implements EngineLog {
    final EngineLog delegate;
    volatile boolean failAppend;

    SwitchLog(EngineLog delegate) {
      this.delegate = delegate;
    }

    @Override
    public long append(Evidence evidence, Decision decision) {
      return delegate.append(evidence, decision);
    }

    @Override
    public long append(Evidence evidence, Decision decision, List<Effect> effects, List<ObligationEvent> events) {
      if (failAppend) {
        throw new DecisionLogException("disk full (simulated)", null);
      }
      return delegate.append(evidence, decision, effects, events);
    }

    @Override
    public long append(LogEvent event) {
      return delegate.append(event);
    }

    @Override
    public List<Pending> pending() {
      return delegate.pending();
    }

    @Override
    public void done(long seq) {
      delegate.done(seq);
    }

    @Override
    public void close() {
      delegate.close();
    }
  }

  /** Counts the calls that change a store, and can make the next one fail. */
  static final class Counting implements InvocationHandler {
    private static final Set<String> MUTATING = Set.of("updateReporter", "addReport", "updateReports", "open",
        "update", "place", "expire", "record", "clear");
    final Object target;
    final AtomicInteger writes = new AtomicInteger();
    volatile boolean failNext;

    Counting(Object target) {
      this.target = target;
    }

    @Override
    public Object invoke(Object proxy, java.lang.reflect.Method m, Object[] args) throws Throwable {
      if (MUTATING.contains(m.getName())) {
        if (failNext) {
          failNext = false;
          throw new StoreUnavailableException("store down (simulated)", null);
        }
        writes.incrementAndGet();
      }
      try {
        return m.invoke(target, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> T proxy(Class<T> type, Counting c) {
    return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, c);
  }

  private final List<Counting> counters = new ArrayList<>();
  private Stores real;
  private final List<Decision> delivered = new ArrayList<>();
  private volatile boolean executorFails;
  private HashBanks banks;
  private SwitchLog log;

  private ModerationEngine engine(Path dir) {
    counters.clear();
    Stores mem = Stores.inMemory();
    real = mem;
    Counting rep = new Counting(mem.reputation());
    Counting obl = new Counting(mem.obligations());
    Counting hol = new Counting(mem.holds());
    Counting str = new Counting(mem.strikes());
    counters.addAll(List.of(rep, obl, hol, str));
    banks = HashBanks.inMemory();
    banks.add("stopncii", Category.NCII, MatchType.PDQ, PDQ_A);
    log = new SwitchLog(DecisionLogs.directory(dir).fsync(false).build());
    return ModerationEngine.builder().clock(new SettableClock(T0)).banks(banks).decisionLog(log)
        .policyIsolation(PolicyIsolation.INLINE)
        .stores(new Stores(proxy(ReputationStore.class, rep), proxy(ObligationStore.class, obl),
            proxy(EvidenceHoldStore.class, hol), proxy(StrikeStore.class, str)))
        .actionExecutor((req, d) -> {
          if (executorFails) {
            throw new IllegalStateException("executor down (simulated)");
          }
          delivered.add(d);
        })
        .build();
  }

  private List<Integer> writes() {
    List<Integer> out = new ArrayList<>();
    counters.forEach(c -> out.add(c.writes.get()));
    return out;
  }

  /** What the stores hold, for the accounts, reporters and content the requests concern. */
  private String state() {
    java.time.Instant later = T0.plus(Duration.ofDays(1));
    StringBuilder sb = new StringBuilder();
    sb.append(real.obligations().all()).append('|').append(real.holds().all()).append('|');
    for (String a : List.of("u1", "u9", "u5")) {
      sb.append(real.strikes().live(AccountId.of(a), later)).append(',');
    }
    for (String r : List.of("rep1", "u5")) {
      sb.append(real.reputation().reporter(ReporterId.of(r))).append(',');
    }
    sb.append(real.reputation().reports(Target.content(ContentId.of("c1")))).append('|').append(banks.versions());
    return sb.toString();
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void aFailedAppendChangesNoStore(Kind kind, @TempDir Path dir) {
    try (ModerationEngine engine = engine(dir)) {
      kind.setUp.accept(engine);
      String before = state();
      List<Integer> calls = writes();
      log.failAppend = true;
      assertThrows(DecisionLogException.class, () -> engine.evaluate(kind.request.get()));
      assertEquals(before, state(), "nothing may change before the record is durable");
      assertEquals(calls, writes(), "not a single store write before the record is durable");
      assertTrue(log.pending().isEmpty());
      log.failAppend = false;
      engine.evaluate(kind.request.get());
      assertNotEquals(before, state(), "control: the same request, logged, changes state");
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void aFailedApplyIsCompletedByRecoveryOnce(Kind kind, @TempDir Path dir) {
    try (ModerationEngine engine = engine(dir)) {
      kind.setUp.accept(engine);
      // the same request on a twin engine gives the state a complete apply reaches
      counters.forEach(c -> c.failNext = true);
      ModerationRequest req = kind.request.get();
      Decision d;
      try {
        d = engine.evaluate(req);
        // some requests write no store at all (their plan only touches the engine's memory)
        assertTrue(log.pending().isEmpty());
        return;
      } catch (StoreUnavailableException e) {
        assertTrue(e.getMessage().contains("was logged"), e.getMessage());
      }
      counters.forEach(c -> c.failNext = false);
      assertEquals(1, log.pending().size(), "logged and pending");
      assertTrue(delivered.stream().noneMatch(x -> x.id().equals(log.pending().get(0).decision().id())),
          "not delivered before its effects are recorded");
      List<Long> recovered = engine.recover();
      assertEquals(1, recovered.size());
      assertTrue(log.pending().isEmpty());
      String after = state();
      assertTrue(engine.recover().isEmpty(), "nothing left to recover");
      assertEquals(after, state(), "a second recovery changes nothing");
      assertEquals(1, delivered.size() - countSetUpDeliveries(kind), "delivered once, after its effects");
    }
  }

  private static int countSetUpDeliveries(Kind kind) {
    return switch (kind) {
      case UPLOAD_MATCHING_BANK, ACCOUNT -> 0;
      case REPORT, NOTICE, APPEAL -> 1;
      case REVIEW -> 2;
    };
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void aFailedDeliveryIsLoggedAndRedeliveredByRecovery(Kind kind, @TempDir Path dir) {
    try (ModerationEngine engine = engine(dir)) {
      kind.setUp.accept(engine);
      executorFails = true;
      ActionExecutionException e = assertThrows(ActionExecutionException.class,
          () -> engine.evaluate(kind.request.get()));
      String applied = state();
      executorFails = false;
      assertEquals(1, log.pending().size());
      assertEquals(List.of(log.pending().get(0).seq()), engine.recover());
      assertEquals(e.decision().id(), delivered.get(delivered.size() - 1).id(), "the same decision, again");
      assertEquals(applied, state(), "its effects were applied once: recovery re-applies idempotently");
    }
    List<String> outcomes = new ArrayList<>();
    AuditLog.open(dir).forEachEntry(ProgressListener.NONE, x -> {
      if (x instanceof LoggedEvent && ((LoggedEvent) x).event() instanceof LogEvent.Delivery) {
        outcomes.add(((LogEvent.Delivery) ((LoggedEvent) x).event()).outcome());
      }
    });
    assertEquals(List.of("failed", "redelivered"), outcomes, "each delivery outside the normal path is logged");
  }
}

package dev.haetae.moderation.core.engine;

import static dev.haetae.moderation.core.engine.Fixtures.PDQ_A;
import static dev.haetae.moderation.core.engine.Fixtures.T0;

import dev.haetae.moderation.api.AccountEvent;
import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Appeal;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.Content;
import dev.haetae.moderation.api.ContentEvent;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.ContentKind;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.DecisionId;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.LegalNotice;
import dev.haetae.moderation.api.MatchType;
import dev.haetae.moderation.api.ModerationRequest;
import dev.haetae.moderation.api.NoticeSender;
import dev.haetae.moderation.api.ObligationEvent;
import dev.haetae.moderation.api.Pdq;
import dev.haetae.moderation.api.PdqHash;
import dev.haetae.moderation.api.ReporterId;
import dev.haetae.moderation.api.ReviewOutcome;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.Surface;
import dev.haetae.moderation.api.Target;
import dev.haetae.moderation.api.UserReport;
import dev.haetae.moderation.api.Verdict;
import dev.haetae.moderation.api.spi.ActionExecutor;
import dev.haetae.moderation.core.audit.DecisionLogs;
import dev.haetae.moderation.core.audit.EngineLog;
import dev.haetae.moderation.core.audit.LogEvent;
import dev.haetae.moderation.core.audit.Pseudonymizers;
import dev.haetae.moderation.core.effect.Effect;
import dev.haetae.moderation.core.hash.HashBanks;
import dev.haetae.moderation.core.simulate.SettableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The requests of the crash test, one of each kind, and the engine they run on; and {@link #main},
 * the child process that runs the script and halts (like a {@code kill -9}) right after the log
 * append of one decision, before any of its effects are applied.
 */
final class CrashScript {
  static final Map<String, String> TID = Map.of("signature", "s", "identification", "i", "location", "l",
      "good_faith_statement", "g", "contact", "c");
  static final byte[] KEY = new byte[32];

  private CrashScript() {}

  static List<ModerationRequest> requests() {
    Fingerprints doxxFp = Fingerprints.none().withPdq(new Pdq(PdqHash.fromHex(
        "11223344556677881122334455667788112233445566778811223344556677ff"), 100, List.of()));
    return List.of(
        new AccountEvent(AccountId.of("u1"), T0.minus(Duration.ofDays(400)), false, Optional.empty()),
        new AccountEvent(AccountId.of("rep1"), T0.minus(Duration.ofDays(300)), false, Optional.empty()),
        Fixtures.upload("c1"),
        Fixtures.upload("c9", "u9", "r9", PDQ_A),
        UserReport.of(ReporterId.of("rep1"), Target.content(ContentId.of("c1")), Category.NCII),
        new LegalNotice("n1", "US-TAKE-IT-DOWN", ContentId.of("c1"), NoticeSender.VICTIM, TID, T0),
        new ReviewOutcome(Target.content(ContentId.of("c1")), Verdict.VIOLATING, Optional.of(Category.NCII),
            Optional.empty()),
        new Appeal("a1", DecisionId.of("unknown"), ContentId.of("c9"), AccountId.of("u9"), T0, Optional.empty()),
        ContentEvent.upload(Content.of(ContentId.of("c10"), ContentKind.IMAGE, Surface.GROUP)
            .withFingerprints(doxxFp).withText("her name is Jane, 15 yo, she lives at 42 Elm Street"),
            AccountId.of("u1"), RoomId.of("r1")));
  }

  static ModerationEngine engine(SettableClock clock, dev.haetae.moderation.api.spi.DecisionLog log, Stores stores,
      ActionExecutor executor) {
    HashBanks banks = HashBanks.inMemory();
    banks.add("stopncii", Category.NCII, MatchType.PDQ, PDQ_A);
    return ModerationEngine.builder().clock(clock).banks(banks).decisionLog(log).stores(stores)
        .policyIsolation(PolicyIsolation.INLINE).actionExecutor(executor).build();
  }

  static EngineLog log(Path dir) {
    return DecisionLogs.directory(dir).pseudonymizer(Pseudonymizers.hmacSha256("k1", KEY)).build();
  }

  /** Runs the first {@code upTo} requests, one minute apart. */
  static void run(ModerationEngine engine, SettableClock clock, int upTo) {
    List<ModerationRequest> all = requests();
    for (int i = 0; i < upTo; i++) {
      clock.set(T0.plus(Duration.ofMinutes(i)));
      engine.evaluate(all.get(i));
    }
  }

  /** A log that halts the process right after the {@code haltAt}-th decision record is durable. */
  static final class HaltingLog implements EngineLog {
    private final EngineLog delegate;
    private final int haltAt;
    private int decisions;

    HaltingLog(EngineLog delegate, int haltAt) {
      this.delegate = delegate;
      this.haltAt = haltAt;
    }

    @Override
    public long append(Evidence evidence, Decision decision) {
      return delegate.append(evidence, decision);
    }

    @Override
    public synchronized long append(Evidence evidence, Decision decision, List<Effect> effects,
        List<ObligationEvent> events) {
      long seq = delegate.append(evidence, decision, effects, events);
      if (++decisions == haltAt) {
        Runtime.getRuntime().halt(137); // no shutdown hooks, no flush: as a kill -9 after the append
      }
      return seq;
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

  /**
   * The child process: {@code LOG_DIR HALT_AT}. Runs the script on in-memory stores and halts right
   * after decision {@code HALT_AT} is logged.
   *
   * @param args the log directory and the decision to halt after
   */
  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    int haltAt = Integer.parseInt(args[1]);
    SettableClock clock = new SettableClock(T0);
    ModerationEngine engine = engine(clock, new HaltingLog(log(dir), haltAt), Stores.inMemory(), ActionExecutor.NONE);
    run(engine, clock, requests().size());
    System.exit(3); // the halt did not happen
  }
}

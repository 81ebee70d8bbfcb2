package dev.haetae.moderation.postgres;

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
import dev.haetae.moderation.api.spi.DecisionLog;
import dev.haetae.moderation.core.audit.EngineLog;
import dev.haetae.moderation.core.audit.LogEvent;
import dev.haetae.moderation.core.effect.Effect;
import dev.haetae.moderation.core.engine.ModerationEngine;
import dev.haetae.moderation.core.engine.PolicyIsolation;
import dev.haetae.moderation.core.engine.Stores;
import dev.haetae.moderation.core.hash.HashBanks;
import dev.haetae.moderation.core.simulate.SettableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The requests of the PostgreSQL crash test, one of each kind, and the engine they run on: all
 * shared state in one schema ({@code pg.stores()}), decisions in the shard {@value #SHARD}. {@link
 * #main} is the child process, which runs the script and halts (like a {@code kill -9}) right after
 * the log append of one decision has committed, before any of its effects are applied.
 */
final class PgCrashScript {
  static final String SHARD = "crash";
  static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
  static final String PDQ_A = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";
  static final String PHOTO = "0f0f0f0f33333333555555550f0f0f0f33333333555555550f0f0f0f33333333";
  static final Map<String, String> TID = Map.of("signature", "s", "identification", "i", "location", "l",
      "good_faith_statement", "g", "contact", "c");

  private PgCrashScript() {}

  private static ContentEvent image(String content, String account, String room, String pdqHex) {
    Fingerprints fp = Fingerprints.none().withPdq(new Pdq(PdqHash.fromHex(pdqHex), 100, List.of()));
    return ContentEvent.upload(Content.of(ContentId.of(content), ContentKind.IMAGE, Surface.GROUP).withFingerprints(fp),
        AccountId.of(account), RoomId.of(room));
  }

  static List<ModerationRequest> requests() {
    return List.of(
        new AccountEvent(AccountId.of("u1"), T0.minus(Duration.ofDays(400)), false, Optional.empty()),
        new AccountEvent(AccountId.of("rep1"), T0.minus(Duration.ofDays(300)), false, Optional.empty()),
        ContentEvent.upload(ContentId.of("c1"), AccountId.of("u1"), RoomId.of("r1"), Surface.GROUP, ContentKind.FILE,
            "bytes of c1".getBytes(StandardCharsets.UTF_8)),
        image("c9", "u9", "r9", PDQ_A),
        UserReport.of(ReporterId.of("rep1"), Target.content(ContentId.of("c1")), Category.NCII),
        new LegalNotice("n1", "US-TAKE-IT-DOWN", ContentId.of("c1"), NoticeSender.VICTIM, TID, T0),
        new ReviewOutcome(Target.content(ContentId.of("c1")), Verdict.VIOLATING, Optional.of(Category.NCII),
            Optional.empty()),
        new Appeal("a1", DecisionId.of("unknown"), ContentId.of("c9"), AccountId.of("u9"), T0, Optional.empty()),
        new ContentEvent(ContentEvent.Action.PROFILE_PHOTO_CHANGE, Content.of(ContentId.of("p1"),
            ContentKind.PROFILE_PHOTO, Surface.PUBLIC_CHANNEL).withFingerprints(Fingerprints.none().withPdq(new Pdq(
                PdqHash.fromHex(PHOTO), 100, List.of()))), AccountId.of("u5"), Optional.empty(), Optional.empty(), true,
            Optional.empty()));
  }

  static ModerationEngine engine(SettableClock clock, DecisionLog log, Stores stores, ActionExecutor executor) {
    HashBanks banks = HashBanks.inMemory();
    banks.add("stopncii", Category.NCII, MatchType.PDQ, PDQ_A);
    return ModerationEngine.builder().clock(clock).banks(banks).decisionLog(log).stores(stores)
        .policyIsolation(PolicyIsolation.INLINE).actionExecutor(executor).build();
  }

  static EngineLog log(HaetaePostgres pg) {
    return pg.decisionLog(SHARD, LogRequests.KEY);
  }

  /** Runs the first {@code upTo} requests, one minute apart. */
  static void run(ModerationEngine engine, SettableClock clock, int upTo) {
    List<ModerationRequest> all = requests();
    for (int i = 0; i < upTo; i++) {
      clock.set(T0.plus(Duration.ofMinutes(i)));
      engine.evaluate(all.get(i));
    }
  }

  /** A log that halts the process right after the {@code haltAt}-th decision record has committed. */
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
        Runtime.getRuntime().halt(137); // no shutdown hooks, no flush: as a kill -9 after the commit
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
   * The child process: {@code SCHEMA HALT_AT}. Runs the script on the schema's stores and halts
   * right after decision {@code HALT_AT} is committed to the log.
   *
   * @param args the schema and the decision to halt after
   */
  public static void main(String[] args) {
    int haltAt = Integer.parseInt(args[1]);
    HaetaePostgres pg = PgTestServer.open("crash", args[0]);
    SettableClock clock = new SettableClock(T0);
    ModerationEngine engine = engine(clock, new HaltingLog(log(pg), haltAt), pg.stores(), ActionExecutor.NONE);
    run(engine, clock, requests().size());
    System.exit(3); // the halt did not happen
  }
}

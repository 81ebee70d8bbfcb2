package dev.haetae.moderation.bench.rules;

import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.Content;
import dev.haetae.moderation.api.ContentEvent;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.ContentKind;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.LegalGround;
import dev.haetae.moderation.api.MatchType;
import dev.haetae.moderation.api.Outcome;
import dev.haetae.moderation.api.PolicyId;
import dev.haetae.moderation.api.Reason;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.Surface;
import dev.haetae.moderation.api.spi.Policy;
import dev.haetae.moderation.core.policy.PolicyConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One evaluation of the rules guide's example rule ("an NCII match at distance 20 or less from an
 * account younger than 7 days: suspend") as a CEL rule and as the equivalent Java policy, over the
 * same 256 pre-built evidences (image uploads with 0 to 3 bank matches of mixed categories and
 * distances, account ages 0 to 13 days, a fifth with unknown age, plus the standing and room
 * signals the engine adds). {@code none} is the loop alone. The set-up checks that rule and policy
 * propose the same actions on every evidence.
 *
 * <p>Run: {@code java -jar moderation-benchmarks/target/benchmarks.jar RuleVsJavaBenchmark -prof gc}.
 * Quote the ratio rule/java from one run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RuleVsJavaBenchmark {
  static final String RULES = """
      {"rules": [
        {"id": "ncii-new-account", "version": "1",
         "when": "request.kind == 'content' && request.content_kind == 'image' && matches.exists(m, m.category == 'ncii' && m.distance <= 20) && account.age_known && account.age_days < 7",
         "actions": [{"suspend": "P30D"}], "category": "ncii",
         "reason": "An image matching the NCII bank was posted by an account younger than 7 days.",
         "ground": {"terms": "ToS 4.2 (non-consensual intimate images)",
                    "explanation": "Accounts created to spread intimate images without consent are suspended."}}]}
      """;

  /** The same rule in Java, as the rules guide shows it. */
  static final class NciiNewAccountPolicy implements Policy {
    private static final PolicyId ID = PolicyId.of("ncii-new-account-java", "1");
    private static final LegalGround GROUND = LegalGround.terms("ToS 4.2 (non-consensual intimate images)",
        "Accounts created to spread intimate images without consent are suspended.");

    @Override
    public PolicyId id() {
      return ID;
    }

    @Override
    public Outcome evaluate(Evidence evidence) {
      if (!(evidence.request() instanceof ContentEvent)
          || ((ContentEvent) evidence.request()).content().kind() != ContentKind.IMAGE) {
        return Outcome.none();
      }
      boolean match = false;
      for (Signal.HashMatch m : evidence.signals(Signal.HashMatch.class)) {
        match |= m.category() == Category.NCII && m.distance() <= 20;
      }
      if (!match) {
        return Outcome.none();
      }
      for (Signal.AccountStanding a : evidence.signals(Signal.AccountStanding.class)) {
        if (a.accountAge().map(age -> age.toDays() < 7).orElse(false)) {
          return Outcome.of(List.of(new Action.SuspendAccount(Optional.of(Duration.ofDays(30)))),
              List.of(Reason.of(ID, "ncii-new-account",
                  "An image matching the NCII bank was posted by an account younger than 7 days.",
                  Category.NCII, GROUND)));
        }
      }
      return Outcome.none();
    }
  }

  private Evidence[] evidence;
  private Policy rule;
  private Policy java;
  private int i;

  /** Builds the evidence and checks that rule and policy agree on all of it. */
  @Setup
  public void setUp() {
    rule = PolicyConfig.parse(RULES).extra().get(0);
    java = new NciiNewAccountPolicy();
    SplittableRandom rnd = new SplittableRandom(22);
    Category[] cats = {Category.NCII, Category.SEXUAL_DEEPFAKE, Category.SPAM};
    Instant now = Instant.parse("2026-11-21T10:00:00Z");
    List<Evidence> all = new ArrayList<>();
    for (int k = 0; k < 256; k++) {
      ContentEvent upload = ContentEvent.upload(Content.of(ContentId.of("c" + k), ContentKind.IMAGE, Surface.GROUP),
          AccountId.of("u" + k), RoomId.of("r1"));
      List<Signal> s = new ArrayList<>();
      for (int m = rnd.nextInt(4); m > 0; m--) {
        s.add(new Signal.HashMatch("bank", 1, cats[rnd.nextInt(cats.length)], MatchType.PDQ, "e" + m,
            rnd.nextInt(32), 31, 90, false));
      }
      Optional<Duration> age = rnd.nextInt(5) == 0 ? Optional.empty() : Optional.of(Duration.ofHours(rnd.nextInt(14 * 24)));
      s.add(new Signal.AccountStanding(AccountId.of("u" + k), rnd.nextInt(3), false, age));
      s.add(new Signal.RoomActivity(RoomId.of("r1"), rnd.nextInt(4), Duration.ofHours(24)));
      all.add(new Evidence(now, upload, s, Map.of()));
    }
    evidence = all.toArray(new Evidence[0]);
    int fired = 0;
    for (Evidence e : evidence) {
      List<Action> a = rule.evaluate(e).actions();
      if (!a.equals(java.evaluate(e).actions())) {
        throw new IllegalStateException("the rule and the Java policy disagree on " + e);
      }
      fired += a.isEmpty() ? 0 : 1;
    }
    if (fired == 0 || fired == evidence.length) {
      throw new IllegalStateException("the samples do not exercise the rule both ways: " + fired);
    }
  }

  private Evidence next() {
    return evidence[i++ & 255];
  }

  /** The loop and the evidence lookup alone. */
  @Benchmark
  public Evidence none() {
    return next();
  }

  /** The Java policy. */
  @Benchmark
  public Outcome javaPolicy() {
    return java.evaluate(next());
  }

  /** The CEL rule: the evidence's variables built, then the compiled expression evaluated. */
  @Benchmark
  public Outcome celRule() {
    return rule.evaluate(next());
  }
}

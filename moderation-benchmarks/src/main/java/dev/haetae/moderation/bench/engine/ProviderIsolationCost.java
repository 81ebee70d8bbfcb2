package dev.haetae.moderation.bench.engine;

import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Content;
import dev.haetae.moderation.api.ContentEvent;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.ContentKind;
import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.ModerationRequest;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.Sha256;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.Surface;
import dev.haetae.moderation.api.spi.DecisionLog;
import dev.haetae.moderation.api.spi.SignalProvider;
import dev.haetae.moderation.core.engine.ModerationEngine;
import dev.haetae.moderation.core.engine.PolicyIsolation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What isolating host signal providers costs per decision: the wall-clock time of {@code evaluate}
 * with one trivial provider under {@link PolicyIsolation#THREADS} (the provider runs on a worker
 * under its budget, one hand-off) against {@link PolicyIsolation#INLINE} (the caller's thread, as
 * every provider ran before 0.2), and the same two without a provider. Log off, built-in pack on.
 * The four configurations run in interleaved rounds in one process; the median round is reported.
 *
 * <pre>
 * java -cp moderation-benchmarks/target/benchmarks.jar dev.haetae.moderation.bench.engine.ProviderIsolationCost [rounds] [decisions per round]
 * </pre>
 */
public final class ProviderIsolationCost {
  private ProviderIsolationCost() {}

  /** A provider that does almost nothing, so that the hand-off is what is measured. */
  static final class Trivial implements SignalProvider {
    @Override
    public String id() {
      return "trivial";
    }

    @Override
    public String version() {
      return "1";
    }

    @Override
    public List<Signal> signals(ModerationRequest request, Instant now) {
      return List.of(new Signal.Custom("trivial", "score", Map.of("score", "0.5")));
    }

    @Override
    public Set<String> safeAttributes() {
      return Set.of("score");
    }
  }

  /**
   * Runs the measurement.
   *
   * @param args rounds (default 15), decisions per round (default 20,000)
   */
  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
    String[] names = {"inline, no provider", "threads, no provider", "inline, 1 provider", "threads, 1 provider"};
    List<ModerationEngine> engines = new ArrayList<>();
    for (int i = 0; i < names.length; i++) {
      var b = ModerationEngine.builder().decisionLog(DecisionLog.DISCARD).serviceLoader(false, null)
          .policyIsolation(i % 2 == 0 ? PolicyIsolation.INLINE : PolicyIsolation.THREADS);
      if (i >= 2) {
        b.signalProvider(new Trivial());
      }
      engines.add(b.build());
    }
    List<List<Double>> micros = new ArrayList<>();
    for (int i = 0; i < names.length; i++) {
      micros.add(new ArrayList<>());
    }
    long k = 0;
    for (int r = -2; r < rounds; r++) {                 // two warm-up rounds
      for (int i = 0; i < names.length; i++) {
        long t0 = System.nanoTime();
        for (int j = 0; j < n; j++) {
          engines.get(i).evaluate(ContentEvent.upload(Content.of(ContentId.of("c" + k), ContentKind.IMAGE,
              Surface.GROUP).withFingerprints(Fingerprints.none().withSha256(Sha256.fromHex(
                  String.format("%064x", k++)))), AccountId.of("u" + (k % 1000)), RoomId.of("r1")));
        }
        if (r >= 0) {
          micros.get(i).add((System.nanoTime() - t0) / 1e3 / n);
        }
      }
    }
    double base = median(micros.get(0));
    for (int i = 0; i < names.length; i++) {
      double m = median(micros.get(i));
      System.out.printf(Locale.ROOT, "%-22s %8.2f us/decision  %5.2fx%n", names[i], m, m / base);
    }
    engines.forEach(ModerationEngine::close);
  }

  private static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    Collections.sort(s);
    return s.get(s.size() / 2);
  }
}

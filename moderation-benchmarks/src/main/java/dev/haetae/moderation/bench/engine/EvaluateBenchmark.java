package dev.haetae.moderation.bench.engine;

import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.Content;
import dev.haetae.moderation.api.ContentEvent;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.ContentKind;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.MatchType;
import dev.haetae.moderation.api.Pdq;
import dev.haetae.moderation.api.PdqHash;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.Sha256;
import dev.haetae.moderation.api.Surface;
import dev.haetae.moderation.api.spi.DecisionLog;
import dev.haetae.moderation.core.audit.DecisionLogs;
import dev.haetae.moderation.core.engine.ModerationEngine;
import dev.haetae.moderation.core.engine.PolicyIsolation;
import dev.haetae.moderation.core.hash.HashBanks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@code evaluate()} end to end: the built-in policy pack, a PDQ bank of {@code bankSize} entries,
 * in-memory stores, pre-hashed content events (PDQ + SHA-256 supplied by the host, so no image
 * decoding), 1% of them near-copies of banked images (which are removed, strike the poster and grow
 * the platform bank). The decision log is {@link DecisionLog#DISCARD} ({@code log=off}) or the
 * directory log of {@code DecisionLogs.directory} ({@code log=directory}: on this branch one
 * synchronised write and {@code force} per decision, no group commit).
 *
 * <p>Run: {@code java -jar moderation-benchmarks/target/benchmarks.jar EvaluateBenchmark -prof gc};
 * decisions/s per core is the single-threaded throughput, bytes per decision is
 * {@code gc.alloc.rate.norm}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EvaluateBenchmark {
  /** Entries in the PDQ bank. */
  @Param({"1000000"})
  public int bankSize;

  /** {@code off} (discard) or {@code directory} (durable file log). */
  @Param({"off", "directory"})
  public String log;

  /** How plugin and shadow policies are isolated; the built-in pack always runs inline. */
  @Param({"INLINE", "THREADS"})
  public String isolation;

  private ModerationEngine engine;
  private DecisionLog decisionLog;
  private Path dir;
  private ContentEvent[] events;
  private int next;

  /** A new instance for JMH. */
  public EvaluateBenchmark() {}

  /**
   * Builds the bank, the engine and the events.
   *
   * @throws IOException when the log directory cannot be created
   */
  @Setup(Level.Trial)
  public void setUp() throws IOException {
    Random rnd = new Random(42);
    HashBanks banks = HashBanks.inMemory().define("stopncii", Category.NCII, 31);
    List<PdqHash> known = new ArrayList<>();
    for (int i = 0; i < bankSize; i++) {
      PdqHash h = new PdqHash(rnd.nextLong(), rnd.nextLong(), rnd.nextLong(), rnd.nextLong());
      if (i < 1000) {
        known.add(h);
      }
      banks.add("stopncii", Category.NCII, MatchType.PDQ, h.toHex());
    }
    if (log.equals("off")) {
      decisionLog = DecisionLog.DISCARD;
    } else {
      dir = Files.createTempDirectory("haetae-bench-log");
      decisionLog = DecisionLogs.directory(dir).build();
    }
    engine = ModerationEngine.builder().banks(banks).decisionLog(decisionLog).serviceLoader(false, null)
        .policyIsolation(PolicyIsolation.valueOf(isolation)).build();
    events = new ContentEvent[4096];
    for (int i = 0; i < events.length; i++) {
      PdqHash h = rnd.nextInt(100) == 0 && !known.isEmpty()
          ? flip(known.get(rnd.nextInt(known.size())), 1 + rnd.nextInt(6), rnd)
          : new PdqHash(rnd.nextLong(), rnd.nextLong(), rnd.nextLong(), rnd.nextLong());
      byte[] sha = new byte[32];
      rnd.nextBytes(sha);
      Fingerprints fp = Fingerprints.none().withPdq(new Pdq(h, 90, List.of())).withSha256(Sha256.fromHex(hex(sha)));
      events[i] = ContentEvent.upload(Content.of(ContentId.of("c" + i), ContentKind.IMAGE, Surface.GROUP)
          .withFingerprints(fp), AccountId.of("u" + rnd.nextInt(5000)), RoomId.of("r" + rnd.nextInt(500)));
    }
  }

  /** Closes the engine and the log. */
  @TearDown(Level.Trial)
  public void tearDown() {
    engine.close();
    if (decisionLog != DecisionLog.DISCARD) {
      decisionLog.close();
    }
  }

  /**
   * One decision.
   *
   * @return the decision, consumed by JMH
   */
  @Benchmark
  public Decision evaluate() {
    ContentEvent e = events[next];
    next = (next + 1) & (events.length - 1);
    return engine.evaluate(e);
  }

  private static PdqHash flip(PdqHash h, int bits, Random rnd) {
    long[] w = {h.w0(), h.w1(), h.w2(), h.w3()};
    for (int i = 0; i < bits; i++) {
      int b = rnd.nextInt(256);
      w[b >>> 6] ^= 1L << (b & 63);
    }
    return new PdqHash(w[3], w[2], w[1], w[0]);
  }

  private static String hex(byte[] b) {
    StringBuilder sb = new StringBuilder(b.length * 2);
    for (byte x : b) {
      sb.append(Character.forDigit((x >> 4) & 15, 16)).append(Character.forDigit(x & 15, 16));
    }
    return sb.toString();
  }
}

package dev.haetae.moderation.core.audit;

import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.spi.Pseudonymizer;
import dev.haetae.moderation.bench.BuildLoaders;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * A same-process A/B of two builds of the decision log's encoding: what every engine-path append
 * costs its calling thread before the log takes it (the record's tree and JSON bytes with keyed
 * pseudonyms through the log's pseudonym cache, and the outbox entry's with raw ids). Each build's
 * core classes are loaded by a class loader of their own, both encode the same seeded records
 * (those {@code AppendRates} appends), in batches timed in thread CPU, who goes first alternating.
 * Both builds' bytes are checksummed and compared, so a build that writes other bytes stops the run.
 *
 * <p>Run: {@code java -cp moderation-benchmarks/target/benchmarks.jar
 * dev.haetae.moderation.core.audit.EncodeAb A.jar B.jar [records [rounds]]}, where {@code A.jar}
 * and {@code B.jar} are two builds' {@code moderation-core} jars (or whole benchmarks jars); defaults
 * 1,024 records (cycled), 8 rounds of 20,000 records per build. With one jar it times that build
 * alone. Benchmarks only: it lives in the core's package to reach the package-private codecs; a
 * command-line tool, not thread-safe.
 */
public final class EncodeAb {
  private static final int BATCH = 500;

  private EncodeAb() {}

  /**
   * Runs the A/B (see the class comment for the arguments).
   *
   * @param args the builds' jars, then optionally the number of records and of rounds
   * @throws Exception when a build cannot be loaded, or the builds write different bytes
   */
  public static void main(String[] args) throws Exception {
    List<String> builds = BuildLoaders.builds(args);
    int at = builds.size();
    int records = at < args.length ? Integer.parseInt(args[at++]) : 1024;
    int rounds = at < args.length ? Integer.parseInt(args[at++]) : 8;
    int k = builds.size();
    Object[] state = new Object[k];
    Method[] run = new Method[k];
    for (int b = 0; b < k; b++) {
      Class<?> c = BuildLoaders.load(builds.get(b), EncodeAb.class);
      state[b] = c.getMethod("prepare", int.class).invoke(null, records);
      run[b] = c.getMethod("run", Object.class, int.class, int.class, boolean.class);
    }
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    for (boolean outbox : new boolean[] {false, true}) {
      long[] sums = new long[k];
      for (int b = 0; b < k; b++) {
        for (int w = 0; w < 20; w++) { // warm-up: the JIT compiles both builds' codecs
          sums[b] = (long) run[b].invoke(null, state[b], 0, records, outbox);
        }
      }
      if (k == 2 && sums[0] != sums[1]) {
        throw new IllegalStateException("the builds write different bytes: " + sums[0] + " against " + sums[1]);
      }
      String what = outbox ? "outbox entry (raw ids)" : "record (pseudonyms, cached)";
      System.out.printf(Locale.ROOT, "%s, %d records cycled, %s; load average %.2f%n", what, records, builds,
          BuildLoaders.load());
      double[] total = new double[k];
      int per = 20_000;
      for (int r = 0; r < rounds; r++) {
        long[] cpu = new long[k];
        for (int from = 0; from < per; from += BATCH) {
          for (int i = 0; i < k; i++) {
            int b = (r + from / BATCH + i) % k; // who goes first alternates
            long c = threads.getCurrentThreadCpuTime();
            run[b].invoke(null, state[b], from % records, BATCH, outbox);
            cpu[b] += threads.getCurrentThreadCpuTime() - c;
          }
        }
        double[] round = new double[k];
        for (int b = 0; b < k; b++) {
          total[b] += cpu[b];
          round[b] = cpu[b];
        }
        System.out.println(BuildLoaders.abLine("  round " + (r + 1) + ":", round, per, 2)
            .append(String.format(Locale.ROOT, "; load %.2f", BuildLoaders.load())));
      }
      System.out.println(BuildLoaders.abLine("  mean:", total, (double) per * rounds, 2));
    }
  }

  /** What one build encodes: its codec and the records. */
  private record State(RecordCodec codec, Evidence[] evidence, Decision[] decisions) {}

  /**
   * Builds the records and the codec as the directory log builds it (called reflectively in each
   * build's loader).
   *
   * @param n how many records
   * @return the state for {@link #run}
   * @throws ReflectiveOperationException when the benchmarks' record generator cannot be reached
   */
  public static Object prepare(int n) throws ReflectiveOperationException {
    Class<?> records = Class.forName("dev.haetae.moderation.bench.audit.Records", true, EncodeAb.class.getClassLoader());
    Method ev = records.getDeclaredMethod("evidence", Random.class, int.class);
    Method dec = records.getDeclaredMethod("decision", Evidence.class, int.class);
    ev.setAccessible(true);
    dec.setAccessible(true);
    Random r = new Random(3); // as AppendRates
    Evidence[] e = new Evidence[n];
    Decision[] d = new Decision[n];
    for (int i = 0; i < n; i++) {
      e[i] = (Evidence) ev.invoke(null, r, i);
      d[i] = (Decision) dec.invoke(null, e[i], i);
    }
    Pseudonymizer p = Pseudonymizers.hmacSha256("bench", "0123456789abcdef".getBytes(StandardCharsets.UTF_8));
    return new State(new RecordCodec(Pseudonymizers.cached(p, 16_384), Set.of()), e, d);
  }

  /**
   * Encodes records {@code from .. from + n - 1} (cycled), the record or the outbox entry (called
   * reflectively).
   *
   * @param state from {@link #prepare}
   * @param from the first record
   * @param n how many
   * @param outbox whether to encode outbox entries instead of records
   * @return a checksum of the bytes, to compare builds
   * @throws java.io.IOException when a record cannot be encoded
   */
  public static long run(Object state, int from, int n, boolean outbox) throws java.io.IOException {
    State s = (State) state;
    long sum = 0;
    for (int j = from; j < from + n; j++) {
      int i = j % s.evidence.length;
      byte[] bytes = outbox ? FileOutbox.encode(s.evidence[i], s.decisions[i], List.of(), List.of())
          : JsonBytes.members(s.codec.encode(s.evidence[i], s.decisions[i], List.of(), List.of()));
      sum = 31 * sum + Arrays.hashCode(bytes);
    }
    return sum;
  }
}

package dev.haetae.moderation.cli;

import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.Pdq;
import dev.haetae.moderation.api.PdqHash;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.core.hash.Bank;
import dev.haetae.moderation.core.hash.BankConfig;
import dev.haetae.moderation.core.hash.FloodPolicy;
import dev.haetae.moderation.core.hash.HashBanks;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code haetae bench}: benchmarks that print their figures. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks that print their figures.",
    subcommands = {BenchCommand.Index.class, BenchCommand.Engine.class, AugmentRecallCommand.class})
final class BenchCommand implements Runnable {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /**
   * {@code haetae bench engine}: the CPU of a whole new-image decision against an N-hash bank, by
   * stage, next to the reference-exact hash of the same file measured in the same run.
   */
  @Command(name = "engine", mixinStandardHelpOptions = true,
      description = {"Builds a PDQ bank of N synthetic hashes and an engine over it (decision log off, match cache "
          + "off, so every image is new), then measures for each image file of DIR the thread CPU of a whole "
          + "decision on its bytes (decode, SHA-256, MD5, PDQ and every engine-default query variant, bank match, "
          + "policies), split by stage, and in the same rounds the baseline: the same bytes through ImageHasher at "
          + "Resolution.FULL without variants (ImageIO decode, PDQ bit-exact with the reference hasher, SHA-256, "
          + "MD5). Medians over rounds per image; the last line is the median ratio over the images. The engine's "
          + "own split (its stages as its listener reports them) gives the rest of a decision directly.",
          "10M hashes need about -Xmx8g. Pre-touch the heap, or the page faults of a large young generation's first "
              + "use are charged to the hashing (they tripled it at 8 GB): HAETAE_JAVA_OPTS='-Xmx8g -Xms8g "
              + "-XX:+AlwaysPreTouch' ./haetae bench engine --bank 10000000 --images DIR"})
  static final class Engine implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--bank", required = true, description = "PDQ hashes in the bank, e.g. 10000000")
    int bank;

    @Option(names = "--data", defaultValue = "uniform",
        description = "uniform (random hashes) or clustered (near-duplicate families); default ${DEFAULT-VALUE}")
    String data;

    @Option(names = "--images", required = true, description = "a directory of image files (e.g. the corpus originals)")
    java.nio.file.Path images;

    @Option(names = "--threads", defaultValue = "1",
        description = "threads for an extra throughput phase (decisions/s of the whole machine); default ${DEFAULT-VALUE}")
    int threads;

    @Option(names = "--rounds", defaultValue = "5", description = "measured rounds over the images; default ${DEFAULT-VALUE}")
    int rounds;

    @Option(names = "--seed", defaultValue = "1", description = "random seed of the bank; default ${DEFAULT-VALUE}")
    long seed;

    @Option(names = "--per-image", description = "print one line per image")
    boolean perImage;

    @Option(names = "--half-scale-jpeg", negatable = true, defaultValue = "true", fallbackValue = "true",
        description = "hash 512-1023 px baseline colour JPEGs from the own half-scale decode (the engine's "
            + "halfScaleJpeg, on by default); --no-half-scale-jpeg decodes them with ImageIO")
    boolean halfScaleJpeg = true;

    @Option(names = "--variant-distance", defaultValue = "21", description = "also time the bank match of each image "
        + "with the bank's pdqVariantDistance at this distance (the main hash at 31, the variants here), in the same "
        + "rounds; the decision itself runs with the default (all at 31); default ${DEFAULT-VALUE}")
    int variantDistance;

    @Option(names = "--warm-decisions", defaultValue = "20000", description = "decisions first made on the images' "
        + "fingerprints by a second engine over an empty bank, so that the code of the decision beyond hashing and "
        + "matching is compiled as in a running server (the rounds alone make a few hundred decisions); 0 for none; "
        + "default ${DEFAULT-VALUE}")
    int warmDecisions;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      boolean clustered = data.equals("clustered");
      if (bank < 0 || rounds < 1 || threads < 1 || (!clustered && !data.equals("uniform"))
          || variantDistance < 0 || variantDistance > BankConfig.DEFAULT_PDQ_DISTANCE || warmDecisions < 0) {
        err.println("bench engine: --bank >= 0, --rounds and --threads >= 1, --data uniform or clustered, "
            + "--variant-distance 0..31, --warm-decisions >= 0");
        return 2;
      }
      java.util.List<java.nio.file.Path> files = new java.util.ArrayList<>();
      try (var list = java.nio.file.Files.list(images)) {
        list.filter(java.nio.file.Files::isRegularFile).sorted().forEach(files::add);
      } catch (java.io.IOException e) {
        err.println("bench engine: cannot list " + images + ": " + e.getMessage());
        return 1;
      }
      dev.haetae.moderation.core.hash.ImageHasher reference = dev.haetae.moderation.core.hash.ImageHasher.builder()
          .resolution(dev.haetae.moderation.core.hash.ImageHasher.Resolution.FULL).queryVariants(false).build();
      dev.haetae.moderation.core.hash.ImageHasher hasher =
          dev.haetae.moderation.core.hash.ImageHasher.builder().halfScaleJpeg(halfScaleJpeg).build();
      java.util.List<byte[]> bytes = new java.util.ArrayList<>();
      java.util.List<String> names = new java.util.ArrayList<>();
      java.util.List<Fingerprints> fps = new java.util.ArrayList<>();
      for (java.nio.file.Path f : files) {
        byte[] b = java.nio.file.Files.readAllBytes(f);
        try {
          reference.fingerprint(b);
          fps.add(hasher.fingerprint(b));
        } catch (dev.haetae.moderation.api.InvalidRequestException e) {
          err.println("bench engine: skipped " + f.getFileName() + ": " + e.getMessage());
          continue;
        }
        bytes.add(b);
        names.add(f.getFileName().toString());
      }
      if (bytes.isEmpty()) {
        err.println("bench engine: no image in " + images);
        return 2;
      }
      Runtime rt = Runtime.getRuntime();
      out.printf(Locale.ROOT, "haetae bench engine: bank of %,d %s PDQ hashes (distance 31), %d images from %s, "
          + "java %s, %d cpus, max heap %,d MB, system load average %.2f%n", bank, data, bytes.size(), images,
          System.getProperty("java.version"), rt.availableProcessors(), rt.maxMemory() >> 20, loadAverage());
      SplittableRandom rnd = new SplittableRandom(seed);
      HashBanks banks = HashBanks.builder().matchCacheSize(0).build();
      Bank b = banks.define(BankConfig.builder("bench", Category.NCII).flood(FloodPolicy.disabled()).build());
      if (bank > 0) {
        long[] words = clustered ? Index.clustered(rnd, bank, 20, 24) : Index.uniform(rnd, bank);
        long t0 = System.nanoTime();
        b.addPdqBulk(words, bank);
        out.printf(Locale.ROOT, "bank built in %,.0f ms, %.1f heap bytes per hash (from array sizes)%n",
            (System.nanoTime() - t0) / 1e6, b.pdqHeapBytes() / (double) bank);
      }
      // the engine's own split: its listener hands over the stage times of each evaluation as it
      // measured them inside (the evaluating thread's CPU, its stage clock), so the rest of a
      // decision is read, not worked out as the decision minus a standalone hash and match
      long[] lastStages = new long[STAGES.length];
      dev.haetae.moderation.api.observe.EngineListener split = new dev.haetae.moderation.api.observe.EngineListener() {
        @Override
        public void evaluated(dev.haetae.moderation.api.observe.Evaluation evaluation) {
          for (dev.haetae.moderation.api.observe.Stage s : STAGES) {
            lastStages[s.ordinal()] = evaluation.nanos(s);
          }
        }
      };
      warm(out, fps, warmDecisions, halfScaleJpeg);
      try (dev.haetae.moderation.core.engine.ModerationEngine engine =
               dev.haetae.moderation.core.engine.ModerationEngine.builder().banks(banks).halfScaleJpeg(halfScaleJpeg)
                   .decisionLog(dev.haetae.moderation.api.spi.DecisionLog.DISCARD).serviceLoader(false, null)
                   .policyIsolation(dev.haetae.moderation.core.engine.PolicyIsolation.INLINE).listener(split)
                   .stageClock(ManagementFactory.getThreadMXBean()::getCurrentThreadCpuTime).build()) {
        int n = bytes.size();
        // per image and stage: the CPU of each round
        double[][][] cpu = new double[5][n][rounds];
        // per stage of the engine, image and round: its CPU; and the wall time of the whole call
        double[][][] stage = new double[STAGES.length + 2][n][rounds];
        java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long[] id = {0};
        long sink = 0;
        BankConfig plain = b.config();
        BankConfig cascaded = plain.toBuilder().pdqVariantDistance(variantDistance).build();
        double loadBefore = loadAverage();
        for (int r = -2; r < rounds; r++) { // two rounds of warm-up
          for (int i = 0; i < n; i++) {
            byte[] img = bytes.get(i);
            long c0 = mx.getCurrentThreadCpuTime();
            sink += reference.fingerprint(img).pdq().orElseThrow().quality();
            long c1 = mx.getCurrentThreadCpuTime();
            long w1 = System.nanoTime();
            sink += engine.evaluate(upload(img, id[0]++)).actions().size();
            long w2 = System.nanoTime();
            long c2 = mx.getCurrentThreadCpuTime();
            Fingerprints fp = hasher.fingerprint(img);
            long c3 = mx.getCurrentThreadCpuTime();
            sink += banks.match(fp).size();
            long c4 = mx.getCurrentThreadCpuTime();
            if (r >= 0) {
              cpu[0][i][r] = (c1 - c0) / 1e6;
              cpu[1][i][r] = (c2 - c1) / 1e6;
              cpu[2][i][r] = (c3 - c2) / 1e6;
              cpu[3][i][r] = (c4 - c3) / 1e6;
              for (int k = 0; k < STAGES.length; k++) {
                stage[k][i][r] = lastStages[k] / 1e6;
              }
              stage[STAGES.length][i][r] = (w2 - w1) / 1e6;
              double sum = 0;
              for (int k = 0; k < STAGES.length; k++) {
                sum += lastStages[k] / 1e6;
              }
              stage[STAGES.length + 1][i][r] = sum;
            }
          }
          // the variant distance after the round's decisions, not between them: redefining the
          // bank changes its version, which the engine would then rebuild inside the next decision
          banks.define(cascaded);
          for (int i = 0; i < n; i++) {
            long c5 = mx.getCurrentThreadCpuTime();
            sink += banks.match(fps.get(i)).size();
            long c6 = mx.getCurrentThreadCpuTime();
            if (r >= 0) {
              cpu[4][i][r] = (c6 - c5) / 1e6;
            }
          }
          banks.define(plain);
        }
        double loadAfter = loadAverage();
        double[] ref = new double[n];
        double[] dec = new double[n];
        double[] hash = new double[n];
        double[] match = new double[n];
        double[] cascade = new double[n];
        double[] ratio = new double[n];
        if (perImage) {
          out.printf(Locale.ROOT, "%-44s %9s %9s %9s %9s %9s %8s %7s%n", "image (cpu ms, median of rounds)",
              "ref-exact", "decision", "hash", "match", "rest", "queries", "R");
        }
        for (int i = 0; i < n; i++) {
          ref[i] = median(cpu[0][i]);
          dec[i] = median(cpu[1][i]);
          hash[i] = median(cpu[2][i]);
          match[i] = median(cpu[3][i]);
          cascade[i] = median(cpu[4][i]);
          ratio[i] = dec[i] / ref[i];
          if (perImage) {
            out.printf(Locale.ROOT, "%-44s %9.2f %9.2f %9.2f %9.2f %9.2f %8d %7.2f%n", names.get(i), ref[i], dec[i],
                hash[i], match[i], dec[i] - hash[i] - match[i],
                1 + fps.get(i).pdq().map(p -> p.queryVariants().size()).orElse(0), ratio[i]);
          }
        }
        double queries = fps.stream().mapToInt(f -> 1 + f.pdq().map(p -> p.queryVariants().size()).orElse(0))
            .average().orElse(0);
        out.printf(Locale.ROOT, "medians over images, cpu ms per image: reference-exact hash %.2f; new-image decision "
            + "%.2f = fingerprint (decode, digests, PDQ, variants) %.2f + bank match (%.1f hashes per image) %.2f "
            + "+ the rest by subtraction %.2f (the engine's own split below reads it directly); load average %.2f "
            + "before, %.2f after%n",
            median(ref), median(dec), median(hash), queries, median(match),
            Math.max(0, median(dec) - median(hash) - median(match)), loadBefore, loadAfter);
        engineSplit(out, stage, match);
        double[] cascadeRatio = new double[n];
        double[] decCascade = new double[n];
        for (int i = 0; i < n; i++) {
          cascadeRatio[i] = cascade[i] / match[i];
          decCascade[i] = (dec[i] - match[i] + cascade[i]) / ref[i];
        }
        out.printf(Locale.ROOT, "variant distance %d (the main hash at 31, the variants at %d): bank match %.2f ms against "
            + "%.2f all at 31 in the same rounds (%.2f of it, median over images); the decision with it, estimated as "
            + "decision - match + this match: R %.2f%n", variantDistance, variantDistance, median(cascade), median(match),
            median(cascadeRatio), median(decCascade));
        if (threads > 1) {
          throughput(out, engine, bytes, threads, id);
        }
        if (sink == 42) {
          out.println();
        }
        out.printf(Locale.ROOT, "new-image decision / reference-exact hash: %.2f (median over %d images)%n",
            median(ratio), n);
      }
      out.flush();
      return 0;
    }

    private static final dev.haetae.moderation.api.observe.Stage[] STAGES =
        dev.haetae.moderation.api.observe.Stage.values();

    /**
     * Prints the engine's own split of a decision: each stage's median over rounds, then over
     * images, as the engine timed it (thread CPU); the rest is every stage but the fingerprint and the gathering
     * (which holds the bank match), read directly, plus the gathering beyond the standalone match.
     */
    private static void engineSplit(PrintWriter out, double[][][] stage, double[] match) {
      int n = match.length;
      double[] med = new double[STAGES.length + 2];
      double[] rest = new double[n];
      double[] gatherBeyond = new double[n];
      for (int k = 0; k < med.length; k++) {
        double[] perImage = new double[n];
        for (int i = 0; i < n; i++) {
          perImage[i] = median(stage[k][i]);
        }
        med[k] = median(perImage);
      }
      for (int i = 0; i < n; i++) {
        double outside = 0;
        for (dev.haetae.moderation.api.observe.Stage s : STAGES) {
          if (s != dev.haetae.moderation.api.observe.Stage.FINGERPRINT
              && s != dev.haetae.moderation.api.observe.Stage.GATHER) {
            outside += median(stage[s.ordinal()][i]);
          }
        }
        rest[i] = outside;
        gatherBeyond[i] = median(stage[dev.haetae.moderation.api.observe.Stage.GATHER.ordinal()][i]) - match[i];
      }
      StringBuilder b = new StringBuilder();
      for (dev.haetae.moderation.api.observe.Stage s : STAGES) {
        b.append(b.length() == 0 ? "" : ", ").append(s.tag()).append(' ')
            .append(String.format(Locale.ROOT, "%.3f", med[s.ordinal()]));
      }
      out.printf(Locale.ROOT, "the engine's own split (cpu ms inside one evaluate, from its listener; medians over "
          + "rounds, then images): %s; all stages %.2f; the whole call's wall time %.2f%n", b, med[STAGES.length + 1],
          med[STAGES.length]);
      out.printf(Locale.ROOT, "the rest measured inside the engine: %.3f ms (every stage but fingerprint and gather), "
          + "and the gathering beyond the standalone bank match %.3f ms%n", median(rest), median(gatherBeyond));
    }

    /**
     * Makes {@code decisions} new-image decisions on the images' fingerprints (no bytes, so no
     * hashing) with an engine over an empty bank: the engine's code beyond hashing and matching runs
     * compiled in the measured rounds, as in a server that has made many decisions, instead of
     * partly interpreted after the few hundred the rounds make.
     */
    private static void warm(PrintWriter out, java.util.List<Fingerprints> fps, int decisions, boolean halfScaleJpeg) {
      if (decisions == 0) {
        out.println("no warm-up decisions: the rest of a decision includes code not yet compiled");
        return;
      }
      HashBanks empty = HashBanks.builder().matchCacheSize(0).build();
      empty.define(BankConfig.builder("bench", Category.NCII).flood(FloodPolicy.disabled()).build());
      java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
      long c0 = mx.getCurrentThreadCpuTime();
      try (dev.haetae.moderation.core.engine.ModerationEngine warm =
               dev.haetae.moderation.core.engine.ModerationEngine.builder().banks(empty).halfScaleJpeg(halfScaleJpeg)
                   .decisionLog(dev.haetae.moderation.api.spi.DecisionLog.DISCARD).serviceLoader(false, null)
                   .policyIsolation(dev.haetae.moderation.core.engine.PolicyIsolation.INLINE)
                   .listener(new dev.haetae.moderation.api.observe.EngineListener() {})
                   .stageClock(mx::getCurrentThreadCpuTime).build()) {
        for (int k = 0; k < decisions; k++) {
          warm.evaluate(dev.haetae.moderation.api.ContentEvent.upload(
              dev.haetae.moderation.api.Content.of(dev.haetae.moderation.api.ContentId.of("warm-" + k),
                  dev.haetae.moderation.api.ContentKind.IMAGE, dev.haetae.moderation.api.Surface.GROUP)
                  .withFingerprints(fps.get(k % fps.size())),
              dev.haetae.moderation.api.AccountId.of("user-" + (k % 1000)),
              dev.haetae.moderation.api.RoomId.of("room-1")));
        }
      }
      out.printf(Locale.ROOT, "warm-up: %,d decisions on the images' fingerprints over an empty bank, %.1f us of cpu "
          + "each%n", decisions, (mx.getCurrentThreadCpuTime() - c0) / 1e3 / decisions);
    }

    private static dev.haetae.moderation.api.ContentEvent upload(byte[] img, long n) {
      return dev.haetae.moderation.api.ContentEvent.upload(dev.haetae.moderation.api.ContentId.of("bench-" + n),
          dev.haetae.moderation.api.AccountId.of("user-" + (n % 1000)), dev.haetae.moderation.api.RoomId.of("room-1"),
          dev.haetae.moderation.api.Surface.GROUP, dev.haetae.moderation.api.ContentKind.IMAGE, img);
    }

    /** Every thread decides on the images in turn for about ten seconds; decisions/s and cpu per decision. */
    private static void throughput(PrintWriter out, dev.haetae.moderation.core.engine.ModerationEngine engine,
        java.util.List<byte[]> bytes, int threads, long[] id) throws InterruptedException {
      java.util.concurrent.atomic.AtomicLong next = new java.util.concurrent.atomic.AtomicLong(id[0]);
      java.util.concurrent.atomic.AtomicLong done = new java.util.concurrent.atomic.AtomicLong();
      java.util.concurrent.atomic.AtomicLong cpuNs = new java.util.concurrent.atomic.AtomicLong();
      long until = System.nanoTime() + 10_000_000_000L;
      Thread[] ts = new Thread[threads];
      long t0 = System.nanoTime();
      for (int k = 0; k < threads; k++) {
        int first = k;
        ts[k] = new Thread(() -> {
          java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
          long c0 = mx.getCurrentThreadCpuTime();
          for (int i = first; System.nanoTime() < until; i++) {
            engine.evaluate(upload(bytes.get(i % bytes.size()), next.getAndIncrement()));
            done.incrementAndGet();
          }
          cpuNs.addAndGet(mx.getCurrentThreadCpuTime() - c0);
        });
        ts[k].start();
      }
      for (Thread t : ts) {
        t.join();
      }
      double secs = (System.nanoTime() - t0) / 1e9;
      out.printf(Locale.ROOT, "%d threads: %,d decisions in %.1f s = %,.0f new-image decisions/s, %.2f cpu ms per "
          + "decision; load average %.2f%n", threads, done.get(), secs, done.get() / secs,
          cpuNs.get() / 1e6 / Math.max(1, done.get()), loadAverage());
    }

    private static double median(double[] v) {
      double[] s = v.clone();
      Arrays.sort(s);
      return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
  }

  static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  /** {@code haetae bench index}: PDQ index build, memory and query figures against a linear scan. */
  @Command(name = "index", mixinStandardHelpOptions = true,
      description = {"Builds a PDQ bank of N synthetic hashes and measures bulk-add rate, heap bytes per hash, "
          + "query latency (p50/p99) and queries/s on one thread, and a linear scan over the same hashes in the "
          + "same process on a sample of the queries, checking that both return identical results.",
          "Run with a heap that fits: the index keeps about 63 bytes per hash, but the bulk build needs several "
              + "times that while it sorts, e.g. HAETAE_JAVA_OPTS=-Xmx6g for 10M."})
  static final class Index implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--hashes", required = true, description = "number of PDQ hashes, e.g. 1000000")
    int hashes;

    @Option(names = "--data", defaultValue = "uniform",
        description = "uniform (random hashes) or clustered (near-duplicate families); default ${DEFAULT-VALUE}")
    String data;

    @Option(names = "--distance", defaultValue = "31", description = "PDQ distance; default ${DEFAULT-VALUE}")
    int distance;

    @Option(names = "--queries", defaultValue = "20000", description = "index queries timed; default ${DEFAULT-VALUE}")
    int queries;

    @Option(names = "--scan-queries", defaultValue = "30",
        description = "queries also answered by a linear scan and compared; default ${DEFAULT-VALUE}")
    int scanQueries;

    @Option(names = "--family", defaultValue = "20", description = "clustered: family size; default ${DEFAULT-VALUE}")
    int family;

    @Option(names = "--seed", defaultValue = "1", description = "random seed; default ${DEFAULT-VALUE}")
    long seed;

    @Option(names = "--images", description = "also measure the query variants of these images' hashes: all of an "
        + "image's hashes in one search against its main hash alone (a directory of image files)")
    java.nio.file.Path images;

    @Option(names = "--rounds", defaultValue = "3",
        description = "rounds of the separate index and scan phases (means over all rounds); default ${DEFAULT-VALUE}")
    int rounds;

    @Option(names = "--augment-dihedral", arity = "0..1", fallbackValue = "8", paramLabel = "FORMS",
        description = "with --images: also build a bank holding each hash's dihedral forms (index-time augmentation) "
        + "and search each image's non-dihedral hashes against it: 8 stores all eight forms (the queries need no "
        + "turn), 4 the flips (each query is searched with its transpose). Reports its heap per base hash and its "
        + "cost beside the plain bank's. Needs about FORMS + 1 times the heap of the plain bank (e.g. -Xmx3g at 1M "
        + "with 8).")
    int augmentDihedral;

    @Option(names = "--variant-distance", defaultValue = "21", description = "with --images: also search each image's "
        + "hashes as a bank with this pdqVariantDistance does (the main hash at --distance, the variants at this "
        + "distance), beside all at --distance; default ${DEFAULT-VALUE}")
    int variantDistance;

    private long baseHeapBytes;

    @Override
    public Integer call() throws java.io.IOException {
      PrintWriter out = spec.commandLine().getOut();
      if (hashes < 1 || queries < 1 || scanQueries < 0 || rounds < 1 || distance < 0 || distance > 128) {
        spec.commandLine().getErr().println("bench index: --hashes, --queries and --rounds must be positive, "
            + "--distance 0..128");
        return 2;
      }
      if (variantDistance < 0 || variantDistance > distance) {
        spec.commandLine().getErr().println("bench index: --variant-distance must be 0..--distance");
        return 2;
      }
      if (augmentDihedral != 0 && (images == null || (augmentDihedral != 4 && augmentDihedral != 8))) {
        spec.commandLine().getErr().println("bench index: --augment-dihedral takes 4 or 8 and needs --images");
        return 2;
      }
      boolean clustered = data.equals("clustered");
      if (!clustered && !data.equals("uniform")) {
        spec.commandLine().getErr().println("bench index: --data must be uniform or clustered");
        return 2;
      }
      SplittableRandom rnd = new SplittableRandom(seed);
      long[] words = clustered ? clustered(rnd, hashes, family, 24) : uniform(rnd, hashes);
      Runtime rt = Runtime.getRuntime();
      out.printf(Locale.ROOT, "haetae bench index: %,d %s PDQ hashes, distance %d, java %s, %d cpus, max heap %,d MB, "
          + "system load average %.2f%n", hashes, data, distance, System.getProperty("java.version"),
          rt.availableProcessors(), rt.maxMemory() >> 20, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
      long heapBefore = usedHeap();
      HashBanks banks = HashBanks.builder().matchCacheSize(0).build(); // every query is measured, none cached
      Bank bank = banks.define(BankConfig.builder("bench", Category.NCII).pdqDistance(distance)
          .flood(FloodPolicy.disabled()).build());
      long cpu0 = processCpuNanos();
      long t0 = System.nanoTime();
      int added = bank.addPdqBulk(words, hashes);
      long buildNs = System.nanoTime() - t0;
      long buildCpu = processCpuNanos() - cpu0;
      long heapAfter = usedHeap();
      out.printf(Locale.ROOT, "build (bulk add + index)  %,.0f ms for %,d distinct hashes = %,.2f M hashes/s; "
          + "%,.0f ms of process cpu = %,.2f M hashes per cpu-second%n", buildNs / 1e6, added,
          added / (buildNs / 1e9) / 1e6, buildCpu / 1e6, buildCpu <= 0 ? Double.NaN : added / (buildCpu / 1e9) / 1e6);
      baseHeapBytes = bank.pdqHeapBytes();
      out.printf(Locale.ROOT, "heap per hash             %.1f bytes measured (used heap after GC, delta), "
          + "%.1f bytes computed from array sizes%n", (heapAfter - heapBefore) / (double) added,
          bank.pdqHeapBytes() / (double) added);

      // queries: half near an entry (up to 16 bits flipped), half random
      int total = queries + scanQueries;
      Fingerprints[] qs = new Fingerprints[total];
      PdqHash[] raw = new PdqHash[total];
      for (int i = 0; i < total; i++) {
        PdqHash q;
        if (i % 2 == 0) {
          int j = rnd.nextInt(hashes);
          long[] w = Arrays.copyOfRange(words, 4 * j, 4 * j + 4);
          int flips = rnd.nextInt(17);
          for (int f = 0; f < flips; f++) {
            int b = rnd.nextInt(256);
            w[b >>> 6] ^= 1L << (b & 63);
          }
          q = new PdqHash(w[3], w[2], w[1], w[0]);
        } else {
          q = new PdqHash(rnd.nextLong(), rnd.nextLong(), rnd.nextLong(), rnd.nextLong());
        }
        raw[i] = q;
        qs[i] = Fingerprints.none().withPdq(Pdq.of(q));
      }
      // warm up
      long sink = 0;
      int warm = Math.min(queries, 5000);
      for (int i = 0; i < warm; i++) {
        sink += banks.match(qs[i]).size();
      }
      long[] lat = new long[queries];
      long results = 0;
      java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      long threadCpu0 = threads.getCurrentThreadCpuTime();
      long q0 = System.nanoTime();
      for (int i = 0; i < queries; i++) {
        long s = System.nanoTime();
        List<Signal.HashMatch> m = banks.match(qs[i]);
        lat[i] = System.nanoTime() - s;
        results += m.size();
      }
      long queryNs = System.nanoTime() - q0;
      long queryCpu = threads.getCurrentThreadCpuTime() - threadCpu0;
      Arrays.sort(lat);
      out.printf(Locale.ROOT, "index query (1 thread)    p50 %,.1f us, p99 %,.1f us, mean %,.1f us, %,.0f queries/s, "
          + "%.2f results/query (%,d queries)%n", lat[queries / 2] / 1e3, lat[(int) (queries * 0.99)] / 1e3,
          queryNs / 1e3 / queries, queries / (queryNs / 1e9), results / (double) queries, queries);
      out.printf(Locale.ROOT, "index query cpu           %,.1f us of thread cpu per query = %,.0f queries per cpu-second%n",
          queryCpu / 1e3 / queries, queries / (queryCpu / 1e9));

      if (scanQueries > 0) {
        // separate phases, each over the same scanQueries queries: all scans, then all index queries
        // (each phase has the caches to itself); then the two interleaved query by query
        long scanCpu = 0;
        long idxCpu = 0;
        long scanNs = 0;
        long idxNs = 0;
        for (int round = 0; round < rounds; round++) {
          long c = threads.getCurrentThreadCpuTime();
          long s = System.nanoTime();
          for (int k = 0; k < scanQueries; k++) {
            sink += scan(words, hashes, raw[queries + k], distance).size();
          }
          scanNs += System.nanoTime() - s;
          scanCpu += threads.getCurrentThreadCpuTime() - c;
          c = threads.getCurrentThreadCpuTime();
          s = System.nanoTime();
          for (int k = 0; k < scanQueries; k++) {
            sink += banks.match(qs[queries + k]).size();
          }
          idxNs += System.nanoTime() - s;
          idxCpu += threads.getCurrentThreadCpuTime() - c;
        }
        long phases = (long) rounds * scanQueries;
        out.printf(Locale.ROOT, "separate phases           linear scan %,.0f us/query, index %,.1f us/query (thread cpu, "
            + "means over %d rounds of %d queries): %.1fx fewer cpu-ns (wall clock: %,.0f against %,.1f us, %.1fx); "
            + "load average %.2f%n", scanCpu / 1e3 / phases, idxCpu / 1e3 / phases, rounds, scanQueries,
            scanCpu / (double) Math.max(1, idxCpu), scanNs / 1e3 / phases, idxNs / 1e3 / phases,
            scanNs / (double) Math.max(1, idxNs), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        scanNs = 0;
        idxNs = 0;
        scanCpu = 0;
        idxCpu = 0;
        int identical = 0;
        for (int k = 0; k < scanQueries; k++) {
          int i = queries + k;
          long c = threads.getCurrentThreadCpuTime();
          long s = System.nanoTime();
          Map<String, Integer> viaScan = scan(words, hashes, raw[i], distance);
          scanNs += System.nanoTime() - s;
          scanCpu += threads.getCurrentThreadCpuTime() - c;
          c = threads.getCurrentThreadCpuTime();
          s = System.nanoTime();
          List<Signal.HashMatch> m = banks.match(qs[i]);
          idxNs += System.nanoTime() - s;
          idxCpu += threads.getCurrentThreadCpuTime() - c;
          Map<String, Integer> viaIndex = new HashMap<>();
          for (Signal.HashMatch h : m) {
            viaIndex.put(h.entry(), h.distance());
          }
          if (viaIndex.equals(viaScan)) {
            identical++;
          }
        }
        out.printf(Locale.ROOT, "linear scan (1 thread)    %,.0f us/query over %,d queries; index %,.1f us/query on the "
            + "same queries: %.0fx fewer ns; identical results %d/%d%n", scanNs / 1e3 / scanQueries, scanQueries,
            idxNs / 1e3 / scanQueries, scanNs / (double) Math.max(1, idxNs), identical, scanQueries);
        out.printf(Locale.ROOT, "  interleaved, thread cpu  scan %,.0f us/query, index %,.1f us/query: %.1fx fewer cpu-ns "
            + "(each query right after a scan, which has evicted the index from the caches)%n",
            scanCpu / 1e3 / scanQueries, idxCpu / 1e3 / scanQueries, scanCpu / (double) Math.max(1, idxCpu));
        if (identical != scanQueries) {
          spec.commandLine().getErr().println("bench index: index and scan disagree");
          return 1;
        }
      }
      if (images != null) {
        variants(out, banks, threads, augmentDihedral != 0 ? words : null);
      }
      out.printf(Locale.ROOT, "system load average at the end %.2f (other processes share the cpus: compare the index "
          + "and the scan, which ran interleaved, rather than absolute times)%n",
          ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
      if (sink == 42) {
        out.println();
      }
      out.flush();
      return 0;
    }

    /**
     * An image's hashes: its main hash alone, all of them in one search (as the banks match), and
     * each on its own (as they were matched before the multi-query search); thread cpu, medians of
     * the per-round means.
     */
    private void variants(PrintWriter out, HashBanks banks, java.lang.management.ThreadMXBean threads, long[] words)
        throws java.io.IOException {
      dev.haetae.moderation.core.hash.ImageHasher hasher = dev.haetae.moderation.core.hash.ImageHasher.create();
      List<Fingerprints> all = new java.util.ArrayList<>();
      try (var list = java.nio.file.Files.list(images)) {
        for (java.nio.file.Path f : (Iterable<java.nio.file.Path>) list.sorted()::iterator) {
          try {
            all.add(hasher.fingerprint(f));
          } catch (dev.haetae.moderation.api.InvalidRequestException e) {
            spec.commandLine().getErr().println("bench index: skipped " + f.getFileName() + ": " + e.getMessage());
          }
        }
      }
      if (all.isEmpty()) {
        return;
      }
      List<Fingerprints> main = new java.util.ArrayList<>();
      List<Fingerprints> each = new java.util.ArrayList<>();
      int hashesPerImage = 0;
      for (Fingerprints f : all) {
        Pdq p = f.pdq().orElseThrow();
        main.add(Fingerprints.none().withPdq(new Pdq(p.hash(), p.quality(), List.of())));
        each.add(main.get(main.size() - 1));
        for (PdqHash v : p.queryVariants()) {
          each.add(Fingerprints.none().withPdq(new Pdq(v, p.quality(), List.of())));
        }
        hashesPerImage += 1 + p.queryVariants().size();
      }
      List<Fingerprints> full = new java.util.ArrayList<>();
      for (Fingerprints f : all) {
        full.add(Fingerprints.none().withPdq(f.pdq().orElseThrow()));
      }
      // the last set: all hashes again, on the bank configured with the variant distance
      List<List<Fingerprints>> sets = new java.util.ArrayList<>(List.of(main, full, each));
      List<HashBanks> on = new java.util.ArrayList<>(List.of(banks, banks, banks));
      Augmented aug = words == null ? null : augmented(out, words, all);
      if (aug != null) {
        sets.add(aug.queries);
        on.add(aug.banks);
        sets.add(main);
        on.add(aug.banks);
      }
      int cascade = sets.size();
      sets.add(full);
      on.add(banks);
      Bank bench = banks.bank("bench");
      BankConfig plain = bench.config();
      BankConfig cascaded = plain.toBuilder().pdqVariantDistance(variantDistance).build();
      int[] cascadeMatches = new int[2];
      double[][] us = new double[sets.size()][rounds];
      long sink = 0;
      for (int round = -1; round < rounds; round++) {
        for (int k = 0; k < sets.size(); k++) {
          HashBanks b = on.get(k);
          if (k == cascade) {
            banks.define(cascaded);
          }
          long c = threads.getCurrentThreadCpuTime();
          for (Fingerprints f : sets.get(k)) {
            int m = b.match(f).size();
            sink += m;
            if (round == rounds - 1 && (k == 1 || k == cascade)) {
              cascadeMatches[k == 1 ? 0 : 1] += m;
            }
          }
          if (round >= 0) {
            us[k][round] = (threads.getCurrentThreadCpuTime() - c) / 1e3 / all.size();
          }
          if (k == cascade) {
            banks.define(plain);
          }
        }
      }
      for (double[] u : us) {
        Arrays.sort(u);
      }
      double one = us[0][rounds / 2];
      out.printf(Locale.ROOT, "query variants            %d images, %.1f hashes each: main hash alone %,.1f us, all in "
          + "one search %,.1f us (%.1fx), each on its own %,.1f us (%.1fx); thread cpu per image, median of %d rounds; "
          + "load average %.2f%s%n", all.size(), hashesPerImage / (double) all.size(), one, us[1][rounds / 2],
          us[1][rounds / 2] / one, us[2][rounds / 2], us[2][rounds / 2] / one, rounds,
          ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), sink == 42 ? " " : "");
      out.printf(Locale.ROOT, "  variant distance %-6d the main hash at %d, the %.1f variants at %d: %,.1f us = %.1fx the "
          + "main hash alone (all at %d: %.1fx, so %.2f of its cost); matches %d against %d; same rounds; load average "
          + "%.2f%n", variantDistance, distance, hashesPerImage / (double) all.size() - 1, variantDistance,
          us[cascade][rounds / 2], us[cascade][rounds / 2] / one, distance, us[1][rounds / 2] / one,
          us[cascade][rounds / 2] / us[1][rounds / 2], cascadeMatches[1], cascadeMatches[0],
          ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
      if (aug != null) {
        out.printf(Locale.ROOT, "  dihedral augmentation   %.1f hashes per image (non-dihedral%s) in one search against the "
            + "augmented bank %,.1f us = %.1fx the main hash alone on the plain bank (plain bank, all hashes: %.1fx); "
            + "main hash alone on the augmented bank %,.1f us (%.1fx); same rounds; load average %.2f%n",
            aug.queryHashes / (double) all.size(), augmentDihedral == 4 ? ", each with its transpose" : "",
            us[3][rounds / 2], us[3][rounds / 2] / one, us[1][rounds / 2] / one,
            us[4][rounds / 2], us[4][rounds / 2] / one,
            ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
      }
    }

    /** The augmented bank and the images' non-dihedral queries for it. */
    private static final class Augmented {
      final HashBanks banks;
      final List<Fingerprints> queries;
      final int queryHashes;

      Augmented(HashBanks banks, List<Fingerprints> queries, int queryHashes) {
        this.banks = banks;
        this.queries = queries;
        this.queryHashes = queryHashes;
      }
    }

    /**
     * Builds a bank holding the bit-derived dihedral forms (all eight, or the four flips) of every
     * hash of {@code words}, as index-time augmentation would store them, and the images' queries
     * for it (their non-dihedral hashes, with the flips also transposed); prints its memory and
     * checks, on a few images, that its results equal a linear scan of the stored forms.
     */
    private Augmented augmented(PrintWriter out, long[] words, List<Fingerprints> all) {
      int[] ops = augmentDihedral == 4 ? DihedralForms.FLIPS : DihedralForms.ALL;
      long[] forms = DihedralForms.augment(words, hashes, ops);
      long heapBefore = usedHeap();
      HashBanks augBanks = HashBanks.builder().matchCacheSize(0).build();
      Bank bank = augBanks.define(BankConfig.builder("bench-augmented", Category.NCII).pdqDistance(distance)
          .flood(FloodPolicy.disabled()).build());
      int added = bank.addPdqBulk(forms, ops.length * hashes);
      long heapAfter = usedHeap();
      List<Fingerprints> queries = new java.util.ArrayList<>();
      int queryHashes = 0;
      for (Fingerprints f : all) {
        Pdq p = f.pdq().orElseThrow();
        List<PdqHash> q = DihedralForms.nonDihedral(p.hash(), p.queryVariants());
        if (ops.length < DihedralForms.COUNT) {
          q = new java.util.ArrayList<>(q);
          for (int k = 0, m = q.size(); k < m; k++) {
            q.add(DihedralForms.form(q.get(k), DihedralForms.TRANSPOSE));
          }
        }
        queries.add(Fingerprints.none().withPdq(new Pdq(q.get(0), p.quality(), q.subList(1, q.size()))));
        queryHashes += q.size();
      }
      int checked = Math.min(5, all.size());
      int identical = 0;
      for (int i = 0; i < checked; i++) {
        Map<String, Integer> viaScan = new HashMap<>();
        Pdq p = queries.get(i).pdq().orElseThrow();
        List<PdqHash> qs = new java.util.ArrayList<>(p.queryVariants());
        qs.add(p.hash());
        for (PdqHash q : qs) {
          scan(forms, ops.length * hashes, q, distance).forEach((h, d) -> viaScan.merge(h, d, Math::min));
        }
        Map<String, Integer> viaIndex = new HashMap<>();
        for (Signal.HashMatch h : augBanks.match(queries.get(i))) {
          viaIndex.put(h.entry(), h.distance());
        }
        if (viaIndex.equals(viaScan)) {
          identical++;
        }
      }
      out.printf(Locale.ROOT, "  dihedral augmentation   %,d stored forms (%,d distinct) for %,d hashes: heap per base "
          + "hash %.1f bytes measured, %.1f computed (plain bank: %.1f computed), without a form-to-entry link; "
          + "identical results to a scan of the forms %d/%d images%n", ops.length * (long) hashes, added,
          hashes, (heapAfter - heapBefore) / (double) hashes, bank.pdqHeapBytes() / (double) hashes,
          baseHeapBytes / (double) hashes, identical, checked);
      if (identical != checked) {
        throw new IllegalStateException("bench index: the augmented bank and its scan disagree");
      }
      return new Augmented(augBanks, queries, queryHashes);
    }

    /** The baseline: a plain linear scan over the flat word array, early exit after two words. */
    static Map<String, Integer> scan(long[] w, int n, PdqHash q, int r) {
      long q0 = q.w0();
      long q1 = q.w1();
      long q2 = q.w2();
      long q3 = q.w3();
      Map<String, Integer> out = new HashMap<>();
      for (int i = 0, b = 0; i < n; i++, b += 4) {
        int d = Long.bitCount(w[b] ^ q0) + Long.bitCount(w[b + 1] ^ q1);
        if (d > r) {
          continue;
        }
        d += Long.bitCount(w[b + 2] ^ q2) + Long.bitCount(w[b + 3] ^ q3);
        if (d <= r) {
          out.put(new PdqHash(w[b + 3], w[b + 2], w[b + 1], w[b]).toHex(), d);
        }
      }
      return out;
    }

    /** The process's cpu time (all threads), or 0 when the JVM does not report it. */
    static long processCpuNanos() {
      java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
      if (os instanceof com.sun.management.OperatingSystemMXBean) {
        return ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime();
      }
      return 0;
    }

    static long usedHeap() {
      MemoryMXBean mx = ManagementFactory.getMemoryMXBean();
      for (int i = 0; i < 3; i++) {
        System.gc();
      }
      return mx.getHeapMemoryUsage().getUsed();
    }

    static long[] uniform(SplittableRandom rnd, int n) {
      long[] w = new long[4 * n];
      for (int i = 0; i < w.length; i++) {
        w[i] = rnd.nextLong();
      }
      fixDegenerate(w, n);
      return w;
    }

    /** Families of {@code family} hashes: a random centre and members up to {@code spread} bits away. */
    static long[] clustered(SplittableRandom rnd, int n, int family, int spread) {
      long[] w = new long[4 * n];
      long[] c = new long[4];
      for (int i = 0; i < n; i++) {
        if (i % family == 0) {
          for (int k = 0; k < 4; k++) {
            c[k] = rnd.nextLong();
          }
        }
        System.arraycopy(c, 0, w, 4 * i, 4);
        int flips = 1 + rnd.nextInt(spread);
        for (int f = 0; f < flips; f++) {
          int b = rnd.nextInt(256);
          w[4 * i + (b >>> 6)] ^= 1L << (b & 63);
        }
      }
      fixDegenerate(w, n);
      return w;
    }

    private static void fixDegenerate(long[] w, int n) {
      for (int i = 0; i < n; i++) {
        if (!HashBanks.isValidPdq(new PdqHash(w[4 * i + 3], w[4 * i + 2], w[4 * i + 1], w[4 * i]))) {
          w[4 * i] ^= 1;
        }
      }
    }
  }
}

package dev.haetae.moderation.bench.hash;

import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.MatchType;
import dev.haetae.moderation.api.PdqHash;
import dev.haetae.moderation.api.spi.HashBankSource;
import dev.haetae.moderation.core.hash.Bank;
import dev.haetae.moderation.core.hash.BankConfig;
import dev.haetae.moderation.core.hash.HashBanks;
import dev.haetae.moderation.core.hash.ImportOptions;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * How long a new instance takes to have a bank of N PDQ hashes ready, three ways, in one process:
 * from its source entry by entry (the path a connected bank loads today, e.g. from PostgreSQL,
 * with the database's own cost left out), by a bulk build from raw words (the fastest load without
 * a snapshot), and from a snapshot of the bank (the index's own arrays, then a catch-up from the
 * source's checkpoint). Prints each time, the snapshot's size, and the ratios.
 *
 * <p>Run: {@code java -Xmx8g -cp moderation-benchmarks/target/benchmarks.jar
 * dev.haetae.moderation.bench.hash.BankColdStart 10000000 1000000} (bank size, then the size at which
 * the entry-by-entry load is timed; 0 skips it). Scratch files go to the system's temporary
 * directory and are deleted.
 */
public final class BankColdStart {
  private BankColdStart() {}

  /** A source that streams N random hashes with their added-at times, as a database would. */
  private static final class Stream implements HashBankSource {
    private final long[] words;
    private final int n;

    Stream(long[] words, int n) {
      this.words = words;
      this.n = n;
    }

    @Override
    public String bankId() {
      return "ncii";
    }

    @Override
    public Category category() {
      return Category.NCII;
    }

    @Override
    public void load(Consumer<Entry> sink) {
      Instant at = Instant.parse("2026-01-01T00:00:00Z");
      for (int i = 0; i < n; i++) {
        int b = 4 * i;
        PdqHash h = new PdqHash(words[b + 3], words[b + 2], words[b + 1], words[b]);
        sink.accept(new Entry(MatchType.PDQ, h.toHex(), Entry.State.ACTIVE, Optional.of(at), Optional.empty()));
      }
    }

    @Override
    public Optional<String> checkpointAfterLoad() {
      return Optional.of(Integer.toString(n));
    }

    @Override
    public Optional<String> changes(Optional<String> checkpoint, Consumer<Entry> sink) {
      return Optional.of(Integer.toString(n));
    }
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  /**
   * Runs the comparison.
   *
   * @param args bank size (default 10,000,000), entry-by-entry size (default 1,000,000; 0 skips)
   * @throws IOException when the scratch file cannot be written
   */
  public static void main(String[] args) throws IOException {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000_000;
    int perEntry = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    System.out.printf(Locale.ROOT, "bank of %,d PDQ hashes; load average %.2f; %d cores%n", n,
        os.getSystemLoadAverage(), Runtime.getRuntime().availableProcessors());
    SplittableRandom rnd = new SplittableRandom(1);
    long[] words = new long[4 * n];
    for (int i = 0; i < words.length; i++) {
      words[i] = rnd.nextLong();
    }
    BankConfig config = BankConfig.builder("ncii", Category.NCII).build();

    double entryRate = Double.NaN;
    if (perEntry > 0) {
      HashBanks banks = HashBanks.inMemory();
      long t = System.nanoTime();
      banks.connect(new Stream(words, perEntry), config, ImportOptions.defaults());
      double s = seconds(t);
      entryRate = perEntry / s;
      System.out.printf(Locale.ROOT, "entry by entry from a source: %,d entries in %.2f s = %,.0f entries/s"
          + " (%,d would take %.0f s at that rate)%n", perEntry, s, entryRate, n, n / entryRate);
    }

    HashBanks built = HashBanks.inMemory();
    long t = System.nanoTime();
    built.connect(new Stream(words, 0), config); // connected, so that its snapshot holds a checkpoint
    Bank bank = built.bank("ncii");
    bank.addPdqBulk(words, n);
    double bulk = seconds(t);
    System.out.printf(Locale.ROOT, "bulk build from raw words: %.2f s = %,.0f hashes/s%n", bulk, n / bulk);
    words = null;

    Path file = Files.createTempFile("haetae-bank", ".snapshot");
    try {
      t = System.nanoTime();
      long bytes = built.writeSnapshot("ncii", file);
      double write = seconds(t);
      System.out.printf(Locale.ROOT, "snapshot written: %,d bytes (%.1f per hash) in %.2f s%n", bytes,
          (double) bytes / n, write);
      String version = bank.versionString();
      built = null;
      bank = null;
      System.gc();
      double best = Double.MAX_VALUE;
      for (int round = 0; round < 3; round++) {
        HashBanks fresh = HashBanks.inMemory();
        t = System.nanoTime();
        fresh.connect(new Stream(new long[0], 0), config, file, ImportOptions.defaults());
        double s = seconds(t);
        best = Math.min(best, s);
        if (!fresh.bank("ncii").versionString().equals(version)) {
          throw new IllegalStateException("the restored bank differs: " + fresh.bank("ncii").versionString()
              + " vs " + version);
        }
        System.out.printf(Locale.ROOT, "from the snapshot, round %d: %.2f s%n", round + 1, s);
        fresh = null;
        System.gc();
      }
      System.out.printf(Locale.ROOT, "snapshot / bulk build: %.3f%n", best / bulk);
      if (perEntry > 0) {
        System.out.printf(Locale.ROOT, "snapshot / entry by entry (at its measured rate): %.4f%n",
            best / (n / entryRate));
      }
      System.out.printf(Locale.ROOT, "load average at the end %.2f%n", os.getSystemLoadAverage());
    } finally {
      Files.deleteIfExists(file);
    }
  }
}

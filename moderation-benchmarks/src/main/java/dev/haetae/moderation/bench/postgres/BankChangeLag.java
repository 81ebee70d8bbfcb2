package dev.haetae.moderation.bench.postgres;

import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.MatchType;
import dev.haetae.moderation.api.Pdq;
import dev.haetae.moderation.api.PdqHash;
import dev.haetae.moderation.api.StoreUnavailableException;
import dev.haetae.moderation.api.spi.HashBankSource;
import dev.haetae.moderation.core.hash.BankConfig;
import dev.haetae.moderation.core.hash.HashBanks;
import dev.haetae.moderation.core.hash.ImportReport;
import dev.haetae.moderation.postgres.BankFollower;
import dev.haetae.moderation.postgres.BankStore;
import dev.haetae.moderation.postgres.HaetaePostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiFunction;

/**
 * The lag for a bank change to reach another instance's index, on a real PostgreSQL server: two
 * {@link HaetaePostgres} pools on one fresh schema stand for two instances, each with its own
 * {@link HashBanks} following the same bank. Instance A adds a PDQ hash, then withdraws it, one
 * change at a time; the lag of each change is the time from A's commit returning until B's {@code
 * match()} reflects it (B is checked every 100 µs). Prints p50/p99/max for the follower with
 * LISTEN/NOTIFY and for a polling-only follower (whose changes are written after a random pause of
 * up to one poll interval, so that they do not fall in step with its polls), then the bulk import
 * rate into PostgreSQL and the
 * rate at which a new instance loads the imported bank into memory. The schema is dropped at the
 * end.
 *
 * <p>Run: {@code java -cp moderation-benchmarks/target/benchmarks.jar
 * dev.haetae.moderation.bench.postgres.BankChangeLag [CHANGES] [LISTEN_POLL_MS] [POLL_ONLY_MS]
 * [POLL_ONLY_CHANGES] [BULK] [JDBC_URL]} (defaults 200, 5000, 1000, 50, 100000, {@code
 * jdbc:postgresql://127.0.0.1:54329/haetae_test} as user {@code haetae}).
 */
public final class BankChangeLag {
  private BankChangeLag() {}

  /**
   * Entry point.
   *
   * @param args optional: changes with LISTEN/NOTIFY, the LISTEN follower's poll interval (ms), the
   *     polling follower's interval (ms), changes with polling only, hashes to bulk-import, the JDBC
   *     URL
   * @throws Exception when the database fails
   */
  public static void main(String[] args) throws Exception {
    int changes = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    long listenPollMs = args.length > 1 ? Long.parseLong(args[1]) : 5_000;
    long pollOnlyMs = args.length > 2 ? Long.parseLong(args[2]) : 1_000;
    int pollChanges = args.length > 3 ? Integer.parseInt(args[3]) : 50;
    int bulk = args.length > 4 ? Integer.parseInt(args[4]) : 100_000;
    String url = args.length > 5 ? args[5] : "jdbc:postgresql://127.0.0.1:54329/haetae_test";
    String schema = "bench_lag_" + Long.toString(System.nanoTime() & 0xFFFFFFFL, 36);
    System.out.printf(Locale.ROOT, "schema %s, %d hashes bulk-imported%n", schema, bulk);
    try (HaetaePostgres a = open(url, schema);
        HaetaePostgres b = open(url, schema)) {
      Random r = new Random(42);
      measure("LISTEN/NOTIFY, poll " + listenPollMs + " ms", a, b, "lag-listen", changes, 0, r,
          (pg, banks) -> pg.followBanks(banks, Duration.ofMillis(listenPollMs)));
      measure("polling only, poll " + pollOnlyMs + " ms", a, b, "lag-poll", pollChanges, pollOnlyMs, r,
          (pg, banks) -> pg.pollBanks(banks, Duration.ofMillis(pollOnlyMs)));
      bulk(a, b, bulk, r);
    } finally {
      try (Connection c = DriverManager.getConnection(url, "haetae", null);
          Statement st = c.createStatement()) {
        st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      } catch (SQLException e) {
        System.err.println("could not drop schema " + schema + ": " + e.getMessage());
      }
    }
  }

  private static HaetaePostgres open(String url, String schema) {
    return HaetaePostgres.builder().jdbcUrl(url).credentials("haetae", null).schema(schema).maxPoolSize(4).build();
  }

  private static Fingerprints fp(String hex) {
    return Fingerprints.none().withPdq(new Pdq(PdqHash.fromHex(hex), 100, List.of()));
  }

  private static String randomPdq(Random r) {
    return String.format("%016x%016x%016x%016x", r.nextLong(), r.nextLong(), r.nextLong(), r.nextLong());
  }

  private static void measure(String mode, HaetaePostgres a, HaetaePostgres b, String bankId, int n,
      long jitterMs, Random r, BiFunction<HaetaePostgres, HashBanks, BankFollower> follow)
      throws InterruptedException {
    BankStore store = a.bankStore(bankId, Category.NCII);
    BankConfig config = BankConfig.builder(bankId, Category.NCII).build();
    HashBanks banksA = HashBanks.inMemory();
    HashBanks banksB = HashBanks.inMemory();
    long[] addLag = new long[n];
    long[] withdrawLag = new long[n];
    long[] commit = new long[2 * n];
    int disturbed = 0;
    try (BankFollower fa = follow.apply(a, banksA);
        BankFollower fb = follow.apply(b, banksB)) {
      fa.connect(config);
      fb.connect(config);
      for (int i = 0; i < n; i++) {
        String h = randomPdq(r);
        Fingerprints q = fp(h);
        pause(r, jitterMs);
        long t0 = System.nanoTime();
        disturbed += write(() -> store.add(MatchType.PDQ, h));
        long t1 = System.nanoTime();
        while (banksB.match(q).isEmpty()) {
          LockSupport.parkNanos(100_000);
        }
        addLag[i] = System.nanoTime() - t1;
        commit[2 * i] = t1 - t0;
        pause(r, jitterMs);
        t0 = System.nanoTime();
        disturbed += write(() -> store.withdraw(MatchType.PDQ, h));
        t1 = System.nanoTime();
        while (!banksB.match(q).isEmpty()) {
          LockSupport.parkNanos(100_000);
        }
        withdrawLag[i] = System.nanoTime() - t1;
        commit[2 * i + 1] = t1 - t0;
      }
      long last = store.lastChange();
      while (fa.position(bankId) != last || fb.position(bankId) != last) {
        Thread.sleep(1);
      }
      boolean same = banksA.versions().equals(banksB.versions());
      System.out.printf(Locale.ROOT, "%-32s %d adds and %d withdrawals; writes that failed and were retried"
          + " (database unreachable): %d%n", mode, n, n, disturbed);
      System.out.printf(Locale.ROOT, "%-32s add      -> B: %s%n", mode, stats(addLag));
      System.out.printf(Locale.ROOT, "%-32s withdraw -> B: %s%n", mode, stats(withdrawLag));
      System.out.printf(Locale.ROOT, "%-32s A's write (commit) %s; versions A == B at the end: %s%n", mode,
          stats(commit), same);
    }
  }

  /**
   * Runs a write, retrying while the database is unreachable (the shared test server may be
   * restarted by someone else's fault test); returns how many attempts failed.
   */
  private static int write(Runnable w) throws InterruptedException {
    for (int failed = 0; ; failed++) {
      try {
        w.run();
        return failed;
      } catch (StoreUnavailableException e) {
        if (failed > 120) {
          throw e;
        }
        Thread.sleep(500);
      }
    }
  }

  private static void pause(Random r, long maxMs) throws InterruptedException {
    if (maxMs > 0) {
      Thread.sleep((long) (r.nextDouble() * maxMs));
    }
  }

  private static String stats(long[] nanos) {
    long[] s = nanos.clone();
    Arrays.sort(s);
    return String.format(Locale.ROOT, "p50 %.1f ms, p99 %.1f ms, max %.1f ms", ms(pct(s, 0.50)), ms(pct(s, 0.99)),
        ms(s[s.length - 1]));
  }

  private static long pct(long[] sorted, double p) {
    int i = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  private static void bulk(HaetaePostgres a, HaetaePostgres b, int n, Random r) throws InterruptedException {
    BankStore store = a.bankStore("bulk", Category.NCII);
    List<HashBankSource.Entry> entries = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      entries.add(new HashBankSource.Entry(MatchType.PDQ, randomPdq(r)));
    }
    long t0 = System.nanoTime();
    ImportReport[] report = new ImportReport[1];
    int failed = write(() -> report[0] = store.importEntries(entries));
    double s = (System.nanoTime() - t0) / 1e9;
    long held = store.activeCount();
    System.out.printf(Locale.ROOT, "bulk import into PostgreSQL: %d hashes in %.2f s = %.0f hashes/s"
        + " (batches of %d; %d problems)%s%n", held, s, held / s, BankStore.DEFAULT_BATCH, report[0].problems().size(),
        failed == 0 ? "" : " DISTURBED: the database was unreachable " + failed + " time(s); rate not meaningful");
    HashBanks banks = HashBanks.inMemory();
    try (BankFollower f = b.followBanks(banks, Duration.ofSeconds(5))) {
      t0 = System.nanoTime();
      ImportReport loaded = f.connect(BankConfig.builder("bulk", Category.NCII).build());
      s = (System.nanoTime() - t0) / 1e9;
      System.out.printf(Locale.ROOT, "load into another instance's HashBanks: %d entries in %.2f s = %.0f entries/s%n",
          loaded.applied(), s, loaded.applied() / s);
    }
  }
}

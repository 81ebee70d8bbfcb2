package dev.haetae.moderation.core.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ConfigurationException;
import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.MatchType;
import dev.haetae.moderation.api.PdqHash;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.spi.HashBankSource;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bank snapshots: what is written is what is read back (entries, states, times, case ids, notes,
 * statistics, foreign entries, version, checkpoint, and every match), a connected bank catches up
 * from the snapshot's checkpoint, and a damaged file (truncated, bit-flipped, or re-checksummed
 * after a change) is refused with {@link BankSnapshotException}, defining nothing.
 */
class BankSnapshotTest {
  @TempDir
  Path dir;

  /** A bank with every kind of content a snapshot carries: an index base, buffers, states, notes. */
  private static Bank populated(HashBanks banks, SplittableRandom rnd, int bulk) {
    Bank bank = banks.define(BankConfig.builder("list", Category.NCII).build());
    long[] words = new long[4 * bulk];
    for (int i = 0; i < words.length; i++) {
      words[i] = rnd.nextLong();
    }
    bank.addPdqBulk(words, bulk);
    for (int i = 0; i < 300; i++) {
      bank.add(MatchType.PDQ, HashBanksTest.randomPdq(rnd).toHex(), Instant.ofEpochSecond(1_700_000_000L + i),
          i % 7 == 0 ? "case-" + i : null);
    }
    List<String> pdqs = new ArrayList<>();
    bank.forEachEntry((type, hex, state, added, caseId) -> pdqs.add(hex));
    bank.withdraw(MatchType.PDQ, pdqs.get(3));
    bank.delete(MatchType.PDQ, pdqs.get(4));
    bank.withdraw(MatchType.PDQ, pdqs.get(pdqs.size() - 2));
    bank.addEntry(MatchType.PDQ, pdqs.get(5), Category.DOXXING, "review of decision d-1");
    for (int i = 0; i < 40; i++) {
      bank.add(MatchType.MD5, hex(rnd, 16), Instant.ofEpochSecond(1_600_000_000L + i), "md5-case-" + i);
      bank.add(MatchType.SHA256, hex(rnd, 32), Instant.ofEpochSecond(1_600_000_000L + i), null);
    }
    bank.addEntry(MatchType.SHA256, hex(rnd, 32), Category.CSAM, "second review");
    bank.feedback(MatchType.PDQ, pdqs.get(6), true);
    bank.feedback(MatchType.PDQ, pdqs.get(6), false);
    try {
      bank.importCsv(new StringReader("hash,signal_type,added_at,case_id,status\n"
          + "0123456789abcdef0123456789abcdef,tmk,2025-03-01T00:00:00Z,c9,active\n"), "foreign.csv");
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return bank;
  }

  private static String hex(SplittableRandom rnd, int bytes) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < bytes; i++) {
      b.append(String.format("%02x", rnd.nextInt(256)));
    }
    return b.toString();
  }

  private static List<String> entries(Bank bank) {
    List<String> out = new ArrayList<>();
    bank.forEachEntry((type, hex, state, added, caseId) -> out.add(type + " " + hex + " " + state + " " + added + " "
        + caseId + " " + bank.entry(type, hex).orElseThrow()));
    return out;
  }

  private static List<List<Signal.HashMatch>> matches(HashBanks banks, List<PdqHash> queries) {
    List<List<Signal.HashMatch>> out = new ArrayList<>();
    for (PdqHash q : queries) {
      out.add(banks.match(HashBanksTest.pdq(q)));
    }
    return out;
  }

  /** Queries near held entries (a few bits flipped) and random ones. */
  private static List<PdqHash> queries(Bank bank, SplittableRandom rnd) {
    List<PdqHash> held = new ArrayList<>();
    bank.forEachEntry((type, hex, state, added, caseId) -> {
      if (type == MatchType.PDQ) {
        held.add(PdqHash.fromHex(hex));
      }
    });
    List<PdqHash> out = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      PdqHash h = held.get(rnd.nextInt(held.size()));
      out.add(HashBanksTest.flip(h, rnd.nextInt(256), rnd.nextInt(256), rnd.nextInt(256)));
    }
    for (int i = 0; i < 20; i++) {
      out.add(held.get(i));
      out.add(HashBanksTest.randomPdq(rnd));
    }
    return out;
  }

  @Test
  void aRestoredBankHoldsAndMatchesExactlyWhatWasWritten() throws IOException {
    SplittableRandom rnd = new SplittableRandom(7);
    HashBanks a = HashBanks.inMemory();
    Bank bank = populated(a, rnd, 20_000);
    Path file = dir.resolve("list.snapshot");
    long bytes = a.writeSnapshot("list", file);
    assertEquals(Files.size(file), bytes);

    HashBanks b = HashBanks.inMemory();
    Bank restored = b.restore(BankConfig.builder("list", Category.NCII).build(), file);
    assertEquals(bank.versionString(), restored.versionString());
    assertEquals(bank.size(), restored.size());
    assertEquals(entries(bank), entries(restored));
    assertEquals(a.foreignEntries("list"), b.foreignEntries("list"));
    List<PdqHash> qs = queries(bank, rnd);
    assertEquals(matches(a, qs), matches(b, qs));
    assertTrue(matches(b, qs).stream().anyMatch(m -> !m.isEmpty()), "the queries reach held entries");
    // the restored bank goes on changing like any other
    PdqHash fresh = HashBanksTest.randomPdq(rnd);
    assertTrue(restored.add(MatchType.PDQ, fresh.toHex()));
    assertEquals(1, b.match(HashBanksTest.pdq(fresh)).size());
    restored.compact();
    assertEquals(1, b.match(HashBanksTest.pdq(fresh)).size());
  }

  @Test
  void emptyAndSmallBanksRoundTrip() throws IOException {
    for (int bulk : new int[] {0, 1, 5000}) {
      HashBanks a = HashBanks.inMemory();
      Bank bank = a.define(BankConfig.builder("list", Category.NCII).build());
      SplittableRandom rnd = new SplittableRandom(bulk);
      for (int i = 0; i < bulk; i++) {
        bank.add(MatchType.PDQ, HashBanksTest.randomPdq(rnd).toHex());
      }
      Path file = dir.resolve("small-" + bulk);
      a.writeSnapshot("list", file);
      HashBanks b = HashBanks.inMemory();
      Bank restored = b.restore(BankConfig.builder("list", Category.NCII).build(), file);
      assertEquals(entries(bank), entries(restored));
      assertEquals(bank.versionString(), restored.versionString());
    }
  }

  /** A source whose entries change over time; its checkpoint is the number of changes seen. */
  private static final class Log implements HashBankSource {
    final List<Entry> changes = new ArrayList<>();
    int loads;
    final List<Optional<String>> asked = new ArrayList<>();

    @Override
    public String bankId() {
      return "list";
    }

    @Override
    public Category category() {
      return Category.NCII;
    }

    @Override
    public void load(Consumer<Entry> sink) {
      loads++;
      changes.forEach(sink);
    }

    @Override
    public Optional<String> checkpointAfterLoad() {
      return Optional.of(Integer.toString(changes.size()));
    }

    @Override
    public Optional<String> changes(Optional<String> checkpoint, Consumer<Entry> sink) {
      asked.add(checkpoint);
      int from = checkpoint.map(Integer::parseInt).orElse(0);
      changes.subList(from, changes.size()).forEach(sink);
      return Optional.of(Integer.toString(changes.size()));
    }
  }

  @Test
  void aConnectedBankStartsFromItsSnapshotAndPullsOnlyTheChangesSince() throws IOException {
    SplittableRandom rnd = new SplittableRandom(11);
    Log log = new Log();
    List<PdqHash> early = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      early.add(HashBanksTest.randomPdq(rnd));
      log.changes.add(new HashBankSource.Entry(MatchType.PDQ, early.get(i).toHex()));
    }
    HashBanks a = HashBanks.inMemory();
    a.connect(log, BankConfig.builder("list", Category.NCII).build());
    Path file = dir.resolve("connected.snapshot");
    a.writeSnapshot("list", file);
    // later: one entry withdrawn, one added
    PdqHash late = HashBanksTest.randomPdq(rnd);
    log.changes.add(new HashBankSource.Entry(MatchType.PDQ, late.toHex()));
    log.changes.add(new HashBankSource.Entry(MatchType.PDQ, early.get(0).toHex(), HashBankSource.Entry.State.WITHDRAWN,
        Optional.empty(), Optional.empty()));

    HashBanks b = HashBanks.inMemory();
    ImportReport r = b.connect(log, BankConfig.builder("list", Category.NCII).build(), file, ImportOptions.defaults());
    assertEquals(1, log.loads, "the second instance never loaded the whole source");
    assertEquals(Optional.of("50"), log.asked.get(log.asked.size() - 1));
    assertEquals(2, r.applied());
    assertEquals(1, b.match(HashBanksTest.pdq(late)).size());
    assertEquals(List.of(), b.match(HashBanksTest.pdq(early.get(0))));
    assertEquals(1, b.match(HashBanksTest.pdq(early.get(1))).size());
    a.refresh("list");
    assertEquals(a.bank("list").versionString().substring(a.bank("list").versionString().indexOf('-')),
        b.bank("list").versionString().substring(b.bank("list").versionString().indexOf('-')),
        "both instances hold the same entries");
  }

  @Test
  void refusals() throws IOException {
    HashBanks a = HashBanks.inMemory();
    populated(a, new SplittableRandom(3), 100);
    Path file = dir.resolve("list.snapshot");
    a.writeSnapshot("list", file);
    // another bank's snapshot
    HashBanks b = HashBanks.inMemory();
    BankSnapshotException other = assertThrows(BankSnapshotException.class,
        () -> b.restore(BankConfig.builder("other", Category.NCII).build(), file));
    assertTrue(other.getMessage().contains("holds bank 'list'"), other.getMessage());
    assertThrows(ConfigurationException.class, () -> b.bank("other"));
    // a bank already defined
    b.define(BankConfig.builder("list", Category.NCII).build());
    assertThrows(ConfigurationException.class, () -> b.restore(BankConfig.builder("list", Category.NCII).build(), file));
    // a snapshot of a bank without a source cannot be caught up
    HashBanks c = HashBanks.inMemory();
    BankSnapshotException noCheckpoint = assertThrows(BankSnapshotException.class,
        () -> c.connect(new Log(), BankConfig.builder("list", Category.NCII).build(), file, ImportOptions.defaults()));
    assertTrue(noCheckpoint.getMessage().contains("checkpoint"), noCheckpoint.getMessage());
    assertThrows(ConfigurationException.class, () -> c.bank("list"));
    // not a snapshot at all
    Path text = dir.resolve("text");
    Files.writeString(text, "hash,signal_type\n");
    assertThrows(BankSnapshotException.class, () -> c.restore(BankConfig.builder("list", Category.NCII).build(), text));
  }

  /** Quick mode by default; {@code -Dhaetae.fuzz.iterations=N} (the long-fuzz profile) runs more. */
  private static int iterations() {
    return Integer.getInteger("haetae.fuzz.iterations", 300);
  }

  @Test
  void damagedSnapshotsAreRefusedAndDefineNothing() throws IOException {
    HashBanks a = HashBanks.inMemory();
    populated(a, new SplittableRandom(5), 3000);
    Path file = dir.resolve("good");
    a.writeSnapshot("list", file);
    byte[] good = Files.readAllBytes(file);
    SplittableRandom rnd = new SplittableRandom(2026);
    Path bad = dir.resolve("bad");
    int refusedByStructure = 0;
    for (int i = 0; i < iterations(); i++) {
      byte[] b = good.clone();
      int kind = i % 4;
      if (kind == 0) {
        b = Arrays.copyOf(b, rnd.nextInt(b.length));
      } else if (kind == 1) {
        for (int k = 1 + rnd.nextInt(4); k > 0; k--) {
          b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
        }
      } else {
        // change bytes, or write a huge or negative length, and fix the checksum so that only the
        // structure checks stand between the file and the bank
        int at = 20 + rnd.nextInt(b.length - 28);
        if (kind == 2) {
          b[at] ^= (byte) (1 + rnd.nextInt(255));
        } else {
          ByteBuffer.wrap(b).putInt(Math.min(at, b.length - 12), rnd.nextBoolean() ? -1 - rnd.nextInt(1000)
              : Integer.MAX_VALUE - rnd.nextInt(1000));
        }
        CRC32C crc = new CRC32C();
        crc.update(b, 0, b.length - 8);
        ByteBuffer.wrap(b).putLong(b.length - 8, crc.getValue());
      }
      Files.write(bad, b);
      HashBanks target = HashBanks.inMemory();
      try {
        target.restore(BankConfig.builder("list", Category.NCII).build(), bad);
        // a re-checksummed change that no check can see (e.g. an added-at time) restores a bank
        assertTrue(kind >= 2, "a truncated or bit-flipped snapshot was accepted (case " + i + ")");
        target.bank("list").versionString();
        for (int q = 0; q < 20; q++) {
          target.match(HashBanksTest.pdq(HashBanksTest.randomPdq(rnd)));
        }
      } catch (BankSnapshotException e) {
        assertTrue(target.banks().isEmpty(), "a refused snapshot defined the bank");
        if (kind >= 2) {
          refusedByStructure++;
        }
      }
    }
    assertTrue(refusedByStructure > 0, "the structure checks refused some re-checksummed changes");
  }
}

package dev.haetae.moderation.core.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.InvalidRequestException;
import dev.haetae.moderation.api.MatchType;
import dev.haetae.moderation.api.spi.HashBankSource;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An entry's uploader (a keyed pseudonym, see {@link Bank#addEntry(MatchType, String, Category,
 * String, String)}): the first one recorded for an active entry is kept, a withdrawal forgets it,
 * it takes part in the bank's digest (order-free) and a first uploader is a change, a follower
 * applies it with the entry, a snapshot keeps it, and a blank uploader is refused, changing nothing.
 */
class EntryUploaderTest {
  private static final String A = "5a3c96e1f00d4b2a9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c";

  private static Bank bank(HashBanks banks) {
    return banks.define(BankConfig.builder("platform-removals", Category.NCII).build());
  }

  private static Optional<String> uploader(Bank b, String hex) {
    return b.entry(MatchType.PDQ, hex).orElseThrow().uploader();
  }

  @Test
  void theFirstUploaderIsKeptUntilTheEntryIsWithdrawn() {
    Bank b = bank(HashBanks.inMemory());
    assertTrue(b.addEntry(MatchType.PDQ, A, Category.NCII, "first", "k1:abuser"));
    assertEquals(Optional.of("k1:abuser"), uploader(b, A));
    long v = b.version();
    assertFalse(b.addEntry(MatchType.PDQ, A, Category.NCII, "first", "k1:someone-else"),
        "another uploader for the same entry changes nothing");
    assertEquals(v, b.version());
    assertEquals(Optional.of("k1:abuser"), uploader(b, A));
    assertTrue(b.addEntry(MatchType.PDQ, A, Category.CSAM, "recategorised", null), "a new category is a change");
    assertEquals(Optional.of("k1:abuser"), uploader(b, A), "and keeps the uploader");
    assertTrue(b.withdraw(MatchType.PDQ, A));
    assertTrue(b.addEntry(MatchType.PDQ, A, Category.NCII, "again", "k1:victim"));
    assertEquals(Optional.of("k1:victim"), uploader(b, A), "a withdrawal forgot the first uploader");
    String C = "0f1e2d3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff0";
    assertTrue(b.addEntry(MatchType.PDQ, C, Category.NCII, "host", null));
    assertEquals(Optional.empty(), uploader(b, C));
    long before = b.version();
    assertTrue(b.addEntry(MatchType.PDQ, C, Category.NCII, "host", "k1:late"), "a first uploader is a change");
    assertNotEquals(before, b.version());
    assertEquals(Optional.of("k1:late"), uploader(b, C));
  }

  @Test
  void aFormatOneSnapshotStillRestoresWithoutUploaders(@TempDir Path dir) throws IOException {
    HashBanks one = HashBanks.inMemory();
    Bank a = bank(one);
    a.addEntry(MatchType.PDQ, A, Category.NCII, "the-only-reason", null);
    Path file = dir.resolve("v2.snapshot");
    one.writeSnapshot("platform-removals", file);
    // format 1 is format 2 without the note's uploader string (an int length of 0 when empty)
    byte[] v2 = java.nio.file.Files.readAllBytes(file);
    byte[] reason = "the-only-reason".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    int at = indexOf(v2, reason) + reason.length;
    assertEquals(0, java.nio.ByteBuffer.wrap(v2, at, 4).getInt(), "an empty uploader follows the reason");
    byte[] v1 = new byte[v2.length - 4];
    System.arraycopy(v2, 0, v1, 0, at);
    System.arraycopy(v2, at + 4, v1, at, v2.length - at - 4);
    int magic = "HAETAE-BANK-SNAPSHOT".length();
    assertEquals(2, java.nio.ByteBuffer.wrap(v1, magic, 4).getInt());
    java.nio.ByteBuffer.wrap(v1).putInt(magic, 1);
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(v1, 0, v1.length - 8);
    java.nio.ByteBuffer.wrap(v1).putLong(v1.length - 8, crc.getValue());
    Path old = dir.resolve("v1.snapshot");
    java.nio.file.Files.write(old, v1);
    Bank restored = HashBanks.inMemory().restore(BankConfig.builder("platform-removals", Category.NCII).build(), old);
    assertEquals(a.versionString(), restored.versionString());
    EntryInfo e = restored.entry(MatchType.PDQ, A).orElseThrow();
    assertEquals(Optional.of("the-only-reason"), e.reason());
    assertEquals(Optional.empty(), e.uploader());
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }

  @Test
  void blankOrMalformedInputIsRefusedAndChangesNothing() {
    Bank b = bank(HashBanks.inMemory());
    String digest = b.versionString();
    for (String blank : List.of("", " ", "\t")) {
      InvalidRequestException e = assertThrows(InvalidRequestException.class,
          () -> b.addEntry(MatchType.PDQ, A, Category.NCII, "r", blank));
      assertTrue(e.getMessage().contains("uploader"), e.getMessage());
    }
    assertThrows(InvalidRequestException.class, () -> b.addEntry(MatchType.PDQ, "zz", Category.NCII, "r", "k1:u"));
    assertThrows(InvalidRequestException.class, () -> b.addEntry(MatchType.PDQ, A, null, "r", "k1:u"));
    assertEquals(digest, b.versionString());
    assertTrue(b.entry(MatchType.PDQ, A).isEmpty());
  }

  @Test
  void theUploaderIsPartOfTheDigestWhateverTheOrderAndFollowersAndSnapshotsKeepIt(@TempDir Path dir)
      throws IOException {
    SplittableRandom rnd = new SplittableRandom(1604);
    List<String[]> entries = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      entries.add(new String[] {HashBanksTest.randomPdq(rnd).toHex(), rnd.nextInt(3) == 0 ? null : "k1:u" + rnd.nextInt(7)});
    }
    HashBanks one = HashBanks.inMemory();
    Bank a = bank(one);
    entries.forEach(e -> a.addEntry(MatchType.PDQ, e[0], Category.NCII, "r", e[1]));
    List<String[]> shuffled = new ArrayList<>(entries);
    Collections.shuffle(shuffled, new java.util.Random(7));
    Bank b = bank(HashBanks.inMemory());
    for (String[] e : shuffled) {
      // as a follower applies another instance's entries
      b.apply(new HashBankSource.Entry(MatchType.PDQ, e[0], HashBankSource.Entry.State.ACTIVE,
          Optional.of(Instant.parse("2026-12-01T09:00:00Z")), Optional.empty(), Optional.of(Category.NCII),
          Optional.of("r"), Optional.ofNullable(e[1])));
    }
    Bank c = bank(HashBanks.inMemory());
    entries.forEach(e -> c.addEntry(MatchType.PDQ, e[0], Category.NCII, "r", e[1] == null ? "k1:other" : null));
    String digestA = a.versionString().substring(a.versionString().indexOf('-') + 1);
    assertEquals(digestA, b.versionString().substring(b.versionString().indexOf('-') + 1),
        "the same entries in another order give the same digest");
    assertNotEquals(digestA, c.versionString().substring(c.versionString().indexOf('-') + 1),
        "other uploaders give another digest");
    for (String[] e : entries) {
      assertEquals(Optional.ofNullable(e[1]), uploader(b, e[0]));
    }
    Path file = dir.resolve("platform.snapshot");
    one.writeSnapshot("platform-removals", file);
    Bank restored = HashBanks.inMemory().restore(BankConfig.builder("platform-removals", Category.NCII).build(), file);
    assertEquals(a.versionString(), restored.versionString());
    for (String[] e : entries) {
      assertEquals(Optional.ofNullable(e[1]), uploader(restored, e[0]));
    }
  }
}

package dev.haetae.moderation.core.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.spi.Pseudonymizer;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The directory log's pseudonym cache: the same pseudonyms as the HMAC it remembers, on seeded ids
 * that repeat, from many threads, with a bounded size; free text not remembered; records encoded
 * byte for byte as without the cache.
 */
class PseudonymCacheTest {
  private static final String[] KINDS = {"account", "reporter", "room", "content", "text"};

  /** Seeded ids, a few of them hot (as in real traffic), some empty or non-ASCII. */
  private static String id(Random r) {
    return switch (r.nextInt(4)) {
      case 0 -> "hot-" + r.nextInt(8);
      case 1 -> "acct-" + r.nextInt(5_000);
      case 2 -> r.nextInt(10) == 0 ? "" : "ü\u00e9-" + Long.toHexString(r.nextLong());
      default -> Integer.toString(r.nextInt(300));
    };
  }

  @Test
  void givesTheDelegatesPseudonymsAndStaysBounded() {
    Pseudonymizer hmac = DirectoryDecisionLogTest.P;
    Pseudonymizers.Cached cached = (Pseudonymizers.Cached) Pseudonymizers.cached(hmac, 256);
    assertEquals(hmac.keyId(), cached.keyId());
    assertSame(cached, Pseudonymizers.cached(cached, 10), "not wrapped twice");
    Random r = new Random(18_300);
    for (int i = 0; i < 20_000; i++) {
      String kind = KINDS[r.nextInt(KINDS.length)];
      String raw = id(r);
      assertEquals(hmac.pseudonymize(kind, raw), cached.pseudonymize(kind, raw), kind + " " + raw);
      assertTrue(cached.size() <= 256, "size " + cached.size());
    }
    // equal raw ids of different kinds stay apart
    assertEquals(hmac.pseudonymize("room", "hot-1"), cached.pseudonymize("room", "hot-1"));
    assertTrue(!cached.pseudonymize("room", "hot-1").equals(cached.pseudonymize("account", "hot-1")));
  }

  @Test
  void freeTextIsNotRemembered() {
    Pseudonymizers.Cached cached = (Pseudonymizers.Cached) Pseudonymizers.cached(DirectoryDecisionLogTest.P, 64);
    Random r = new Random(18_301);
    for (int i = 0; i < 500; i++) {
      String text = "note " + r.nextLong();
      assertEquals(DirectoryDecisionLogTest.P.pseudonymize("text", text), cached.pseudonymize("text", text));
    }
    assertEquals(0, cached.size());
  }

  @Test
  void refusesABadSizeAndNulls() {
    assertThrows(IllegalArgumentException.class, () -> Pseudonymizers.cached(DirectoryDecisionLogTest.P, 0));
    assertThrows(NullPointerException.class, () -> Pseudonymizers.cached(null, 10));
    Pseudonymizer cached = Pseudonymizers.cached(DirectoryDecisionLogTest.P, 10);
    assertThrows(NullPointerException.class, () -> cached.pseudonymize("account", null));
    assertThrows(NullPointerException.class, () -> cached.pseudonymize(null, "a"));
  }

  @Test
  void manyThreadsGetTheSamePseudonyms() throws Exception {
    Pseudonymizer hmac = DirectoryDecisionLogTest.P;
    Pseudonymizer cached = Pseudonymizers.cached(hmac, 128);
    int threads = 16;
    AtomicInteger wrong = new AtomicInteger();
    List<Throwable> errors = Concurrently.run(threads, t -> {
      Random r = new Random(18_302 + t);
      for (int i = 0; i < 3_000; i++) {
        String kind = KINDS[r.nextInt(4)];
        String raw = id(r);
        if (!hmac.pseudonymize(kind, raw).equals(cached.pseudonymize(kind, raw))) {
          wrong.incrementAndGet();
        }
      }
    });
    assertTrue(errors.isEmpty(), errors.toString());
    assertEquals(0, wrong.get());
  }

  @Test
  void recordsAreEncodedByteForByteAsWithoutTheCache() throws Exception {
    RecordCodec plain = new RecordCodec(DirectoryDecisionLogTest.P, java.util.Set.of());
    RecordCodec withCache = new RecordCodec(Pseudonymizers.cached(DirectoryDecisionLogTest.P, 32), java.util.Set.of());
    Fixtures fx = new Fixtures(18_303);
    for (int i = 0; i < 400; i++) {
      Evidence e = fx.evidence();
      Decision d = fx.decision(e);
      assertArrayEquals(JsonBytes.members(plain.encode(e, d, List.of(), List.of())),
          JsonBytes.members(withCache.encode(e, d, List.of(), List.of())), "record " + i);
    }
  }
}

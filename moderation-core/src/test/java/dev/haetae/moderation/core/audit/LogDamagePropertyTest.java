package dev.haetae.moderation.core.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.haetae.moderation.api.DecisionLogException;
import dev.haetae.moderation.api.Evidence;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded damage to a closed log (flipped bytes, cut segments, deleted segments, removed checkpoint
 * lines, appended garbage, zero fill, duplicated lines), then reopening it for writing. The writer
 * either refuses with a {@link DamagedLogException}, or opens and then no record a checkpoint
 * covered before the damage is lost or changed, and the next record takes a sequence number no
 * checkpoint ever signed; nothing else may come out. {@code -Plong-fuzz} runs fifty times the
 * cases; {@code -Dhaetae.fuzz.seed=N} explores another sequence.
 */
class LogDamagePropertyTest {
  private static final long SEED = Long.getLong("haetae.fuzz.seed", 0xDA3A_6E5EL);
  private static final int CASES = 60 * Integer.getInteger("haetae.fuzz.scale", 1);

  private static DecisionLogs.Builder builder(Path dir, KeyPair kp) {
    return DecisionLogs.directory(dir).pseudonymizer(DirectoryDecisionLogTest.P).signingKey("k", kp)
        .checkpointEvery(7).maxBatch(3).segmentBytes(4096).checkpointInterval(Duration.ZERO);
  }

  @Test
  void reopeningADamagedLogRefusesOrKeepsEverySignedRecord(@TempDir Path tmp) throws Exception {
    KeyPair kp = LogIntegrityTest.keys();
    Path pristine = tmp.resolve("pristine");
    try (EngineLog log = builder(pristine, kp).build()) {
      DirectoryDecisionLogTest.write(log, new Fixtures(1), 40);
    }
    Random random = new Random(SEED);
    int refused = 0;
    int opened = 0;
    for (int c = 0; c < CASES; c++) {
      Path dir = tmp.resolve("case" + c);
      LogIntegrityTest.copyDir(pristine, dir);
      String damage = damage(dir, random);
      String where = "case " + c + " (seed " + SEED + "): " + damage;
      long lastCpAfterDamage = lastCheckpoint(dir);
      Map<Long, String> signed = records(dir, lastCpAfterDamage);
      long next;
      try (EngineLog log = builder(dir, kp).build()) {
        Evidence e = new Fixtures(100 + c).evidence();
        next = log.append(e, new Fixtures(100 + c).decision(e));
        opened++;
      } catch (DamagedLogException expected) {
        refused++;
        continue;
      } catch (DecisionLogException e) {
        fail(where + ": not a DamagedLogException: " + e, e);
        return;
      } catch (RuntimeException e) {
        fail(where + ": unexpected " + e, e);
        return;
      }
      // opened: every intact record a checkpoint vouches for is there, unchanged, and not reused
      Map<Long, String> now = records(dir, Long.MAX_VALUE);
      for (Map.Entry<Long, String> s : signed.entrySet()) {
        assertEquals(s.getValue(), now.get(s.getKey()), where + ": signed record " + s.getKey() + " lost");
      }
      assertTrue(next > lastCpAfterDamage, where + ": seq " + next + " reused under checkpoint "
          + lastCpAfterDamage);
    }
    assertTrue(refused > 0 && opened > 0, "refused " + refused + ", opened " + opened);
  }

  /** The hash of every intact record (its own hash checks) up to {@code upTo}, by sequence number. */
  private static Map<Long, String> records(Path dir, long upTo) throws IOException {
    Map<Long, String> out = new HashMap<>();
    java.security.MessageDigest md = Frames.sha256();
    for (Path seg : LogRecovery.segments(dir)) {
      byte[] b = Files.readAllBytes(seg);
      for (int pos = 0; pos < b.length; ) {
        int nl = LogRecovery.indexOf(b, (byte) '\n', pos);
        if (nl < 0) {
          break;
        }
        try {
          Frames.Parsed p = Frames.parse(b, pos, nl - pos, false, md);
          if (p.seq <= upTo) {
            out.putIfAbsent(p.seq, p.hash);
          }
        } catch (Frames.BadFrame e) {
          // damaged by the test itself
        }
        pos = nl + 1;
      }
    }
    return out;
  }

  private static long lastCheckpoint(Path dir) throws IOException {
    long last = -1;
    for (var n : LogRecovery.readJsonLines(dir.resolve(Checkpoints.FILE), false)) {
      if (n.has("seq")) {
        last = Math.max(last, n.get("seq").asLong());
      }
    }
    return last;
  }

  private static String damage(Path dir, Random random) throws IOException {
    List<Path> segs = LogRecovery.segments(dir);
    Path seg = segs.get(random.nextInt(segs.size()));
    Path last = segs.get(segs.size() - 1);
    byte[] b = Files.readAllBytes(seg);
    switch (random.nextInt(8)) {
      case 0: {
        int at = random.nextInt(b.length);
        b[at] ^= (byte) (1 + random.nextInt(255));
        Files.write(seg, b);
        return "flipped byte " + at + " of " + seg.getFileName();
      }
      case 1: {
        int at = random.nextInt(b.length);
        Files.write(seg, Arrays.copyOf(b, at));
        return "cut " + seg.getFileName() + " at " + at;
      }
      case 2:
        Files.delete(seg);
        return "deleted " + seg.getFileName();
      case 3: {
        List<String> cps = Files.readAllLines(dir.resolve(Checkpoints.FILE));
        List<String> kept = new ArrayList<>();
        for (String l : cps) {
          if (random.nextBoolean()) {
            kept.add(l);
          }
        }
        Files.write(dir.resolve(Checkpoints.FILE), kept);
        return "kept " + kept.size() + " of " + cps.size() + " checkpoints";
      }
      case 4: {
        byte[] junk = new byte[1 + random.nextInt(200)];
        random.nextBytes(junk);
        Files.write(last, junk, java.nio.file.StandardOpenOption.APPEND);
        return "appended " + junk.length + " random bytes to " + last.getFileName();
      }
      case 5: {
        byte[] tail = Files.readAllBytes(last);
        int from = random.nextInt(tail.length);
        Arrays.fill(tail, from, tail.length, (byte) 0);
        Files.write(last, tail);
        return "zero-filled " + last.getFileName() + " from " + from;
      }
      case 6: {
        List<String> lines = Files.readAllLines(seg, StandardCharsets.ISO_8859_1);
        int i = random.nextInt(lines.size());
        lines.add(i, lines.get(i));
        Files.write(seg, lines, StandardCharsets.ISO_8859_1);
        return "duplicated line " + i + " of " + seg.getFileName();
      }
      default: {
        String partial = "{\"seq\":99,\"prev\":\"" + "0".repeat(random.nextInt(64));
        Files.write(last, partial.getBytes(StandardCharsets.US_ASCII), java.nio.file.StandardOpenOption.APPEND);
        return "a torn line appended to " + last.getFileName();
      }
    }
  }
}

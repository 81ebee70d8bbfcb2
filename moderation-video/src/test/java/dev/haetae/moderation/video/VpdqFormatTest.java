package dev.haetae.moderation.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.haetae.moderation.core.banks.ProblemKind;
import dev.haetae.moderation.core.hash.HashListException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Both upstream serialisations: round trips, the reference file read bit for bit, strict errors, fuzz. */
class VpdqFormatTest {
  private static final String REF = new String(Samples.bytes("test-padded-dimensions.txt"), StandardCharsets.UTF_8);

  @Test
  void theReferenceTextRoundTripsByteForByte() {
    VideoHash h = VpdqFormat.readText("ref", REF);
    assertEquals(150, h.frames().size());
    assertEquals(REF, VpdqFormat.writeText(h));
  }

  @Test
  void jsonRoundTripsAndNumbersFramesByPosition() {
    VideoHash h = VpdqFormat.readText("ref", REF);
    String json = VpdqFormat.writeJson(h);
    assertTrue(json.startsWith("[\"e6cf059c4c6696362cc9d6663cd9c263714169d98327399993363d9c3d9cc666,100,0.000\""), json);
    VideoHash back = VpdqFormat.readJson("ref.json", json);
    assertEquals(h, back);
    VideoHash sampled = h.between(0, 5).frames().stream().filter(f -> f.frameNumber() % 30 == 0)
        .collect(java.util.stream.Collectors.collectingAndThen(java.util.stream.Collectors.toList(), VideoHash::new));
    VideoHash renumbered = VpdqFormat.readJson("s.json", VpdqFormat.writeJson(sampled));
    assertEquals(java.util.List.of(0, 1, 2, 3, 4), renumbered.frames().stream().map(FrameHash::frameNumber).toList());
    assertEquals(1.0, renumbered.frames().get(1).timestampSeconds(), 1e-9);
  }

  @Test
  void badRecordsNameTheLineAndTheProblem() {
    String good = "0,100,e6cf059c4c6696362cc9d6663cd9c263714169d98327399993363d9c3d9cc666,0.000\n";
    assertKind(ProblemKind.MALFORMED, 2, good + "1,100,e6cf\n");
    assertKind(ProblemKind.WRONG_LENGTH, 2, good + "1,100,e6cf,0.1\n");
    assertKind(ProblemKind.NOT_HEX, 1, good.replace("e6cf", "x6cf"));
    assertKind(ProblemKind.BAD_TIME, 1, good.replace("0.000", "soon"));
    assertKind(ProblemKind.MALFORMED, 2, good + good);
    assertKind(ProblemKind.MALFORMED, 1, good.replace(",100,", ",101,"));
    assertKind(ProblemKind.TOO_LONG, 1, "9".repeat(300));
    HashListException e = assertThrows(HashListException.class, () -> VpdqFormat.readText("a.txt",
        good + good.replace("0,100", "1,100") + good.replace("0,100", "2,100"), VideoLimits.builder().maxFrames(2).build()));
    assertEquals(ProblemKind.TOO_LONG, e.kind());
    assertThrows(HashListException.class, () -> VpdqFormat.readJson("j", "{\"a\":1}"));
    assertThrows(HashListException.class, () -> VpdqFormat.readJson("j", "[1]"));
    assertThrows(HashListException.class, () -> VpdqFormat.readJson("j", "[\"abc,1,0\"]"));
    assertThrows(HashListException.class, () -> VpdqFormat.readJson("j", "[] []"));
    assertThrows(HashListException.class, () -> VpdqFormat.readJson("j", "[\"" + "a".repeat(64) + ",1,0\""));
  }

  private static void assertKind(ProblemKind kind, long line, String text) {
    HashListException e = assertThrows(HashListException.class, () -> VpdqFormat.readText("a.txt", text));
    assertEquals(kind, e.kind(), e.getMessage());
    assertEquals(line, e.line(), e.getMessage());
  }

  /** Seeded mutations of both forms: a hash or a {@link HashListException}, nothing else. */
  @Test
  void mutatedHashFilesOnlyParseOrThrowHashListException() {
    Random r = new Random(0x21_F0_12L);
    int cases = Integer.getInteger("haetae.fuzz.cases", VideoFuzzTest.QUICK_CASES) * 4;
    String json = VpdqFormat.writeJson(VpdqFormat.readText("ref", REF));
    String structure = "[]{}\",\n\r\t 0123456789abcdef.-+eE\\\u0000";
    int parsed = 0;
    for (int c = 0; c < cases; c++) {
      boolean text = c % 2 == 0;
      StringBuilder s = new StringBuilder(text ? REF : json);
      for (int e = 0, n = 1 + r.nextInt(4); e < n && s.length() > 0; e++) {
        int at = r.nextInt(s.length());
        switch (r.nextInt(4)) {
          case 0 -> s.setCharAt(at, structure.charAt(r.nextInt(structure.length())));
          case 1 -> s.deleteCharAt(at);
          case 2 -> s.insert(at, structure.charAt(r.nextInt(structure.length())));
          default -> s.setLength(at);
        }
      }
      try {
        VideoHash h = text ? VpdqFormat.readText("t", s.toString()) : VpdqFormat.readJson("j", s.toString());
        assertTrue(h.frames().size() <= 150);
        parsed++;
      } catch (HashListException expected) {
        // documented
      } catch (Throwable t) {
        fail("case " + c + " (" + (text ? "text" : "json") + "): unexpected " + t, t);
      }
    }
    assertTrue(parsed > 0 && parsed < cases, "parsed " + parsed + " of " + cases);
  }
}

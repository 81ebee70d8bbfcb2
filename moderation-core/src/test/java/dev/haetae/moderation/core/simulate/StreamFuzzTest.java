package dev.haetae.moderation.core.simulate;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.haetae.moderation.api.Limits;
import dev.haetae.moderation.api.spi.DecisionLog;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded fuzzing of the event-stream surface of {@code haetae simulate}: streams of valid events of
 * every type, mutated at the byte level (flips, invalid UTF-8, control characters, truncation,
 * splices, long lines) and at the JSON level (values of the wrong type or out of range, repeated
 * keys, a second value on the line, hostile {@code file} paths). Whatever the input, the run
 * finishes; every malformed line is an error naming its line; every output line is one JSON
 * object and, like every error line, carries no raw control character; memory is bounded by the
 * line and content limits. {@code -Plong-fuzz} runs fifty times the streams;
 * {@code -Dhaetae.fuzz.seed=N} explores another sequence. A failure names the seed and stream.
 */
class StreamFuzzTest {
  private static final long SEED = Long.getLong("haetae.fuzz.seed", 0x5713_EA4DL);
  private static final int STREAMS = 24 * Integer.getInteger("haetae.fuzz.scale", 1);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern ERROR = Pattern.compile("^line \\d+: .*", Pattern.DOTALL);
  private static final String PDQ = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";

  private static final String[] VALID = {
      "{\"type\":\"account\",\"at\":\"2026-11-21T09:00:00Z\",\"account\":\"u1\",\"created\":\"2025-01-02T00:00:00Z\","
          + "\"trusted_flagger\":false,\"rooms\":[\"r1\",{\"room\":\"r2\",\"joined\":\"2026-01-01T00:00:00Z\"}]}",
      "{\"type\":\"bank\",\"at\":\"2026-11-21T09:00:00Z\",\"op\":\"add\",\"bank\":\"stopncii\",\"category\":\"ncii\","
          + "\"pdq\":\"" + PDQ + "\"}",
      "{\"type\":\"content\",\"at\":\"2026-11-21T10:00:00Z\",\"content\":\"c1\",\"account\":\"u1\",\"room\":\"r1\","
          + "\"surface\":\"group\",\"kind\":\"image\",\"pdq\":\"" + PDQ + "\",\"pdq_quality\":90,"
          + "\"jurisdictions\":[\"KR\"],\"text\":\"hi\"}",
      "{\"type\":\"content\",\"at\":\"2026-11-21T10:01:00Z\",\"content\":\"c2\",\"account\":\"u2\","
          + "\"surface\":\"public_channel\",\"kind\":\"image\",\"file\":\"img.png\"}",
      "{\"type\":\"content\",\"at\":\"2026-11-21T10:02:00Z\",\"content\":\"p1\",\"account\":\"u3\","
          + "\"surface\":\"public_channel\",\"kind\":\"profile_photo\",\"file\":\"img.png\",\"protect\":true}",
      "{\"type\":\"report\",\"at\":\"2026-11-21T10:03:00Z\",\"reporter\":\"u2\",\"content\":\"c1\",\"category\":\"ncii\"}",
      "{\"type\":\"notice\",\"at\":\"2026-11-21T10:04:00Z\",\"instrument\":\"US-TAKE-IT-DOWN\",\"content\":\"c1\","
          + "\"sender\":\"victim\",\"fields\":{\"signature\":\"s\",\"identification\":\"i\",\"location\":\"l\","
          + "\"good_faith_statement\":\"g\",\"contact\":\"c\"}}",
      "{\"type\":\"review\",\"at\":\"2026-11-21T10:05:00Z\",\"content\":\"c1\",\"verdict\":\"violating\","
          + "\"category\":\"ncii\"}",
      "{\"type\":\"appeal\",\"at\":\"2026-11-21T10:06:00Z\",\"content\":\"c1\",\"account\":\"u1\"}",
      "{\"type\":\"confirmation\",\"at\":\"2026-11-21T10:07:00Z\",\"of_line\":3,\"action\":\"remove\","
          + "\"delay\":\"PT1M\"}",
      "{\"type\":\"confirmation\",\"at\":\"2026-11-21T10:08:00Z\",\"decision\":\"d-1\",\"action\":\"notify_user\","
          + "\"outcome\":\"failed\",\"action_at\":\"2026-11-21T10:07:30Z\",\"detail\":\"bounced\"}",
      "{\"type\":\"tick\",\"at\":\"2026-11-24T12:00:00Z\"}",
  };

  private static final String[] HOSTILE_VALUES = {
      "1", "0", "-1", "4294967396", "1e309", "-0.0", "50.5", "true", "null", "[]", "{}", "[1,\"a\"]",
      "\"\\u001b[2J\\u009b\\u202e\"", "\"../../etc/passwd\"", "\"/dev/zero\"", "\"/proc/self/environ\"",
      "\"img.png/..\"", "\"\\u0000\"", "\"9999-12-31T00:00:00Z\"", "\"+1000000000-12-31T23:59:59.999999999Z\"",
      "\"" + "x".repeat(300) + "\"",
  };

  @Test
  void mutatedStreamsOnlyGiveLineErrorsAndSafeOutput(@TempDir Path dir) throws IOException {
    Files.write(dir.resolve("img.png"), png());
    Random random = new Random(SEED);
    Limits limits = Limits.builder().maxEventLineBytes(2048).maxContentBytes(1 << 16).build();
    for (int s = 0; s < STREAMS; s++) {
      ByteArrayOutputStream stream = new ByteArrayOutputStream();
      int lines = 5 + random.nextInt(25);
      for (int i = 0; i < lines; i++) {
        byte[] line = VALID[random.nextInt(VALID.length)].getBytes(StandardCharsets.UTF_8);
        stream.writeBytes(random.nextInt(3) == 0 ? line : mutate(line, random));
        stream.write('\n');
      }
      Path file = dir.resolve("s" + s + ".jsonl");
      Files.write(file, stream.toByteArray());
      List<String> out = new ArrayList<>();
      List<String> err = new ArrayList<>();
      String where = "stream " + s + " (seed " + SEED + ")";
      Simulator.Summary summary;
      try {
        summary = Simulator.builder().engine(b -> b.decisionLog(DecisionLog.DISCARD)).limits(limits)
            .onError(Simulator.OnError.CONTINUE).output(out::add).errors(err::add).build().run(file);
      } catch (RuntimeException e) {
        Files.copy(file, dir.resolve("failed.jsonl"));
        fail(where + ": the run failed: " + e, e);
        return;
      }
      assertTrue(summary.decisions() + summary.errors().size() <= summary.lines(), where);
      for (String e : summary.errors()) {
        assertTrue(ERROR.matcher(e).matches(), where + ": an error without its line: " + e);
      }
      for (String line : out) {
        safe(where, line);
        JsonNode n = JSON.readTree(line);
        assertTrue(n.isObject() && n.has("line"), where + ": " + line);
      }
      for (String line : err) {
        safe(where, line);
      }
    }
  }

  private static void safe(String where, String line) {
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if ((c < 0x20 && c != '\t') || (c >= 0x7f && c <= 0x9f) || (c >= 0x202a && c <= 0x202e)
          || (c >= 0x2066 && c <= 0x2069) || c == 0x2028 || c == 0x2029) {
        fail(where + ": raw control character U+" + Integer.toHexString(c) + " in: " + line);
      }
    }
  }

  private static byte[] mutate(byte[] line, Random random) {
    String text = new String(line, StandardCharsets.UTF_8);
    switch (random.nextInt(8)) {
      case 0: { // a field's value replaced by a hostile one
        String[] parts = text.split("\":", -1);
        if (parts.length > 2) {
          int k = 1 + random.nextInt(parts.length - 1);
          String rest = parts[k];
          int end = valueEnd(rest);
          parts[k] = HOSTILE_VALUES[random.nextInt(HOSTILE_VALUES.length)] + rest.substring(end);
          return String.join("\":", parts).getBytes(StandardCharsets.UTF_8);
        }
        return line;
      }
      case 1: // a repeated key
        return text.replaceFirst("\\{\"type\":\"([a-z]+)\"", "{\"type\":\"$1\",\"type\":\"tick\"")
            .getBytes(StandardCharsets.UTF_8);
      case 2: // a second value on the line
        return (text + (random.nextBoolean() ? " {\"type\":\"tick\"}" : "x")).getBytes(StandardCharsets.UTF_8);
      case 3: { // random bytes, including invalid UTF-8 and control characters
        byte[] b = line.clone();
        for (int k = 0, n = 1 + random.nextInt(4); k < n; k++) {
          b[random.nextInt(b.length)] = (byte) random.nextInt(256);
        }
        return b;
      }
      case 4: // truncated
        return java.util.Arrays.copyOf(line, random.nextInt(line.length));
      case 5: { // a long value: over the line limit or close to it
        int n = 1500 + random.nextInt(1200);
        return text.replaceFirst("\"at\":", "\"pad\":\"" + "y".repeat(n) + "\",\"at\":")
            .getBytes(StandardCharsets.UTF_8);
      }
      case 6: // a carriage return, a byte order mark or a form feed where they do not belong
        return (random.nextBoolean() ? "\uFEFF" + text + "\r" : text.replace(",", ",\f"))
            .getBytes(StandardCharsets.UTF_8);
      default: { // control characters and bidi overrides inside string values
        return text.replace("\"u1\"", "\"u\\u001b]0;pwn\\u0007\\u202e1\"").replace("\"c1\"", "\"c\u0085\u009b1\"")
            .getBytes(StandardCharsets.UTF_8);
      }
    }
  }

  /** Where a JSON value that starts a string ends (roughly: enough to replace it). */
  private static int valueEnd(String s) {
    if (s.startsWith("\"")) {
      int q = s.indexOf('"', 1);
      return q < 0 ? s.length() : q + 1;
    }
    int depth = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '{' || c == '[') {
        depth++;
      } else if (c == '}' || c == ']') {
        if (depth == 0) {
          return i;
        }
        depth--;
      } else if (c == ',' && depth == 0) {
        return i;
      }
    }
    return s.length();
  }

  private static byte[] png() throws IOException {
    java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(48, 32,
        java.awt.image.BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 32; y++) {
      for (int x = 0; x < 48; x++) {
        img.setRGB(x, y, (x * 5) << 16 | (y * 7) << 8 | (x ^ y));
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    javax.imageio.ImageIO.write(img, "png", out);
    return out.toByteArray();
  }
}

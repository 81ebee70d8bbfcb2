package dev.haetae.moderation.core.simulate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.haetae.moderation.api.Limits;
import dev.haetae.moderation.api.UserReport;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded fuzzing of {@code report} lines, the first-party {@code self} field among them: whatever
 * the values, the parser returns a report or throws {@link EventStreamException} naming the line;
 * {@code self} is true only when the line says {@code true}. A failure prints the seed and the line.
 */
class ReportLineFuzzTest {
  private static final long SEED = 0x5E1FL;
  private static final List<String> VALUES = List.of("true", "false", "null", "0", "1", "-1", "1e308", "\"true\"",
      "\"yes\"", "\"\"", "[]", "[true]", "{}", "{\"self\":true}", "\"ncii\"", "\"r1\"", "\"2026-12-01T09:00:00Z\"",
      "\"" + "x".repeat(300) + "\"", "\"\\u0000\"", "\"신고\"");
  private static final List<String> FIELDS = List.of("type", "at", "reporter", "content", "account", "room",
      "category", "text", "self");

  @Test
  void onlyReportsOrLineErrorsComeOut() throws Exception {
    EventParser parser = new EventParser(new ConfinedFiles(Path.of("."), Path.of("."), 1 << 20), Limits.defaults());
    Random r = new Random(SEED);
    int reports = 0;
    for (int i = 0; i < 20_000; i++) {
      StringBuilder line = new StringBuilder("{\"type\":\"report\",\"at\":\"2026-12-01T09:00:00Z\"");
      int n = r.nextInt(6);
      boolean selfTrue = false;
      boolean selfSet = false;
      for (int k = 0; k < n; k++) {
        String f = FIELDS.get(r.nextInt(FIELDS.size()));
        String v = VALUES.get(r.nextInt(VALUES.size()));
        line.append(",\"").append(f).append("\":").append(v);
        if (f.equals("self")) {
          selfSet = true;
          selfTrue = v.equals("true");
        }
      }
      if (r.nextBoolean()) {
        line.append(",\"reporter\":\"r-").append(i).append("\",\"content\":\"c-").append(i)
            .append("\",\"category\":\"ncii\"");
      }
      line.append('}');
      try {
        StreamEvent e = parser.parse(i + 1, line.toString());
        UserReport u = (UserReport) assertInstanceOf(StreamEvent.Request.class, e).request();
        // the last value of a repeated field wins
        assertEquals(selfSet && selfTrue, u.firstParty(), line.toString());
        reports++;
      } catch (EventStreamException ex) {
        assertEquals(i + 1, ex.line(), line.toString());
      } catch (RuntimeException ex) {
        fail("seed " + SEED + ", case " + i + ": unexpected " + ex + " for " + line, ex);
      }
    }
    assertTrue(reports > 100, "the fuzzer must reach valid reports too, got " + reports);
  }

  @Test
  void selfIsABooleanOrAbsent() throws Exception {
    EventParser parser = new EventParser(new ConfinedFiles(Path.of("."), Path.of("."), 1 << 20), Limits.defaults());
    String base = "{\"type\":\"report\",\"at\":\"2026-12-01T09:00:00Z\",\"reporter\":\"v\",\"content\":\"c\","
        + "\"category\":\"ncii\"";
    assertTrue(((UserReport) ((StreamEvent.Request) parser.parse(1, base + ",\"self\":true}")).request()).firstParty());
    assertTrue(!((UserReport) ((StreamEvent.Request) parser.parse(2, base + "}")).request()).firstParty());
    EventStreamException e = org.junit.jupiter.api.Assertions.assertThrows(EventStreamException.class,
        () -> parser.parse(3, base + ",\"self\":\"yes\"}"));
    assertEquals("line 3: self", e.field());
    assertTrue(e.getMessage().contains("true or false"), e.getMessage());
  }
}

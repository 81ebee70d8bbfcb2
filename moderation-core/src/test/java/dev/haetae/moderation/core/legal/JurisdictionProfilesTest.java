package dev.haetae.moderation.core.legal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ConfigurationException;
import dev.haetae.moderation.api.Duty;
import dev.haetae.moderation.api.NoticeSender;
import dev.haetae.moderation.api.Surface;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Period;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JurisdictionProfilesTest {
  private static final String ENTRY = "{\"id\":\"X-1\",\"jurisdiction\":\"US\",\"citation\":\"Test Act s 1\","
      + "\"category\":\"ncii\",\"clock_starts\":\"receipt\",\"deadline\":\"PT2H\",\"duties\":[\"remove\"],"
      + "\"preserve_for\":\"PT0S\",\"senders\":[\"victim\"],\"surfaces\":[\"group\"],"
      + "\"required_fields\":{\"location\":\"where\"}%s}";

  static JurisdictionProfiles parse(String json) {
    return JurisdictionProfiles.read("test.json", new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
  }

  static String file(String... entries) {
    return "{\"version\":\"t1\",\"instruments\":[" + String.join(",", entries) + "]}";
  }

  static String entry(String extra) {
    return String.format(ENTRY, extra);
  }

  @Test
  void issue20RecordKeepingAndTheIndianAmendmentAreInTheBundledProfiles() {
    JurisdictionProfiles p = JurisdictionProfiles.bundled();
    Instrument kr = p.instrument("KR-TBA-22-5").orElseThrow();
    assertEquals(Period.ofYears(3), kr.retainRecordsFor(), "KCC notice: report records and measure logs, 3 years");
    assertTrue(kr.notes().contains("3 years") && kr.notes().contains("14 days"), kr.notes());
    Instrument report = p.instrument("KR-TBA-22-5-REPORT").orElseThrow();
    assertEquals(Duration.ofDays(14), report.deadline(), "KCC notice: the reporter is told the outcome in 14 days");
    assertFalse(report.internalTarget());
    assertEquals(Period.ofYears(3), report.retainRecordsFor());
    assertTrue(Obligations.isReportClock(report));
    for (Instrument i : p.instruments().values()) {
      if (!i.id().startsWith("KR-TBA-22-5")) {
        assertEquals(Period.ZERO, i.retainRecordsFor(), i.id() + " states no record-keeping duty");
      }
    }
    for (String id : List.of("IN-ITR-3-1-D", "IN-ITR-3-2-B")) {
      Instrument in = p.instrument(id).orElseThrow();
      assertTrue(in.citation().contains("Amendment Rules, 2026 (notified 10 February 2026, in force 20 February 2026)"),
          in.citation());
    }
    assertEquals(Set.of(NoticeSender.COURT, NoticeSender.REGULATOR, NoticeSender.POLICE),
        p.instrument("IN-ITR-3-1-D").get().senders(), "3 hours for court orders and officers' intimations");
    assertEquals(Set.of(NoticeSender.VICTIM, NoticeSender.AUTHORISED_PERSON),
        p.instrument("IN-ITR-3-2-B").get().senders(), "2 hours for the individual's complaint about intimate imagery");
  }

  @Test
  void retainRecordsForIsACalendarPeriodNeverNegative() {
    assertEquals(Period.ofYears(3), parse(file(entry(",\"retain_records_for\":\"P3Y\""))).instrument("X-1")
        .orElseThrow().retainRecordsFor());
    assertEquals(Period.ZERO, parse(file(entry(""))).instrument("X-1").orElseThrow().retainRecordsFor());
    for (String bad : List.of("\"-P1Y\"", "\"PT3H\"", "3", "\"three years\"")) {
      ConfigurationException e = assertThrows(ConfigurationException.class, () -> parse(file(entry(
          ",\"retain_records_for\":" + bad))), bad);
      assertTrue(e.getMessage().contains("X-1") && e.getMessage().contains("retain_records_for"), e.getMessage());
    }
  }

  @Test
  void bundledProfilesCarryTheIdsTheEventFormatPromisesWithTheLawsClocks() {
    JurisdictionProfiles p = JurisdictionProfiles.bundled();
    Map<String, Duration> clocks = Map.of("US-TAKE-IT-DOWN", Duration.ofHours(48), "IN-ITR-3-2-B",
        Duration.ofHours(2), "IN-ITR-3-1-D", Duration.ofHours(3), "EU-TCO-3", Duration.ofHours(1), "AU-OSA-77",
        Duration.ofHours(24), "AU-OSA-109", Duration.ofHours(24));
    clocks.forEach((id, d) -> {
      Instrument i = p.instrument(id).orElseThrow(() -> new AssertionError(id + " missing"));
      assertEquals(d, i.deadline(), id);
      assertFalse(i.internalTarget(), id + " has statutory hours");
    });
    for (String id : List.of("EU-DSA-16", "KR-TBA-22-5", "US-18-2258A", "UK-OSA-INTERNAL", "KR-NA-44-2",
        "KR-NA-44-7", "KR-SVPA-23-2", "EU-DSA-22")) {
      Instrument i = p.instrument(id).orElseThrow(() -> new AssertionError(id + " missing"));
      assertTrue(i.internalTarget(), id + ": the law sets no hours, so the deadline is an internal target");
      assertFalse(i.notes().isBlank(), id + " says what its target stands for");
    }
    for (Instrument i : p.instruments().values()) {
      assertFalse(i.citation().isBlank(), i.id());
      assertFalse(i.clockStarts().isBlank(), i.id());
      assertFalse(i.notes().isBlank(), i.id() + " has notes");
    }
    Instrument tid = p.instrument("US-TAKE-IT-DOWN").get();
    assertTrue(tid.removeIdenticalCopies());
    assertEquals(List.of("signature", "identification", "location", "good_faith_statement", "contact"),
        List.copyOf(tid.requiredFields().keySet()));
    assertEquals(Duration.ofDays(366), p.instrument("US-18-2258A").get().preserveFor(), "P1Y never ends early");
    assertEquals(Duration.ofDays(186), p.instrument("EU-TCO-3").get().preserveFor(), "P6M never ends early");
    assertEquals(Period.ofMonths(6), p.instrument("EU-DSA-20").get().appealWindow());
    assertEquals("EU-DSA-20", p.instrument("EU-DSA-16").get().appeal().get());
    assertEquals(java.util.Set.of(Category.CSAM), p.instrument("EU-DSA-16").get().notRequiredFor().get("email"));
    assertFalse(p.instrument("EU-TCO-3").get().surfaces().contains(Surface.DIRECT));
    assertEquals(java.util.Set.of(NoticeSender.REGULATOR), p.instrument("AU-OSA-77").get().senders());
    assertTrue(p.instrument("EU-DSA-16").get().duties().contains(Duty.REVIEW));
    assertFalse(p.instrument("EU-DSA-16").get().fulfilledByRemoval());
  }

  @Test
  void aValidFileLoadsWithDefaultsForOptionalFields() {
    JurisdictionProfiles p = parse(file(entry("")));
    Instrument i = p.instrument("X-1").get();
    assertEquals(Instrument.Kind.NOTICE, i.kind());
    assertEquals(Duration.ofHours(2), i.deadline());
    assertFalse(i.internalTarget());
    assertEquals(Period.ZERO, i.appealWindow());
    assertEquals("t1", p.version());
  }

  @Test
  void errorsNameTheSourceTheEntryAndTheField() {
    assertError(file(entry(",\"deadlines\":\"PT1H\"")), "test.json: instrument X-1: unknown field 'deadlines'");
    assertError(file(entry("").replace("\"PT2H\"", "\"-PT2H\"")), "instrument X-1: 'deadline' must not be negative");
    assertError(file(entry("").replace("\"PT2H\"", "\"PT0S\"")), "instrument X-1: deadline must be positive");
    assertError(file(entry("").replace("\"PT0S\"", "\"-P1D\"")), "'preserve_for' must not be negative");
    assertError(file(entry("").replace("\"Test Act s 1\"", "\"  \"")), "instrument X-1: missing or empty 'citation'");
    assertError(file(entry("").replace("\"citation\":\"Test Act s 1\",", "")),
        "instrument X-1: missing or empty 'citation'");
    assertError(file(entry("").replace("[\"victim\"]", "[\"neighbour\"]")), "'senders' has unknown value 'neighbour'");
    assertError(file(entry("").replace("\"PT2H\"", "\"2 hours\"")), "'deadline' is not an ISO-8601 duration");
    assertError(file(entry(",\"internal_target\":\"yes\"")), "'internal_target' must be true or false");
    assertError(file(entry(""), entry("")), "instrument X-1: duplicate id");
    assertError(file(entry(",\"not_required_for\":{\"name\":[\"csam\"]}")), "'name', which is not a required field");
    assertError(file(entry(",\"kind\":\"appeal\"")), "an appeal entry needs a positive appeal_window");
    assertError("{\"version\":\"t\",\"instrumnets\":[]}", "unknown top-level field 'instrumnets'");
    assertError("{\"version\":\"t\"", "not valid JSON");
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> parse(file(entry(",\"appeal\":\"NOPE\""))).overriddenBy(parse(file())));
    assertTrue(e.getMessage().contains("'appeal' names 'NOPE'"), e.getMessage());
  }

  @Test
  void aHostOverridesOneEntryAndAddsAnotherWithAFile(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("ours.json");
    String tco = "{\"id\":\"EU-TCO-3\",\"jurisdiction\":\"EU\",\"citation\":\"Regulation (EU) 2021/784, Art. 3(3)\","
        + "\"category\":\"terrorism\",\"clock_starts\":\"receipt of a removal order\",\"deadline\":\"PT45M\","
        + "\"internal_target\":true,\"duties\":[\"remove\",\"preserve\"],\"preserve_for\":\"P1Y\","
        + "\"senders\":[\"regulator\",\"court\",\"police\"],\"surfaces\":[\"public_channel\",\"group\"],"
        + "\"required_fields\":{\"location\":\"where\"},\"appeal\":\"EU-DSA-20\","
        + "\"notes\":\"Our target is 45 minutes; an authority asked us to keep these a year.\"}";
    Files.writeString(f, "{\"version\":\"ours-3\",\"instruments\":[" + tco + "," + entry("") + "]}");
    JurisdictionProfiles p = JurisdictionProfiles.bundled().overriddenBy(JurisdictionProfiles.load(f));
    assertEquals(Duration.ofMinutes(45), p.instrument("EU-TCO-3").get().deadline());
    assertEquals(Duration.ofDays(366), p.instrument("EU-TCO-3").get().preserveFor());
    assertTrue(p.instrument("X-1").isPresent());
    assertEquals(Duration.ofHours(48), p.instrument("US-TAKE-IT-DOWN").get().deadline());
    assertTrue(p.version().endsWith("+ours-3"), p.version());
  }

  private static void assertError(String json, String expected) {
    ConfigurationException e = assertThrows(ConfigurationException.class, () -> parse(json));
    assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
  }
}

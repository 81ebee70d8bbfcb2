package dev.haetae.moderation.core.legal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.LegalNotice;
import dev.haetae.moderation.api.NoticeSender;
import dev.haetae.moderation.api.ObligationEvent;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.Surface;
import dev.haetae.moderation.api.spi.ObligationRecord;
import dev.haetae.moderation.core.store.InMemoryObligationStore;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ObligationsTest {
  static final Map<String, String> TID = Map.of("signature", "J. Doe", "identification", "photo of me",
      "location", "room r1, message c1", "good_faith_statement", "not consensual", "contact", "jdoe@example.org");
  static final Map<String, String> TCO = Map.of("authority", "Police nationale", "statement_of_reasons",
      "propaganda video", "location", "c1");
  static final Map<String, String> IN = Map.of("identification", "morphed image", "location", "c1", "contact",
      "a@example.in");

  private final InMemoryObligationStore store = new InMemoryObligationStore();
  private final Obligations obligations = new Obligations(JurisdictionProfiles.bundled(), store, 0.5, 0.8);

  static LegalNotice notice(String id, String instrument, String content, NoticeSender sender,
      Map<String, String> fields, Instant received) {
    return new LegalNotice(id, instrument, ContentId.of(content), sender, fields, received);
  }

  @Test
  void deadlinesAreUtcInstantsAcrossDaylightSavingChangesAndYearEnds() {
    // Europe springs forward at 01:00 UTC on 29 March 2026: 48 hours later the wall clock shows 49 hours.
    Instant spring = Instant.parse("2026-03-29T00:30:00Z");
    ObligationRecord a = open("a", "US-TAKE-IT-DOWN", NoticeSender.VICTIM, TID, spring);
    assertEquals(Instant.parse("2026-03-31T00:30:00Z"), a.deadline());
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    assertEquals(Duration.ofHours(49), Duration.between(LocalDateTime.ofInstant(spring, berlin),
        LocalDateTime.ofInstant(a.deadline(), berlin)), "the wall clock moved, the deadline did not");
    // US falls back on 1 November 2026 at 06:00 UTC (02:00 EDT).
    Instant fall = Instant.parse("2026-11-01T05:30:00Z");
    assertEquals(Instant.parse("2026-11-03T05:30:00Z"),
        open("b", "US-TAKE-IT-DOWN", NoticeSender.VICTIM, TID, fall).deadline());
    // India's 2-hour rule across New Year's Eve and the TCO hour across a year end.
    assertEquals(Instant.parse("2027-01-01T01:00:00Z"),
        open("c", "IN-ITR-3-2-B", NoticeSender.VICTIM, IN, Instant.parse("2026-12-31T23:00:00Z")).deadline());
    assertEquals(Instant.parse("2027-01-01T00:29:59Z"),
        open("d", "EU-TCO-3", NoticeSender.POLICE, TCO, Instant.parse("2026-12-31T23:29:59Z")).deadline());
    // A leap day inside a 48-hour window.
    assertEquals(Instant.parse("2028-03-01T12:00:00Z"),
        open("e", "US-TAKE-IT-DOWN", NoticeSender.VICTIM, TID, Instant.parse("2028-02-28T12:00:00Z")).deadline());
  }

  @Test
  void seededRandomReceiptsGetExactDeadlinesAndOrderedEscalations() {
    Random rnd = new Random(20261122L);
    long from = Instant.parse("2020-01-01T00:00:00Z").getEpochSecond();
    long to = Instant.parse("2036-01-01T00:00:00Z").getEpochSecond();
    List<String> ids = List.of("US-TAKE-IT-DOWN", "EU-TCO-3", "IN-ITR-3-2-B");
    List<Map<String, String>> fields = List.of(TID, TCO, IN);
    List<NoticeSender> senders = List.of(NoticeSender.VICTIM, NoticeSender.POLICE, NoticeSender.VICTIM);
    for (int i = 0; i < 2000; i++) {
      int k = rnd.nextInt(ids.size());
      Instant received = Instant.ofEpochSecond(from + (long) (rnd.nextDouble() * (to - from)), rnd.nextInt(1000) * 1000);
      Instrument ins = obligations.profiles().instrument(ids.get(k)).get();
      ObligationRecord o = open("p" + i, ids.get(k), senders.get(k), fields.get(k), received);
      assertEquals(received.plus(ins.deadline()), o.deadline(), o.id());
      assertTrue(o.nextCheck().isAfter(received) && o.nextCheck().isBefore(o.deadline()), o.id());
    }
    // walk every clock to its end: each obligation escalates twice, then breaches once, in time order
    List<ObligationEvent> events = obligations.tick(Instant.parse("2036-01-03T00:00:00Z"));
    Map<String, List<ObligationEvent.Type>> byId = new HashMap<>();
    for (ObligationEvent e : events) {
      byId.computeIfAbsent(e.obligation().id(), x -> new ArrayList<>()).add(e.type());
    }
    assertEquals(2000, byId.size());
    byId.values().forEach(t -> assertEquals(List.of(ObligationEvent.Type.ESCALATED, ObligationEvent.Type.ESCALATED,
        ObligationEvent.Type.BREACHED), t));
  }

  @Test
  void anInvalidNoticeGetsThePreciseListOfWhatIsMissingOrWrong() {
    Signal.NoticeCheck c = obligations.check(notice("n", "US-TAKE-IT-DOWN", "c1", NoticeSender.USER,
        Map.of("signature", "x", "location", " "), Instant.EPOCH), Optional.empty());
    assertFalse(c.valid());
    assertEquals(List.of("sender", "identification", "location", "good_faith_statement", "contact"),
        c.missing().stream().map(m -> m.substring(0, m.indexOf(':'))).toList());
    assertTrue(c.missing().get(0).contains("victim"), c.missing().get(0));

    Signal.NoticeCheck tco = obligations.check(notice("n", "EU-TCO-3", "c1", NoticeSender.POLICE, TCO, Instant.EPOCH),
        Optional.of(Surface.DIRECT));
    assertEquals(1, tco.missing().size());
    assertTrue(tco.missing().get(0).startsWith("surface: EU-TCO-3 does not apply to content in a direct space"),
        tco.missing().get(0));

    Signal.NoticeCheck unknown = obligations.check(notice("n", "XX-NOPE", "c1", NoticeSender.USER, Map.of(),
        Instant.EPOCH), Optional.empty());
    assertFalse(unknown.known());
    assertTrue(unknown.missing().get(0).contains("US-TAKE-IT-DOWN"), "lists the known ids");
    Signal.NoticeCheck appealAsNotice = obligations.check(notice("n", "EU-DSA-20", "c1", NoticeSender.USER,
        Map.of(), Instant.EPOCH), Optional.empty());
    assertFalse(appealAsNotice.known(), "an appeal entry is not a notice instrument");
  }

  @Test
  void aDsaNoticeAboutChildAbuseMaterialNeedsNoNameOrEmail() {
    Map<String, String> anonymous = Map.of("explanation", "abuse material", "location", "c1",
        "good_faith_statement", "accurate");
    assertEquals(List.of("name", "email"), obligations.check(notice("n", "EU-DSA-16", "c1", NoticeSender.USER,
        anonymous, Instant.EPOCH), Optional.empty()).missing().stream().map(m -> m.substring(0, m.indexOf(':')))
        .toList());
    Map<String, String> csam = new HashMap<>(anonymous);
    csam.put("category", "csam");
    assertTrue(obligations.check(notice("n", "EU-DSA-16", "c1", NoticeSender.USER, csam, Instant.EPOCH),
        Optional.empty()).valid());
    ObligationRecord o = obligations.receive(notice("n", "EU-DSA-16", "c1", NoticeSender.USER, csam, Instant.EPOCH),
        false, Instant.EPOCH).obligation().get();
    assertEquals(Category.CSAM, o.category(), "the notice's declared category is the obligation's");
  }

  @Test
  void duplicatesAreIdempotentAndAnAlreadyRemovedItemClosesAtOnce() {
    Instant t = Instant.parse("2026-11-21T10:00:00Z");
    Obligations.Receipt first = obligations.receive(notice("n1", "US-TAKE-IT-DOWN", "c1", NoticeSender.VICTIM, TID, t),
        false, t);
    Obligations.Receipt again = obligations.receive(notice("n1", "US-TAKE-IT-DOWN", "c1", NoticeSender.VICTIM, TID,
        t.plusSeconds(60)), false, t.plusSeconds(120));
    assertTrue(again.check().duplicate());
    assertTrue(again.events().isEmpty());
    assertEquals(first.obligation().get().deadline(), again.obligation().get().deadline(), "the first receipt counts");
    assertEquals(1, store.all().size());

    Obligations.Receipt gone = obligations.receive(notice("n2", "US-TAKE-IT-DOWN", "c2", NoticeSender.VICTIM, TID, t),
        true, t.plusSeconds(5));
    assertEquals(List.of(ObligationEvent.Type.OPENED, ObligationEvent.Type.CLOSED),
        gone.events().stream().map(ObligationEvent::type).toList());
    assertEquals(ObligationRecord.Status.CLOSED, gone.obligation().get().status());
    assertTrue(obligations.tick(t.plus(Duration.ofDays(3))).stream()
        .noneMatch(e -> e.obligation().id().equals(gone.obligation().get().id())), "a closed obligation never breaches");
  }

  @Test
  void aLateNoticeSkipsTheEscalationsItCanNoLongerUseAndBreachesOnArrival() {
    Instant now = Instant.parse("2026-11-21T10:00:00Z");
    Obligations.Receipt late = obligations.receive(notice("n", "EU-TCO-3", "c1", NoticeSender.POLICE, TCO,
        now.minus(Duration.ofHours(3))), false, now);
    assertEquals(List.of(ObligationEvent.Type.OPENED, ObligationEvent.Type.BREACHED),
        late.events().stream().map(ObligationEvent::type).toList());
    assertEquals(Duration.ofHours(2), late.events().get(1).lateness());
    assertEquals(ObligationRecord.Status.BREACHED, late.obligation().get().status());

    // 70 minutes into a 2-hour clock: the 50% escalation (60 min) fires once, the 80% one is still ahead
    Obligations.Receipt partly = obligations.receive(notice("m", "IN-ITR-3-2-B", "c2", NoticeSender.VICTIM, IN,
        now.minus(Duration.ofMinutes(70))), false, now);
    assertEquals(List.of(ObligationEvent.Type.OPENED, ObligationEvent.Type.ESCALATED),
        partly.events().stream().map(ObligationEvent::type).toList());
    assertEquals(now.plus(Duration.ofMinutes(26)), partly.obligation().get().nextCheck());
  }

  @Test
  void outOfOrderReceiptsEachKeepTheirOwnClock() {
    Instant now = Instant.parse("2026-11-21T10:00:00Z");
    obligations.receive(notice("later", "US-TAKE-IT-DOWN", "c1", NoticeSender.VICTIM, TID, now), false, now);
    obligations.receive(notice("earlier", "US-TAKE-IT-DOWN", "c2", NoticeSender.VICTIM, TID,
        now.minus(Duration.ofHours(47))), false, now.plusSeconds(1));
    List<ObligationEvent> at = obligations.tick(now.plus(Duration.ofHours(1)));
    assertEquals(List.of("US-TAKE-IT-DOWN:earlier"), at.stream().filter(e -> e.type() == ObligationEvent.Type.BREACHED)
        .map(e -> e.obligation().id()).toList());
    assertEquals(Duration.ofHours(0), at.stream().filter(e -> e.type() == ObligationEvent.Type.BREACHED).findFirst()
        .get().lateness());
  }

  @Test
  void aBreachIsRecordedWithItsLatenessAndCountedInComplianceFigures() {
    Instant t = Instant.parse("2026-11-21T10:00:00Z");
    obligations.receive(notice("a", "EU-TCO-3", "c1", NoticeSender.POLICE, TCO, t), false, t);
    obligations.receive(notice("b", "EU-TCO-3", "c2", NoticeSender.POLICE, TCO, t), false, t);
    obligations.fulfil(ContentId.of("c1"), t.plus(Duration.ofMinutes(20)));
    List<ObligationEvent> ev = obligations.tick(t.plus(Duration.ofMinutes(75)));
    ObligationEvent breach = ev.get(ev.size() - 1);
    assertEquals(ObligationEvent.Type.BREACHED, breach.type());
    assertEquals(Duration.ofMinutes(15), breach.lateness());
    assertEquals(t.plus(Duration.ofHours(1)), breach.at());
    List<ObligationEvent> done = obligations.fulfil(ContentId.of("c2"), t.plus(Duration.ofMinutes(90)));
    assertEquals(Duration.ofMinutes(30), done.get(0).lateness());

    Compliance.Figures f = Compliance.of(store.all(), t.plus(Duration.ofHours(2))).byInstrument().get("EU-TCO-3");
    assertEquals(2, f.opened());
    assertEquals(2, f.fulfilled());
    assertEquals(1, f.breached());
    assertEquals(0.5, f.breachRate());
    assertEquals(Duration.ofMinutes(20), f.percentile(50));
    assertEquals(Duration.ofMinutes(90), f.percentile(100));
  }

  @Test
  void appealWindowsEndAtTheEndOfTheUtcDaySixCalendarMonthsLater() {
    assertEquals(Instant.parse("2027-03-01T00:00:00Z"),
        Obligations.appealWindowEnd(Instant.parse("2026-08-31T10:00:00Z"), Period.ofMonths(6)));
    assertEquals(Instant.parse("2028-03-01T00:00:00Z"),
        Obligations.appealWindowEnd(Instant.parse("2027-08-31T23:59:59Z"), Period.ofMonths(6)), "leap February");
    assertEquals(Instant.parse("2027-06-16T00:00:00Z"),
        Obligations.appealWindowEnd(Instant.parse("2026-12-15T00:00:00Z"), Period.ofMonths(6)), "across a year end");
    Random rnd = new Random(7);
    for (int i = 0; i < 1000; i++) {
      Instant informed = Instant.ofEpochSecond(1_700_000_000L + (long) (rnd.nextDouble() * 400_000_000L));
      Instant end = Obligations.appealWindowEnd(informed, Period.ofMonths(6));
      assertFalse(end.isBefore(informed.atZone(ZoneOffset.UTC).plusMonths(6).toInstant()), "at least six months");
      assertTrue(end.isBefore(informed.plus(Duration.ofDays(186))), "and not much more");
    }
  }

  private ObligationRecord open(String id, String instrument, NoticeSender sender, Map<String, String> fields,
      Instant received) {
    Obligations.Receipt r = obligations.receive(notice(id, instrument, "c-" + id, sender, fields, received), false,
        received);
    assertTrue(r.check().valid(), r.check().missing().toString());
    return r.obligation().get();
  }
}

package dev.haetae.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Appeal;
import dev.haetae.moderation.api.ContentEvent;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.ContentKind;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.LegalNotice;
import dev.haetae.moderation.api.NoticeSender;
import dev.haetae.moderation.api.ObligationEvent;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.Surface;
import dev.haetae.moderation.core.engine.ModerationEngine;
import dev.haetae.moderation.core.engine.PolicyIsolation;
import dev.haetae.moderation.core.legal.Compliance;
import dev.haetae.moderation.core.legal.JurisdictionProfiles;
import dev.haetae.moderation.core.simulate.SettableClock;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The code of the legal guide (src-docs/legal.md), compiled and run. */
class LegalGuideTest {

  @Test
  void theGuidesExampleRuns(@TempDir Path logDir) {
    List<String> pager = new ArrayList<>();
    // --- guide: override ---
    String ours = """
        {"version": "acme-2026-11",
         "instruments": [{
           "id": "KR-TBA-22-5", "jurisdiction": "KR",
           "citation": "Telecommunications Business Act, Art. 22-5(1)",
           "category": "sexual_deepfake",
           "clock_starts": "a report or deletion request makes us aware of the material",
           "deadline": "PT2H", "internal_target": true,
           "duties": ["remove", "disable"], "remove_identical_copies": true,
           "preserve_for": "P90D",
           "senders": ["victim", "authorised_person", "trusted_flagger", "regulator", "police"],
           "surfaces": ["public_channel", "group", "direct"],
           "required_fields": {"location": "where the material is"},
           "appeal": "KR-NA-APPEAL",
           "notes": "Our counsel set a 2-hour target for 'without delay' and a 90-day hold."}]}
        """;
    JurisdictionProfiles profiles = JurisdictionProfiles.bundled().overriddenBy(JurisdictionProfiles.read(
        "acme.json", new ByteArrayInputStream(ours.getBytes(StandardCharsets.UTF_8))));
    // --- end ---

    // --- guide: engine ---
    SettableClock clock = new SettableClock(Instant.parse("2026-11-21T10:00:00Z"));
    ModerationEngine engine = ModerationEngine.builder()
        .clock(clock)
        .logDirectory(logDir)
        .jurisdictionProfiles(profiles)
        .escalateAt(0.5, 0.8)                                   // page at half time and at 80%
        .obligationListener(e -> pager.add(e.type().wireName() + " " + e.obligation().instrument()))
        .holdListener(h -> pager.add("hold ended on " + h.content().value()))
        .policyIsolation(PolicyIsolation.INLINE)                // deterministic for this example
        .build();
    // --- end ---

    try (engine) {
      // --- guide: notice ---
      engine.evaluate(ContentEvent.upload(ContentId.of("c1"), AccountId.of("u1"), RoomId.of("r1"), Surface.GROUP,
          ContentKind.IMAGE, "image bytes".getBytes(StandardCharsets.UTF_8)));

      LegalNotice incomplete = new LegalNotice("req-17", "US-TAKE-IT-DOWN", ContentId.of("c1"), NoticeSender.VICTIM,
          Map.of("signature", "J. Doe", "location", "room r1"), clock.instant());
      Signal.NoticeCheck check = engine.checkNotice(incomplete);   // records nothing
      List<String> sendBack = check.missing();                      // "identification: an identification of ..."

      LegalNotice valid = new LegalNotice("req-18", "US-TAKE-IT-DOWN", ContentId.of("c1"), NoticeSender.VICTIM,
          Map.of("signature", "J. Doe", "identification", "a photo of me", "location", "room r1",
              "good_faith_statement", "I did not consent to this", "contact", "jdoe@example.org"),
          clock.instant().minus(Duration.ofMinutes(30)));          // received by the web form earlier
      Decision d = engine.evaluate(valid);
      // d.actions(): remove, block_reupload, notify_user (uploader and sender); d.deadline(): receipt + 48 h
      // --- end ---
      assertEquals(3, sendBack.size());
      assertFalse(check.valid());
      assertTrue(d.has(Action.Remove.class), d.toString());
      assertEquals(Optional.of(Instant.parse("2026-11-23T09:30:00Z")), d.deadline());

      // --- guide: clock ---
      engine.evaluate(new LegalNotice("kcsc-3", "KR-TBA-22-5", ContentId.of("c2"), NoticeSender.REGULATOR,
          Map.of(), clock.instant()));                              // missing location: nothing opens
      engine.evaluate(new LegalNotice("kcsc-4", "KR-TBA-22-5", ContentId.of("c2"), NoticeSender.REGULATOR,
          Map.of("location", "channel 9"), clock.instant()));
      clock.advance(Duration.ofDays(91));
      List<ObligationEvent> changes = engine.tick();               // or builder.tickEvery(Duration.ofSeconds(5))
      Compliance.Figures kr = engine.compliance().byInstrument().get("KR-TBA-22-5");
      boolean deletable = engine.holds().mayDelete(ContentId.of("c2"), clock.instant());
      // --- end ---
      assertTrue(changes.isEmpty(), "the KR notice removed at once; nothing left to escalate");
      assertEquals(0, kr.breached());
      assertTrue(deletable, "the 90-day hold has ended");
      assertTrue(pager.contains("hold ended on c2"), pager.toString());

      // --- guide: appeal ---
      Decision appeal = engine.evaluate(new Appeal("ap-1", d.id(), ContentId.of("c1"), AccountId.of("u1"),
          Instant.parse("2026-11-21T10:00:00Z"), Optional.of("this is not me")));
      // within six months: a review in the "appeal" lane with a deadline; later: allow + the reason
      // --- end ---
      assertEquals("appeal", appeal.action(Action.QueueForReview.class).get().lane());
    }
  }
}

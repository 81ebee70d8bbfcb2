package dev.haetae.moderation.core.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.ActionConfirmation;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ContentEvent;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.ContentKind;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.LegalNotice;
import dev.haetae.moderation.api.NoticeSender;
import dev.haetae.moderation.api.Outcome;
import dev.haetae.moderation.api.PolicyId;
import dev.haetae.moderation.api.ReporterId;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.Surface;
import dev.haetae.moderation.api.Target;
import dev.haetae.moderation.api.UserReport;
import dev.haetae.moderation.api.spi.Policy;
import dev.haetae.moderation.core.engine.ModerationEngine;
import dev.haetae.moderation.core.engine.PolicyIsolation;
import dev.haetae.moderation.core.policy.PolicyPack;
import dev.haetae.moderation.core.simulate.SettableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * US TAKE IT DOWN's "known identical copies" reach copies posted before the request: a valid notice
 * about one upload lists the other uploads with the same bytes the engine remembers (by digest, the
 * earliest first), removes them in the same decision ({@code remove_copies}, handed to the executor,
 * each a logged removal), and the 48-hour clock is met only when the host confirms the copies
 * removed too. The evidence carries the list, so the decision replays from the log; the log names the
 * copies by pseudonym only.
 */
class IdenticalCopiesTest {
  private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
  private static final Map<String, String> TID = Map.of("signature", "J. Doe", "identification", "photo of me",
      "location", "room r1", "good_faith_statement", "not consensual", "contact", "jdoe@example.org");
  private static final byte[] IMAGE = "the same intimate image, byte for byte".getBytes(StandardCharsets.UTF_8);
  private static final byte[] OTHER = "another file".getBytes(StandardCharsets.UTF_8);

  /** A shadow policy that keeps what the engine gathered. */
  private static final class Witness implements Policy {
    final List<Evidence> seen = new CopyOnWriteArrayList<>();

    @Override
    public PolicyId id() {
      return PolicyId.of("witness", "1");
    }

    @Override
    public Outcome evaluate(Evidence evidence) {
      seen.add(evidence);
      return Outcome.none();
    }
  }

  private static ContentEvent upload(String id, String account, byte[] bytes) {
    return ContentEvent.upload(ContentId.of(id), AccountId.of(account), RoomId.of("r-" + account), Surface.GROUP,
        ContentKind.FILE, bytes);
  }

  @Test
  void aTakeItDownNoticeRemovesTheCopiesPostedBeforeIt(@TempDir Path dir) throws Exception {
    SettableClock clock = new SettableClock(T0);
    Witness witness = new Witness();
    List<Decision> executed = new CopyOnWriteArrayList<>();
    Decision notice;
    try (ModerationEngine engine = ModerationEngine.builder().clock(clock).policyIsolation(PolicyIsolation.INLINE)
        .decisionLog(DecisionLogs.directory(dir).build()).shadowPolicy(witness)
        .actionExecutor((req, d) -> executed.add(d)).build()) {
      engine.evaluate(upload("first-copy", "u1", IMAGE));
      clock.advance(Duration.ofMinutes(5));
      engine.evaluate(upload("reported", "u2", IMAGE));
      clock.advance(Duration.ofMinutes(5));
      engine.evaluate(upload("unrelated", "u3", OTHER));
      clock.advance(Duration.ofMinutes(5));
      engine.evaluate(upload("later-copy", "u4", IMAGE));
      clock.advance(Duration.ofHours(1));
      notice = engine.evaluate(new LegalNotice("n1", "US-TAKE-IT-DOWN", ContentId.of("reported"),
          NoticeSender.VICTIM, TID, clock.instant()));
      assertTrue(notice.has(Action.Remove.class), notice.toString());
      Action.RemoveCopies copies = notice.action(Action.RemoveCopies.class).orElseThrow(() ->
          new AssertionError("no remove_copies: " + notice.actions()));
      assertEquals(List.of(ContentId.of("first-copy"), ContentId.of("later-copy")), copies.copies(),
          "every identical copy the engine saw, the earliest first; not the content itself, not other bytes");
      assertTrue(executed.get(executed.size() - 1).has(Action.RemoveCopies.class), "the executor is told");
      assertTrue(notice.reasons().stream().anyMatch(r -> r.explanation().contains("2 identical copies")),
          notice.reasons().toString());

      // the copies are removed in the engine's memory: a report on one sees it removed
      engine.evaluate(UserReport.of(ReporterId.of("rep"), Target.content(ContentId.of("first-copy")), Category.NCII));
      Signal.KnownContent known = witness.seen.get(witness.seen.size() - 1).signals(Signal.KnownContent.class).get(0);
      assertTrue(known.removed(), known.toString());
      assertEquals(List.of(), known.identicalCopies(), "only a notice that reaches copies lists them");

      // a second notice about another copy finds none left to remove
      Decision again = engine.evaluate(new LegalNotice("n2", "US-TAKE-IT-DOWN", ContentId.of("unrelated"),
          NoticeSender.VICTIM, TID, clock.instant()));
      assertFalse(again.has(Action.RemoveCopies.class), again.toString());

      clock.advance(Duration.ofHours(2));
      engine.evaluate(ActionConfirmation.carriedOut(notice.id(), Action.Kind.REMOVE, clock.instant()));
      engine.evaluate(ActionConfirmation.carriedOut(again.id(), Action.Kind.REMOVE, clock.instant()));
    }
    AuditLog audit = AuditLog.open(dir);
    assertTrue(audit.verify().ok());
    List<Policy> policies = new ArrayList<>(PolicyPack.defaults());
    policies.add(witness);
    ReplayReport replay = Replayer.of(policies).replay(audit, ProgressListener.NONE);
    assertTrue(replay.allIdentical(), "the evidence carries the copies the policy acted on: " + replay);
    List<String> effects = new ArrayList<>();
    audit.forEach(ProgressListener.NONE, rec -> {
      if (rec.decision().id().equals(notice.id())) {
        for (Signal.KnownContent k : rec.evidence().signals(Signal.KnownContent.class)) {
          assertEquals(2, k.identicalCopies().size());
          assertFalse(k.identicalCopies().contains(ContentId.of("first-copy")), "logged by pseudonym");
        }
        effects.add(rec.decision().action(Action.RemoveCopies.class).orElseThrow().copies().toString());
      }
    });
    assertEquals(1, effects.size());
    try (Stream<Path> files = Files.walk(dir)) {
      // the outbox keeps raw ids until the plan is applied, by design; the records do not
      for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.startsWith(dir.resolve("outbox"))).toList()) {
        String text = Files.readString(f, StandardCharsets.ISO_8859_1);
        assertFalse(text.contains("first-copy") || text.contains("later-copy"), "a raw content id in " + f);
      }
    }

    // the 48-hour clock covers the copies: the removal alone confirmed is not "met"
    ComplianceReport.InstrumentStats s = ComplianceReport.of(audit, ProgressListener.NONE).instruments().get(0);
    assertEquals("US-TAKE-IT-DOWN", s.instrument());
    assertEquals(2, s.notices(), s.toString());
    assertEquals(1, s.met(), "the notice with no copies, removal confirmed: " + s);
    assertEquals(1, s.unconfirmed(), "the copies' removal is not confirmed yet: " + s);
    String why = Explanation.ofDecision(audit, notice.id().value(), ProgressListener.NONE).toText();
    assertTrue(why.contains("remove_copies"), why);
    assertTrue(why.contains("unconfirmed"), why);
  }

  @Test
  void confirmingTheCopiesMeetsTheClock(@TempDir Path dir) {
    SettableClock clock = new SettableClock(T0);
    Decision notice;
    try (ModerationEngine engine = ModerationEngine.builder().clock(clock).policyIsolation(PolicyIsolation.INLINE)
        .decisionLog(DecisionLogs.directory(dir).build()).build()) {
      engine.evaluate(upload("a", "u1", IMAGE));
      engine.evaluate(upload("b", "u2", IMAGE));
      notice = engine.evaluate(new LegalNotice("n1", "US-TAKE-IT-DOWN", ContentId.of("b"), NoticeSender.VICTIM, TID,
          clock.instant()));
      clock.advance(Duration.ofHours(1));
      engine.evaluate(ActionConfirmation.carriedOut(notice.id(), Action.Kind.REMOVE, clock.instant()));
      clock.advance(Duration.ofHours(3));
      engine.evaluate(ActionConfirmation.carriedOut(notice.id(), Action.Kind.REMOVE_COPIES, clock.instant()));
    }
    AuditLog audit = AuditLog.open(dir);
    ComplianceReport.InstrumentStats s = ComplianceReport.of(audit, ProgressListener.NONE).instruments().get(0);
    assertEquals(1, s.met(), s.toString());
    String why = Explanation.ofDecision(audit, notice.id().value(), ProgressListener.NONE).toText();
    assertTrue(why.contains("met: decided at 2026-11-21T10:00:00Z, carried out at 2026-11-21T14:00:00Z"), why);
  }
}

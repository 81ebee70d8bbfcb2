package dev.haetae.moderation.core.simulate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.haetae.moderation.api.AccountEvent;
import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Appeal;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.Content;
import dev.haetae.moderation.api.ContentEvent;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.ContentKind;
import dev.haetae.moderation.api.DecisionId;
import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.Jurisdiction;
import dev.haetae.moderation.api.LegalNotice;
import dev.haetae.moderation.api.MatchType;
import dev.haetae.moderation.api.Md5;
import dev.haetae.moderation.api.ModerationRequest;
import dev.haetae.moderation.api.NoticeSender;
import dev.haetae.moderation.api.Pdq;
import dev.haetae.moderation.api.PdqHash;
import dev.haetae.moderation.api.ReporterId;
import dev.haetae.moderation.api.ReviewOutcome;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.Sha256;
import dev.haetae.moderation.api.Surface;
import dev.haetae.moderation.api.Target;
import dev.haetae.moderation.api.UserReport;
import dev.haetae.moderation.api.Verdict;
import dev.haetae.moderation.api.Limits;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the writer writes, the parser reads back as an equal request. */
class EventStreamWriterTest {
  private static final Instant T = Instant.parse("2026-11-21T10:00:00Z");
  private static final String PDQ = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";

  @Test
  void everyRequestTypeRoundTrips() throws java.io.IOException {
    Fingerprints fp = Fingerprints.none().withPdq(new Pdq(PdqHash.fromHex(PDQ), 77, List.of()))
        .withSha256(Sha256.fromHex("ab".repeat(32))).withMd5(Md5.fromHex("cd".repeat(16)));
    List<ModerationRequest> requests = List.of(
        new AccountEvent(AccountId.of("u1"), T.minusSeconds(86400), true, Optional.of("Support Centre")),
        new ContentEvent(ContentEvent.Action.UPLOAD, new Content(ContentId.of("c1"), ContentKind.IMAGE, Surface.GROUP,
            Set.of(Jurisdiction.of("KR")), fp, Optional.of("이름: 민지 \"quoted\"")), AccountId.of("u1"),
            Optional.of(RoomId.of("r1")), Optional.empty(), false, Optional.empty()),
        ContentEvent.forward(Content.of(ContentId.of("c2"), ContentKind.IMAGE, Surface.PUBLIC_CHANNEL)
            .withFingerprints(fp), AccountId.of("u2"), RoomId.of("r2"), ContentId.of("c1")),
        new ContentEvent(ContentEvent.Action.PROFILE_PHOTO_CHANGE, Content.of(ContentId.of("p1"),
            ContentKind.PROFILE_PHOTO, Surface.PUBLIC_CHANNEL).withFingerprints(fp), AccountId.of("u3"),
            Optional.of(RoomId.of("profile")), Optional.empty(), true, Optional.empty()),
        new UserReport(ReporterId.of("r1"), Target.account(AccountId.of("u1")), Category.HARASSMENT,
            Optional.of("spam again")),
        UserReport.of(ReporterId.of("r1"), Target.room(RoomId.of("r1")), Category.NCII),
        UserReport.firstParty(ReporterId.of("victim"), Target.content(ContentId.of("c1")), Category.NCII),
        new LegalNotice("n1", "US-TAKE-IT-DOWN", ContentId.of("c1"), NoticeSender.VICTIM,
            Map.of("signature", "/s/ A", "contact", "a@example.org"), T.minusSeconds(60)),
        new ReviewOutcome(Target.content(ContentId.of("c1")), Verdict.VIOLATING, Optional.of(Category.NCII),
            Optional.of("checked")),
        new ReviewOutcome(Target.account(AccountId.of("u1")), Verdict.NOT_VIOLATING, Optional.empty(),
            Optional.empty()),
        new Appeal("a1", DecisionId.of("d1"), ContentId.of("c1"), AccountId.of("u1"), T.minusSeconds(5),
            Optional.of("it is my own photo")));
    StringWriter out = new StringWriter();
    try (EventStreamWriter w = EventStreamWriter.of(out)) {
      w.bank(T, "add", "stopncii", Category.NCII, MatchType.PDQ, PDQ);
      for (ModerationRequest r : requests) {
        w.request(T, r);
      }
      w.tick(T);
      assertEquals(requests.size() + 2, w.written());
    }
    String[] lines = out.toString().split("\n");
    EventParser parser = new EventParser(new ConfinedFiles(Path.of("."), Path.of("."), 1 << 20), Limits.defaults());
    StreamEvent.Bank bank = assertInstanceOf(StreamEvent.Bank.class, parser.parse(1, lines[0]));
    assertEquals(new StreamEvent.Bank(1, T, "add", "stopncii", Category.NCII, MatchType.PDQ, PDQ), bank);
    for (int i = 0; i < requests.size(); i++) {
      StreamEvent.Request r = assertInstanceOf(StreamEvent.Request.class, parser.parse(i + 2, lines[i + 1]));
      assertEquals(requests.get(i), r.request(), lines[i + 1]);
      assertEquals(T, r.at());
    }
    assertInstanceOf(StreamEvent.Tick.class, parser.parse(lines.length, lines[lines.length - 1]));
  }

  @Test
  void confirmationsRoundTripByDecisionId() throws java.io.IOException {
    StringWriter out = new StringWriter();
    dev.haetae.moderation.api.ActionConfirmation failed = new dev.haetae.moderation.api.ActionConfirmation(
        DecisionId.of("d1"), dev.haetae.moderation.api.Action.Kind.REMOVE,
        dev.haetae.moderation.api.ActionConfirmation.Outcome.FAILED, T.minusSeconds(30), Optional.of("disk full"));
    try (EventStreamWriter w = EventStreamWriter.of(out)) {
      w.request(T, dev.haetae.moderation.api.ActionConfirmation.carriedOut(DecisionId.of("d1"),
          dev.haetae.moderation.api.Action.Kind.NOTIFY_USER, T));
      w.request(T, failed);
    }
    String[] lines = out.toString().split("\n");
    EventParser parser = new EventParser(new ConfinedFiles(Path.of("."), Path.of("."), 1 << 20), Limits.defaults());
    assertEquals(new StreamEvent.Confirm(1, T, Optional.empty(), Optional.of("d1"),
        dev.haetae.moderation.api.Action.Kind.NOTIFY_USER, dev.haetae.moderation.api.ActionConfirmation.Outcome.CARRIED_OUT,
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()), parser.parse(1, lines[0]));
    assertEquals(new StreamEvent.Confirm(2, T, Optional.empty(), Optional.of("d1"),
        dev.haetae.moderation.api.Action.Kind.REMOVE, dev.haetae.moderation.api.ActionConfirmation.Outcome.FAILED,
        Optional.empty(), Optional.of(T.minusSeconds(30)), Optional.of("disk full"), Optional.empty()),
        parser.parse(2, lines[1]));
    try (EventStreamWriter w = EventStreamWriter.of(out)) {
      w.request(T, dev.haetae.moderation.api.ActionConfirmation.notified(DecisionId.of("d2"),
          dev.haetae.moderation.api.Action.Recipient.REPORTERS, T));
    }
    String third = out.toString().split("\n")[2];
    assertEquals(Optional.of(dev.haetae.moderation.api.Action.Recipient.REPORTERS),
        assertInstanceOf(StreamEvent.Confirm.class, parser.parse(3, third)).recipient(), third);
  }
}

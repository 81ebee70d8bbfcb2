package dev.haetae.moderation.bench.audit;

import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.Content;
import dev.haetae.moderation.api.ContentEvent;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.ContentKind;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.DecisionId;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.Jurisdiction;
import dev.haetae.moderation.api.LegalGround;
import dev.haetae.moderation.api.MatchType;
import dev.haetae.moderation.api.PolicyId;
import dev.haetae.moderation.api.Reason;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.Sha256;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.StatementOfReasons;
import dev.haetae.moderation.api.Surface;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/** A typical logged record: an upload that matched a hash bank and was removed (about 1.5 KB of JSON). */
final class Records {
  private Records() {}

  static Evidence evidence(Random r, int i) {
    byte[] h = new byte[32];
    r.nextBytes(h);
    Content c = new Content(ContentId.of("content-" + i), ContentKind.IMAGE, Surface.GROUP, Set.of(Jurisdiction.of("DE")),
        Fingerprints.none().withSha256(Sha256.fromBytes(h)), Optional.empty());
    ContentEvent e = ContentEvent.upload(c, AccountId.of("account-" + r.nextInt(10_000)),
        RoomId.of("room-" + r.nextInt(1000)));
    return new Evidence(Instant.parse("2026-06-01T00:00:00Z").plusSeconds(i), e,
        List.of(new Signal.HashMatch("stopncii", 7, Category.NCII, MatchType.SHA256,
            Sha256.fromBytes(h).toHex(), 0, 0, -1, false)), Map.of("bank:stopncii", "7", "reputation", "rep-1"));
  }

  static Decision decision(Evidence e, int i) {
    PolicyId p = PolicyId.of("known-hash", "1");
    LegalGround g = LegalGround.terms("ToS 3.1", "Sharing intimate images without consent is prohibited.");
    return new Decision(DecisionId.of("bench-" + i), e.now(), List.of(new Action.Remove(), new Action.BlockReupload(),
        new Action.PreserveEvidence(Duration.ofDays(365)), new Action.NotifyUser(Action.Recipient.UPLOADER,
            new StatementOfReasons(g, "The content matched a known hash.", true, true, "Appeal within 6 months."))),
        List.of(Reason.of(p, "bank_match", "The content matched bank stopncii.", Category.NCII, g)), Optional.empty(),
        List.of(p), List.of(), List.of());
  }
}

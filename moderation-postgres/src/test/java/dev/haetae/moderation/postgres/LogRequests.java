package dev.haetae.moderation.postgres;

import dev.haetae.moderation.api.AccountEvent;
import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.Content;
import dev.haetae.moderation.api.ContentEvent;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.ContentKind;
import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.Jurisdiction;
import dev.haetae.moderation.api.ModerationRequest;
import dev.haetae.moderation.api.ReporterId;
import dev.haetae.moderation.api.ReviewOutcome;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.Sha256;
import dev.haetae.moderation.api.Surface;
import dev.haetae.moderation.api.Target;
import dev.haetae.moderation.api.UserReport;
import dev.haetae.moderation.api.Verdict;
import dev.haetae.moderation.api.spi.Pseudonymizer;
import dev.haetae.moderation.core.audit.Pseudonymizers;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/** Seeded requests for engines that log to PostgreSQL; raw ids carry the marker {@code RAWID}. */
final class LogRequests {
  static final Pseudonymizer KEY =
      Pseudonymizers.hmacSha256("pg-test", "0123456789abcdef0123".getBytes(StandardCharsets.UTF_8));

  private LogRequests() {}

  /** A clock that advances one second per reading: deterministic, never the wall clock. */
  static final class TickingClock extends Clock {
    private long seconds;

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public synchronized Instant instant() {
      return Instant.parse("2026-05-01T08:00:00Z").plusSeconds(seconds++);
    }
  }

  static String contentId(int i) {
    return "RAWID-content-" + i;
  }

  /** Request {@code i}: an upload, a report, a review or an account event; uploads name content i. */
  static ModerationRequest request(Random r, int i) {
    String u = "RAWID-account-" + r.nextInt(30);
    switch (r.nextInt(5)) {
      case 0:
        return new AccountEvent(AccountId.of(u), Instant.parse("2025-01-01T00:00:00Z"), r.nextInt(10) == 0,
            Optional.empty());
      case 1:
        return UserReport.of(ReporterId.of("RAWID-reporter-" + r.nextInt(20)),
            Target.content(ContentId.of(contentId(r.nextInt(Math.max(1, i))))), Category.values()[r.nextInt(8)]);
      case 2:
        return ReviewOutcome.ofContent(ContentId.of(contentId(r.nextInt(Math.max(1, i)))),
            Verdict.values()[r.nextInt(2)], Category.NCII);
      default:
        return upload(r, i, u);
    }
  }

  /** An upload of content {@code i} by {@code account}. */
  static ContentEvent upload(Random r, int i, String account) {
    byte[] h = new byte[32];
    r.nextBytes(h);
    Content content = new Content(ContentId.of(contentId(i)), ContentKind.IMAGE, Surface.GROUP,
        Set.of(Jurisdiction.of("DE")), Fingerprints.none().withSha256(Sha256.fromBytes(h)),
        Optional.of("RAWID caption " + i));
    return ContentEvent.upload(content, AccountId.of(account), RoomId.of("RAWID-room-" + r.nextInt(5)));
  }
}

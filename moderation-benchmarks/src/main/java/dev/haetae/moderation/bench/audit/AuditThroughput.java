package dev.haetae.moderation.bench.audit;

import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.Content;
import dev.haetae.moderation.api.ContentEvent;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.ContentKind;
import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.Jurisdiction;
import dev.haetae.moderation.api.LegalNotice;
import dev.haetae.moderation.api.ModerationRequest;
import dev.haetae.moderation.api.NoticeSender;
import dev.haetae.moderation.api.ReporterId;
import dev.haetae.moderation.api.ReviewOutcome;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.Sha256;
import dev.haetae.moderation.api.Surface;
import dev.haetae.moderation.api.Target;
import dev.haetae.moderation.api.UserReport;
import dev.haetae.moderation.api.Verdict;
import dev.haetae.moderation.core.engine.ModerationEngine;
import dev.haetae.moderation.core.engine.PolicyIsolation;
import dev.haetae.moderation.core.simulate.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import dev.haetae.moderation.api.spi.Policy;
import dev.haetae.moderation.core.audit.AuditLog;
import dev.haetae.moderation.core.audit.ProgressListener;
import dev.haetae.moderation.core.audit.Pseudonymizers;
import dev.haetae.moderation.core.audit.ReplayReport;
import dev.haetae.moderation.core.audit.Replayer;
import dev.haetae.moderation.core.audit.VerificationReport;
import dev.haetae.moderation.core.policy.PolicyPack;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Measures verify and replay rates (records per second) over a log of N records written with the
 * default directory log, and the single-thread durable append rate while writing it. Prints the
 * median of R runs after W warm-up runs.
 *
 * <p>Run: {@code java -cp moderation-benchmarks/target/benchmarks.jar
 * dev.haetae.moderation.bench.audit.AuditThroughput [N] [DIR]}
 */
public final class AuditThroughput {
  private AuditThroughput() {}

  /** A mix of uploads, reports, notices and reviews over a small id space, so reports accumulate. */
  static ModerationRequest request(Random r, int i, Instant now) {
    String c = "content-" + r.nextInt(5000);
    switch (r.nextInt(8)) {
      case 0:
      case 1:
      case 2:
      case 3: {
        byte[] h = new byte[32];
        r.nextBytes(h);
        Content content = new Content(ContentId.of(c), ContentKind.IMAGE, Surface.GROUP, Set.of(Jurisdiction.of("DE")),
            Fingerprints.none().withSha256(Sha256.fromBytes(h)), Optional.empty());
        return ContentEvent.upload(content, AccountId.of("account-" + r.nextInt(2000)),
            RoomId.of("room-" + r.nextInt(200)));
      }
      case 4:
      case 5:
        return UserReport.of(ReporterId.of("reporter-" + r.nextInt(3000)), Target.content(ContentId.of(c)),
            Category.values()[r.nextInt(8)]);
      case 6:
        return new LegalNotice("notice-" + i, "US-TAKE-IT-DOWN", ContentId.of(c), NoticeSender.VICTIM,
            Map.of("signature", "s", "identification", "i", "location", "l", "good_faith_statement", "g",
                "contact", "c"), now.minusSeconds(r.nextInt(3600)));
      default:
        return ReviewOutcome.ofContent(ContentId.of(c), Verdict.values()[r.nextInt(2)], Category.NCII);
    }
  }

  /**
   * Entry point.
   *
   * @param args optional: the number of records (default 50000) and the directory to write to
   *     (default a new directory under the working directory)
   * @throws IOException when the log cannot be written
   */
  public static void main(String[] args) throws IOException {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
    Path dir = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory(Path.of("."), "audit-throughput-");
    Random r = new Random(7);
    long t0 = System.nanoTime();
    SettableClock clock = new SettableClock(Instant.parse("2026-06-01T00:00:00Z"));
    try (ModerationEngine engine = ModerationEngine.builder().clock(clock).logDirectory(dir)
        .pseudonymizer(Pseudonymizers.hmacSha256("bench", "0123456789abcdef".getBytes(StandardCharsets.UTF_8)))
        .policyIsolation(PolicyIsolation.INLINE).build()) {
      for (int i = 0; i < n; i++) {
        clock.advance(Duration.ofSeconds(1 + r.nextInt(30)));
        engine.evaluate(request(r, i, clock.instant()));
      }
    }
    double writeSecs = (System.nanoTime() - t0) / 1e9;
    long bytes = 0;
    for (String s : AuditLog.open(dir).segments()) {
      bytes += Files.size(dir.resolve(s));
    }
    System.out.printf("engine wrote %d records (%.1f MB) in %.2f s: %.0f records/s (evaluate + durable append,"
        + " 1 thread)%n", n,
        bytes / 1e6, writeSecs, n / writeSecs);
    AuditLog audit = AuditLog.open(dir);
    List<Policy> policies = PolicyPack.defaults();
    double[] verify = new double[5];
    double[] replay = new double[5];
    for (int run = 0; run < 2 + verify.length; run++) {
      long v0 = System.nanoTime();
      VerificationReport vr = audit.verify(AuditLog.Verification.ownKeys(), ProgressListener.NONE);
      double vs = (System.nanoTime() - v0) / 1e9;
      if (!vr.ok() || vr.records() != n) {
        throw new IllegalStateException("verify: " + vr);
      }
      long r0 = System.nanoTime();
      ReplayReport rr = Replayer.of(policies).replay(audit, ProgressListener.NONE);
      double rs = (System.nanoTime() - r0) / 1e9;
      if (rr.records() != n || !rr.allIdentical()) {
        throw new IllegalStateException("replay: " + rr.identical() + "/" + rr.records() + " identical");
      }
      if (run >= 2) {
        verify[run - 2] = n / vs;
        replay[run - 2] = n / rs;
      }
    }
    Arrays.sort(verify);
    Arrays.sort(replay);
    System.out.printf("verify: median %.0f records/s (min %.0f, max %.0f) over %d runs%n", verify[2], verify[0],
        verify[4], verify.length);
    System.out.printf("replay: median %.0f records/s (min %.0f, max %.0f) over %d runs, %d default policies%n",
        replay[2], replay[0], replay[4], replay.length, policies.size());
  }
}

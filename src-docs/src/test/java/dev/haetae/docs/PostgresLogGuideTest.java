package dev.haetae.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.haetae.moderation.api.AccountEvent;
import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.spi.DecisionLog;
import dev.haetae.moderation.core.audit.AuditLog;
import dev.haetae.moderation.core.audit.ProgressListener;
import dev.haetae.moderation.core.audit.Pseudonymizers;
import dev.haetae.moderation.core.audit.ReplayReport;
import dev.haetae.moderation.core.audit.Replayer;
import dev.haetae.moderation.core.audit.VerificationReport;
import dev.haetae.moderation.core.engine.ModerationEngine;
import dev.haetae.moderation.core.engine.PolicyIsolation;
import dev.haetae.moderation.core.policy.PolicyPack;
import dev.haetae.moderation.postgres.DecisionLogShard;
import dev.haetae.moderation.postgres.HaetaePostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The code quoted in the "decision log on PostgreSQL" section of {@code postgres.md}. It runs when a
 * PostgreSQL server is reachable where the module's integration tests look for one ({@code
 * HAETAE_PG_URL}, or {@code .ci/postgres.sh}'s server on {@code HAETAE_PG_PORT}, default 54329), in
 * a schema of its own that it drops afterwards; otherwise it is skipped.
 */
class PostgresLogGuideTest {

  static DecisionLog writer(HaetaePostgres pg, byte[] pseudonymKey) {
    // region log
    DecisionLog log = pg.decisionLogShard("eu-1").logBuilder()
        .pseudonymizer(Pseudonymizers.hmacSha256("pseudonyms-2026", pseudonymKey)) // the same key on every instance
        .build();
    ModerationEngine engine = ModerationEngine.builder()
        .policyIsolation(PolicyIsolation.INLINE)
        .decisionLog(log)                   // one shard, one hash chain, shared by every instance
        .build();
    // endregion
    engine.evaluate(new AccountEvent(AccountId.of("alice"), Instant.parse("2026-01-01T00:00:00Z"), false,
        Optional.empty()));
    engine.close();
    return log;
  }

  static ReplayReport audit(HaetaePostgres pg, Path exportDir) {
    // region audit
    DecisionLogShard shard = pg.decisionLogShard("eu-1");
    VerificationReport verified = shard.verify();   // record hashes, chain, seqs without gaps, head row
    if (!verified.ok()) {
      throw new IllegalStateException(verified.firstProblem().orElseThrow().toString());
    }
    shard.exportTo(exportDir);                       // segment files in the file log's format
    ReplayReport replay = Replayer.of(PolicyPack.defaults()).replay(AuditLog.open(exportDir), ProgressListener.NONE);
    // endregion
    return replay;
  }

  @Test
  void theGuidesCodeWritesVerifiesAndReplaysAShard(@TempDir Path dir) throws Exception {
    String password = DocsPostgres.password();
    DocsPostgres.requireServer("PostgresLogGuideTest");
    String schema = "docs_log_" + Long.toString(System.nanoTime(), 36);
    try (HaetaePostgres pg = HaetaePostgres.builder().jdbcUrl(DocsPostgres.url()).credentials(DocsPostgres.user(), password).schema(schema)
        .build()) {
      writer(pg, "0123456789abcdef0123".getBytes(StandardCharsets.UTF_8)).close();
      ReplayReport replay = audit(pg, dir.resolve("export"));
      assertEquals(1, replay.records());
      assertEquals(1, replay.identical());
    } finally {
      DocsPostgres.drop(schema);
    }
  }
}

package dev.haetae.moderation.postgres;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Skips (or, in CI, fails) {@link RequiresPostgres} tests when no server is reachable. */
final class PostgresAvailable implements ExecutionCondition {
  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    String problem = PgTestServer.problem();
    if (problem == null) {
      return ConditionEvaluationResult.enabled("PostgreSQL reachable at " + PgTestServer.url());
    }
    if (PgTestServer.required()) {
      throw new IllegalStateException(
          "HAETAE_PG_REQUIRED is set but " + problem + " — CI must start the server with"
              + " `bash .ci/postgres.sh start` before the tests");
    }
    return ConditionEvaluationResult.disabled(
        "SKIPPED: " + problem + ". Start a local server with `bash .ci/postgres.sh start`"
            + " (or point HAETAE_PG_URL at one) to run the PostgreSQL integration tests.");
  }
}

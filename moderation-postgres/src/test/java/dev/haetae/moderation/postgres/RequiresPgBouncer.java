package dev.haetae.moderation.postgres;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Marks a test class that goes through PgBouncer in transaction mode ({@link PgBouncerServer}):
 * skipped when PostgreSQL or PgBouncer is absent, failed instead with {@code
 * HAETAE_PGBOUNCER_REQUIRED=1}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("postgres")
@ExtendWith(RequiresPgBouncer.Available.class)
@interface RequiresPgBouncer {
  /** The condition. */
  final class Available implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      String problem = PgTestServer.problem() != null ? PgTestServer.problem() : PgBouncerServer.problem();
      if (problem == null) {
        return ConditionEvaluationResult.enabled("PgBouncer reachable at " + PgBouncerServer.url());
      }
      if (PgBouncerServer.required()) {
        throw new IllegalStateException("HAETAE_PGBOUNCER_REQUIRED is set but " + problem);
      }
      return ConditionEvaluationResult.disabled("SKIPPED: " + problem
          + ". Run `bash .ci/postgres.sh start && bash .ci/postgres.sh pgbouncer-start` to include these tests.");
    }
  }
}

package dev.haetae.moderation.rules;

/**
 * A rule's expression failed on one evidence: it ran over CEL's iteration limit, divided by zero,
 * read a map key that is absent, or similar. The engine records it as the rule's
 * {@link dev.haetae.moderation.api.PolicyFailure} and applies the fail mode, as for any policy that
 * throws; other rules and policies are not affected.
 *
 * @since 0.2
 */
public final class RuleEvaluationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String ruleId;

  RuleEvaluationException(String ruleId, String problem, Throwable cause) {
    super("rule '" + ruleId + "' failed: " + problem, cause);
    this.ruleId = ruleId;
  }

  /**
   * The id of the rule that failed.
   *
   * @return the id; never null
   */
  public String ruleId() {
    return ruleId;
  }
}

package dev.haetae.moderation.rules;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelVariableResolver;
import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.LegalGround;
import dev.haetae.moderation.api.Outcome;
import dev.haetae.moderation.api.PolicyId;
import dev.haetae.moderation.api.Reason;
import dev.haetae.moderation.api.spi.Policy;
import java.util.List;
import java.util.Optional;

/**
 * One compiled rule as a policy: when its expression is true for the evidence, it proposes its
 * actions with one reason (code: the rule's id) citing its ground. Pure: the expression sees only
 * the evidence's {@link EvidenceSchema} values, and CEL has no clock, randomness or I/O.
 */
final class RulePolicy implements Policy {
  private final PolicyId id;
  private final String ruleId;
  private final CelRuntime.Program program;
  private final List<Action> actions;
  private final String reason;
  private final Category category;
  private final LegalGround ground;
  private final boolean shadow;
  private final ObjectNode canonical;

  RulePolicy(PolicyId id, String ruleId, CelRuntime.Program program, List<Action> actions, String reason,
      Category category, LegalGround ground, boolean shadow, ObjectNode canonical) {
    this.id = id;
    this.ruleId = ruleId;
    this.program = program;
    this.actions = actions;
    this.reason = reason;
    this.category = category;
    this.ground = ground;
    this.shadow = shadow;
    this.canonical = canonical;
  }

  @Override
  public PolicyId id() {
    return id;
  }

  boolean shadow() {
    return shadow;
  }

  ObjectNode canonical() {
    return canonical.deepCopy();
  }

  @Override
  public Outcome evaluate(Evidence evidence) {
    return matches(EvidenceSchema.resolver(evidence))
        ? Outcome.of(actions, List.of(new Reason(id, ruleId, reason, Optional.of(category), Optional.ofNullable(ground))))
        : Outcome.none();
  }

  /**
   * Whether the rule's expression holds for these variables.
   *
   * @throws RuleEvaluationException when the evaluation fails (a limit, an error in the
   *     expression's arithmetic); the engine records it as the policy's failure
   */
  boolean matches(CelVariableResolver variables) {
    Object r;
    try {
      r = program.eval(variables);
    } catch (CelEvaluationException e) {
      throw new RuleEvaluationException(ruleId, e.getMessage(), e);
    }
    if (!(r instanceof Boolean)) {
      throw new RuleEvaluationException(ruleId, "the expression gave " + (r == null ? "null" : r.getClass().getSimpleName())
          + ", not a bool", null);
    }
    return (Boolean) r;
  }

  @Override
  public String toString() {
    return "rule " + id;
  }
}

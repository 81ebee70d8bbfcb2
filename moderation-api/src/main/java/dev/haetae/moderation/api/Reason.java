package dev.haetae.moderation.api;

import java.util.Objects;
import java.util.Optional;

/**
 * Why a policy proposed what it proposed: a machine-readable code, a sentence for people, the
 * category of harm, and the legal or contractual ground. Immutable and thread-safe.
 *
 * @param policy the policy that gave the reason; not null
 * @param code a stable, machine-readable code, e.g. {@code "bank_match"}; not null
 * @param explanation one or two sentences for moderators, users and auditors; not null
 * @param category the harm concerned, if any; not null
 * @param ground the legal or terms-of-service ground; required for reasons that justify a
 *     restrictive action; not null
 * @since 0.1
 */
public record Reason(PolicyId policy, String code, String explanation, Optional<Category> category,
    Optional<LegalGround> ground) {

  /**
   * Validates.
   *
   * @param policy the policy component, as described on the record
   * @param code the code component, as described on the record
   * @param explanation the explanation component, as described on the record
   * @param category the category component, as described on the record
   * @param ground the ground component, as described on the record
   * @throws NullPointerException when a component is null
   */
  public Reason {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(explanation, "explanation");
    Objects.requireNonNull(category, "category");
    Objects.requireNonNull(ground, "ground");
  }

  /**
   * A reason with a category and a ground.
   *
   * @param policy the policy; not null
   * @param code the code; not null
   * @param explanation the explanation; not null
   * @param category the harm; not null
   * @param ground the ground; not null
   * @return the reason
   */
  public static Reason of(PolicyId policy, String code, String explanation, Category category, LegalGround ground) {
    return new Reason(policy, code, explanation, Optional.of(category), Optional.of(ground));
  }

  /**
   * A reason without a ground, for non-restrictive proposals such as review.
   *
   * @param policy the policy; not null
   * @param code the code; not null
   * @param explanation the explanation; not null
   * @return the reason
   */
  public static Reason note(PolicyId policy, String code, String explanation) {
    return new Reason(policy, code, explanation, Optional.empty(), Optional.empty());
  }
}

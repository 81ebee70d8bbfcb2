package dev.haetae.moderation.testkit.adversarial;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What one attack did to a configuration: the property's violations, if any, and the measures the
 * guide quotes (weights, ranks, counts). Immutable and thread-safe.
 *
 * @param family the attack family; not null
 * @param seed the generator's seed
 * @param scale the scale, at least 1
 * @param violations how the property was broken, in words; empty when it held; not null; copied
 * @param measures named figures of the run (e.g. {@code genuine_rank}); not null; copied and sorted
 * @since 0.2
 */
public record AttackResult(AttackFamily family, long seed, int scale, List<String> violations,
    Map<String, Double> measures) {

  /**
   * Validates and copies.
   *
   * @param family the family component, as described on the record
   * @param seed the seed component, as described on the record
   * @param scale the scale component, as described on the record
   * @param violations the violations component, as described on the record
   * @param measures the measures component, as described on the record
   * @throws NullPointerException when a reference component is null
   * @throws IllegalArgumentException when {@code scale} is below 1
   */
  public AttackResult {
    Objects.requireNonNull(family, "family");
    violations = List.copyOf(violations);
    measures = java.util.Collections.unmodifiableMap(new TreeMap<>(measures));
    if (scale < 1) {
      throw new IllegalArgumentException("scale must be >= 1, got " + scale);
    }
  }

  /**
   * Whether the family's property held.
   *
   * @return true when there are no violations
   */
  public boolean held() {
    return violations.isEmpty();
  }

  /**
   * Fails when the property did not hold.
   *
   * @throws AssertionError naming the family, its property, the seed and scale (to rerun it), every
   *     violation and the measures
   */
  public void assertHeld() {
    if (!held()) {
      throw new AssertionError(describe());
    }
  }

  /**
   * The result in words: family, seed, scale, property, violations and measures.
   *
   * @return a multi-line text; never null
   */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    sb.append(family.name().toLowerCase(java.util.Locale.ROOT)).append(" (seed ").append(seed).append(", scale ")
        .append(scale).append("): ").append(held() ? "held" : "BROKEN").append("\n  property: ")
        .append(family.property());
    for (String v : violations) {
      sb.append("\n  - ").append(v);
    }
    sb.append("\n  measures: ").append(measures);
    return sb.toString();
  }
}

package dev.haetae.moderation.rules;

import dev.haetae.moderation.core.policy.PolicyConfigSection;

/**
 * The {@code "rules"} section of a policy configuration: typed CEL rules compiled at load. Found by
 * {@link dev.haetae.moderation.core.policy.PolicyConfig} through {@link java.util.ServiceLoader};
 * a host only puts {@code moderation-rules} on its class path. See the rules guide for the format.
 *
 * <pre>{@code
 * {"rules": [{"id": "ncii-new-account", "version": "1",
 *             "when": "matches.exists(m, m.category == 'ncii' && m.distance <= 20) && account.age_days < 7",
 *             "actions": [{"suspend": "P30D"}], "category": "ncii",
 *             "reason": "NCII from an account younger than a week.",
 *             "ground": {"terms": "ToS 4.2", "explanation": "Sharing intimate images without consent."}}]}
 * }</pre>
 *
 * <p>Each rule becomes one policy whose {@link dev.haetae.moderation.api.PolicyId} is
 * {@code rule:ID}, the rule's version and the SHA-256 of its canonical form; {@code "mode":
 * "shadow"} makes it a shadow policy. Stateless and thread-safe.
 *
 * @since 0.2
 */
public final class RulesSection implements PolicyConfigSection {

  /** For {@link java.util.ServiceLoader}. */
  public RulesSection() {}

  /**
   * Returns {@code "rules"}.
   *
   * @return {@code "rules"}
   */
  @Override
  public String key() {
    return "rules";
  }

  /**
   * Parses, validates, type-checks and compiles every rule.
   *
   * @param json the section's JSON (an array of rules); not null
   * @return the enforcing and shadow rule policies and the canonical section; never null
   * @throws RuleException naming the rule, its path, and the line and column of {@code json}
   */
  @Override
  public Loaded load(String json) {
    RuleCompiler.Compiled c = RuleCompiler.compile(java.util.Objects.requireNonNull(json, "json"));
    return new Loaded(c.enforcing(), c.shadow(), c.canonicalJson());
  }

  /**
   * Parses, validates, type-checks and compiles every rule of a section written at {@code line},
   * {@code column} of its configuration file, so errors name the file's lines and columns.
   *
   * @param json the section's JSON (an array of rules) exactly as written; not null
   * @param line the 1-based line where {@code json} starts
   * @param column the 1-based column where {@code json} starts
   * @return the enforcing and shadow rule policies and the canonical section; never null
   * @throws RuleException naming the rule, its path, and the file's line and column
   */
  @Override
  public Loaded load(String json, int line, int column) {
    RuleCompiler.Compiled c = RuleCompiler.compile(java.util.Objects.requireNonNull(json, "json"), line, column);
    return new Loaded(c.enforcing(), c.shadow(), c.canonicalJson());
  }
}

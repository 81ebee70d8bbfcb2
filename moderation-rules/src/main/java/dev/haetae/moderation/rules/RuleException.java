package dev.haetae.moderation.rules;

import dev.haetae.moderation.core.policy.PolicyConfigException;
import java.util.Optional;

/**
 * A rule that cannot be loaded: malformed, misspelt, mistyped, or an action without a ground. The
 * message names the rule's path in the configuration, its id when it has one, and for a problem in
 * the {@code when} expression the line and column within the expression (1-based; a {@code when}
 * given as an array of lines counts one line per element).
 *
 * <p>A configuration that throws this is not used: an engine keeps the configuration it had.
 *
 * @since 0.2
 */
public final class RuleException extends PolicyConfigException {
  private static final long serialVersionUID = 1L;

  private final String ruleId;
  private final int line;
  private final int column;

  RuleException(String path, String ruleId, int line, int column, String problem) {
    super(path, (ruleId == null ? "" : "rule '" + ruleId + "': ")
        + (line > 0 ? "line " + line + ", column " + column + ": " : "") + problem);
    this.ruleId = ruleId;
    this.line = line;
    this.column = column;
  }

  /**
   * The id of the rule at fault, when it has a readable one.
   *
   * @return the id; never null
   */
  public Optional<String> ruleId() {
    return Optional.ofNullable(ruleId);
  }

  /**
   * The 1-based line within the rule's {@code when} expression, or 0 when the problem is not in
   * the expression.
   *
   * @return the line, 0 or more
   */
  public int line() {
    return line;
  }

  /**
   * The 1-based column within that line, or 0 when the problem is not in the expression.
   *
   * @return the column, 0 or more
   */
  public int column() {
    return column;
  }
}

package dev.haetae.moderation.rules;

import dev.haetae.moderation.core.policy.PolicyConfigException;
import java.util.Optional;

/**
 * A rule that cannot be loaded: malformed, misspelt, mistyped, or an action without a ground. The
 * message names the rule's path in the configuration, its id when it has one, and the line and
 * column of the configuration file where the problem is: for a problem in the {@code when}
 * expression the character CEL points at (also inside a {@code when} written as an array of lines,
 * or with escapes); for a wrong or unknown key the key; for a missing key the object that lacks
 * it. Lines and columns count from 1; a column counts UTF-16 characters, as editors and Jackson do.
 * They are the file's when the configuration comes through
 * {@link dev.haetae.moderation.core.policy.PolicyConfig#load} or
 * {@link dev.haetae.moderation.core.policy.PolicyConfig#parse}, and of the given text when a host
 * calls {@link RulesSection#load(String)} itself.
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
  private final String problem;

  RuleException(String path, String ruleId, int line, int column, String problem) {
    super(path, (ruleId == null ? "" : "rule '" + ruleId + "': ")
        + (line > 0 ? "line " + line + ", column " + column + ": " : "") + problem);
    this.ruleId = ruleId;
    this.line = line;
    this.column = column;
    this.problem = problem;
  }

  /** The same problem, placed at a line and column of the configuration. */
  RuleException at(int[] lineAndColumn) {
    RuleException e = new RuleException(path(), ruleId, lineAndColumn[0], lineAndColumn[1], problem);
    e.setStackTrace(getStackTrace());
    return e;
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
   * The 1-based line of the configuration where the problem is, or 0 when the text could not be
   * read as JSON at all.
   *
   * @return the line, 0 or more
   */
  public int line() {
    return line;
  }

  /**
   * The 1-based column within that line, or 0 when the line is 0.
   *
   * @return the column, 0 or more
   */
  public int column() {
    return column;
  }
}

package dev.haetae.moderation.core.hash;

import dev.haetae.moderation.api.InvalidRequestException;
import dev.haetae.moderation.core.banks.ProblemKind;

/**
 * Thrown by a strict import at the first record it cannot apply; nothing of the import was
 * applied. The message names the file, the line and the problem.
 *
 * @since 0.1
 */
public class HashListException extends InvalidRequestException {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final long line;
  private final ProblemKind kind;

  /**
   * Creates the exception.
   *
   * @param file the list's name; not null
   * @param line the 1-based line of the bad record
   * @param kind the class of the problem; not null
   * @param problem what is wrong; not null
   */
  public HashListException(String file, long line, ProblemKind kind, String problem) {
    super(file + ":" + line, problem + " (" + kind.name().toLowerCase(java.util.Locale.ROOT)
        + "; strict import, nothing was applied)");
    this.file = file;
    this.line = line;
    this.kind = kind;
  }

  /**
   * The list's name.
   *
   * @return the name; never null
   */
  public String file() {
    return file;
  }

  /**
   * The 1-based line of the bad record.
   *
   * @return the line
   */
  public long line() {
    return line;
  }

  /**
   * The class of the problem.
   *
   * @return the class; never null
   */
  public ProblemKind kind() {
    return kind;
  }
}

package dev.haetae.moderation.core.hash;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of importing a hash list: how many entries were applied and which lines were skipped
 * and why. A malformed line never stops the import. Immutable and thread-safe.
 *
 * @param file the name of what was imported, for messages; not null
 * @param applied entries added, re-activated, withdrawn or deleted
 * @param unchanged well-formed entries that changed nothing (already present, or removing an
 *     absent entry)
 * @param problems the skipped lines, in line order; not null
 * @since 0.1
 */
public record ImportReport(String file, long applied, long unchanged, List<Problem> problems) {

  /**
   * Validates and copies.
   *
   * @param file the file component, as described on the record
   * @param applied the applied component, as described on the record
   * @param unchanged the unchanged component, as described on the record
   * @param problems the problems component, as described on the record
   * @throws NullPointerException when {@code file} or {@code problems} is null
   */
  public ImportReport {
    Objects.requireNonNull(file, "file");
    problems = List.copyOf(problems);
  }

  /**
   * One skipped line.
   *
   * @param line the 1-based line number in the file
   * @param message what is wrong with it; not null
   * @since 0.1
   */
  public record Problem(long line, String message) {
    /**
     * Validates.
     *
     * @param line the line component, as described on the record
     * @param message the message component, as described on the record
     * @throws NullPointerException when {@code message} is null
     */
    public Problem {
      Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
      return "line " + line + ": " + message;
    }
  }
}

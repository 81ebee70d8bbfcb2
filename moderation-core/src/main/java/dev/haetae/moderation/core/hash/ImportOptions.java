package dev.haetae.moderation.core.hash;

import dev.haetae.moderation.api.InvalidRequestException;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How an import behaves: lenient (the default: bad records are reported and skipped, the rest
 * loads) or strict (the first bad record fails the import and nothing of it is applied), and how
 * much of the report is listed. Immutable and thread-safe.
 *
 * <pre>{@code
 * ImportReport r = banks.importFile(path, "ncmec", ImportOptions.defaults().strict(true));
 * }</pre>
 *
 * @param strict whether the first skipped record fails the import; a strict import holds the
 *     records in memory until every one has been checked, then applies them all
 * @param maxListedProblems how many problems the report lists (all are counted); at least 0
 * @param maxListedChanges how many changes the report lists (all are counted and all go to
 *     {@code onChange}); at least 0
 * @param onChange receives every change as it is applied, on the importing thread; not null
 * @since 0.1
 */
public record ImportOptions(boolean strict, int maxListedProblems, int maxListedChanges,
    Consumer<ImportReport.Change> onChange) {

  /** The default bound of listed problems. */
  public static final int DEFAULT_MAX_LISTED_PROBLEMS = 1_000;

  /** The default bound of listed changes. */
  public static final int DEFAULT_MAX_LISTED_CHANGES = 10_000;

  /** The listener of the defaults: none, so that an import need not build changes it does not list. */
  static final Consumer<ImportReport.Change> NO_LISTENER = c -> {};

  /**
   * Validates.
   *
   * @param strict the strict component, as described on the record
   * @param maxListedProblems the maxListedProblems component, as described on the record
   * @param maxListedChanges the maxListedChanges component, as described on the record
   * @param onChange the onChange component, as described on the record
   * @throws InvalidRequestException when a bound is negative or {@code onChange} is null
   */
  public ImportOptions {
    if (maxListedProblems < 0) {
      throw new InvalidRequestException("maxListedProblems", "must be at least 0, got " + maxListedProblems);
    }
    if (maxListedChanges < 0) {
      throw new InvalidRequestException("maxListedChanges", "must be at least 0, got " + maxListedChanges);
    }
    InvalidRequestException.requireNonNull("onChange", onChange);
  }

  /**
   * Lenient, 1,000 problems and 10,000 changes listed, no change listener.
   *
   * @return the defaults
   */
  public static ImportOptions defaults() {
    return new ImportOptions(false, DEFAULT_MAX_LISTED_PROBLEMS, DEFAULT_MAX_LISTED_CHANGES, NO_LISTENER);
  }

  /**
   * These options with {@code strict} set.
   *
   * @param value whether the import is strict
   * @return new options
   */
  public ImportOptions strict(boolean value) {
    return new ImportOptions(value, maxListedProblems, maxListedChanges, onChange);
  }

  /**
   * These options with a change listener.
   *
   * @param listener receives every change; not null
   * @return new options
   * @throws InvalidRequestException when {@code listener} is null
   */
  public ImportOptions onChange(Consumer<ImportReport.Change> listener) {
    return new ImportOptions(strict, maxListedProblems, maxListedChanges,
        Objects.requireNonNull(InvalidRequestException.requireNonNull("onChange", listener)));
  }

  /**
   * These options with other listing bounds.
   *
   * @param problems how many problems to list, at least 0
   * @param changes how many changes to list, at least 0
   * @return new options
   * @throws InvalidRequestException when a bound is negative
   */
  public ImportOptions listing(int problems, int changes) {
    return new ImportOptions(strict, problems, changes, onChange);
  }
}

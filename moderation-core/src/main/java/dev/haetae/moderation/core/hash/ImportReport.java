package dev.haetae.moderation.core.hash;

import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.core.banks.ProblemKind;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of importing a hash list or syncing a source: what was read, what changed in the
 * bank, what was kept without being matchable, and every skipped record with its line and the
 * class of its problem. Nothing is skipped silently: {@code read == accepted() + skipped}.
 * Immutable and thread-safe.
 *
 * <p>The per-entry {@link #changes()} (bank, type, hash, category, what happened) are what a
 * caller records when bank changes must be logged; they are listed up to
 * {@link ImportOptions#maxListedChanges()} (every one of them also goes to
 * {@link ImportOptions#onChange}), and {@link #problems()} up to
 * {@link ImportOptions#maxListedProblems()}; the counts are always complete.
 *
 * @param file the name of what was imported, for messages; not null
 * @param bank the bank imported into; not null (empty when unknown)
 * @param read records read (lines or list items that held a record, well-formed or not)
 * @param added entries that are new to the bank
 * @param changed entries the bank held that this import re-activated or gave a new case id
 * @param withdrawn active entries this import withdrew
 * @param deleted entries this import deleted
 * @param unchanged well-formed records that changed nothing (already so, or removing an absent
 *     entry)
 * @param foreign of the accepted records, those of signal types Haetae does not match (PhotoDNA,
 *     TMK, ...): kept with their type and counted like the others, but not matched until a host
 *     plugs in a matcher for the type
 * @param skipped records not applied; each is counted in {@code skippedByKind}
 * @param skippedByKind the skipped records by class; not null
 * @param problems the first skipped records with line and reason, in line order; not null
 * @param changes the first per-entry changes, in input order; not null
 * @since 0.1
 */
public record ImportReport(String file, String bank, long read, long added, long changed, long withdrawn,
    long deleted, long unchanged, long foreign, long skipped, Map<ProblemKind, Long> skippedByKind,
    List<Problem> problems, List<Change> changes) {

  /**
   * Validates and copies.
   *
   * @param file the file component, as described on the record
   * @param bank the bank component, as described on the record
   * @param read the read component, as described on the record
   * @param added the added component, as described on the record
   * @param changed the changed component, as described on the record
   * @param withdrawn the withdrawn component, as described on the record
   * @param deleted the deleted component, as described on the record
   * @param unchanged the unchanged component, as described on the record
   * @param foreign the foreign component, as described on the record
   * @param skipped the skipped component, as described on the record
   * @param skippedByKind the skippedByKind component, as described on the record
   * @param problems the problems component, as described on the record
   * @param changes the changes component, as described on the record
   * @throws NullPointerException when an object component is null
   */
  public ImportReport {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(bank, "bank");
    skippedByKind = skippedByKind.isEmpty() ? Map.of() : java.util.Collections.unmodifiableMap(new EnumMap<>(skippedByKind));
    problems = List.copyOf(problems);
    changes = List.copyOf(changes);
  }

  /**
   * A report from an importer that knows only totals (e.g. a store's bulk import): {@code applied}
   * is counted as added, every problem as {@link ProblemKind#MALFORMED}.
   *
   * @param file what was imported; not null
   * @param applied entries added, re-activated, withdrawn or deleted
   * @param unchanged well-formed entries that changed nothing
   * @param problems the skipped entries; not null
   */
  public ImportReport(String file, long applied, long unchanged, List<Problem> problems) {
    this(file, "", applied + unchanged + problems.size(), applied, 0, 0, 0, unchanged, 0, problems.size(),
        problems.isEmpty() ? Map.of() : Map.of(ProblemKind.MALFORMED, (long) problems.size()), problems, List.of());
  }

  /**
   * Entries added, re-activated, given a new case id, withdrawn or deleted.
   *
   * @return the sum of {@code added}, {@code changed}, {@code withdrawn} and {@code deleted}
   */
  public long applied() {
    return added + changed + withdrawn + deleted;
  }

  /**
   * Records that were not skipped: applied, unchanged or kept as foreign.
   *
   * @return {@code read - skipped}
   */
  public long accepted() {
    return read - skipped;
  }

  /**
   * Whether the list gave the bank nothing at all: no record was accepted (an empty file, or one
   * whose every record was skipped). {@code HashBanks.load} and {@code haetae match --bank}
   * refuse such a file: it is almost always the wrong file or the wrong format.
   *
   * @return true when {@link #accepted()} is 0
   */
  public boolean contributedNothing() {
    return accepted() == 0;
  }

  /**
   * Whether more problems or changes happened than are listed.
   *
   * @return true when {@link #problems()} or {@link #changes()} is cut
   */
  public boolean truncated() {
    return problems.size() < skipped || changes.size() < applied();
  }

  /**
   * A one-line summary, e.g. {@code "stopncii.json: 12 read, 9 added, 0 changed, 1 withdrawn, 0
   * deleted, 0 unchanged, 1 foreign kept, 1 skipped (unknown_status 1)"}.
   *
   * @return the summary; never null
   */
  public String summary() {
    StringBuilder sb = new StringBuilder();
    sb.append(file).append(": ").append(read).append(" read, ").append(added).append(" added, ").append(changed)
        .append(" changed, ").append(withdrawn).append(" withdrawn, ").append(deleted).append(" deleted, ")
        .append(unchanged).append(" unchanged, ").append(foreign).append(" foreign kept, ").append(skipped)
        .append(" skipped");
    if (!skippedByKind.isEmpty()) {
      StringBuilder kinds = new StringBuilder();
      for (Map.Entry<ProblemKind, Long> e : skippedByKind.entrySet()) {
        kinds.append(kinds.length() == 0 ? "" : ", ").append(e.getKey().name().toLowerCase(java.util.Locale.ROOT))
            .append(' ').append(e.getValue());
      }
      sb.append(" (").append(kinds).append(')');
    }
    return sb.toString();
  }

  /**
   * One skipped record.
   *
   * @param line the 1-based line number in the file (for a source: the record's position)
   * @param kind the class of the problem; not null
   * @param message what is wrong with it; not null
   * @since 0.1
   */
  public record Problem(long line, ProblemKind kind, String message) {
    /**
     * Validates.
     *
     * @param line the line component, as described on the record
     * @param kind the kind component, as described on the record
     * @param message the message component, as described on the record
     * @throws NullPointerException when {@code kind} or {@code message} is null
     */
    public Problem {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(message, "message");
    }

    /**
     * A problem of class {@link ProblemKind#MALFORMED}.
     *
     * @param line the 1-based line
     * @param message what is wrong; not null
     */
    public Problem(long line, String message) {
      this(line, ProblemKind.MALFORMED, message);
    }

    @Override
    public String toString() {
      return "line " + line + ": " + message;
    }
  }

  /**
   * One change an import made to a bank, for the decision log.
   *
   * @param kind what happened; not null
   * @param bank the bank; not null
   * @param signalType the signal type (e.g. {@code pdq}, or a foreign type such as
   *     {@code photodna}); not null
   * @param hash the entry's canonical hash; not null
   * @param category the bank's category; not null
   * @param caseId the programme's case id, if any; not null
   * @param line the line (or position) of the record that made the change
   * @since 0.1
   */
  public record Change(Kind kind, String bank, String signalType, String hash, Category category,
      Optional<String> caseId, long line) {
    /**
     * Validates.
     *
     * @param kind the kind component, as described on the record
     * @param bank the bank component, as described on the record
     * @param signalType the signalType component, as described on the record
     * @param hash the hash component, as described on the record
     * @param category the category component, as described on the record
     * @param caseId the caseId component, as described on the record
     * @param line the line component, as described on the record
     * @throws NullPointerException when an object component is null
     */
    public Change {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(bank, "bank");
      Objects.requireNonNull(signalType, "signalType");
      Objects.requireNonNull(hash, "hash");
      Objects.requireNonNull(category, "category");
      Objects.requireNonNull(caseId, "caseId");
    }

    /**
     * What a change did.
     *
     * @since 0.1
     */
    public enum Kind {
      /** A new entry. */
      ADDED,
      /** An entry the bank held was re-activated or given a new case id. */
      CHANGED,
      /** An active entry was withdrawn. */
      WITHDRAWN,
      /** An entry was deleted. */
      DELETED
    }
  }
}

package dev.haetae.moderation.core.hash;

import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.MatchType;
import dev.haetae.moderation.api.spi.HashBankSource;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What a bank knows about one entry: its lifecycle, metadata, review feedback and flood state. An
 * immutable snapshot, safe to share.
 *
 * @param bank the bank id; not null
 * @param type the hash type; not null
 * @param hash the hash in lower-case hex; not null
 * @param state the lifecycle state; not null
 * @param addedAt when the entry was added (second precision); not null
 * @param caseId the source's case id, if any; not null
 * @param confirmed matches that review confirmed
 * @param deconfirmed matches that review found wrong
 * @param matches matches reported since the bank was loaded
 * @param quarantined whether the entry is demoted to review-only by flood quarantine
 * @param category the category a match of the entry reports: the entry's own when it was banked with
 *     one (see {@link Bank#addEntry(MatchType, String, Category, String)}), else the bank's; not null
 *     (since 0.2)
 * @param reason why the entry was banked, when it was banked with its own category; not null
 *     (since 0.2)
 * @param uploader the keyed pseudonym of the account whose removed content the entry came from, when
 *     it was banked with one (see {@link Bank#addEntry(MatchType, String, Category, String, String)});
 *     not null (since 0.4)
 * @since 0.1
 */
public record EntryInfo(String bank, MatchType type, String hash, HashBankSource.Entry.State state, Instant addedAt,
    Optional<String> caseId, long confirmed, long deconfirmed, long matches, boolean quarantined, Category category,
    Optional<String> reason, Optional<String> uploader) {

  /**
   * The 0.2 form: an entry without a recorded uploader.
   *
   * @param bank the bank component, as described on the record
   * @param type the type component, as described on the record
   * @param hash the hash component, as described on the record
   * @param state the state component, as described on the record
   * @param addedAt the addedAt component, as described on the record
   * @param caseId the caseId component, as described on the record
   * @param confirmed the confirmed component, as described on the record
   * @param deconfirmed the deconfirmed component, as described on the record
   * @param matches the matches component, as described on the record
   * @param quarantined the quarantined component, as described on the record
   * @param category the category component, as described on the record
   * @param reason the reason component, as described on the record
   * @throws NullPointerException when a reference component is null
   */
  public EntryInfo(String bank, MatchType type, String hash, HashBankSource.Entry.State state, Instant addedAt,
      Optional<String> caseId, long confirmed, long deconfirmed, long matches, boolean quarantined, Category category,
      Optional<String> reason) {
    this(bank, type, hash, state, addedAt, caseId, confirmed, deconfirmed, matches, quarantined, category, reason,
        Optional.empty());
  }

  /**
   * Validates.
   *
   * @param bank the bank component, as described on the record
   * @param type the type component, as described on the record
   * @param hash the hash component, as described on the record
   * @param state the state component, as described on the record
   * @param addedAt the addedAt component, as described on the record
   * @param caseId the caseId component, as described on the record
   * @param confirmed the confirmed component, as described on the record
   * @param deconfirmed the deconfirmed component, as described on the record
   * @param matches the matches component, as described on the record
   * @param quarantined the quarantined component, as described on the record
   * @param category the category component, as described on the record
   * @param reason the reason component, as described on the record
   * @param uploader the uploader component, as described on the record
   * @throws NullPointerException when a reference component is null
   */
  public EntryInfo {
    java.util.Objects.requireNonNull(category, "category");
    java.util.Objects.requireNonNull(reason, "reason");
    java.util.Objects.requireNonNull(uploader, "uploader");
  }

  /**
   * The 0.1 form: an entry without a category of its own ({@link Category#OTHER} stands in for the
   * bank's, which this form does not know).
   *
   * @param bank the bank id; not null
   * @param type the hash type; not null
   * @param hash the hash in lower-case hex; not null
   * @param state the lifecycle state; not null
   * @param addedAt when the entry was added; not null
   * @param caseId the source's case id, if any; not null
   * @param confirmed matches that review confirmed
   * @param deconfirmed matches that review found wrong
   * @param matches matches reported since the bank was loaded
   * @param quarantined whether the entry is quarantined
   */
  public EntryInfo(String bank, MatchType type, String hash, HashBankSource.Entry.State state, Instant addedAt,
      Optional<String> caseId, long confirmed, long deconfirmed, long matches, boolean quarantined) {
    this(bank, type, hash, state, addedAt, caseId, confirmed, deconfirmed, matches, quarantined, Category.OTHER,
        Optional.empty());
  }

  /**
   * The share of reviewed matches that review confirmed.
   *
   * @return confirmed / (confirmed + deconfirmed), or empty before any feedback
   */
  public OptionalDouble precision() {
    long n = confirmed + deconfirmed;
    return n == 0 ? OptionalDouble.empty() : OptionalDouble.of((double) confirmed / n);
  }
}

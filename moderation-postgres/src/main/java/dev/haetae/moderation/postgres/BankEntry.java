package dev.haetae.moderation.postgres;

import dev.haetae.moderation.api.MatchType;
import dev.haetae.moderation.api.spi.HashBankSource;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One entry of a bank as the database holds it, with the review feedback and flood-quarantine
 * notices that every instance recorded for it.
 *
 * @param bankId the bank; not null
 * @param type the hash type; not null
 * @param hash the hash in canonical lower-case hex; not null
 * @param state {@code ACTIVE} or {@code WITHDRAWN} (deleted entries are not held); not null
 * @param addedAt when the entry was added to its list; not null
 * @param caseId the list's case id, if any (dropped on withdrawal); not null
 * @param changeId the id of the bank change that last changed this entry
 * @param confirmed how many reviews confirmed a match of this entry
 * @param deconfirmed how many reviews found a match of this entry wrong
 * @param quarantines how many times an instance demoted this entry by flood quarantine
 * @since 0.1
 */
public record BankEntry(
    String bankId,
    MatchType type,
    String hash,
    HashBankSource.Entry.State state,
    Instant addedAt,
    Optional<String> caseId,
    long changeId,
    long confirmed,
    long deconfirmed,
    long quarantines) {

  /**
   * Validates.
   *
   * @param bankId the bankId component, as described on the record
   * @param type the type component, as described on the record
   * @param hash the hash component, as described on the record
   * @param state the state component, as described on the record
   * @param addedAt the addedAt component, as described on the record
   * @param caseId the caseId component, as described on the record
   * @param changeId the changeId component, as described on the record
   * @param confirmed the confirmed component, as described on the record
   * @param deconfirmed the deconfirmed component, as described on the record
   * @param quarantines the quarantines component, as described on the record
   * @throws NullPointerException when an object component is null
   */
  public BankEntry {
    Objects.requireNonNull(bankId, "bankId");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(addedAt, "addedAt");
    Objects.requireNonNull(caseId, "caseId");
  }

  /**
   * The share of reviewed matches that were confirmed, over every instance.
   *
   * @return confirmed / (confirmed + deconfirmed), or empty before any review
   */
  public OptionalDouble precision() {
    long n = confirmed + deconfirmed;
    return n == 0 ? OptionalDouble.empty() : OptionalDouble.of((double) confirmed / n);
  }
}

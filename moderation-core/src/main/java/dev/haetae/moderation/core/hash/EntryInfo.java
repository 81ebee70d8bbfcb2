package dev.haetae.moderation.core.hash;

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
 * @since 0.1
 */
public record EntryInfo(String bank, MatchType type, String hash, HashBankSource.Entry.State state, Instant addedAt,
    Optional<String> caseId, long confirmed, long deconfirmed, long matches, boolean quarantined) {

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

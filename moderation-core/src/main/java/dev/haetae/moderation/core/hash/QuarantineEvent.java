package dev.haetae.moderation.core.hash;

import dev.haetae.moderation.api.MatchType;
import java.time.Instant;
import java.util.Objects;

/**
 * A bank entry was demoted to review-only because it matched far above its baseline. Immutable.
 *
 * @param bank the bank id; not null
 * @param type the entry's type; not null
 * @param hash the entry's hash in hex; not null
 * @param at when the flood was detected; not null
 * @param matchesInWindow matches within the current window when it was detected
 * @param baseline the entry's baseline matches per window before the flood
 * @since 0.1
 */
public record QuarantineEvent(String bank, MatchType type, String hash, Instant at, long matchesInWindow,
    double baseline) {
  /**
   * Validates.
   *
   * @param bank the bank component, as described on the record
   * @param type the type component, as described on the record
   * @param hash the hash component, as described on the record
   * @param at the at component, as described on the record
   * @param matchesInWindow the matchesInWindow component, as described on the record
   * @param baseline the baseline component, as described on the record
   * @throws NullPointerException when a reference component is null
   */
  public QuarantineEvent {
    Objects.requireNonNull(bank, "bank");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(at, "at");
  }
}

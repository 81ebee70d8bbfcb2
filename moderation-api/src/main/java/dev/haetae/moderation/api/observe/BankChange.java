package dev.haetae.moderation.api.observe;

import java.util.Objects;

/**
 * Hash-bank entries changed through the engine (a logged change, an import or a refresh).
 * Immutable and thread-safe.
 *
 * @param source who changed them: the source named to the engine's {@code changeBanks}, or
 *     {@code import} for a file import, {@code refresh} for a hash-sharing programme's sync; not null
 * @param bank the bank changed, or {@code *} when one call changed several banks; not null
 * @param changed how many entries changed, zero or more
 * @since 0.2
 */
public record BankChange(String source, String bank, long changed) {
  /**
   * Validates.
   *
   * @param source the source component, as described on the record
   * @param bank the bank component, as described on the record
   * @param changed the changed component, as described on the record
   * @throws NullPointerException when a reference component is null
   * @throws IllegalArgumentException when {@code changed} is negative
   */
  public BankChange {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(bank, "bank");
    if (changed < 0) {
      throw new IllegalArgumentException("changed is negative: " + changed);
    }
  }
}

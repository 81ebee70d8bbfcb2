package dev.haetae.moderation.core.reputation;

import dev.haetae.moderation.api.AccountId;
import java.util.Objects;
import java.util.Optional;

/**
 * What the engine knows about a reported target that the reputation store does not: whether the
 * engine already removed it, and whose it is (the uploader of reported content, the account itself
 * for a reported account). Immutable and thread-safe.
 *
 * @param targetRemoved whether the target is content the engine already removed
 * @param owner the account whose content (or who) is reported, when known; not null
 * @since 0.2
 */
public record ReportContext(boolean targetRemoved, Optional<AccountId> owner) {
  /**
   * Validates.
   *
   * @param targetRemoved the targetRemoved component, as described on the record
   * @param owner the owner component, as described on the record
   * @throws NullPointerException when {@code owner} is null
   */
  public ReportContext {
    Objects.requireNonNull(owner, "owner");
  }

  /**
   * Nothing known: not removed, owner unknown.
   *
   * @return the context
   */
  public static ReportContext none() {
    return new ReportContext(false, Optional.empty());
  }
}

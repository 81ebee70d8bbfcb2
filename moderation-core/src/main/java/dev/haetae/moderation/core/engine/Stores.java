package dev.haetae.moderation.core.engine;

import dev.haetae.moderation.api.spi.EvidenceHoldStore;
import dev.haetae.moderation.api.spi.ObligationStore;
import dev.haetae.moderation.api.spi.ReputationStore;
import dev.haetae.moderation.api.spi.StrikeStore;
import dev.haetae.moderation.core.legal.EvidenceHolds;
import dev.haetae.moderation.core.store.InMemoryObligationStore;
import dev.haetae.moderation.core.store.InMemoryReputationStore;
import dev.haetae.moderation.core.store.InMemoryStrikeStore;
import java.util.Objects;

/**
 * The engine's shared state, bundled: where reporter reputation, legal obligations, evidence holds
 * and strikes are kept. {@link #inMemory()} is the embedded default; a deployment of many backend
 * instances passes one bundle of shared stores (for instance {@code HaetaePostgres.stores()}) to
 * {@link ModerationEngineBuilder#stores}, so that every instance sees the same state. Immutable and
 * thread-safe as its stores are.
 *
 * @param reputation reporters and their reports; not null
 * @param obligations legal obligations and their clocks; not null
 * @param holds evidence holds on removed content; not null
 * @param strikes strikes against accounts; not null
 * @since 0.2
 */
public record Stores(ReputationStore reputation, ObligationStore obligations, EvidenceHoldStore holds,
    StrikeStore strikes) {

  /** The size bound of the in-memory strike store. */
  private static final long IN_MEMORY_STRIKES = 1_000_000;

  /**
   * Validates.
   *
   * @param reputation the reputation component, as described on the record
   * @param obligations the obligations component, as described on the record
   * @param holds the holds component, as described on the record
   * @param strikes the strikes component, as described on the record
   * @throws NullPointerException when a component is null
   */
  public Stores {
    Objects.requireNonNull(reputation, "reputation");
    Objects.requireNonNull(obligations, "obligations");
    Objects.requireNonNull(holds, "holds");
    Objects.requireNonNull(strikes, "strikes");
  }

  /**
   * New in-memory stores: state lives as long as the process, and only this process sees it.
   *
   * @return a new bundle; never null
   */
  public static Stores inMemory() {
    return new Stores(new InMemoryReputationStore(), new InMemoryObligationStore(), new EvidenceHolds(),
        new InMemoryStrikeStore(IN_MEMORY_STRIKES));
  }

  /**
   * This bundle with another reputation store.
   *
   * @param value the store; not null
   * @return a new bundle; never null
   */
  public Stores withReputation(ReputationStore value) {
    return new Stores(value, obligations, holds, strikes);
  }

  /**
   * This bundle with another obligation store.
   *
   * @param value the store; not null
   * @return a new bundle; never null
   */
  public Stores withObligations(ObligationStore value) {
    return new Stores(reputation, value, holds, strikes);
  }

  /**
   * This bundle with another evidence hold store.
   *
   * @param value the store; not null
   * @return a new bundle; never null
   */
  public Stores withHolds(EvidenceHoldStore value) {
    return new Stores(reputation, obligations, value, strikes);
  }

  /**
   * This bundle with another strike store.
   *
   * @param value the store; not null
   * @return a new bundle; never null
   */
  public Stores withStrikes(StrikeStore value) {
    return new Stores(reputation, obligations, holds, value);
  }
}

package dev.haetae.moderation.core.engine;

import dev.haetae.moderation.api.spi.EngineMemory;
import dev.haetae.moderation.api.spi.EvidenceHoldStore;
import dev.haetae.moderation.api.spi.ObligationStore;
import dev.haetae.moderation.api.spi.ReputationStore;
import dev.haetae.moderation.api.spi.StrikeStore;
import dev.haetae.moderation.core.legal.EvidenceHolds;
import dev.haetae.moderation.core.store.InMemoryEngineMemory;
import dev.haetae.moderation.core.store.InMemoryObligationStore;
import dev.haetae.moderation.core.store.InMemoryReputationStore;
import dev.haetae.moderation.core.store.InMemoryStrikeStore;
import java.util.Objects;

/**
 * The engine's shared state, bundled: where reporter reputation, legal obligations, evidence holds,
 * strikes and the engine's memory (content it saw, removed, decided on; appeal links; room counts;
 * protected photos) are kept, and where its bank of removed content is shared. {@link #inMemory()}
 * is the embedded default; a deployment of many backend instances passes one bundle of shared
 * stores (for instance {@code HaetaePostgres.stores()}) to {@link ModerationEngineBuilder#stores},
 * so that every instance sees the same state and blocks what any of them removed. Immutable and
 * thread-safe as its stores are.
 *
 * @param reputation reporters and their reports; not null
 * @param obligations legal obligations and their clocks; not null
 * @param holds evidence holds on removed content; not null
 * @param strikes strikes against accounts; not null
 * @param memory what the engine remembers between requests; not null
 * @param platformBank where the bank of removed content ({@link ModerationEngine#PLATFORM_BANK}) is
 *     shared; {@link SharedBank#LOCAL} keeps it in the engine's own banks; not null
 * @since 0.2
 */
public record Stores(ReputationStore reputation, ObligationStore obligations, EvidenceHoldStore holds,
    StrikeStore strikes, EngineMemory memory, SharedBank platformBank) {

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
    Objects.requireNonNull(memory, "memory");
    Objects.requireNonNull(platformBank, "platformBank");
  }

  /**
   * The four stores with a new {@link InMemoryEngineMemory} and the bank of removed content kept
   * by the engine itself ({@link SharedBank#LOCAL}).
   *
   * @param reputation reporters and their reports; not null
   * @param obligations legal obligations and their clocks; not null
   * @param holds evidence holds on removed content; not null
   * @param strikes strikes against accounts; not null
   * @throws NullPointerException when an argument is null
   */
  public Stores(ReputationStore reputation, ObligationStore obligations, EvidenceHoldStore holds,
      StrikeStore strikes) {
    this(reputation, obligations, holds, strikes, new InMemoryEngineMemory(), SharedBank.LOCAL);
  }

  /**
   * New in-memory stores: state lives as long as the process, and only this process sees it.
   *
   * @return a new bundle; never null
   */
  public static Stores inMemory() {
    return new Stores(new InMemoryReputationStore(), new InMemoryObligationStore(), new EvidenceHolds(),
        new InMemoryStrikeStore(IN_MEMORY_STRIKES), new InMemoryEngineMemory(), SharedBank.LOCAL);
  }

  /**
   * This bundle with another reputation store.
   *
   * @param value the store; not null
   * @return a new bundle; never null
   */
  public Stores withReputation(ReputationStore value) {
    return new Stores(value, obligations, holds, strikes, memory, platformBank);
  }

  /**
   * This bundle with another obligation store.
   *
   * @param value the store; not null
   * @return a new bundle; never null
   */
  public Stores withObligations(ObligationStore value) {
    return new Stores(reputation, value, holds, strikes, memory, platformBank);
  }

  /**
   * This bundle with another evidence hold store.
   *
   * @param value the store; not null
   * @return a new bundle; never null
   */
  public Stores withHolds(EvidenceHoldStore value) {
    return new Stores(reputation, obligations, value, strikes, memory, platformBank);
  }

  /**
   * This bundle with another strike store.
   *
   * @param value the store; not null
   * @return a new bundle; never null
   */
  public Stores withStrikes(StrikeStore value) {
    return new Stores(reputation, obligations, holds, value, memory, platformBank);
  }

  /**
   * This bundle with another engine memory.
   *
   * @param value the memory; not null
   * @return a new bundle; never null
   */
  public Stores withMemory(EngineMemory value) {
    return new Stores(reputation, obligations, holds, strikes, value, platformBank);
  }

  /**
   * This bundle with another place to share the bank of removed content.
   *
   * @param value the shared bank; not null
   * @return a new bundle; never null
   */
  public Stores withPlatformBank(SharedBank value) {
    return new Stores(reputation, obligations, holds, strikes, memory, value);
  }
}

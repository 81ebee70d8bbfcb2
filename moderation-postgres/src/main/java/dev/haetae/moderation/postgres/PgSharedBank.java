package dev.haetae.moderation.postgres;

import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.core.engine.SharedBank;
import dev.haetae.moderation.core.hash.BankConfig;
import dev.haetae.moderation.core.hash.HashBanks;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link SharedBank} on the bank tables of {@code V5__banks.sql}: {@link #add} writes removed
 * content's fingerprints to the bank through a {@link PgBankStore} (the bank is created with the
 * category of its first entry, as the engine's in-memory bank is; each entry keeps its own category
 * and reason, columns of {@code V11__bank_entry_category.sql}, and its uploader's keyed pseudonym,
 * {@code V15__bank_entry_uploader.sql}, carried by the change feed), and {@link #follow} starts a
 * {@link PgBankFollower} on the engine's banks that connects the bank as soon as it exists and
 * applies every change any instance commits (LISTEN/NOTIFY, and a poll as a backstop).
 *
 * <p>Thread-safe.
 */
final class PgSharedBank implements SharedBank {
  private final HaetaePostgres pg;
  private final Duration poll;
  private final Map<String, PgBankStore> stores = new ConcurrentHashMap<>();

  PgSharedBank(HaetaePostgres pg, Duration poll) {
    this.pg = Objects.requireNonNull(pg, "pg");
    this.poll = Objects.requireNonNull(poll, "poll");
  }

  @Override
  public void add(String bankId, Category category, Fingerprints fingerprints) {
    Objects.requireNonNull(bankId, "bankId");
    Objects.requireNonNull(category, "category");
    Objects.requireNonNull(fingerprints, "fingerprints");
    store(bankId, category).addFingerprints(fingerprints);
  }

  private PgBankStore store(String bankId, Category category) {
    Objects.requireNonNull(bankId, "bankId");
    Objects.requireNonNull(category, "category");
    PgBankStore store = stores.get(bankId);
    if (store == null) {
      // not computeIfAbsent: opening runs a transaction, which must not run under the map's lock
      store = PgBankStore.openOrCreate(pg, bankId, category);
      PgBankStore had = stores.putIfAbsent(bankId, store);
      store = had != null ? had : store;
    }
    return store;
  }

  @Override
  public void add(String bankId, Category bankCategory, Fingerprints fingerprints, Category entryCategory,
      String reason) {
    Objects.requireNonNull(entryCategory, "entryCategory");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(fingerprints, "fingerprints");
    store(bankId, bankCategory).addFingerprints(fingerprints, entryCategory, reason);
  }

  @Override
  public void add(String bankId, Category bankCategory, Fingerprints fingerprints, Category entryCategory,
      String reason, java.util.Optional<String> uploader) {
    Objects.requireNonNull(entryCategory, "entryCategory");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(fingerprints, "fingerprints");
    Objects.requireNonNull(uploader, "uploader");
    store(bankId, bankCategory).addFingerprints(fingerprints, entryCategory, reason, uploader.orElse(null));
  }

  @Override
  public AutoCloseable follow(HashBanks banks, String bankId) {
    Objects.requireNonNull(banks, "banks");
    Objects.requireNonNull(bankId, "bankId");
    PgBankFollower follower = new PgBankFollower(pg, banks, poll, true);
    follower.connectWhenCreated(bankId, category -> banks.find(bankId)
        .map(b -> b.config().toBuilder().category(category).build())
        .orElseGet(() -> BankConfig.builder(bankId, category).build()));
    return follower;
  }

  @Override
  public String toString() {
    return "PgSharedBank[schema " + pg.schema() + "]";
  }
}

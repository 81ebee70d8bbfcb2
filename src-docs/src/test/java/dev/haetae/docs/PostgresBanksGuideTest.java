package dev.haetae.docs;

import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.MatchType;
import dev.haetae.moderation.api.spi.HashBankSource;
import dev.haetae.moderation.core.hash.BankConfig;
import dev.haetae.moderation.core.hash.HashBanks;
import dev.haetae.moderation.core.hash.ImportReport;
import dev.haetae.moderation.postgres.BankEntry;
import dev.haetae.moderation.postgres.BankFollower;
import dev.haetae.moderation.postgres.BankStore;
import dev.haetae.moderation.postgres.HaetaePostgres;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;

/**
 * The code quoted in the "Shared hash banks and the change feed" section of {@code postgres.md}. It
 * needs a database, so it is compiled by the build but not run here; the moderation-postgres
 * module's integration tests (BankStoreTest, BankFollowerTest) run the same calls on a real server.
 */
final class PostgresBanksGuideTest {
  private PostgresBanksGuideTest() {}

  static BankFollower follow(HaetaePostgres pg) {
    // region follow
    HashBanks banks = HashBanks.inMemory();
    BankFollower follower = pg.followBanks(banks, Duration.ofSeconds(5)); // LISTEN, and a poll every 5 s
    follower.connect(BankConfig.builder("victim-submitted", Category.NCII)
        .pdqDistance(31)                   // the same configuration on every instance
        .build());                         // loads the active entries, then follows the bank
    // banks.match(...) now sees every add, withdrawal and deletion that any instance commits
    // endregion
    return follower;
  }

  static void write(HaetaePostgres pg, String submittedHex) {
    // region write
    BankStore victims = pg.bankStore("victim-submitted", Category.NCII);
    victims.add(MatchType.PDQ, submittedHex, Instant.now(), "case-8841"); // matches everywhere soon
    victims.withdraw(MatchType.PDQ, submittedHex);     // the victim withdrew: stops matching everywhere
    // endregion
  }

  static void bulk(HaetaePostgres pg, List<HashBankSource.Entry> entries) {
    // region import
    BankStore stopncii = pg.bankStore("stopncii", Category.NCII);
    ImportReport report = stopncii.importEntries(entries);   // 5,000 entries per transaction
    for (ImportReport.Problem p : report.problems()) {
      System.err.println("entry " + p.line() + ": " + p.message());   // e.g. "... is all zeros ..."
    }
    // endregion
  }

  static OptionalDouble precision(HashBanks banks, BankStore stopncii, String entryHex) {
    // region feedback
    banks.feedback("stopncii", entryHex, true);       // a reviewer on this instance confirmed a match
    // ... written in the background; any instance can read the counts of all of them
    BankEntry entry = stopncii.entry(MatchType.PDQ, entryHex).orElseThrow();
    OptionalDouble precision = entry.precision();     // confirmed / (confirmed + deconfirmed)
    // endregion
    return precision;
  }
}

package dev.haetae.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.MatchType;
import dev.haetae.moderation.api.Pdq;
import dev.haetae.moderation.api.PdqHash;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.spi.Pseudonymizer;
import dev.haetae.moderation.core.audit.Pseudonymizers;
import dev.haetae.moderation.core.hash.BankConfig;
import dev.haetae.moderation.core.hash.EntryInfo;
import dev.haetae.moderation.core.hash.FloodPolicy;
import dev.haetae.moderation.core.hash.HashBanks;
import dev.haetae.moderation.core.hash.ImportReport;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The code quoted in {@code banks.md}; kept compiling and passing by the build. */
class BanksGuideTest {

  static final String VICTIM = "d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22";
  static final String MEME = "f8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b23";

  @Test
  void snapshot(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws IOException {
    HashBanks running = HashBanks.inMemory();
    running.add("stopncii", Category.NCII, MatchType.PDQ, VICTIM);
    // region snapshot
    // at shut-down (or every few minutes), write each bank's snapshot beside the other state
    java.nio.file.Path file = dir.resolve("stopncii.snapshot");
    running.writeSnapshot("stopncii", file);

    // a new instance starts from it: no index build, nothing reloaded
    HashBanks banks = HashBanks.inMemory();
    banks.restore(BankConfig.builder("stopncii", Category.NCII).build(), file);
    // a bank fed by a source starts with banks.connect(source, config, file, ImportOptions.defaults()),
    // which then pulls only the source's changes since the snapshot
    // endregion
    assertEquals(running.bank("stopncii").versionString(), banks.bank("stopncii").versionString());
    assertEquals(1, banks.match(Fingerprints.none().withPdq(new Pdq(PdqHash.fromHex(VICTIM), 100, List.of()))).size());
  }

  @Test
  void guide() throws IOException {
    // region define
    HashBanks banks = HashBanks.inMemory();
    banks.define(BankConfig.builder("known-benign", Category.OTHER)
        .allowList(true)                       // never matches by itself
        .pdqDistance(8)
        .build());
    banks.define(BankConfig.builder("stopncii", Category.NCII)
        .source("stopncii.org hash exchange")
        .types(MatchType.PDQ, MatchType.VIDEO_MD5)
        .pdqDistance(31)                       // per bank
        .minPdqQuality(50)                     // ignore unreliable query hashes
        .negativeBanks("known-benign")         // entries there suppress matches here
        .flood(new FloodPolicy(Duration.ofHours(1), 50, 10, true))
        .build());
    banks.define(BankConfig.builder("victim-submitted", Category.NCII)
        .matchRatio(0.10)                      // staged rollout: 10% of matches, review only
        .build());
    // endregion

    // region import
    String csv = """
        hash,signal_type,added_at,case_id,status
        %s,pdq,2026-01-05T00:00:00Z,SN-1001,active
        0000000000000000000000000000000000000000000000000000000000000000,pdq,,,active
        """.formatted(VICTIM);
    ImportReport report = banks.bank("stopncii").importCsv(new StringReader(csv), "stopncii.csv");
    for (ImportReport.Problem p : report.problems()) {
      System.err.println("stopncii.csv:" + p.line() + ": " + p.message());   // line 3: all zeros
    }
    // endregion
    assertEquals(1, report.applied());
    assertEquals(3, report.problems().get(0).line());

    // region match
    PdqHash uploaded = PdqHash.fromHex(VICTIM.substring(0, 63) + "3");       // one bit off
    Fingerprints fp = Fingerprints.none().withPdq(new Pdq(uploaded, 92, List.of()));
    List<Signal.HashMatch> matches = banks.match(fp);
    Signal.HashMatch m = matches.get(0);
    // m.bank() "stopncii", m.distance() 1, m.maxDistance() 31, m.category() NCII, m.reviewOnly() false
    Map<String, String> versions = banks.versions();   // {"bank:stopncii": "1-<digest>", ...} in Evidence
    // endregion
    assertEquals("stopncii", m.bank());
    assertEquals(1, m.distance());
    assertTrue(versions.get("bank:stopncii").startsWith("1-"));

    // region lifecycle
    EntryInfo after = banks.feedback("stopncii", m.entry(), true);   // a reviewer confirmed it
    after.precision();                                               // OptionalDouble[1.0]
    banks.withdraw("stopncii", MatchType.PDQ, VICTIM);               // stops matching at once
    banks.delete("stopncii", MatchType.PDQ, VICTIM);                 // and is purged
    banks.bank("stopncii").compact();                                // now, rather than later
    // endregion
    assertEquals(List.of(), banks.match(fp));

    // region removals
    banks.addToBank("platform-removals", Category.NCII, fp);         // block re-uploads
    StringWriter out = new StringWriter();
    banks.bank("platform-removals").exportCsv(out);
    // endregion
    assertTrue(out.toString().startsWith("hash,signal_type,added_at,case_id,status\n" + uploaded.toHex() + ",pdq,"));
    assertEquals(1, banks.match(fp).size());

    // region entryCategory
    Fingerprints nude = Fingerprints.none().withPdq(new Pdq(PdqHash.fromHex(MEME), 95, List.of()));
    banks.addFingerprints("platform-removals", Category.CSAM, fp,
        "review_violating on review verdict violating csam (decision d-17)");
    banks.addFingerprints("platform-removals", Category.NCII, nude,
        "review_violating on review verdict violating ncii (decision d-42)");
    Signal.HashMatch hit = banks.match(nude).get(0);          // hit.category() NCII: its own entry's
    EntryInfo entry = banks.bank("platform-removals").entry(MatchType.PDQ, MEME).orElseThrow();
    // entry.category() NCII, entry.reason() "review_violating on review verdict violating ncii (decision d-42)"
    // endregion
    assertEquals(Category.NCII, hit.category());
    assertEquals(Category.CSAM, banks.match(fp).get(0).category());
    assertTrue(entry.reason().orElseThrow().contains("d-42"));

    // region entryUploader
    // the engine banks removed content with its poster's keyed pseudonym, never the raw account id
    Pseudonymizer keys = Pseudonymizers.hmacSha256("key-2026", secretKeyFromYourVault());
    String poster = keys.keyId() + ":" + keys.pseudonymize("account", "acct-991");
    banks.addFingerprints("platform-removals", Category.NCII, nude, "review_violating (decision d-43)", poster);
    EntryInfo banked = banks.bank("platform-removals").entry(MatchType.PDQ, MEME).orElseThrow();
    // banked.uploader() Optional[key-2026:...]: the first uploader recorded for an active entry is kept
    // endregion
    assertEquals(java.util.Optional.of(poster), banked.uploader());
    assertFalse(poster.contains("acct-991"));
    banks.addFingerprints("platform-removals", Category.NCII, nude, "again", keys.keyId() + ":other");
    assertEquals(java.util.Optional.of(poster), banks.bank("platform-removals").entry(MatchType.PDQ, MEME)
        .orElseThrow().uploader());
  }

  @Test
  void variantDistance() {
    PdqHash banked = PdqHash.fromHex(VICTIM);
    PdqHash upload = PdqHash.fromHex("27070f311f0b57b0" + VICTIM.substring(16)); // 64 bits away
    PdqHash turn = PdqHash.fromHex("270" + VICTIM.substring(3)); // a variant 12 bits away
    assertEquals(12, turn.distance(banked));
    // region variantDistance
    HashBanks banks = HashBanks.inMemory();
    banks.define(BankConfig.builder("stopncii", Category.NCII)
        .pdqDistance(31)                 // the upload's own hash
        .pdqVariantDistance(21)          // its turns, trims, blurs and paint-outs: a tenth of the probes
        .build());
    banks.add("stopncii", Category.NCII, MatchType.PDQ, VICTIM);
    Pdq pdq = new Pdq(upload, 90, List.of(turn));
    List<Signal.HashMatch> matches = banks.match(Fingerprints.none().withPdq(pdq));
    // matches.get(0).distance() == 12: the variant is within 21 of the entry
    // endregion
    assertEquals(1, matches.size());
    assertEquals(12, matches.get(0).distance());
    assertEquals(31, matches.get(0).maxDistance(), "the evidence keeps the bank's distance");
    assertTrue(upload.distance(banked) > 31);
    banks.define(banks.bank("stopncii").config().toBuilder().pdqVariantDistance(10).build());
    assertTrue(banks.match(Fingerprints.none().withPdq(pdq)).isEmpty(), "12 bits is beyond a variant distance of 10");
  }

  private static byte[] secretKeyFromYourVault() {
    return "a secret of at least 32 bytes...".getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }
}

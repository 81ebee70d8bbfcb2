package dev.haetae.moderation.core.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ConfigurationException;
import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.InvalidRequestException;
import dev.haetae.moderation.api.MatchType;
import dev.haetae.moderation.api.Pdq;
import dev.haetae.moderation.api.PdqHash;
import java.util.List;
import org.junit.jupiter.api.Test;

class SharedVersionCounterTest {
  private static final String HEX = "d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22";

  @Test
  void twoInstancesWithTheSameContentsButDifferentHistoriesReportTheSameSharedVersion() {
    HashBanks a = HashBanks.inMemory();
    a.add("x", Category.NCII, MatchType.PDQ, HEX);
    HashBanks b = HashBanks.inMemory();
    b.add("x", Category.NCII, MatchType.PDQ, HEX);
    b.add("x", Category.NCII, MatchType.MD5, "0123456789abcdef0123456789abcdef");
    b.withdraw("x", MatchType.MD5, "0123456789abcdef0123456789abcdef");
    // local counters differ (1 against 3), digests agree
    assertEquals(a.versions().get("bank:x").split("-")[1], b.versions().get("bank:x").split("-")[1]);
    assertEquals("1", a.versions().get("bank:x").split("-")[0]);

    a.shareVersionCounter("x", 7);
    b.shareVersionCounter("x", 7);
    assertEquals(a.versions(), b.versions());
    assertEquals("7", a.versions().get("bank:x").split("-")[0]);

    Fingerprints fp = Fingerprints.none().withPdq(new Pdq(PdqHash.fromHex(HEX), 100, List.of()));
    assertEquals(7, a.match(fp).get(0).bankVersion());
    assertEquals(7, b.match(fp).get(0).bankVersion());
  }

  @Test
  void refusesUnknownBanksAndNegativeCounters() {
    HashBanks a = HashBanks.inMemory();
    assertThrows(ConfigurationException.class, () -> a.shareVersionCounter("nope", 1));
    a.add("x", Category.NCII, MatchType.PDQ, HEX);
    assertThrows(InvalidRequestException.class, () -> a.shareVersionCounter("x", -1));
  }
}

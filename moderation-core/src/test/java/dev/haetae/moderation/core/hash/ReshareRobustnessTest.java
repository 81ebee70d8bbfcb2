package dev.haetae.moderation.core.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.Pdq;
import dev.haetae.moderation.api.PdqHash;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Re-share robustness on the copied corpus subset (three originals with every edit): the query
 * variants must recover the edits the issue requires, against the original's reference hash, and
 * the originals must not match each other. The full measurement on the whole corpus is
 * {@code haetae hash-robustness DIR}.
 */
class ReshareRobustnessTest {
  private static final int THRESHOLD = 31;
  private static final List<String> EDITS =
      List.of("half", "q40", "bright", "gray", "mirror", "rot90", "screenshot");

  private static boolean matches(Pdq query, PdqHash target) {
    return query.hash().distance(target) <= THRESHOLD
        || query.queryVariants().stream().anyMatch(v -> v.distance(target) <= THRESHOLD);
  }

  @Test
  void requiredEditsAreRecoveredAndOriginalsStayApart() {
    Map<String, PdqHash> reference = new LinkedHashMap<>();
    for (TestData.Row row : TestData.rows("corpus/reference-pdq.csv")) {
      reference.put(row.file(), row.hash());
    }
    ImageHasher hasher = ImageHasher.create();
    List<String> originals = List.of("kay", "storm", "city");
    int plain = 0;
    int haetae = 0;
    for (String original : originals) {
      PdqHash target = reference.get("corpus/originals/" + original + ".jpg");
      for (String edit : EDITS) {
        String file = "corpus/variants/" + original + "--" + edit + ".jpg";
        Pdq query = hasher.fingerprint(TestData.bytes(file)).pdq().orElseThrow();
        assertTrue(matches(query, target), file + " not recovered");
        haetae++;
        if (reference.get(file).distance(target) <= THRESHOLD) {
          plain++;
        }
      }
      String png = "corpus/variants/" + original + "--reencode.png";
      if (reference.containsKey(png)) {
        assertTrue(matches(hasher.fingerprint(TestData.bytes(png)).pdq().orElseThrow(), target), png);
      }
      for (String other : originals) {
        if (!other.equals(original)) {
          Pdq query = hasher.fingerprint(TestData.bytes("corpus/originals/" + original + ".jpg")).pdq().orElseThrow();
          assertFalse(matches(query, reference.get("corpus/originals/" + other + ".jpg")), original + " ~ " + other);
        }
      }
    }
    assertEquals(originals.size() * EDITS.size(), haetae);
    assertTrue(plain < haetae, "plain PDQ recovers " + plain + " of " + haetae);
  }

  @Test
  void bankVariantsRecoverCentreCropsWithoutJoiningOriginals() throws Exception {
    ImageHasher hasher = ImageHasher.create();
    List<String> originals = List.of("kay", "storm", "city");
    Map<String, List<PdqHash>> banks = new LinkedHashMap<>();
    for (String original : originals) {
      byte[] bytes = TestData.bytes("corpus/originals/" + original + ".jpg");
      List<PdqHash> extra = hasher.bankVariants(bytes);
      assertFalse(extra.isEmpty(), original);
      assertTrue(extra.size() <= 2, original);
      PdqHash own = hasher.fingerprint(bytes).pdq().orElseThrow().hash();
      assertFalse(extra.contains(own), original);
      java.awt.image.BufferedImage image =
          javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(bytes));
      // The bytes take the half-scale JPEG decode (the default), the decoded image is hashed at full
      // size: the same crops, within the match threshold of each other (storm, a smooth gradient:
      // 24 bits); with the switch off they are equal.
      List<PdqHash> fromImage = hasher.bankVariants(image);
      assertEquals(extra.size(), fromImage.size(), original + ": bytes and decoded image agree");
      for (int k = 0; k < extra.size(); k++) {
        int bits = extra.get(k).distance(fromImage.get(k));
        assertTrue(bits <= 31, original + ": crop " + k + " from the bytes " + bits + " bits from the decoded image's");
      }
      ImageHasher imageIo = ImageHasher.builder().halfScaleJpeg(false).build();
      assertEquals(imageIo.bankVariants(bytes), imageIo.bankVariants(image), original + ": switch off, equal");
      banks.put(original, extra);
    }
    for (String original : originals) {
      Pdq crop = hasher.fingerprint(TestData.bytes("corpus/variants/" + original + "--crop10.jpg"))
          .pdq().orElseThrow();
      assertTrue(banks.get(original).stream().anyMatch(b -> matches(crop, b)), original + "--crop10");
      for (String other : originals) {
        if (!other.equals(original)) {
          Pdq query = hasher.fingerprint(TestData.bytes("corpus/originals/" + other + ".jpg")).pdq().orElseThrow();
          assertFalse(banks.get(original).stream().anyMatch(b -> matches(query, b)), other + " ~ " + original);
        }
      }
    }
  }
}

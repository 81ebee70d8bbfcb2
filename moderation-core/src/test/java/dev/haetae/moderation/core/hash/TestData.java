package dev.haetae.moderation.core.hash;

import dev.haetae.moderation.api.PdqHash;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Loads the copied test images and reference rows from the test class path. */
final class TestData {
  private TestData() {}

  record Row(PdqHash hash, int quality, String file) {}

  static byte[] bytes(String resource) {
    try (InputStream in = TestData.class.getResourceAsStream("/pdq/" + resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource " + resource);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Rows of a reference CSV; {@code file} is prefixed with the CSV's directory. */
  static List<Row> rows(String csv) {
    String dir = csv.substring(0, csv.lastIndexOf('/') + 1);
    List<Row> rows = new ArrayList<>();
    for (String line : new String(bytes(csv), StandardCharsets.UTF_8).split("\n")) {
      String[] f = line.trim().split(",", 3);
      if (f.length == 3 && !f[0].equals("hash")) {
        rows.add(new Row(PdqHash.fromHex(f[0]), Integer.parseInt(f[1]), dir + f[2]));
      }
    }
    return rows;
  }

  static List<Row> allRows() {
    List<Row> all = new ArrayList<>(rows("threatexchange/reference-pdq-java.csv"));
    all.addAll(rows("corpus/reference-pdq.csv"));
    return all;
  }
}

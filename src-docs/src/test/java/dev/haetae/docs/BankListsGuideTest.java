package dev.haetae.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.spi.HashBankSource;
import dev.haetae.moderation.core.banks.BankSources;
import dev.haetae.moderation.core.banks.HashListFormat;
import dev.haetae.moderation.core.hash.BankConfig;
import dev.haetae.moderation.core.hash.HashBanks;
import dev.haetae.moderation.core.hash.HashListException;
import dev.haetae.moderation.core.hash.ImportOptions;
import dev.haetae.moderation.core.hash.ImportReport;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The code quoted in the hash-list sections of {@code banks.md}; kept compiling and passing by the build. */
class BankListsGuideTest {
  static final String VICTIM = "d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22";

  @Test
  void importsReportEverything(@TempDir Path banksDir) throws IOException {
    Files.writeString(banksDir.resolve("ncmec.xml"), """
        <?xml version="1.0" encoding="UTF-8"?>
        <queryResult xmlns="https://hashsharing.ncmec.org/hashsharing/v2">
          <images count="1" maxTimestamp="2026-01-05T00:00:00Z">
            <image><member id="1">m</member><timestamp>2026-01-05T00:00:00Z</timestamp><id>img-1</id>
              <fingerprints><md5>a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1</md5><pdna>AAECAwQ=</pdna></fingerprints></image>
          </images>
        </queryResult>
        """);
    Files.writeString(banksDir.resolve("removals.csv"), "case_id,hash,signal_type\nR-1," + VICTIM + ",pdq\n");
    Path file = banksDir.resolve("ncmec.xml");

    // region load
    HashBanks banks = HashBanks.load(banksDir);        // fails when a file contributed nothing
    ImportReport report = banks.importFile(file, "ncmec");
    System.err.println(report.summary());              // ncmec.xml: 2 read, 0 added, ... 2 unchanged, 1 foreign kept, 0 skipped
    for (ImportReport.Problem p : report.problems()) {
      System.err.println(file + ":" + p.line() + ": " + p.kind() + ": " + p.message());
    }
    // endregion
    assertEquals(2, report.read());
    assertEquals(2, report.unchanged());
    assertEquals(1, report.foreign());

    // region foreign
    for (HashBankSource.ForeignEntry e : banks.foreignEntries("ncmec")) {
      e.signalType();                                  // "photodna": kept, reported, not matched
    }
    // endregion
    assertEquals("photodna", banks.foreignEntries("ncmec").get(0).signalType());

    Path list = banksDir.resolve("removals.csv");
    Files.writeString(list, "hash,signal_type\n" + VICTIM + ",pdq\nnothex,sha256\n");
    // region strict
    try {
      banks.importFile(list, "removals", ImportOptions.defaults().strict(true));
    } catch (HashListException e) {
      e.line();                                        // 3: nothing of the file was applied
      e.kind();                                        // NOT_HEX
    }
    // endregion
    assertThrows(HashListException.class,
        () -> banks.importFile(list, "removals", ImportOptions.defaults().strict(true)));

    // region changes
    List<ImportReport.Change> forTheLog = new ArrayList<>();
    ImportReport r = banks.importFile(list, "platform", ImportOptions.defaults().onChange(forTheLog::add));
    for (ImportReport.Change c : forTheLog) {
      // c.kind() ADDED, c.bank() "platform", c.signalType() "pdq", c.hash(), c.category(), c.caseId()
    }
    // endregion
    assertEquals(1, forTheLog.size());
    assertEquals(1, r.skipped());

    // region export
    StringWriter out = new StringWriter();
    long leftOut = banks.export("platform", HashListFormat.STOPNCII, out);   // ImagePDQ records, "Active"
    // endregion
    assertEquals(0, leftOut);
    assertTrue(out.toString().contains("\"ImagePDQ\""));
  }

  @Test
  void syncsFromAProgramme() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/v1/FetchHashes", ex -> {
      String q = ex.getRequestURI().getRawQuery();
      boolean first = q.contains("startTimestamp=0&");
      String body = "{\"count\":1,\"nextPageToken\":null,\"nextSetTimestamp\":1767657600,\"hasMoreRecords\":false,"
          + "\"hashRecords\":[{\"lastModtimestamp\":1767571300,\"signalType\":\"ImagePDQ\",\"hashValue\":\"" + VICTIM
          + "\",\"hashStatus\":\"" + (first ? "Active" : "Withdrawn") + "\",\"caseNumbers\":{\"SN-1\":\"Active\"}}]}";
      byte[] b = body.getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, b.length);
      try (OutputStream os = ex.getResponseBody()) {
        os.write(b);
      }
    });
    server.start();
    try {
      URI stopNciiApi = URI.create("http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":"
          + server.getAddress().getPort() + "/v1");
      String subscriptionKey = "k";
      String fetchKey = "f";
      // region sync
      HashBanks banks = HashBanks.inMemory();
      HashBankSource stopncii = BankSources.stopNcii("stopncii", stopNciiApi,
          Map.of("Ocp-Apim-Subscription-Key", subscriptionKey, "x-functions-key", fetchKey));
      ImportReport loaded = banks.connect(stopncii, BankConfig.builder("stopncii", Category.NCII).build());
      // later, on a schedule: only what changed since the last checkpoint
      ImportReport changes = banks.refresh("stopncii");
      changes.withdrawn();                             // 1: the person withdrew the image
      // endregion
      assertEquals(1, loaded.added());
      assertEquals(1, changes.withdrawn());
      assertFalse(banks.bank("stopncii").size() > 0);
    } finally {
      server.stop(0);
    }
  }
}

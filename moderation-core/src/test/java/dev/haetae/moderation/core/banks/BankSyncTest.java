package dev.haetae.moderation.core.banks;

import static dev.haetae.moderation.core.banks.HashListFormatsTest.P1;
import static dev.haetae.moderation.core.banks.HashListFormatsTest.P2;
import static dev.haetae.moderation.core.banks.HashListFormatsTest.matches;
import static dev.haetae.moderation.core.banks.HashListFormatsTest.matchesMd5;
import static dev.haetae.moderation.core.banks.HashListFormatsTest.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ConfigurationException;
import dev.haetae.moderation.api.spi.HashBankSource;
import dev.haetae.moderation.api.spi.HashBankSource.ForeignEntry;
import dev.haetae.moderation.core.hash.BankConfig;
import dev.haetae.moderation.core.hash.HashBanks;
import dev.haetae.moderation.core.hash.ImportReport;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Incremental sync of each programme against a local HTTP server (loopback only) that serves pages
 * the way the programme documents them: paging, checkpoints, deletions, feedback going back, and a
 * failed sync that is repeated from the old checkpoint.
 */
class BankSyncTest {
  private HttpServer server;
  private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
  private volatile Function<Request, Reply> handler = r -> new Reply(404, "");

  record Request(String method, String path, Map<String, String> query, String body, Map<String, List<String>> headers) {}

  record Reply(int status, String body) {}

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::serve);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void serve(HttpExchange ex) throws IOException {
    String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    Map<String, String> query = new HashMap<>();
    String raw = ex.getRequestURI().getRawQuery();
    if (raw != null) {
      for (String kv : raw.split("&")) {
        int eq = kv.indexOf('=');
        query.put(URLDecoder.decode(eq < 0 ? kv : kv.substring(0, eq), StandardCharsets.UTF_8),
            eq < 0 ? "" : URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    Request req = new Request(ex.getRequestMethod(), ex.getRequestURI().getPath(), query, body,
        Map.copyOf(ex.getRequestHeaders()));
    requests.add(req);
    Reply reply = handler.apply(req);
    byte[] out = reply.body().getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(reply.status(), out.length == 0 ? -1 : out.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(out);
    }
  }

  private URI base(String path) {
    return URI.create("http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + server.getAddress().getPort()
        + path);
  }

  private static Reply ok(String body) {
    return new Reply(200, body);
  }

  private static String fixture(String name) {
    try {
      return text(name);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void stopNciiPagesByTokenKeepsTheTimestampCheckpointAndSendsFeedback() {
    String page3 = "{\"count\":1,\"nextPageToken\":null,\"nextSetTimestamp\":1767700000,\"hasMoreRecords\":false,"
        + "\"hashRecords\":[{\"lastModtimestamp\":1767690000,\"signalType\":\"ImagePDQ\",\"hashValue\":\"" + P1
        + "\",\"hashStatus\":\"Active\",\"caseNumbers\":{\"SN-1001\":\"Active\"}}]}";
    boolean[] fail = {false};
    handler = r -> {
      if (r.path().equals("/v1/SubmitFeedback")) {
        return ok("{}");
      }
      if (!r.path().equals("/v1/FetchHashes")) {
        return new Reply(404, "");
      }
      if (fail[0]) {
        return new Reply(503, "busy");
      }
      if ("page-2".equals(r.query().get("nextPageToken"))) {
        return ok(fixture("stopncii-page2.json"));
      }
      return ok(r.query().get("startTimestamp").equals("0") ? fixture("stopncii-page1.json") : page3);
    };
    HashBankSource src = BankSources.stopNcii("stopncii", base("/v1"), Map.of("Ocp-Apim-Subscription-Key", "k1",
        "x-functions-key", "k2"));
    HashBanks banks = HashBanks.inMemory();
    ImportReport load = banks.connect(src, BankConfig.builder("stopncii", Category.NCII).build());
    assertEquals(List.of("0", "0"), fetches("startTimestamp"));
    assertEquals("page-2", requests.get(1).query().get("nextPageToken"));
    assertEquals(List.of("k1"), requests.get(0).headers().get("Ocp-apim-subscription-key"));
    assertEquals(3L, load.skippedByKind().get(ProblemKind.UNKNOWN_STATUS));
    assertFalse(matches(banks, P1), "withdrawn on page 2");
    assertTrue(matches(banks, P2), "received on page 1");
    assertFalse(matchesMd5(banks, "b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1"), "deleted on page 2");
    assertEquals(List.of("tmk"), banks.foreignEntries("stopncii").stream().map(ForeignEntry::signalType).toList());

    banks.feedback("stopncii", P2, true);
    requests.clear();
    ImportReport changes = banks.refresh("stopncii");
    assertEquals("/v1/SubmitFeedback", requests.get(0).path());
    assertTrue(requests.get(0).body().contains("\"hashValue\":\"" + P2 + "\""), requests.get(0).body());
    assertTrue(requests.get(0).body().contains("\"feedbackValue\":\"Blocked\""), requests.get(0).body());
    assertEquals(List.of("1767657600"), fetches("startTimestamp"), "the last page's nextSetTimestamp");
    assertEquals(1, changes.changed(), "re-activated");
    assertTrue(matches(banks, P1));

    fail[0] = true;
    requests.clear();
    ConfigurationException e = assertThrows(ConfigurationException.class, () -> banks.refresh("stopncii"));
    assertTrue(e.getMessage().contains("HTTP 503"), e.getMessage());
    fail[0] = false;
    requests.clear();
    banks.refresh("stopncii");
    assertEquals(List.of("1767700000"), fetches("startTimestamp"), "a failed sync does not move the checkpoint");
  }

  private List<String> fetches(String param) {
    List<String> out = new ArrayList<>();
    for (Request r : requests) {
      if (r.path().endsWith("FetchHashes")) {
        out.add(r.query().get(param));
      }
    }
    return out;
  }

  @Test
  void ncmecFollowsPagingAndDeletesById() {
    Instant now = Instant.parse("2026-02-01T00:00:00Z");
    handler = r -> {
      if (!r.path().equals("/hashsharing/v2/entries")) {
        return new Reply(404, "");
      }
      if ("2001".equals(r.query().get("start"))) {
        return ok(fixture("ncmec-page2.xml"));
      }
      if (r.query().get("from").equals("1970-01-01T00:00:00Z")) {
        return ok(fixture("ncmec-page1.xml"));
      }
      return ok("<?xml version=\"1.0\"?><queryResult xmlns=\"https://hashsharing.ncmec.org/hashsharing/v2\"/>");
    };
    HashBankSource src = BankSources.ncmec("ncmec", base("/hashsharing"), Map.of("Authorization", "Basic dTpw"),
        Clock.fixed(now, ZoneOffset.UTC));
    HashBanks banks = HashBanks.inMemory();
    ImportReport load = banks.connect(src, BankConfig.builder("ncmec", Category.CSAM).build());
    assertEquals(2, requests.size());
    assertEquals("2026-02-01T00:00:00Z", requests.get(0).query().get("to"));
    assertEquals(1L, load.skippedByKind().get(ProblemKind.BAD_TIME));
    assertFalse(matchesMd5(banks, "a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2"), "deletedImage image2");
    assertTrue(matchesMd5(banks, "a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1"));
    assertFalse(matches(banks, P1), "image1's update no longer carries the PDQ hash");
    assertEquals(List.of("tmk"), banks.foreignEntries("ncmec").stream().map(ForeignEntry::signalType).toList(),
        "image1's sha1 and PhotoDNA left with its update; video1's TMK link stays");
    requests.clear();
    banks.refresh("ncmec");
    assertEquals("2026-02-01T00:00:00Z", requests.get(0).query().get("from"), "the previous sync's to");
  }

  @Test
  void tcapFollowsCheckpointsAndHonoursDeletions() {
    handler = r -> {
      if (!r.path().equals("/api/hash-list/v2/all")) {
        return new Reply(404, "");
      }
      assertEquals("asc", r.query().get("order"));
      switch (r.query().get("after")) {
        case "":
          return ok(fixture("tcap-page1.json"));
        case "1704901040.25555,2821":
          return ok(fixture("tcap-page2.json"));
        default:
          return ok("{\"count\":0,\"next\":null,\"previous\":null,\"checkpoint\":\"1704987440.5,2830\",\"results\":[]}");
      }
    };
    HashBankSource src = BankSources.tcap("tcap", base("/"), Map.of("Authorization", "Bearer t"));
    HashBanks banks = HashBanks.inMemory();
    ImportReport load = banks.connect(src, BankConfig.builder("tcap", Category.TERRORISM).build());
    assertEquals(1L, load.skippedByKind().get(ProblemKind.NOT_HEX));
    assertEquals(1, load.deleted());
    assertTrue(matches(banks, P1));
    assertFalse(matchesMd5(banks, "0123456789abcdef0123456789abcdef"));
    assertEquals(List.of("photodna"), banks.foreignEntries("tcap").stream().map(ForeignEntry::signalType).toList());
    requests.clear();
    ImportReport changes = banks.refresh("tcap");
    assertEquals("1704987440.5,2830", requests.get(0).query().get("after"));
    assertEquals(0, changes.read());
  }

  @Test
  void threatExchangeUpdatesFollowNextOnlyOnTheSameServer() {
    Instant now = Instant.parse("2026-02-01T00:00:00Z");
    String[] next = {base("/v19.0/12345/threat_updates?after=MTAwNQ").toString()};
    handler = r -> {
      if (!r.path().equals("/v19.0/12345/threat_updates")) {
        return new Reply(404, "");
      }
      if ("MTAwNQ".equals(r.query().get("after"))) {
        return ok("{\"data\":[],\"paging\":{}}");
      }
      String page = fixture("threatexchange-updates.json");
      return ok(page.replace("\"paging\": {\"cursors\": {\"after\": \"MTAwNQ\"}}",
          "\"paging\": {\"cursors\": {\"after\": \"MTAwNQ\"}, \"next\": \"" + next[0] + "\"}"));
    };
    HashBankSource src = BankSources.threatExchange("te", Category.NCII, base("/v19.0"), "12345",
        Map.of("Authorization", "OAuth t"), Clock.fixed(now, ZoneOffset.UTC));
    HashBanks banks = HashBanks.inMemory();
    ImportReport load = banks.connect(src, BankConfig.builder("te", Category.NCII).build());
    assertEquals(2, requests.size());
    assertEquals("0", requests.get(0).query().get("start_time"));
    assertEquals(String.valueOf(now.getEpochSecond()), requests.get(0).query().get("stop_time"));
    assertEquals(1, load.added());
    assertEquals(1L, load.skippedByKind().get(ProblemKind.UNKNOWN_STATUS));
    assertTrue(matches(banks, P1));

    next[0] = "http://example.invalid/v19.0/12345/threat_updates?after=MTAwNQ";
    requests.clear();
    ConfigurationException e = assertThrows(ConfigurationException.class, () -> banks.refresh("te"));
    assertTrue(e.getMessage().contains("leaves"), e.getMessage());
    assertEquals(1, requests.size(), "the foreign next page was never requested");
    assertEquals(String.valueOf(now.getEpochSecond()), requests.get(0).query().get("start_time"));
  }
}

package dev.haetae.moderation.core.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A local stand-in for the DSA Transparency Database's {@code POST /api/v1/statements}, answering
 * as its API documentation says the real one does: {@code 401} without the right bearer token;
 * {@code 422} with {@code {"message":...,"errors":{"statement_N":{field:[reasons]}}}} and nothing
 * created when any statement breaks a rule (the same validator the exporter uses, plus the
 * platform-wide uniqueness of {@code puid}: "The identifier given is not unique within this
 * platform."); {@code 201} with the created statements otherwise. Scripted answers (e.g. 429, 503)
 * can be queued before the real ones.
 */
final class FakeTransparencyDatabase implements AutoCloseable {
  static final String TOKEN = "test-token-123";
  private final HttpServer server;
  final Set<String> stored = new LinkedHashSet<>();
  final Deque<Integer> scripted = new ArrayDeque<>();
  /** Scripted answers with their bodies, taken before {@link #scripted}. */
  final Deque<Map.Entry<Integer, String>> scriptedBodies = new ArrayDeque<>();
  final List<Integer> answered = new ArrayList<>();
  int largestBatch;

  FakeTransparencyDatabase() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(SorSubmission.PATH, this::handle);
    server.start();
  }

  URI base() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private synchronized void handle(HttpExchange x) throws IOException {
    try (x) {
      byte[] in = x.getRequestBody().readAllBytes();
      if (!scriptedBodies.isEmpty()) {
        Map.Entry<Integer, String> a = scriptedBodies.poll();
        answer(x, a.getKey(), a.getValue());
        return;
      }
      if (!scripted.isEmpty()) {
        int s = scripted.poll();
        x.getResponseHeaders().add("Retry-After", "2");
        answer(x, s, "{\"message\":\"scripted\"}");
        return;
      }
      if (!"POST".equals(x.getRequestMethod())) {
        answer(x, 405, "{\"message\":\"method not allowed\"}");
        return;
      }
      if (!("Bearer " + TOKEN).equals(x.getRequestHeaders().getFirst("Authorization"))) {
        answer(x, 401, "{\"message\":\"Unauthenticated.\"}");
        return;
      }
      JsonNode body;
      try {
        body = Frames.JSON.readTree(in);
      } catch (IOException e) {
        body = null;
      }
      JsonNode list = body == null ? null : body.get("statements");
      if (list == null || !list.isArray() || list.isEmpty() || list.size() > StatementsOfReasons.MAX_BATCH) {
        answer(x, 422, "{\"message\":\"The statements field must be an array of 1 to 100 statements.\","
            + "\"errors\":{\"statements\":[\"The statements field must be an array of 1 to 100 statements.\"]}}");
        return;
      }
      largestBatch = Math.max(largestBatch, list.size());
      ObjectNode errors = Frames.JSON.createObjectNode();
      Set<String> inBatch = new LinkedHashSet<>();
      for (int i = 0; i < list.size(); i++) {
        JsonNode s = list.get(i);
        Map<String, List<String>> byField = new LinkedHashMap<>();
        for (StatementsOfReasons.Violation v : StatementsOfReasons.validate(s, Set.of())) {
          byField.computeIfAbsent(v.field(), k -> new ArrayList<>()).add("The " + v + ".");
        }
        String puid = s.path("puid").asText("");
        if (stored.contains(puid) || !inBatch.add(puid)) {
          byField.computeIfAbsent("puid", k -> new ArrayList<>())
              .add("The identifier given is not unique within this platform.");
        }
        if (!byField.isEmpty()) {
          ObjectNode e = errors.putObject("statement_" + i);
          byField.forEach((f, msgs) -> {
            ArrayNode a = e.putArray(f);
            msgs.forEach(a::add);
          });
        }
      }
      if (!errors.isEmpty()) {
        ObjectNode out = Frames.JSON.createObjectNode();
        out.put("message", "Some statements are invalid.");
        out.set("errors", errors);
        answer(x, 422, Frames.JSON.writeValueAsString(out));
        return;
      }
      ObjectNode out = Frames.JSON.createObjectNode();
      ArrayNode created = out.putArray("statements");
      for (JsonNode s : list) {
        stored.add(s.get("puid").asText());
        ((ObjectNode) created.add(s.deepCopy()).get(created.size() - 1)).put("uuid", UUID.randomUUID().toString());
      }
      answer(x, 201, Frames.JSON.writeValueAsString(out));
    }
  }

  private void answer(HttpExchange x, int status, String body) throws IOException {
    answered.add(status);
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().add("Content-Type", "application/json");
    x.sendResponseHeaders(status, b.length);
    try (OutputStream o = x.getResponseBody()) {
      o.write(b);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

package dev.haetae.moderation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code haetae submit-sor} on the quickstart's log, against a local server that checks the bearer
 * token and answers 201 (the protocol's other answers are tested in core's {@code SorSubmissionTest}):
 * the statements arrive, the checkpoint makes a second run send nothing, a refused token stops with
 * exit code 4 and a missing token file is a usage error.
 */
class SubmitSorCommandTest {

  private static int run(StringWriter err, String... args) {
    CommandLine cl = Haetae.commandLine();
    cl.setOut(new PrintWriter(new StringWriter()));
    cl.setErr(new PrintWriter(err));
    return cl.execute(args);
  }

  @Test
  void submitsResumesAndStops(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("log");
    StringWriter err = new StringWriter();
    assertEquals(0, run(err, "simulate", "../examples/scenarios/quickstart.jsonl", "--log", log.toString()),
        err.toString());
    Path token = Files.writeString(dir.resolve("token"), "secret-token\n");
    Path checkpoint = dir.resolve("cp");
    List<String> puids = new ArrayList<>();
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/api/v1/statements", x -> {
      try (x) {
        JsonNode body = new ObjectMapper().readTree(x.getRequestBody());
        boolean ok = "Bearer secret-token".equals(x.getRequestHeaders().getFirst("Authorization"));
        if (ok) {
          body.get("statements").forEach(s -> puids.add(s.get("puid").asText()));
        }
        byte[] b = (ok ? "{\"statements\":[]}" : "{\"message\":\"Unauthenticated.\"}").getBytes(StandardCharsets.UTF_8);
        x.sendResponseHeaders(ok ? 201 : 401, b.length);
        x.getResponseBody().write(b);
      }
    });
    server.start();
    try {
      String url = "http://127.0.0.1:" + server.getAddress().getPort();
      err = new StringWriter();
      assertEquals(0, run(err, "submit-sor", "--no-progress", log.toString(), "--endpoint", url, "--token-file",
          token.toString(), "--checkpoint", checkpoint.toString()), err.toString());
      assertTrue(!puids.isEmpty(), err.toString());
      assertEquals(puids, Files.readAllLines(checkpoint));
      assertTrue(err.toString().contains(puids.size() + " accepted"), err.toString());
      err = new StringWriter();
      assertEquals(0, run(err, "submit-sor", "--no-progress", log.toString(), "--endpoint", url, "--token-file",
          token.toString(), "--checkpoint", checkpoint.toString()), err.toString());
      assertTrue(err.toString().contains("0 accepted, 0 already in the database, " + puids.size() + " skipped"),
          err.toString());
      Files.writeString(token, "wrong\n");
      err = new StringWriter();
      assertEquals(4, run(err, "submit-sor", "--no-progress", log.toString(), "--endpoint", url, "--token-file",
          token.toString(), "--checkpoint", dir.resolve("cp2").toString()), err.toString());
      assertTrue(err.toString().contains("refused the token (HTTP 401)"), err.toString());
      assertTrue(!err.toString().contains("wrong"), "the token is never printed: " + err);
    } finally {
      server.stop(0);
    }
    err = new StringWriter();
    assertEquals(2, run(err, "submit-sor", log.toString(), "--endpoint", "https://example.org", "--token-file",
        dir.resolve("missing").toString()));
    assertTrue(err.toString().contains("no token file"), err.toString());
  }
}

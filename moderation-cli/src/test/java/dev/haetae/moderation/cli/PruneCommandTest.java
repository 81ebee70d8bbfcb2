package dev.haetae.moderation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code haetae prune LOG --dry-run}: the plan is printed, nothing changes, and bad options are usage errors. */
class PruneCommandTest {

  private static int run(StringWriter out, StringWriter err, String... args) {
    CommandLine cl = Haetae.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    return cl.execute(args);
  }

  private static List<String> files(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void aDryRunPrintsThePlanAndChangesNothing(@TempDir Path root) throws Exception {
    Path log = root.resolve("log");
    StringWriter err = new StringWriter();
    assertEquals(0, run(new StringWriter(), err, "simulate", "../examples/scenarios/quickstart.jsonl", "--log",
        log.toString()), err.toString());
    List<String> before = files(log);
    StringWriter out = new StringWriter();
    assertEquals(0, run(out, err, "prune", "--no-progress", log.toString(), "--dry-run", "--now",
        "2040-01-01T00:00:00Z"), err.toString());
    assertTrue(out.toString().contains("retention P1096D: max("), out.toString());
    assertTrue(out.toString().contains("0 segment(s) may go; kept from here: "), out.toString());
    assertTrue(out.toString().contains("the log's last segment"), out.toString());
    assertEquals(before, files(log));

    out = new StringWriter();
    assertEquals(0, run(out, err, "prune", "--no-progress", log.toString(), "--dry-run", "--keep", "P10000D"));
    assertTrue(out.toString().contains("retention P10000D"), out.toString());

    StringWriter usage = new StringWriter();
    assertEquals(2, run(new StringWriter(), usage, "prune", log.toString(), "--dry-run", "--keep", "5 years"));
    assertTrue(usage.toString().contains("ISO-8601"), usage.toString());
    assertEquals(2, run(new StringWriter(), new StringWriter(), "prune", log.toString()), "--dry-run or --apply");
    assertEquals(2, run(new StringWriter(), new StringWriter(), "prune", log.toString(), "--dry-run", "--apply"));
    assertEquals(2, run(new StringWriter(), new StringWriter(), "prune", log.toString(), "--apply"), "keys needed");
    assertEquals(2, run(new StringWriter(), new StringWriter(), "prune", log.toString(), "--dry-run", "--keep",
        "-P1D"));
  }

  @Test
  void applyPrunesThroughASignedRecordThatVerifyAccepts(@TempDir Path root) throws Exception {
    Path log = root.resolve("log");
    StringWriter err = new StringWriter();
    assertEquals(0, run(new StringWriter(), err, "simulate", "../examples/scenarios/quickstart.jsonl", "--log",
        log.toString()), err.toString());
    java.security.KeyPair kp = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    Path priv = root.resolve("retention.key");
    Path pub = root.resolve("retention.pub");
    java.util.Base64.Encoder b64 = java.util.Base64.getMimeEncoder();
    Files.writeString(priv, "-----BEGIN PRIVATE KEY-----\n" + b64.encodeToString(kp.getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n");
    Files.writeString(pub, "-----BEGIN PUBLIC KEY-----\n" + b64.encodeToString(kp.getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n");
    StringWriter out = new StringWriter();
    assertEquals(0, run(out, err, "prune", "--no-progress", log.toString(), "--apply", "--key", priv.toString(),
        "--public", pub.toString(), "--now", "2040-01-01T00:00:00Z"), err.toString());
    // the quickstart log is one open segment: nothing goes, and the log still verifies
    assertTrue(out.toString().contains("0 segment(s) removed"), out.toString());
    assertEquals(0, run(new StringWriter(), err, "verify", "--no-progress", log.toString()), err.toString());
    StringWriter bad = new StringWriter();
    assertEquals(3, run(new StringWriter(), bad, "prune", log.toString(), "--apply", "--key", pub.toString(),
        "--public", pub.toString()));
    assertTrue(bad.toString().contains("cannot read the key pair"), bad.toString());
  }
}

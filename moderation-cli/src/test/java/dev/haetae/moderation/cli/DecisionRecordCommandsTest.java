package dev.haetae.moderation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The decision record on the command line: every example scenario replays to itself from its log
 * alone (with and without a policy configuration), a plugin named as a shadow policy never enforces
 * whatever its jar declares, and {@code recover} reports a log's outbox.
 */
class DecisionRecordCommandsTest {
  private static final Path SCENARIOS = Path.of("../examples/scenarios");

  private static int run(StringWriter out, StringWriter err, String... args) {
    CommandLine cl = Haetae.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    return cl.execute(args);
  }

  static List<Path> scenarios() throws IOException {
    try (Stream<Path> s = Files.list(SCENARIOS)) {
      return s.filter(p -> p.toString().endsWith(".jsonl")).sorted().collect(Collectors.toList());
    }
  }

  @Test
  void everyExampleScenarioReplaysIdenticallyFromItsLogAlone(@TempDir Path dir) throws IOException {
    List<Path> all = scenarios();
    assertTrue(all.size() >= 7, all.toString());
    int n = 0;
    for (Path scenario : all) {
      for (boolean configured : new boolean[] {false, true}) {
        Path log = dir.resolve("log" + n++);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> args = new java.util.ArrayList<>(List.of("simulate", scenario.toString(), "--log",
            log.toString()));
        if (configured) {
          args.addAll(List.of("--policies", SCENARIOS.resolve("policies.json").toString()));
        }
        assertEquals(0, run(out, err, args.toArray(new String[0])), scenario + ": " + err);
        StringWriter rout = new StringWriter();
        StringWriter rerr = new StringWriter();
        // no --policies: the configuration in force is read from the log
        int code = run(rout, rerr, "replay", log.toString(), "--no-progress");
        String summary = rout.toString();
        assertEquals(0, code, scenario + (configured ? " with policies.json" : "") + ": " + summary + rerr);
        assertTrue(summary.contains(" 0 diverged, 0 not replayable"), summary);
      }
    }
  }

  /** A jar holding {@link StrictPolicy} and a service declaration for it. */
  private static Path strictJar(Path dir) throws IOException {
    Path jar = dir.resolve("strict.jar");
    String name = StrictPolicy.class.getName().replace('.', '/') + ".class";
    try (OutputStream f = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(f);
        InputStream cls = StrictPolicy.class.getClassLoader().getResourceAsStream(name)) {
      j.putNextEntry(new JarEntry(name));
      cls.transferTo(j);
      j.putNextEntry(new JarEntry("META-INF/services/dev.haetae.moderation.api.spi.Policy"));
      j.write((StrictPolicy.class.getName() + "\n").getBytes(StandardCharsets.UTF_8));
    }
    return jar;
  }

  @Test
  void aPluginNamedAsShadowNeverEnforcesEvenWhenItsJarDeclaresAService(@TempDir Path dir) throws IOException {
    Path jar = strictJar(dir);
    Path config = dir.resolve("shadow.json");
    Files.writeString(config, "{\"shadow\":[{\"class\":\"" + StrictPolicy.class.getName() + "\"}]}");
    for (boolean discover : new boolean[] {false, true}) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      Path log = dir.resolve("log-" + discover);
      List<String> args = new java.util.ArrayList<>(List.of("simulate", SCENARIOS.resolve("deepfake-rooms.jsonl")
          .toString(), "--policies", config.toString(), "--plugin", jar.toString(), "--log", log.toString()));
      if (discover) {
        args.add("--discover");
      }
      assertEquals(0, run(out, err, args.toArray(new String[0])), err.toString());
      long shadowSuspensions = 0;
      for (String line : out.toString().split("\n")) {
        if (line.contains("\"shadow\":false")) {
          assertFalse(line.contains("strict-suspend"), "a shadow policy enforced: " + line);
        } else if (line.contains("\"shadow\":true") && line.contains("suspend_account")) {
          shadowSuspensions++;
        }
      }
      assertTrue(shadowSuspensions > 0, "the shadow policy ran and would have suspended: " + out);
      StringWriter rout = new StringWriter();
      assertEquals(0, run(rout, new StringWriter(), "replay", log.toString(), "--plugin", jar.toString(),
          "--no-progress"), rout.toString());
    }
  }

  @Test
  void recoverReportsAnEmptyOutboxAfterACleanRun(@TempDir Path dir) {
    Path log = dir.resolve("log");
    assertEquals(0, run(new StringWriter(), new StringWriter(), "simulate",
        SCENARIOS.resolve("quickstart.jsonl").toString(), "--log", log.toString()));
    StringWriter out = new StringWriter();
    assertEquals(0, run(out, new StringWriter(), "recover", log.toString()), out.toString());
    assertTrue(out.toString().contains("0 decision(s) pending"), out.toString());
  }

  @Test
  void backtestTakesAPolicyConfigurationAsTheCandidate(@TempDir Path dir) throws IOException {
    Path log = dir.resolve("log");
    assertEquals(0, run(new StringWriter(), new StringWriter(), "simulate",
        SCENARIOS.resolve("deepfake-rooms.jsonl").toString(), "--log", log.toString()));
    Path config = dir.resolve("strict.json");
    Files.writeString(config, "{\"extra\":[\"" + StrictPolicy.class.getName() + "\"]}");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    assertEquals(0, run(out, err, "backtest", log.toString(), "--policies", config.toString(), "--plugin",
        strictJar(dir).toString(), "--no-progress"), err.toString());
    assertTrue(out.toString().contains("suspend_account"), out.toString());
  }
}

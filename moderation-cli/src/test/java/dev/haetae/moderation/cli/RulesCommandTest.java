package dev.haetae.moderation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code haetae rules check|test}, and rules through {@code --policies} in simulate and backtest. */
class RulesCommandTest {
  private static int run(StringWriter out, StringWriter err, String... args) {
    CommandLine cl = Haetae.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    return cl.execute(args);
  }

  static Path example(String name) throws Exception {
    return Path.of(RulesCommandTest.class.getResource("/rules/" + name).toURI());
  }

  @Test
  void checkListsTheRulesOrNamesTheError(@TempDir Path dir) throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    assertEquals(0, run(out, err, "rules", "check", example("policies.json").toString()), err.toString());
    assertTrue(out.toString().contains("enforce rule:ncii-new-account@1#"), out.toString());
    assertTrue(out.toString().contains("shadow  rule:hot-room@1#"), out.toString());
    assertTrue(out.toString().contains(": OK"), out.toString());

    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, Files.readString(example("policies.json")).replace("m.distance <= 20", "m.distance <= 'x'"));
    StringWriter err2 = new StringWriter();
    assertEquals(1, run(new StringWriter(), err2, "rules", "check", bad.toString()));
    String line10 = Files.readAllLines(bad).get(9);       // the file's line and column, at the operator
    assertTrue(err2.toString().contains("rule 'ncii-new-account': line 10, column " + (line10.indexOf("<= 'x'") + 1)
        + ": "), err2.toString());
    assertEquals(2, run(new StringWriter(), new StringWriter(), "rules", "check", dir.resolve("none.json").toString()));
  }

  @Test
  void testRunsTheFilesAndFailsOnAMissedExpectation() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    assertEquals(0, run(out, err, "rules", "test", example("ncii.test.json").toString()), err + "\n" + out);
    assertTrue(out.toString().contains("PASS"), out.toString());
    assertTrue(out.toString().contains("1 passed, 0 failed"), out.toString());
    StringWriter out2 = new StringWriter();
    assertEquals(1, run(out2, new StringWriter(), "rules", "test", example("ncii.test.json").toString(),
        example("failing.test.json").toString()));
    assertTrue(out2.toString().contains("FAIL"), out2.toString());
    assertTrue(out2.toString().contains("line 5: rule 'ncii-new-account' did not fire"), out2.toString());
    assertTrue(out2.toString().contains("1 passed, 1 failed"), out2.toString());
  }

  @Test
  void simulateAndBacktestTakeRulesThroughPolicies(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("log");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    // the stream runs under the built-in defaults, logged
    assertEquals(0, run(out, err, "simulate", "--log", log.toString(), example("events.jsonl").toString()),
        err.toString());
    assertTrue(!out.toString().contains("rule:"), out.toString());
    // simulate with the rules: the enforcing rule decides, the shadow rule is reported
    StringWriter out2 = new StringWriter();
    StringWriter err2 = new StringWriter();
    assertEquals(0, run(out2, err2, "simulate", "--policies", example("policies.json").toString(),
        example("events.jsonl").toString()), err2.toString());
    assertTrue(out2.toString().contains("rule:ncii-new-account/ncii-new-account"), out2.toString());
    assertTrue(out2.toString().contains("\"shadow\":true"), out2.toString());
    // backtest the logged decisions under the rules
    StringWriter out3 = new StringWriter();
    StringWriter err3 = new StringWriter();
    int code = run(out3, err3, "backtest", log.toString(), "--policies", example("policies.json").toString());
    assertTrue(code == 0 || code == 1, err3.toString());
    assertTrue((out3.toString() + err3.toString()).contains("suspend_account"), out3 + "\n" + err3);
  }
}

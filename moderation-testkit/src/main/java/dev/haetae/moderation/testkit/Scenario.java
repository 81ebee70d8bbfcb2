package dev.haetae.moderation.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.haetae.moderation.api.spi.DecisionLog;
import dev.haetae.moderation.core.engine.ModerationEngine;
import dev.haetae.moderation.core.engine.ModerationEngineBuilder;
import dev.haetae.moderation.core.policy.PolicyConfig;
import dev.haetae.moderation.core.simulate.Simulator;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * "Given these events, expect these decisions": a scenario is an event stream in the simulator's
 * JSON Lines format (see the simulation guide) and a list of expectations on the decisions it
 * produces, checked by {@link #run()}.
 *
 * <pre>{@code
 * Scenario.given(
 *         "{\"type\":\"bank\",\"at\":\"2026-11-21T09:00:00Z\",\"op\":\"add\",\"bank\":\"stopncii\",\"category\":\"ncii\",\"pdq\":\"f8f8...\"}",
 *         "{\"type\":\"content\",\"at\":\"2026-11-21T10:00:00Z\",\"content\":\"c1\",\"account\":\"u1\",\"room\":\"r1\",\"surface\":\"group\",\"kind\":\"image\",\"pdq\":\"f8f8...\"}")
 *     .expect(2, "remove", "block_reupload")
 *     .expectNot(2, "suspend_account")
 *     .run();
 * }</pre>
 *
 * <p>Line numbers are the stream's, from 1. Action names are the event-stream names ({@code remove},
 * {@code review}, {@code notify_user}, ...). The engine runs on embedded defaults with the built-in
 * pack, a discarding decision log and no {@code ServiceLoader} plugins unless configured otherwise.
 * All expectations are checked and every failure is reported at once, with the simulator's output.
 * Not thread-safe; a scenario can be run more than once.
 *
 * @since 0.1
 */
public final class Scenario {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String stream;
  private final Path baseDir;
  private PolicyConfig policies = PolicyConfig.defaults();
  private Consumer<ModerationEngineBuilder> engine = b -> { };
  private boolean allowErrors;
  private final List<Check> checks = new ArrayList<>();

  private interface Check {
    void check(Result r, List<String> failures);
  }

  private Scenario(String stream, Path baseDir) {
    this.stream = stream;
    this.baseDir = baseDir;
  }

  /**
   * A scenario from event lines.
   *
   * @param lines the JSON Lines, one event each; not null
   * @return a new scenario; {@code file} paths are relative to the working directory
   */
  public static Scenario given(String... lines) {
    return new Scenario(String.join("\n", lines), Path.of("."));
  }

  /**
   * A scenario from a file.
   *
   * @param file the JSON Lines file; {@code file} paths inside are relative to its directory; not null
   * @return a new scenario
   * @throws UncheckedIOException when the file cannot be read
   */
  public static Scenario fromFile(Path file) {
    try {
      Path dir = file.toAbsolutePath().getParent();
      return new Scenario(Files.readString(file, StandardCharsets.UTF_8), dir == null ? Path.of(".") : dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read scenario " + file, e);
    }
  }

  /**
   * The policy configuration. Default {@link PolicyConfig#defaults()}.
   *
   * @param value the configuration; not null
   * @return this scenario
   */
  public Scenario policies(PolicyConfig value) {
    this.policies = Objects.requireNonNull(value, "policies");
    return this;
  }

  /**
   * Further engine configuration, e.g. {@code b -> b.policies(new MyPolicy())}; applied after the
   * policy configuration.
   *
   * @param value the configurer; not null
   * @return this scenario
   */
  public Scenario engine(Consumer<ModerationEngineBuilder> value) {
    this.engine = Objects.requireNonNull(value, "engine");
    return this;
  }

  /**
   * Accept malformed lines (reported in {@link Result#errors()}) instead of failing the scenario.
   *
   * @return this scenario
   */
  public Scenario allowErrors() {
    this.allowErrors = true;
    return this;
  }

  /**
   * The decision on {@code line} has at least these actions.
   *
   * @param line the event's line, from 1
   * @param actions action names; not null
   * @return this scenario
   */
  public Scenario expect(int line, String... actions) {
    checks.add((r, f) -> {
      Set<String> got = r.actions(line);
      for (String a : actions) {
        if (got == null || !got.contains(a)) {
          f.add("line " + line + ": expected " + a + " in " + got);
        }
      }
    });
    return this;
  }

  /**
   * The decision on {@code line} has none of these actions.
   *
   * @param line the event's line, from 1
   * @param actions action names; not null
   * @return this scenario
   */
  public Scenario expectNot(int line, String... actions) {
    checks.add((r, f) -> {
      Set<String> got = r.actions(line);
      if (got == null) {
        f.add("line " + line + ": no decision");
        return;
      }
      for (String a : actions) {
        if (got.contains(a)) {
          f.add("line " + line + ": did not expect " + a + " in " + got);
        }
      }
    });
    return this;
  }

  /**
   * The decision on {@code line} has exactly these actions, in any order.
   *
   * @param line the event's line, from 1
   * @param actions action names; not null
   * @return this scenario
   */
  public Scenario expectOnly(int line, String... actions) {
    checks.add((r, f) -> {
      Set<String> want = new LinkedHashSet<>(Arrays.asList(actions));
      Set<String> got = r.actions(line);
      if (!want.equals(got)) {
        f.add("line " + line + ": expected exactly " + want + ", got " + got);
      }
    });
    return this;
  }

  /**
   * The decision on {@code line} queues a review at this priority in this lane.
   *
   * @param line the event's line, from 1
   * @param priority {@code low}, {@code normal}, {@code high} or {@code urgent}; not null
   * @param lane the lane, or null for any; e.g. {@code doxxing}
   * @return this scenario
   */
  public Scenario expectReview(int line, String priority, String lane) {
    checks.add((r, f) -> {
      JsonNode d = r.decision(line);
      JsonNode review = null;
      if (d != null) {
        for (JsonNode a : d.get("actions")) {
          if (a.isObject() && a.path("action").asText().equals("review")) {
            review = a;
          }
        }
      }
      if (review == null || !review.path("priority").asText().equals(priority)
          || (lane != null && !review.path("lane").asText().equals(lane))) {
        f.add("line " + line + ": expected a " + priority + " review" + (lane == null ? "" : " in lane " + lane)
            + ", got " + (d == null ? "no decision" : d.get("actions")));
      }
    });
    return this;
  }

  /**
   * An obligation event of this type was printed for this content.
   *
   * @param type {@code opened}, {@code escalated}, {@code breached}, {@code fulfilled} or
   *     {@code closed}; not null
   * @param content the content id; not null
   * @return this scenario
   */
  public Scenario expectObligation(String type, String content) {
    checks.add((r, f) -> {
      for (JsonNode n : r.output()) {
        if (type.equals(n.path("obligation").asText()) && content.equals(n.path("content").asText())) {
          return;
        }
      }
      f.add("expected obligation " + type + " on " + content);
    });
    return this;
  }

  /**
   * A custom expectation on the result.
   *
   * @param description what is expected, for the failure message; not null
   * @param predicate true when met; not null
   * @return this scenario
   */
  public Scenario expectThat(String description, java.util.function.Predicate<Result> predicate) {
    checks.add((r, f) -> {
      if (!predicate.test(r)) {
        f.add("expected " + description);
      }
    });
    return this;
  }

  /**
   * Runs the stream and checks every expectation.
   *
   * @return the result, for further assertions; never null
   * @throws AssertionError listing every unmet expectation (and malformed lines, unless allowed),
   *     with the simulator's output
   */
  public Result run() {
    List<JsonNode> out = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    Simulator.Summary summary = Simulator.builder()
        .policies(policies)
        .engine(b -> {
          b.decisionLog(DecisionLog.DISCARD).serviceLoader(false, null);
          engine.accept(b);
        })
        .onError(Simulator.OnError.CONTINUE)
        .output(l -> {
          try {
            out.add(JSON.readTree(l));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        })
        .errors(errors::add)
        .build()
        .run(new StringReader(stream), baseDir);
    Result r = new Result(out, summary);
    List<String> failures = new ArrayList<>();
    if (!allowErrors) {
      failures.addAll(summary.errors());
    }
    for (Check c : checks) {
      c.check(r, failures);
    }
    if (!failures.isEmpty()) {
      StringBuilder sb = new StringBuilder("scenario failed:\n");
      failures.forEach(x -> sb.append("  - ").append(x).append('\n'));
      sb.append("output:\n");
      out.forEach(x -> sb.append("  ").append(x).append('\n'));
      throw new AssertionError(sb.toString());
    }
    return r;
  }

  /**
   * What a scenario produced.
   *
   * @param output every printed line (decisions, shadow outcomes, obligation events) as JSON, in
   *     order; not null
   * @param summary the simulator's summary; not null
   * @since 0.1
   */
  public record Result(List<JsonNode> output, Simulator.Summary summary) {
    /**
     * Copies.
     *
     * @param output the output component, as described on the record
     * @param summary the summary component, as described on the record
     */
    public Result {
      output = List.copyOf(output);
      Objects.requireNonNull(summary, "summary");
    }

    /**
     * The enforced decision made for the event on a line.
     *
     * @param line the line, from 1
     * @return the decision line, or null when none
     */
    public JsonNode decision(int line) {
      for (JsonNode n : output) {
        if (n.path("line").asInt() == line && n.has("actions") && !n.path("shadow").asBoolean()) {
          return n;
        }
      }
      return null;
    }

    /**
     * The action names of the decision on a line.
     *
     * @param line the line, from 1
     * @return the names in order, or null when there is no decision on that line
     */
    public Set<String> actions(int line) {
      JsonNode d = decision(line);
      if (d == null) {
        return null;
      }
      Set<String> out = new LinkedHashSet<>();
      for (JsonNode a : d.get("actions")) {
        out.add(a.isTextual() ? a.asText() : a.path("action").asText());
      }
      return out;
    }

    /**
     * The errors of malformed lines.
     *
     * @return the messages; never null
     */
    public List<String> errors() {
      return summary.errors();
    }
  }
}

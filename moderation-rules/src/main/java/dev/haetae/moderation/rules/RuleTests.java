package dev.haetae.moderation.rules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.haetae.moderation.api.spi.Policy;
import dev.haetae.moderation.core.policy.PolicyConfig;
import dev.haetae.moderation.core.policy.PolicyConfigException;
import dev.haetae.moderation.core.simulate.EventStreamException;
import dev.haetae.moderation.core.simulate.Simulator;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Runs a rule test file: a policy configuration, an event stream, and the outcomes expected at
 * given lines of the stream, so that a rule is written and tested with no Java build.
 *
 * <pre>{@code
 * {"policies": "policies.json",                       // a path beside this file, or the configuration inline
 *  "events": "events.jsonl",                          // an event stream file, or an array of events inline
 *  "expect": [
 *    {"line": 3, "fires": ["ncii-new-account"]},      // these rules propose something for line 3's request
 *    {"line": 4, "quiet": ["ncii-new-account"]},      // these do not
 *    {"line": 3, "actions": ["suspend_account"]}]}    // the decision has these actions (as simulate prints them)
 * }</pre>
 *
 * <p>Lines count from 1 in the stream (for inline events, the position in the array). The events run
 * through an engine on embedded defaults under the configuration, exactly as {@code haetae simulate}
 * runs them. A rule of the configuration that fires on no line fails the test: a rule that never ran
 * was checked for nothing.
 *
 * <p>Stateless and thread-safe.
 *
 * @since 0.2
 */
public final class RuleTests {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_EXPECTATIONS = 100_000;

  private RuleTests() {}

  /**
   * What a rule test found.
   *
   * @param checks how many expectations were checked
   * @param failures one message per failed expectation or unexercised rule; empty when it passed
   * @param configHash the configuration's hash
   * @since 0.2
   */
  public record Result(int checks, List<String> failures, String configHash) {
    /**
     * Validates and copies.
     *
     * @param checks as described on the record
     * @param failures as described on the record
     * @param configHash as described on the record
     */
    public Result {
      failures = List.copyOf(failures);
      Objects.requireNonNull(configHash, "configHash");
    }

    /**
     * Whether every expectation held and every rule fired somewhere.
     *
     * @return true when there are no failures
     */
    public boolean passed() {
      return failures.isEmpty();
    }
  }

  /**
   * Runs a test file.
   *
   * @param file the test file (JSON); not null
   * @param loader where the configuration's plugin classes come from; not null
   * @return the result; never null
   * @throws IllegalArgumentException when the test file, its configuration or its event stream
   *     cannot be read or is malformed (the message names the file and the place; a
   *     {@link PolicyConfigException} or {@link RuleException} is its cause when the configuration
   *     is at fault)
   */
  public static Result run(Path file, ClassLoader loader) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(loader, "loader");
    Path base = file.toAbsolutePath().getParent();
    JsonNode root = read(file);
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!List.of("policies", "events", "expect", "description").contains(k)) {
        throw new IllegalArgumentException(file.getFileName() + ": unknown key " + k
            + " (known: description, policies, events, expect)");
      }
    }
    PolicyConfig config = config(file, base, root.get("policies"), loader);
    String events = events(file, base, root.get("events"));
    Map<Integer, List<JsonNode>> byLine = new LinkedHashMap<>();
    List<String> streamErrors = new ArrayList<>();
    Simulator sim = Simulator.builder().policies(config).onError(Simulator.OnError.STOP)
        .output(line -> {
          try {
            JsonNode n = JSON.readTree(line);
            if (n.has("line") && (n.has("decision") || n.has("shadow"))) {
              byLine.computeIfAbsent(n.get("line").asInt(), k -> new ArrayList<>()).add(n);
            }
          } catch (JsonProcessingException e) {
            throw new IllegalStateException("the simulator printed a line that is not JSON: " + line, e);
          }
        })
        .errors(streamErrors::add)
        .build();
    Simulator.Summary summary;
    try {
      summary = sim.run(new StringReader(events), base);
    } catch (EventStreamException e) {
      throw new IllegalArgumentException(file.getFileName() + ": events: " + e.getMessage(), e);
    }
    if (!summary.errors().isEmpty()) {
      throw new IllegalArgumentException(file.getFileName() + ": events: " + String.join("; ", summary.errors()));
    }
    Set<String> ruleIds = new LinkedHashSet<>();
    List<Policy> all = new ArrayList<>(config.extra());
    all.addAll(config.shadow());
    for (Policy p : all) {
      if (p instanceof RulePolicy) {
        ruleIds.add(p.id().name().substring("rule:".length()));
      }
    }
    List<String> failures = new ArrayList<>();
    JsonNode expect = root.path("expect");
    if (!expect.isArray() || expect.size() > MAX_EXPECTATIONS) {
      throw new IllegalArgumentException(file.getFileName() + ": expect must be an array of at most "
          + MAX_EXPECTATIONS + " expectations");
    }
    int checks = 0;
    for (int i = 0; i < expect.size(); i++) {
      JsonNode x = expect.get(i);
      String where = "expect[" + i + "]";
      if (!x.isObject() || !x.path("line").canConvertToInt() || !x.path("line").isIntegralNumber()) {
        throw new IllegalArgumentException(file.getFileName() + ": " + where + " needs \"line\", the stream line");
      }
      int line = x.get("line").intValue();
      List<JsonNode> out = byLine.getOrDefault(line, List.of());
      for (Iterator<String> it = x.fieldNames(); it.hasNext(); ) {
        String k = it.next();
        if (k.equals("line")) {
          continue;
        }
        List<String> names = strings(file, where + "." + k, x.get(k));
        for (String name : names) {
          checks++;
          switch (k) {
            case "fires":
            case "quiet": {
              requireRule(file, where + "." + k, name, ruleIds);
              boolean fired = fired(out, name);
              if (fired != k.equals("fires")) {
                failures.add("line " + line + ": rule '" + name + "' " + (fired ? "fired" : "did not fire")
                    + " (expected it " + (fired ? "quiet" : "to fire") + ")" + describe(out));
              }
              break;
            }
            case "actions":
              if (!hasAction(out, name)) {
                failures.add("line " + line + ": the decision has no action '" + name + "'" + describe(out));
              }
              break;
            default:
              throw new IllegalArgumentException(file.getFileName() + ": " + where + "." + k
                  + " is unknown (known: line, fires, quiet, actions)");
          }
        }
      }
    }
    for (String id : ruleIds) {
      boolean anywhere = false;
      for (List<JsonNode> out : byLine.values()) {
        anywhere |= fired(out, id);
      }
      if (!anywhere) {
        failures.add("rule '" + id + "' fired on no line of the stream: add events that reach it");
      }
    }
    return new Result(checks, failures, config.hash());
  }

  private static boolean fired(List<JsonNode> out, String ruleId) {
    String prefix = "rule:" + ruleId + "/";
    for (JsonNode n : out) {
      for (JsonNode r : n.path("reasons")) {
        if (r.asText().startsWith(prefix)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean hasAction(List<JsonNode> out, String action) {
    for (JsonNode n : out) {
      if (n.path("shadow").asBoolean(false)) {
        continue;
      }
      for (JsonNode a : n.path("actions")) {
        if (action.equals(a.isTextual() ? a.asText() : a.path("action").asText())) {
          return true;
        }
      }
    }
    return false;
  }

  private static String describe(List<JsonNode> out) {
    if (out.isEmpty()) {
      return "; no decision on that line";
    }
    StringBuilder sb = new StringBuilder();
    for (JsonNode n : out) {
      sb.append("\n    ").append(n.path("shadow").asBoolean(false) ? "shadow " + n.path("policy").asText() : "decision")
          .append(": actions ").append(n.path("actions")).append(", reasons ").append(n.path("reasons"));
    }
    return sb.toString();
  }

  private static void requireRule(Path file, String where, String name, Set<String> ruleIds) {
    if (!ruleIds.contains(name)) {
      throw new IllegalArgumentException(file.getFileName() + ": " + where + " names rule '" + name
          + "', which the configuration does not have (rules: " + String.join(", ", ruleIds) + ")");
    }
  }

  private static List<String> strings(Path file, String where, JsonNode n) {
    List<String> out = new ArrayList<>();
    if (n.isTextual()) {
      out.add(n.asText());
      return out;
    }
    if (!n.isArray()) {
      throw new IllegalArgumentException(file.getFileName() + ": " + where + " must be a string or an array of strings");
    }
    for (JsonNode s : n) {
      if (!s.isTextual()) {
        throw new IllegalArgumentException(file.getFileName() + ": " + where + " must hold strings only");
      }
      out.add(s.asText());
    }
    return out;
  }

  private static JsonNode read(Path file) {
    JsonNode root;
    try {
      root = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(file.getFileName() + ": not valid JSON at line "
          + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException(file.getFileName() + ": must be a JSON object with policies, events, expect");
    }
    return root;
  }

  private static PolicyConfig config(Path file, Path base, JsonNode policies, ClassLoader loader) {
    try {
      if (policies == null) {
        return PolicyConfig.defaults();
      } else if (policies.isTextual()) {
        Path p = base.resolve(policies.asText());
        return PolicyConfig.parse(Files.readString(p, StandardCharsets.UTF_8), loader);
      } else if (policies.isObject()) {
        return PolicyConfig.parse(policies.toString(), loader);
      }
      throw new IllegalArgumentException(file.getFileName() + ": policies must be a file name or a configuration object");
    } catch (IOException e) {
      throw new IllegalArgumentException(file.getFileName() + ": cannot read the policies: " + e.getMessage(), e);
    } catch (PolicyConfigException e) {
      throw new IllegalArgumentException(file.getFileName() + ": policies: " + e.getMessage(), e);
    }
  }

  private static String events(Path file, Path base, JsonNode events) {
    if (events != null && events.isTextual()) {
      try {
        return Files.readString(base.resolve(events.asText()), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new IllegalArgumentException(file.getFileName() + ": cannot read the events: " + e.getMessage(), e);
      }
    }
    if (events == null || !events.isArray()) {
      throw new IllegalArgumentException(file.getFileName() + ": events must be an event stream file name or an array"
          + " of events");
    }
    StringBuilder sb = new StringBuilder();
    for (JsonNode e : events) {
      sb.append(e.toString()).append('\n');
    }
    return sb.toString();
  }
}

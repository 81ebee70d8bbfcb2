package dev.haetae.moderation.core.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.haetae.moderation.api.spi.DecisionLog;
import dev.haetae.moderation.core.simulate.Simulator;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs small event streams through the simulator for policy tests. */
final class Streams {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String T = "2026-11-21T10:00:";
  static final String PDQ = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";

  private Streams() {}

  record Run(List<JsonNode> lines, Simulator.Summary summary) {
    JsonNode decision(int line) {
      return lines.stream().filter(n -> n.get("line").asInt() == line && n.has("actions")
          && !n.get("shadow").asBoolean()).findFirst().orElseThrow(() -> new AssertionError("no decision on line "
          + line + " in " + lines));
    }

    List<String> actions(int line) {
      List<String> out = new ArrayList<>();
      for (JsonNode a : decision(line).get("actions")) {
        out.add(a.isTextual() ? a.asText() : a.get("action").asText());
      }
      return out;
    }

    JsonNode review(int line) {
      for (JsonNode a : decision(line).get("actions")) {
        if (a.isObject()) {
          return a;
        }
      }
      throw new AssertionError("no review on line " + line + ": " + decision(line));
    }
  }

  static Run run(PolicyConfig config, String... events) {
    List<JsonNode> out = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    Simulator.Summary s = Simulator.builder().policies(config).engine(b -> b.decisionLog(DecisionLog.DISCARD)
            .serviceLoader(false, null))
        .output(l -> {
          try {
            out.add(JSON.readTree(l));
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        }).errors(errors::add).build().run(new StringReader(String.join("\n", events)), Path.of("."));
    if (!errors.isEmpty()) {
      throw new AssertionError(errors.toString());
    }
    return new Run(out, s);
  }

  static String bank(String category, String hashType, String hex) {
    return "{\"type\":\"bank\",\"at\":\"2026-11-21T09:00:00Z\",\"op\":\"add\",\"bank\":\"b-" + category
        + "\",\"category\":\"" + category + "\",\"" + hashType + "\":\"" + hex + "\"}";
  }

  static String image(String at, String content, String account, String room, String surface, String pdq,
      String caption) {
    return "{\"type\":\"content\",\"at\":\"" + at + "\",\"content\":\"" + content + "\",\"account\":\"" + account
        + "\",\"room\":\"" + room + "\",\"surface\":\"" + surface + "\",\"kind\":\"image\",\"pdq\":\"" + pdq + "\""
        + (caption == null ? "" : ",\"caption\":" + JSON.valueToTree(caption).toString()) + "}";
  }

  /** The PDQ hash with its first {@code bits} bits flipped. */
  static String flip(String hex, int bits) {
    char[] c = hex.toCharArray();
    for (int i = 0; i < bits; i++) {
      int nibble = i / 4;
      int v = Character.digit(c[nibble], 16) ^ (1 << (i % 4));
      c[nibble] = Character.forDigit(v, 16);
    }
    return new String(c);
  }
}

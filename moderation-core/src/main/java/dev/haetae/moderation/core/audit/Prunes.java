package dev.haetae.moderation.core.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Signed prune records in {@code prunes.jsonl}: each says which head records were removed (the
 * range, its first and last hashes, the segment files), under which rule and cutoff, and when; an
 * Ed25519 signature by a key of {@code keys.jsonl} covers
 * {@code haetae-prune-v1|<log>|<from>|<to>|<firstHash>|<lastHash>|<segments>|<rule>|<cutoff>|<at>}.
 * Stateless.
 */
final class Prunes {
  static final String FILE = "prunes.jsonl";

  private Prunes() {}

  /** One prune record, as read or written. */
  record Prune(String log, long from, long to, String firstHash, String lastHash, List<String> segments, String rule,
      Instant cutoff, Instant at, String kid, String sig) {}

  static byte[] message(Prune p) {
    return ("haetae-prune-v1|" + p.log() + "|" + p.from() + "|" + p.to() + "|" + p.firstHash() + "|" + p.lastHash()
        + "|" + String.join(",", p.segments()) + "|" + p.rule() + "|" + p.cutoff() + "|" + p.at())
        .getBytes(StandardCharsets.UTF_8);
  }

  static Prune sign(Prune unsigned, String kid, PrivateKey key) {
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(key);
      s.update(message(unsigned));
      return new Prune(unsigned.log(), unsigned.from(), unsigned.to(), unsigned.firstHash(), unsigned.lastHash(),
          unsigned.segments(), unsigned.rule(), unsigned.cutoff(), unsigned.at(), kid,
          Base64.getEncoder().encodeToString(s.sign()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign prune record: " + e, e);
    }
  }

  static boolean verify(Prune p, PublicKey key) {
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initVerify(key);
      s.update(message(p));
      return s.verify(Base64.getDecoder().decode(p.sig()));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  static byte[] line(Prune p) {
    ObjectNode n = Frames.JSON.createObjectNode();
    n.put("v", 1);
    n.put("log", p.log());
    n.put("from", p.from());
    n.put("to", p.to());
    n.put("first_hash", p.firstHash());
    n.put("last_hash", p.lastHash());
    ArrayNode segs = n.putArray("segments");
    p.segments().forEach(segs::add);
    n.put("rule", p.rule());
    n.put("cutoff", p.cutoff().toString());
    n.put("at", p.at().toString());
    n.put("kid", p.kid());
    n.put("alg", "Ed25519");
    n.put("sig", p.sig());
    try {
      return (Frames.JSON.writeValueAsString(n) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Reads one line.
   *
   * @throws IllegalArgumentException naming what is malformed
   */
  static Prune parse(JsonNode n) {
    if (n == null || !n.isObject() || n.path("v").asInt() != 1) {
      throw new IllegalArgumentException("not a version 1 prune record");
    }
    for (String k : List.of("log", "first_hash", "last_hash", "rule", "cutoff", "at", "kid", "sig")) {
      if (!n.path(k).isTextual()) {
        throw new IllegalArgumentException("\"" + k + "\" is missing or not text");
      }
    }
    if (!n.path("from").canConvertToExactIntegral() || !n.path("from").isIntegralNumber()
        || !n.path("to").isIntegralNumber() || !n.path("segments").isArray()) {
      throw new IllegalArgumentException("\"from\", \"to\" must be integers and \"segments\" an array");
    }
    long from = n.get("from").asLong();
    long to = n.get("to").asLong();
    if (from < 0 || to < from) {
      throw new IllegalArgumentException("the range " + from + ".." + to + " is empty or negative");
    }
    List<String> segs = new ArrayList<>();
    for (JsonNode s : n.get("segments")) {
      if (!s.isTextual()) {
        throw new IllegalArgumentException("\"segments\" holds a non-text entry");
      }
      segs.add(s.asText());
    }
    try {
      return new Prune(n.get("log").asText(), from, to, n.get("first_hash").asText(), n.get("last_hash").asText(),
          List.copyOf(segs), n.get("rule").asText(), Instant.parse(n.get("cutoff").asText()),
          Instant.parse(n.get("at").asText()), n.get("kid").asText(), n.get("sig").asText());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("\"cutoff\" or \"at\" is not an instant");
    }
  }

  /** The lines of {@code prunes.jsonl} in {@code dir} (none when the file is absent). */
  static List<JsonNode> read(Path dir) throws IOException {
    return LogRecovery.readJsonLines(dir.resolve(FILE), false);
  }

  /** The last prune record, unverified, for readers that start where it ends; null when none reads. */
  static Prune last(Path dir) {
    try {
      List<JsonNode> lines = read(dir);
      for (int i = lines.size() - 1; i >= 0; i--) {
        try {
          return parse(lines.get(i));
        } catch (IllegalArgumentException e) {
          // a malformed line: verify reports it
        }
      }
    } catch (IOException e) {
      return null;
    }
    return null;
  }

  /** The segments a reader starts from: those after the pruned range (leftovers of an interrupted prune dropped). */
  static List<Path> kept(List<Path> segs, long next) {
    List<Path> out = new ArrayList<>();
    for (int i = 0; i < segs.size(); i++) {
      boolean leftover = i + 1 < segs.size()
          && Frames.segmentFirstSeq(segs.get(i + 1).getFileName().toString()) <= next;
      if (!leftover) {
        out.add(segs.get(i));
      }
    }
    return out;
  }
}

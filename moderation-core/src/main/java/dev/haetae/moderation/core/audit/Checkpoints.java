package dev.haetae.moderation.core.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * Ed25519 checkpoint lines and key lines. Stateless.
 *
 * <p>A version 2 checkpoint signs {@code haetae-checkpoint-v2|<seq>|<hash>|<at>|<every>|<interval>}:
 * besides the record it covers, when the writer made it and the writer's bounds (at most
 * {@code every} records, and at most {@code interval}, wait for a checkpoint), so that a verifier
 * can tell an unsigned tail the writer could still have been about to sign from one it should have
 * signed long ago. Version 1 ({@code haetae-checkpoint-v1|<seq>|<hash>}) is still read.
 */
final class Checkpoints {
  static final String FILE = "checkpoints.jsonl";
  static final String KEYS = "keys.jsonl";
  static final String RECOVERIES = "recoveries.jsonl";

  private Checkpoints() {}

  static byte[] message(long seq, String hash) {
    return ("haetae-checkpoint-v1|" + seq + "|" + hash).getBytes(StandardCharsets.US_ASCII);
  }

  static byte[] message(long seq, String hash, Instant at, int every, Duration interval) {
    return ("haetae-checkpoint-v2|" + seq + "|" + hash + "|" + at + "|" + every + "|" + interval)
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** Signs a version 2 checkpoint of the log {@code log}. */
  static CheckpointAnchor.Checkpoint sign(String log, long seq, String hash, String kid, PrivateKey key, Instant at,
      int every, Duration interval) {
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(key);
      s.update(message(seq, hash, at, every, interval));
      return new CheckpointAnchor.Checkpoint(log, seq, hash, kid, Base64.getEncoder().encodeToString(s.sign()), at,
          every, interval);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign checkpoint: " + e, e);
    }
  }

  /** The line of a version 2 checkpoint in {@code checkpoints.jsonl}. */
  static byte[] line(CheckpointAnchor.Checkpoint c) {
    ObjectNode n = Frames.JSON.createObjectNode();
    n.put("seq", c.seq());
    n.put("hash", c.hash());
    n.put("kid", c.kid());
    n.put("alg", "Ed25519");
    n.put("sig", c.signature());
    n.put("v", 2);
    n.put("at", c.at().toString());
    n.put("every", c.every());
    n.put("interval", c.interval().toString());
    try {
      return (Frames.JSON.writeValueAsString(n) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static boolean verify(PublicKey key, long seq, String hash, String sigBase64) {
    return verify(key, message(seq, hash), sigBase64);
  }

  /** Whether a checkpoint line (either version) is signed by {@code key} over the record hash {@code hash}. */
  static boolean verify(PublicKey key, JsonNode cp, String hash) {
    long seq = cp.get("seq").asLong();
    if (cp.path("v").asInt(1) == 1) {
      return verify(key, seq, hash, cp.get("sig").asText());
    }
    try {
      return verify(key, message(seq, hash, Instant.parse(cp.get("at").asText()), cp.get("every").asInt(),
          Duration.parse(cp.get("interval").asText())), cp.get("sig").asText());
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Whether an anchored checkpoint is signed by {@code key}. */
  static boolean verify(PublicKey key, CheckpointAnchor.Checkpoint c) {
    return verify(key, message(c.seq(), c.hash(), c.at(), c.every(), c.interval()), c.signature());
  }

  private static boolean verify(PublicKey key, byte[] message, String sigBase64) {
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initVerify(key);
      s.update(message);
      return s.verify(Base64.getDecoder().decode(sigBase64));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  static byte[] keyLine(String kid, PublicKey key) {
    ObjectNode n = Frames.JSON.createObjectNode();
    n.put("kid", kid);
    n.put("alg", "Ed25519");
    n.put("public", Base64.getEncoder().encodeToString(key.getEncoded()));
    try {
      return (Frames.JSON.writeValueAsString(n) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static PublicKey readKey(JsonNode n) throws GeneralSecurityException {
    byte[] der = Base64.getDecoder().decode(RecordCodec.req(n, "public").asText());
    return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
  }
}

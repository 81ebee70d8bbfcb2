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
import java.util.Base64;

/** Ed25519 checkpoint lines and key lines. Stateless. */
final class Checkpoints {
  static final String FILE = "checkpoints.jsonl";
  static final String KEYS = "keys.jsonl";
  static final String RECOVERIES = "recoveries.jsonl";

  private Checkpoints() {}

  static byte[] message(long seq, String hash) {
    return ("haetae-checkpoint-v1|" + seq + "|" + hash).getBytes(StandardCharsets.US_ASCII);
  }

  static byte[] line(long seq, String hash, String kid, PrivateKey key) {
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(key);
      s.update(message(seq, hash));
      ObjectNode n = Frames.JSON.createObjectNode();
      n.put("seq", seq);
      n.put("hash", hash);
      n.put("kid", kid);
      n.put("alg", "Ed25519");
      n.put("sig", Base64.getEncoder().encodeToString(s.sign()));
      return (Frames.JSON.writeValueAsString(n) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot sign checkpoint: " + e, e);
    }
  }

  static boolean verify(PublicKey key, long seq, String hash, String sigBase64) {
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initVerify(key);
      s.update(message(seq, hash));
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

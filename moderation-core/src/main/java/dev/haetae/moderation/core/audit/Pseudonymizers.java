package dev.haetae.moderation.core.audit;

import dev.haetae.moderation.api.spi.Pseudonymizer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Factories of {@link Pseudonymizer}s.
 *
 * @since 0.1
 */
public final class Pseudonymizers {
  private Pseudonymizers() {}

  /**
   * HMAC-SHA-256 with the given key: pseudonyms are the first 16 bytes of
   * {@code HMAC(key, kind + ":" + rawId)}, URL-safe base64. Thread-safe.
   *
   * @param keyId the key's id, stored with every pseudonym; not null
   * @param key the secret key, at least 16 bytes; not null; copied
   * @return the pseudonymizer
   * @throws IllegalArgumentException when the key is shorter than 16 bytes
   */
  public static Pseudonymizer hmacSha256(String keyId, byte[] key) {
    Objects.requireNonNull(keyId, "keyId");
    if (key.length < 16) {
      throw new IllegalArgumentException("an HMAC key needs at least 16 bytes, got " + key.length);
    }
    SecretKeySpec spec = new SecretKeySpec(key.clone(), "HmacSHA256");
    ThreadLocal<Mac> macs = ThreadLocal.withInitial(() -> {
      try {
        Mac m = Mac.getInstance("HmacSHA256");
        m.init(spec);
        return m;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("HmacSHA256 unavailable", e);
      }
    });
    return new Pseudonymizer() {
      @Override
      public String keyId() {
        return keyId;
      }

      @Override
      public String pseudonymize(String kind, String rawId) {
        byte[] h = macs.get().doFinal((kind + ":" + rawId).getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(h, 16));
      }
    };
  }

  /**
   * HMAC-SHA-256 with a random key that lives only as long as this process. Pseudonyms from two
   * runs cannot be linked to each other (nor, by anyone, to the raw ids): fine for tests, examples
   * and zero-configuration engines; configure a persistent key for production so auditors can
   * follow one account across restarts.
   *
   * @return the pseudonymizer, with a key id starting {@code ephemeral-}
   */
  public static Pseudonymizer ephemeral() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    byte[] id = new byte[6];
    new SecureRandom().nextBytes(id);
    return hmacSha256("ephemeral-" + Base64.getUrlEncoder().withoutPadding().encodeToString(id), key);
  }
}

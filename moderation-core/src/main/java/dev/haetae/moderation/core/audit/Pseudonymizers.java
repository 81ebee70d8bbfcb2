package dev.haetae.moderation.core.audit;

import dev.haetae.moderation.api.spi.Pseudonymizer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Ready-made {@link Pseudonymizer}s for the decision log.
 *
 * <p>All returned instances are immutable and safe for concurrent use.
 *
 * @since 0.1
 */
public final class Pseudonymizers {
  private static final int MIN_KEY_BYTES = 16;

  private Pseudonymizers() {}

  /**
   * HMAC-SHA-256 pseudonyms: {@code base64url(HMAC(key, kind + NUL + rawId))} truncated to 128
   * bits (22 characters). The same key always gives the same pseudonym, so an auditor can see that
   * two decisions concern the same account; without the key a pseudonym cannot be linked back to
   * the id. Rotate keys by starting a log with a new key id: every pseudonym records the key id it
   * was made with.
   *
   * @param keyId the key's id, stored next to every pseudonym; not null, 1..64 characters of
   *     {@code [A-Za-z0-9._-]}
   * @param key the secret key; not null, at least 16 bytes; copied
   * @return the pseudonymizer
   * @throws NullPointerException when an argument is null
   * @throws IllegalArgumentException when the key id is malformed or the key shorter than 16 bytes
   */
  public static Pseudonymizer hmacSha256(String keyId, byte[] key) {
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(key, "key");
    if (!keyId.matches("[A-Za-z0-9._-]{1,64}")) {
      throw new IllegalArgumentException("keyId must be 1..64 characters of [A-Za-z0-9._-], got '" + keyId + "'");
    }
    if (key.length < MIN_KEY_BYTES) {
      throw new IllegalArgumentException("key must be at least " + MIN_KEY_BYTES + " bytes, got " + key.length);
    }
    return new Hmac(keyId, Arrays.copyOf(key, key.length));
  }

  /**
   * A pseudonymizer with a fresh random key that is never stored anywhere, for engines built with
   * no configuration.
   *
   * <p><b>Consequence:</b> pseudonyms are stable only for the lifetime of this object (one engine,
   * one process). After a restart the same account gets different pseudonyms, so an auditor cannot
   * link decisions across restarts, and nobody, not even the host, can ever map a pseudonym back
   * to its id (e.g. to answer a data-subject request from the log). Production deployments should
   * use {@link #hmacSha256(String, byte[])} with a key kept in their secret store.
   *
   * @return the pseudonymizer, with a key id of the form {@code ephemeral-<16 hex digits>}
   */
  public static Pseudonymizer ephemeral() {
    SecureRandom random = new SecureRandom();
    byte[] key = new byte[32];
    random.nextBytes(key);
    byte[] id = new byte[8];
    random.nextBytes(id);
    return new Hmac("ephemeral-" + HexFormat.of().formatHex(id), key);
  }

  /**
   * The pseudonyms a log makes, remembered: real traffic names the same accounts, rooms and
   * content again and again, and each pseudonym otherwise costs an HMAC. Free text ({@code kind}
   * {@code "text"}) is not remembered (it rarely repeats, and may be long). The cache lives in this
   * object only, in memory: raw ids are never written anywhere by it. Correct because a {@link
   * Pseudonymizer} is deterministic by contract.
   *
   * @param delegate the pseudonymizer to remember; not null
   * @param maxEntries the most pseudonyms remembered (least recently used ones are dropped); at
   *     least 1
   * @return a pseudonymizer giving exactly the delegate's pseudonyms and key id; thread-safe
   * @throws IllegalArgumentException when {@code maxEntries} is below 1
   */
  static Pseudonymizer cached(Pseudonymizer delegate, int maxEntries) {
    Objects.requireNonNull(delegate, "delegate");
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be at least 1, got " + maxEntries);
    }
    return delegate instanceof Cached ? delegate : new Cached(delegate, maxEntries);
  }

  /** See {@link #cached}. */
  static final class Cached implements Pseudonymizer {
    /** The kind of free text, which is not remembered. */
    static final String TEXT = "text";

    private record Key(String kind, String rawId) {}

    private final Pseudonymizer delegate;
    private final Cache<Key, String> cache;

    Cached(Pseudonymizer delegate, int maxEntries) {
      this.delegate = delegate;
      // eviction upkeep on the calling thread: no pool thread of the host's is used
      this.cache = Caffeine.newBuilder().maximumSize(maxEntries).executor(Runnable::run).build();
    }

    @Override
    public String keyId() {
      return delegate.keyId();
    }

    @Override
    public String pseudonymize(String kind, String rawId) {
      if (TEXT.equals(kind)) {
        return delegate.pseudonymize(kind, rawId);
      }
      Key k = new Key(Objects.requireNonNull(kind, "kind"), Objects.requireNonNull(rawId, "rawId"));
      String p = cache.getIfPresent(k);
      if (p == null) {
        p = delegate.pseudonymize(kind, rawId);
        cache.put(k, p);
      }
      return p;
    }

    /** How many pseudonyms are remembered now, after pending evictions (for tests). */
    long size() {
      cache.cleanUp();
      return cache.estimatedSize();
    }

    @Override
    public String toString() {
      return "Cached[" + delegate + "]";
    }
  }

  /** HMAC-SHA-256 with a per-thread {@link Mac}. */
  static final class Hmac implements Pseudonymizer {
    private final String keyId;
    private final SecretKeySpec key;
    private final ThreadLocal<Mac> macs;

    Hmac(String keyId, byte[] key) {
      this.keyId = keyId;
      this.key = new SecretKeySpec(key, "HmacSHA256");
      this.macs = ThreadLocal.withInitial(this::newMac);
    }

    private Mac newMac() {
      try {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(key);
        return mac;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("HmacSHA256 unavailable", e);
      }
    }

    @Override
    public String keyId() {
      return keyId;
    }

    @Override
    public String pseudonymize(String kind, String rawId) {
      Mac mac = macs.get();
      mac.update(kind.getBytes(StandardCharsets.UTF_8));
      mac.update((byte) 0);
      byte[] out = mac.doFinal(rawId.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(out, 16));
    }

    @Override
    public String toString() {
      return "HmacSha256Pseudonymizer[" + keyId + "]";
    }
  }
}

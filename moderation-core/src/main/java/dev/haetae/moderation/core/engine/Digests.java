package dev.haetae.moderation.core.engine;

import dev.haetae.moderation.api.ContentBytes;
import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.Md5;
import dev.haetae.moderation.api.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 and MD5 of content bytes, in one pass. */
final class Digests {
  private Digests() {}

  static Fingerprints of(ContentBytes bytes) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      MessageDigest md5 = MessageDigest.getInstance("MD5");
      byte[] buf = new byte[16 * 1024];
      try (InputStream in = bytes.openStream()) {
        for (int n; (n = in.read(buf)) > 0; ) {
          sha.update(buf, 0, n);
          md5.update(buf, 0, n);
        }
      }
      return Fingerprints.none().withSha256(Sha256.fromBytes(sha.digest())).withMd5(Md5.fromBytes(md5.digest()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256 or MD5", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

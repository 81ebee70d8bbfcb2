package dev.haetae.moderation.core.hash;

import dev.haetae.moderation.api.InvalidRequestException;
import dev.haetae.moderation.api.MatchType;
import dev.haetae.moderation.api.Md5;
import dev.haetae.moderation.api.PdqHash;
import dev.haetae.moderation.api.Sha256;
import java.util.Locale;

/** Validation and normalisation of entry hashes. */
final class Hashes {
  private Hashes() {}

  /**
   * The canonical lower-case hex of a hash of the given type.
   *
   * @throws InvalidRequestException when malformed, or a PDQ hash is all zeros or all ones
   */
  static String normalize(MatchType type, String hex) {
    InvalidRequestException.requireNonNull("type", type);
    switch (type) {
      case PDQ:
        PdqHash h = PdqHash.fromHex(hex);
        int bits = h.bitCount();
        if (bits == 0 || bits == PdqHash.BITS) {
          throw new InvalidRequestException("pdq", "is all " + (bits == 0 ? "zeros" : "ones")
              + ", which no real image produces");
        }
        return h.toHex();
      case SHA256:
        return Sha256.fromHex(hex).toHex();
      default:
        return Md5.fromHex(hex).toHex();
    }
  }

  /** Parses a signal type name as written in hash lists. */
  static MatchType type(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
    switch (n) {
      case "pdq":
      case "imagepdq":
      case "photopdq":
        return MatchType.PDQ;
      case "md5":
        return MatchType.MD5;
      case "sha256":
        return MatchType.SHA256;
      case "videomd5":
        return MatchType.VIDEO_MD5;
      default:
        throw new InvalidRequestException("signal_type", "has unknown value '" + name
            + "' (allowed: pdq, md5, sha256, video_md5)");
    }
  }
}

package dev.haetae.moderation.core.banks;

import dev.haetae.moderation.api.MatchType;
import dev.haetae.moderation.api.spi.HashBankSource.Entry.State;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One record of a hash list as a reader found it, before it is applied to a bank: the signal type
 * (a Haetae type such as {@code pdq}, or a type Haetae cannot compute such as {@code photodna},
 * kept as it is), the hash, its lifecycle state and its metadata. Immutable and thread-safe.
 *
 * <p>A record whose {@link #value()} is empty and whose {@link #sourceId()} is present is a
 * deletion by the programme's own entry id (NCMEC deletes entries by id, without their hashes):
 * the bank removes every hash it received under that id.
 *
 * @param signalType the canonical signal type (see {@link #canonicalType(String)}); not null
 * @param value the hash as the list gives it (hex for Haetae's types); not null
 * @param state the lifecycle state; not null
 * @param addedAt when the list added or last changed the entry, if it says; not null
 * @param caseId the programme's case number or id for the entry, if any; not null
 * @param sourceId the programme's id of the item the hash belongs to, if any; not null
 * @param quality the PDQ quality the list states, if any; not null
 * @param line the 1-based line (or record position) in the input
 * @since 0.1
 */
public record ListRecord(String signalType, String value, State state, Optional<Instant> addedAt,
    Optional<String> caseId, Optional<String> sourceId, OptionalInt quality, long line) {

  /** The longest signal type name kept; longer names are cut. */
  static final int MAX_TYPE_LENGTH = 64;

  /** PDQ hashes of a lower stated quality are skipped ({@link ProblemKind#LOW_QUALITY_PDQ}). */
  public static final int MIN_PDQ_QUALITY = 50;

  /**
   * Validates.
   *
   * @param signalType the signalType component, as described on the record
   * @param value the value component, as described on the record
   * @param state the state component, as described on the record
   * @param addedAt the addedAt component, as described on the record
   * @param caseId the caseId component, as described on the record
   * @param sourceId the sourceId component, as described on the record
   * @param quality the quality component, as described on the record
   * @param line the line component, as described on the record
   * @throws NullPointerException when a component is null
   */
  public ListRecord {
    Objects.requireNonNull(signalType, "signalType");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(addedAt, "addedAt");
    Objects.requireNonNull(caseId, "caseId");
    Objects.requireNonNull(sourceId, "sourceId");
    Objects.requireNonNull(quality, "quality");
  }

  /** A record with a type and hash and no metadata. */
  static ListRecord of(String signalType, String value, State state, long line) {
    return new ListRecord(signalType, value, state, Optional.empty(), Optional.empty(), Optional.empty(),
        OptionalInt.empty(), line);
  }

  /**
   * The Haetae type of this record, if Haetae computes and matches it.
   *
   * @return the type, or empty for a foreign signal type (kept and reported, not matched)
   */
  public Optional<MatchType> matchType() {
    return known(signalType);
  }

  /**
   * Whether this record deletes by the programme's entry id rather than by hash.
   *
   * @return true for a deletion without a hash
   */
  public boolean deletesById() {
    return value.isEmpty() && sourceId.isPresent();
  }

  /**
   * The canonical name of a signal type as programmes write it: Haetae's wire names for the types
   * it matches ({@code pdq}, {@code md5}, {@code sha256}, {@code video_md5}; also from
   * {@code ImagePDQ}, {@code HASH_PDQ}, {@code VideoMD5}, {@code HASH_VIDEO_MD5}, {@code SHA-256}),
   * {@code photodna} ({@code pdna}, {@code HASH_PHOTODNA}), {@code tmk} ({@code VideoTMK},
   * {@code HASH_TMK}, {@code tmk-pdqf}), {@code vpdq} ({@code VideoVPDQ}, {@code HASH_VPDQ}; read by
   * the video module), and otherwise the name lower-cased with every character
   * other than a letter, digit or underscore replaced by {@code _} (at most 64 characters).
   *
   * @param name the name as written; not null
   * @return the canonical name; never null; empty when {@code name} is blank
   */
  public static String canonicalType(String name) {
    switch (name) { // the common spellings, without building strings
      case "pdq":
      case "md5":
      case "sha256":
      case "video_md5":
        return name;
      case "ImagePDQ":
        return "pdq";
      case "VideoMD5":
        return "video_md5";
      default:
        break;
    }
    String n = name.strip().toLowerCase(Locale.ROOT);
    if (n.startsWith("hash_")) {
      n = n.substring(5);
    }
    String squashed = n.replace("-", "").replace("_", "").replace(" ", "");
    switch (squashed) {
      case "pdq":
      case "imagepdq":
      case "photopdq":
        return "pdq";
      case "md5":
        return "md5";
      case "sha256":
        return "sha256";
      case "videomd5":
        return "video_md5";
      case "vpdq":
      case "videovpdq":
        return "vpdq"; // a JSON array of "pdq_hex,quality,timestamp" strings (moderation-video reads it)
      case "pdna":
      case "photodna":
        return "photodna";
      case "tmk":
      case "videotmk":
      case "tmkpdqf":
      case "videotmkpdqf":
        return "tmk";
      default:
        break;
    }
    StringBuilder sb = new StringBuilder(Math.min(n.length(), MAX_TYPE_LENGTH));
    for (int i = 0; i < n.length() && sb.length() < MAX_TYPE_LENGTH; i++) {
      char c = n.charAt(i);
      sb.append((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ? c : '_');
    }
    return sb.toString();
  }

  /**
   * The Haetae type with a canonical name, if any.
   *
   * @param canonical a name from {@link #canonicalType(String)}; not null
   * @return the type, or empty for a foreign type
   */
  public static Optional<MatchType> known(String canonical) {
    switch (canonical) {
      case "pdq":
        return Optional.of(MatchType.PDQ);
      case "md5":
        return Optional.of(MatchType.MD5);
      case "sha256":
        return Optional.of(MatchType.SHA256);
      case "video_md5":
        return Optional.of(MatchType.VIDEO_MD5);
      default:
        return Optional.empty();
    }
  }

  /** A character as it may be shown in a message: control characters as their code. */
  static String printable(char c) {
    return c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || Character.isSurrogate(c)
        ? String.format(Locale.ROOT, "\\u%04x", (int) c) : String.valueOf(c);
  }

  /** A value as it may be shown in a message: control characters escaped, at most 80 characters. */
  static String printable(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length() && sb.length() < 80; i++) {
      sb.append(printable(s.charAt(i)));
    }
    return s.length() > 80 ? sb + "..." : sb.toString();
  }
}

package dev.haetae.moderation.video;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.haetae.moderation.api.InvalidRequestException;
import dev.haetae.moderation.api.PdqHash;
import dev.haetae.moderation.core.banks.ProblemKind;
import dev.haetae.moderation.core.hash.HashListException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads and writes the two upstream serialisations of a vPDQ hash.
 *
 * <ul>
 *   <li><b>Text</b> (the C++ hasher's output, one line per frame):
 *       {@code frame_number,quality,pdq_hex,timestamp_seconds}, the timestamp with three decimals,
 *       e.g. {@code 0,100,dadb...f07c,0.000}. Blank lines, and comment lines starting with
 *       {@code #} (which {@code haetae hash} writes before each of several videos), are skipped.
 *   <li><b>JSON</b> (the Python library's): an array of {@code "pdq_hex,quality,timestamp"} strings
 *       in frame order. It carries no frame numbers: reading numbers the frames by their position.
 * </ul>
 *
 * <p>Reading is strict: the first bad record raises a {@link HashListException} naming the input,
 * the 1-based line (for JSON, the array position plus one) and the problem, and nothing is returned.
 * More frames than {@link VideoLimits#maxFrames()} are refused the same way. Stateless and
 * thread-safe.
 *
 * @since 0.1
 */
public final class VpdqFormat {
  private static final JsonFactory JSON = JsonFactory.builder().build();
  /** The longest text line accepted: four fields of known size with room to spare. */
  private static final int MAX_LINE = 256;

  private VpdqFormat() {}

  /**
   * Writes the text form.
   *
   * @param hash the video's hash; not null
   * @return one line per frame, each ending in a newline; never null
   * @throws InvalidRequestException when {@code hash} is null
   */
  public static String writeText(VideoHash hash) {
    InvalidRequestException.requireNonNull("hash", hash);
    StringBuilder s = new StringBuilder(hash.frames().size() * 80);
    for (FrameHash f : hash.frames()) {
      s.append(f.frameNumber()).append(',').append(f.quality()).append(',').append(f.hash().toHex()).append(',')
          .append(String.format(Locale.ROOT, "%.3f", f.timestampSeconds())).append('\n');
    }
    return s.toString();
  }

  /**
   * Reads the text form with the default frame limit.
   *
   * @param name the input's name, for messages; not null
   * @param text the lines; not null
   * @return the hash; never null
   * @throws InvalidRequestException when an argument is null
   * @throws HashListException at the first bad line
   */
  public static VideoHash readText(String name, String text) {
    return readText(name, text, VideoLimits.defaults());
  }

  /**
   * Reads the text form.
   *
   * @param name the input's name, for messages; not null
   * @param text the lines; not null
   * @param limits whose {@link VideoLimits#maxFrames()} bounds the frame count; not null
   * @return the hash; never null
   * @throws InvalidRequestException when an argument is null
   * @throws HashListException at the first bad line
   */
  public static VideoHash readText(String name, String text, VideoLimits limits) {
    InvalidRequestException.requireNonNull("name", name);
    InvalidRequestException.requireNonNull("text", text);
    InvalidRequestException.requireNonNull("limits", limits);
    List<FrameHash> frames = new ArrayList<>();
    int line = 0;
    int pos = 0;
    while (pos < text.length()) {
      int nl = text.indexOf('\n', pos);
      int end = nl < 0 ? text.length() : nl;
      line++;
      if (end - pos > MAX_LINE) {
        throw new HashListException(name, line, ProblemKind.TOO_LONG, "line longer than " + MAX_LINE + " characters");
      }
      String l = text.substring(pos, end).strip();
      pos = end + 1;
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      String[] f = l.split(",", -1);
      if (f.length != 4) {
        throw new HashListException(name, line, ProblemKind.MALFORMED,
            "expected frame_number,quality,pdq_hex,timestamp, got " + f.length + " fields");
      }
      int number = integer(name, line, "frame number", f[0]);
      add(name, line, frames, number, f[2], f[1], f[3], limits);
    }
    return new VideoHash(frames);
  }

  /**
   * Writes the JSON form.
   *
   * @param hash the video's hash; not null
   * @return a JSON array of strings; never null
   * @throws InvalidRequestException when {@code hash} is null
   */
  public static String writeJson(VideoHash hash) {
    InvalidRequestException.requireNonNull("hash", hash);
    StringBuilder s = new StringBuilder(hash.frames().size() * 80).append('[');
    for (FrameHash f : hash.frames()) {
      if (s.length() > 1) {
        s.append(", ");
      }
      s.append('"').append(f.hash().toHex()).append(',').append(f.quality()).append(',')
          .append(String.format(Locale.ROOT, "%.3f", f.timestampSeconds())).append('"');
    }
    return s.append(']').toString();
  }

  /**
   * Reads the JSON form with the default frame limit.
   *
   * @param name the input's name, for messages; not null
   * @param json the array; not null
   * @return the hash, frames numbered by position; never null
   * @throws InvalidRequestException when an argument is null
   * @throws HashListException when the JSON is not an array of valid records
   */
  public static VideoHash readJson(String name, String json) {
    return readJson(name, json, VideoLimits.defaults());
  }

  /**
   * Reads the JSON form.
   *
   * @param name the input's name, for messages; not null
   * @param json the array; not null
   * @param limits whose {@link VideoLimits#maxFrames()} bounds the frame count; not null
   * @return the hash, frames numbered by position; never null
   * @throws InvalidRequestException when an argument is null
   * @throws HashListException when the JSON is not an array of valid records
   */
  public static VideoHash readJson(String name, String json, VideoLimits limits) {
    InvalidRequestException.requireNonNull("name", name);
    InvalidRequestException.requireNonNull("json", json);
    InvalidRequestException.requireNonNull("limits", limits);
    List<FrameHash> frames = new ArrayList<>();
    try (JsonParser p = JSON.createParser(json)) {
      if (p.nextToken() != JsonToken.START_ARRAY) {
        throw new HashListException(name, 1, ProblemKind.MALFORMED, "expected a JSON array of strings");
      }
      for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
        int line = frames.size() + 1;
        if (t != JsonToken.VALUE_STRING) {
          throw new HashListException(name, line, ProblemKind.MALFORMED, "expected a string, got " + t);
        }
        String s = p.getText();
        if (s.length() > MAX_LINE) {
          throw new HashListException(name, line, ProblemKind.TOO_LONG, "record longer than " + MAX_LINE + " characters");
        }
        String[] f = s.strip().split(",", -1);
        if (f.length != 3) {
          throw new HashListException(name, line, ProblemKind.MALFORMED,
              "expected pdq_hex,quality,timestamp, got " + f.length + " fields");
        }
        add(name, line, frames, frames.size(), f[0], f[1], f[2], limits);
      }
      if (p.nextToken() != null) {
        throw new HashListException(name, frames.size() + 1, ProblemKind.MALFORMED, "content after the array");
      }
    } catch (JsonProcessingException e) {
      throw new HashListException(name, frames.size() + 1, ProblemKind.MALFORMED, "not valid JSON: "
          + e.getOriginalMessage());
    } catch (IOException e) {
      throw new HashListException(name, frames.size() + 1, ProblemKind.MALFORMED, "unreadable: " + e.getMessage());
    }
    return new VideoHash(frames);
  }

  private static void add(String name, int line, List<FrameHash> frames, int number, String hex, String quality,
      String timestamp, VideoLimits limits) {
    if (frames.size() >= limits.maxFrames()) {
      throw new HashListException(name, line, ProblemKind.TOO_LONG, "more than " + limits.maxFrames() + " frames");
    }
    if (!frames.isEmpty() && number <= frames.get(frames.size() - 1).frameNumber()) {
      throw new HashListException(name, line, ProblemKind.MALFORMED, "frame number " + number
          + " does not follow " + frames.get(frames.size() - 1).frameNumber());
    }
    hex = hex.strip();
    if (hex.length() != 64) {
      throw new HashListException(name, line, ProblemKind.WRONG_LENGTH, "a PDQ hash has 64 hex digits, got "
          + hex.length());
    }
    PdqHash hash;
    try {
      hash = PdqHash.fromHex(hex);
    } catch (RuntimeException e) {
      throw new HashListException(name, line, ProblemKind.NOT_HEX, "the PDQ hash is not hexadecimal");
    }
    int q = integer(name, line, "quality", quality);
    if (q > 100) {
      throw new HashListException(name, line, ProblemKind.MALFORMED, "quality must be within 0..100, got " + q);
    }
    double ts;
    try {
      ts = Double.parseDouble(timestamp.strip());
    } catch (NumberFormatException e) {
      throw new HashListException(name, line, ProblemKind.BAD_TIME, "the timestamp is not a number");
    }
    if (!Double.isFinite(ts) || ts < 0) {
      throw new HashListException(name, line, ProblemKind.BAD_TIME, "the timestamp must be finite and not negative");
    }
    frames.add(new FrameHash(number, hash, q, ts));
  }

  private static int integer(String name, int line, String what, String s) {
    String t = s.strip();
    if (t.isEmpty() || t.length() > 9 || !t.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new HashListException(name, line, ProblemKind.MALFORMED, "the " + what + " is not a small non-negative integer");
    }
    return Integer.parseInt(t);
  }
}

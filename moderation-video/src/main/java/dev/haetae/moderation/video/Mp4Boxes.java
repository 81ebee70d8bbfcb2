package dev.haetae.moderation.video;

import dev.haetae.moderation.api.CorruptContentException;
import dev.haetae.moderation.api.LimitExceededException;
import dev.haetae.moderation.api.UnsupportedFormatException;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Checks an MP4 file's box structure before JCodec reads it, so that a damaged or hostile file is
 * rejected with a specific exception instead of reaching the decoder: JCodec trusts the sizes and
 * counts it reads and allocates from them (a sample-size table declaring two billion entries, a
 * sample declaring two gigabytes). Every box must fit in its parent, every table's declared count
 * must fit in its box, every sample size in the file, and the width and height a video sample
 * entry declares within {@link VideoLimits}. Stateless.
 */
final class Mp4Boxes {
  /** Boxes a file may start with; anything else is not an MP4 (or QuickTime) file. */
  private static final Set<String> TOP_LEVEL = Set.of("ftyp", "moov", "mdat", "free", "skip", "wide",
      "pdin", "uuid", "styp", "sidx", "moof", "mfra", "meta", "pnot");
  /** Containers whose children are checked. */
  private static final Set<String> CONTAINERS = Set.of("moov", "trak", "mdia", "minf", "stbl", "edts",
      "dinf", "mvex");

  /** Sample entries of video tracks. */
  private static final Set<String> VISUAL = Set.of("avc1", "avc2", "avc3", "avc4", "hvc1", "hev1", "mp4v", "encv");

  private Mp4Boxes() {}

  /**
   * The outcome of a successful check.
   *
   * @param maxSamples the largest sample count a sample-size table declares
   * @param moovFirst whether the {@code moov} box comes before any {@code mdat} box, so that a
   *     reader that cannot seek (a pipe) finds the index before the media data
   */
  record Summary(int maxSamples, boolean moovFirst) {}

  static Summary check(String field, byte[] b, VideoLimits limits) {
    long len = b.length;
    if (len < 8) {
      throw new UnsupportedFormatException(field, "is " + len + " bytes, too short for an MP4 file", null);
    }
    String first = type(b, 4);
    if (!TOP_LEVEL.contains(first)) {
      throw new UnsupportedFormatException(field, "is not an MP4 file (first box '" + printable(first) + "')", null);
    }
    long pos = 0;
    long moovAt = -1;
    long moovEnd = -1;
    long mdatAt = -1;
    while (pos < len) {
      if (len - pos < 8) {
        throw new TruncatedVideoException(field, "ends inside a box header at byte " + pos);
      }
      long[] box = header(field, b, pos, len, true);
      String type = type(b, pos + 4);
      if (type.equals("moov") && moovAt < 0) {
        moovAt = pos + box[1];
        moovEnd = pos + box[0];
      }
      if (type.equals("mdat") && mdatAt < 0) {
        mdatAt = pos;
      }
      pos += box[0];
    }
    if (moovAt < 0) {
      throw new MissingMoovException(field);
    }
    int[] samples = new int[1];
    children(field, b, moovAt, moovEnd, len, limits, samples, 0);
    return new Summary(samples[0], mdatAt < 0 || moovAt < mdatAt);
  }

  /**
   * The size and header length of the box at {@code pos}; the box must end by {@code end}. At the
   * top level a box running past the end of the file is a truncation, inside a parent a corruption.
   */
  private static long[] header(String field, byte[] b, long pos, long end, boolean topLevel) {
    long size = u32(b, pos);
    int headerLength = 8;
    if (size == 1) {
      if (end - pos < 16) {
        throw topLevel ? new TruncatedVideoException(field, "ends inside a box header at byte " + pos)
            : corrupt(field, "box header at byte " + pos + " runs past its parent");
      }
      size = u64(b, pos + 8);
      headerLength = 16;
    } else if (size == 0) {
      size = end - pos;
    }
    if (size < headerLength) {
      throw corrupt(field, "box '" + printable(type(b, pos + 4)) + "' at byte " + pos + " declares "
          + size + " bytes, less than its header");
    }
    if (size > end - pos) {
      String what = "box '" + printable(type(b, pos + 4)) + "' at byte " + pos + " declares " + size
          + " bytes, " + (end - pos) + " remain";
      throw topLevel ? new TruncatedVideoException(field, what) : corrupt(field, what + " in its parent");
    }
    return new long[] {size, headerLength};
  }

  private static void children(String field, byte[] b, long from, long end, long fileLength, VideoLimits limits,
      int[] samples, int depth) {
    if (depth > 8) {
      throw corrupt(field, "boxes nested deeper than an MP4 index goes");
    }
    long pos = from;
    while (pos < end) {
      if (end - pos < 8) {
        throw corrupt(field, "a box header at byte " + pos + " runs past its parent");
      }
      long[] box = header(field, b, pos, end, false);
      String type = type(b, pos + 4);
      long body = pos + box[1];
      long boxEnd = pos + box[0];
      if (CONTAINERS.contains(type)) {
        children(field, b, body, boxEnd, fileLength, limits, samples, depth + 1);
      } else {
        table(field, type, b, body, boxEnd, fileLength, limits, samples);
      }
      pos = boxEnd;
    }
  }

  /** Checks a sample table's declared count against its box (and sample sizes against the file). */
  private static void table(String field, String type, byte[] b, long body, long end, long fileLength,
      VideoLimits limits, int[] samples) {
    int entrySize;
    long countAt = body + 4;
    switch (type) {
      case "stco", "stss", "stsh" -> entrySize = 4;
      case "co64", "stts", "ctts" -> entrySize = 8;
      case "stsc" -> entrySize = 12;
      case "elst" -> {
        if (end - body < 8) {
          throw corrupt(field, "'elst' box too short");
        }
        entrySize = b[(int) body] == 1 ? 20 : 12;
      }
      case "stsz" -> {
        if (end - body < 12) {
          throw corrupt(field, "'stsz' box too short");
        }
        long constant = u32(b, body + 4);
        long count = u32(b, body + 8);
        samples[0] = (int) Math.min(Integer.MAX_VALUE, Math.max(samples[0], count));
        if (constant != 0) {
          if (constant > fileLength) {
            throw corrupt(field, "samples declared " + constant + " bytes each, larger than the file");
          }
          return;
        }
        if (count * 4 > end - body - 12) {
          throw corrupt(field, "'stsz' declares " + count + " sizes, its box holds " + (end - body - 12) / 4);
        }
        for (long k = 0; k < count; k++) {
          long s = u32(b, body + 12 + 4 * k);
          if (s > fileLength) {
            throw new TruncatedVideoException(field, "sample " + k + " declares " + s
                + " bytes, more than the file holds");
          }
        }
        return;
      }
      case "stsd" -> {
        sampleEntries(field, b, body, end, limits);
        return;
      }
      case "stz2" -> throw new UnsupportedFormatException(field, "uses compact sample sizes (stz2), not decoded", null);
      default -> {
        return;
      }
    }
    if (end - body < 8) {
      throw corrupt(field, "'" + type + "' box too short");
    }
    long count = u32(b, countAt);
    if (count * entrySize > end - body - 8) {
      throw corrupt(field, "'" + type + "' declares " + count + " entries, its box holds "
          + (end - body - 8) / entrySize);
    }
  }

  /** Visual sample entries' declared width and height, checked against the limits. */
  private static void sampleEntries(String field, byte[] b, long body, long end, VideoLimits limits) {
    long pos = body + 8;
    while (pos + 8 <= end) {
      long[] entry = header(field, b, pos, end, false);
      String type = type(b, pos + 4);
      if (VISUAL.contains(type)) {
        // VisualSampleEntry: 6 reserved, 2 data reference index, 16 pre-defined/reserved, width, height
        if (entry[0] < entry[1] + 28) {
          throw corrupt(field, "'" + type + "' sample entry too short");
        }
        long w = u16(b, pos + entry[1] + 24);
        long h = u16(b, pos + entry[1] + 26);
        if (w > limits.maxFrameDimension() || h > limits.maxFrameDimension()) {
          throw new LimitExceededException("video.frameDimension", limits.maxFrameDimension(), Math.max(w, h));
        }
        if (w * h > limits.maxFramePixels()) {
          throw new LimitExceededException("video.framePixels", limits.maxFramePixels(), w * h);
        }
      }
      pos += entry[0];
    }
  }

  private static long u16(byte[] b, long p) {
    int i = (int) p;
    return ((b[i] & 0xffL) << 8) | (b[i + 1] & 0xffL);
  }

  private static CorruptContentException corrupt(String field, String problem) {
    return new CorruptContentException(field, problem, null);
  }

  private static long u32(byte[] b, long p) {
    int i = (int) p;
    return ((b[i] & 0xffL) << 24) | ((b[i + 1] & 0xffL) << 16) | ((b[i + 2] & 0xffL) << 8) | (b[i + 3] & 0xffL);
  }

  private static long u64(byte[] b, long p) {
    long hi = u32(b, p);
    long lo = u32(b, p + 4);
    // sizes beyond 2^63 are as absurd as any other size past the end
    return hi >= 0x8000_0000L ? Long.MAX_VALUE : (hi << 32) | lo;
  }

  private static String type(byte[] b, long p) {
    return new String(b, (int) p, 4, StandardCharsets.ISO_8859_1);
  }

  private static String printable(String type) {
    StringBuilder s = new StringBuilder();
    for (char c : type.toCharArray()) {
      s.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return s.toString();
  }
}

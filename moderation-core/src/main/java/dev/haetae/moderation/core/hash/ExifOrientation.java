package dev.haetae.moderation.core.hash;

/**
 * Reads the EXIF orientation tag (0x0112) of a JPEG from its APP1 "Exif" segment. Only the
 * first IFD is read, every offset is bounds-checked, and any malformation simply means
 * "no orientation" (1): orientation is a display hint, never a reason to reject content.
 */
final class ExifOrientation {
  private ExifOrientation() {}

  /**
   * The orientation value 1..8 of a JPEG, or 1 when absent, invalid or not a JPEG.
   *
   * @param b the file bytes
   * @param length how many of them are valid
   */
  static int of(byte[] b, int length) {
    if (length < 4 || (b[0] & 0xff) != 0xFF || (b[1] & 0xff) != 0xD8) {
      return 1;
    }
    int p = 2;
    while (p + 4 <= length) {
      if ((b[p] & 0xff) != 0xFF) {
        return 1;
      }
      int marker = b[p + 1] & 0xff;
      if (marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01 || marker == 0xFF) {
        p += marker == 0xFF ? 1 : 2;
        continue;
      }
      if (marker == 0xDA || marker == 0xD9) {
        return 1; // start of scan or end of image: no EXIF before the image data
      }
      int segLen = ((b[p + 2] & 0xff) << 8) | (b[p + 3] & 0xff);
      if (segLen < 2 || p + 2 + segLen > length) {
        return 1;
      }
      if (marker == 0xE1 && segLen >= 8 && b[p + 4] == 'E' && b[p + 5] == 'x' && b[p + 6] == 'i'
          && b[p + 7] == 'f' && b[p + 8] == 0 && b[p + 9] == 0) {
        int v = fromTiff(b, p + 10, segLen - 8);
        if (v >= 1 && v <= 8) {
          return v;
        }
        return 1;
      }
      p += 2 + segLen;
    }
    return 1;
  }

  private static int fromTiff(byte[] b, int start, int len) {
    if (len < 8) {
      return 1;
    }
    boolean little;
    if (b[start] == 'I' && b[start + 1] == 'I') {
      little = true;
    } else if (b[start] == 'M' && b[start + 1] == 'M') {
      little = false;
    } else {
      return 1;
    }
    long ifd = read(b, start + 4, 4, little);
    if (ifd < 8 || ifd + 2 > len) {
      return 1;
    }
    int base = start + (int) ifd;
    int count = (int) read(b, base, 2, little);
    for (int k = 0; k < count; k++) {
      int e = base + 2 + 12 * k;
      if (e + 12 > start + len) {
        return 1;
      }
      if (read(b, e, 2, little) == 0x0112) {
        return (int) read(b, e + 8, 2, little);
      }
    }
    return 1;
  }

  private static long read(byte[] b, int at, int n, boolean little) {
    long v = 0;
    for (int k = 0; k < n; k++) {
      int byteVal = b[at + (little ? n - 1 - k : k)] & 0xff;
      v = (v << 8) | byteVal;
    }
    return v;
  }
}

package dev.haetae.moderation.core.hash;

/**
 * The image formats Haetae decodes, recognised by their leading bytes (never by file name or
 * declared media type, which uploaders control).
 */
enum ImageFormat {
  JPEG("jpeg"),
  PNG("png"),
  GIF("gif"),
  BMP("bmp"),
  WEBP("webp");

  private final String imageIoName;

  ImageFormat(String imageIoName) {
    this.imageIoName = imageIoName;
  }

  /** The ImageIO format name of this format. */
  String imageIoName() {
    return imageIoName;
  }

  /**
   * Recognises the format from the first bytes.
   *
   * @return the format, or null when none matches
   */
  static ImageFormat sniff(byte[] b, int length) {
    if (length >= 3 && u(b, 0) == 0xFF && u(b, 1) == 0xD8 && u(b, 2) == 0xFF) {
      return JPEG;
    }
    if (length >= 8 && u(b, 0) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G'
        && b[4] == '\r' && b[5] == '\n' && u(b, 6) == 0x1A && b[7] == '\n') {
      return PNG;
    }
    if (length >= 6 && b[0] == 'G' && b[1] == 'I' && b[2] == 'F' && b[3] == '8'
        && (b[4] == '7' || b[4] == '9') && b[5] == 'a') {
      return GIF;
    }
    if (length >= 2 && b[0] == 'B' && b[1] == 'M') {
      return BMP;
    }
    if (length >= 12 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F'
        && b[8] == 'W' && b[9] == 'E' && b[10] == 'B' && b[11] == 'P') {
      return WEBP;
    }
    return null;
  }

  private static int u(byte[] b, int i) {
    return b[i] & 0xff;
  }
}

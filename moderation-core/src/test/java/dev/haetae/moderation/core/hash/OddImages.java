package dev.haetae.moderation.core.hash;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Valid images of any shape in every format the hasher reads, for the shape property tests: JPEG
 * (baseline and progressive), PNG, GIF and BMP through ImageIO's writers, and WebP through a
 * minimal lossless (VP8L) writer, since no WebP encoder ships with the JDK.
 */
final class OddImages {
  private OddImages() {}

  /** The formats, with how each is written. */
  enum Format {
    JPEG, PROGRESSIVE_JPEG, PNG, GIF, BMP, WEBP
  }

  /** A picture of {@code w} x {@code h}: noise, stripes or one colour, chosen by {@code style}. */
  static BufferedImage picture(int w, int h, int style, Random random) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    int base = random.nextInt(1 << 24);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int rgb;
        switch (style % 3) {
          case 0:
            rgb = random.nextInt(1 << 24);
            break;
          case 1:
            rgb = ((x / 3 + y / 5) & 1) == 0 ? base : ~base & 0xffffff;
            break;
          default:
            rgb = base;
            break;
        }
        img.setRGB(x, y, rgb);
      }
    }
    return img;
  }

  /** Encodes {@code img} in {@code format}; WebP keeps only two green levels (see {@link #webp}). */
  static byte[] encode(BufferedImage img, Format format, Random random) {
    try {
      switch (format) {
        case JPEG:
          return jpeg(img, false);
        case PROGRESSIVE_JPEG:
          return jpeg(img, true);
        case PNG:
          return ImageSafetyTest.encode(img, "png");
        case GIF:
          return ImageSafetyTest.encode(img, "gif");
        case BMP:
          return ImageSafetyTest.encode(img, "bmp");
        default:
          return webp(img.getWidth(), img.getHeight(), random);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] jpeg(BufferedImage img, boolean progressive) throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    try {
      ImageWriteParam param = writer.getDefaultWriteParam();
      if (progressive) {
        param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (MemoryCacheImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
        writer.setOutput(ios);
        writer.write(null, new IIOImage(img, null, null), param);
      }
      return out.toByteArray();
    } finally {
      writer.dispose();
    }
  }

  /**
   * A lossless WebP (VP8L) of {@code w} x {@code h} (each at most 16384): no transforms, no colour
   * cache, and five "simple" prefix codes: green has two symbols (one bit per pixel, drawn at
   * random), red, blue, alpha and distance one each (zero bits). Enough to give the decoder any
   * shape with real pixel data.
   */
  static byte[] webp(int w, int h, Random random) {
    if (w < 1 || h < 1 || w > 16384 || h > 16384) {
      throw new IllegalArgumentException(w + "x" + h);
    }
    Bits bits = new Bits();
    bits.put(0x2f, 8); // VP8L signature
    bits.put(w - 1, 14);
    bits.put(h - 1, 14);
    bits.put(0, 1); // alpha unused
    bits.put(0, 3); // version 0
    bits.put(0, 1); // no transform
    bits.put(0, 1); // no colour cache
    bits.put(0, 1); // no meta prefix codes
    int red = random.nextInt(256);
    int blue = random.nextInt(256);
    simpleCode(bits, 0, 255);       // green: two symbols, one bit each
    simpleCode(bits, red, -1);      // red
    simpleCode(bits, blue, -1);     // blue
    simpleCode(bits, 255, -1);      // alpha
    simpleCode(bits, 0, -1);        // distance (never read)
    for (long p = 0; p < (long) w * h; p++) {
      bits.put(random.nextInt(2), 1);
    }
    byte[] data = bits.bytes();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int padded = data.length + (data.length & 1);
    out.writeBytes(new byte[] {'R', 'I', 'F', 'F'});
    le32(out, 4 + 8 + padded);
    out.writeBytes(new byte[] {'W', 'E', 'B', 'P', 'V', 'P', '8', 'L'});
    le32(out, data.length);
    out.writeBytes(data);
    if ((data.length & 1) != 0) {
      out.write(0);
    }
    return out.toByteArray();
  }

  private static void simpleCode(Bits bits, int first, int second) {
    bits.put(1, 1); // simple code
    bits.put(second < 0 ? 0 : 1, 1); // number of symbols - 1
    bits.put(1, 1); // first symbol takes 8 bits
    bits.put(first, 8);
    if (second >= 0) {
      bits.put(second, 8);
    }
  }

  private static void le32(ByteArrayOutputStream out, int v) {
    out.write(v);
    out.write(v >>> 8);
    out.write(v >>> 16);
    out.write(v >>> 24);
  }

  /** Least-significant-bit-first bit writer, as VP8L reads. */
  private static final class Bits {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private int acc;
    private int n;

    void put(int value, int count) {
      for (int i = 0; i < count; i++) {
        acc |= ((value >>> i) & 1) << n;
        if (++n == 8) {
          out.write(acc);
          acc = 0;
          n = 0;
        }
      }
    }

    byte[] bytes() {
      if (n > 0) {
        out.write(acc);
        acc = 0;
        n = 0;
      }
      return out.toByteArray();
    }
  }
}

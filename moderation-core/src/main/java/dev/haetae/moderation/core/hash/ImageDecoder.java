package dev.haetae.moderation.core.hash;

import dev.haetae.moderation.api.CorruptContentException;
import dev.haetae.moderation.api.LimitExceededException;
import dev.haetae.moderation.api.UnsupportedFormatException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes the first image of a byte array with ImageIO, safely: the format is recognised from the
 * leading bytes, the declared dimensions are checked against the limits before any pixel is
 * decoded, data is read from memory only (no ImageIO disk cache), and every decoder failure becomes
 * a documented exception. The JDK's own readers are preferred (they produce the pixels the PDQ
 * reference was computed from); other installed readers (TwelveMonkeys) are tried when the JDK's
 * refuses the file, e.g. for CMYK/YCCK JPEG, and are the only ones for WebP.
 *
 * <p>Stateless and thread-safe: each call creates its own readers.
 */
final class ImageDecoder {
  private ImageDecoder() {}

  /** A decoded image and what was learnt on the way. */
  static final class Decoded {
    final BufferedImage image;
    final ImageFormat format;
    final int sourceWidth;
    final int sourceHeight;

    Decoded(BufferedImage image, ImageFormat format, int sourceWidth, int sourceHeight) {
      this.image = image;
      this.format = format;
      this.sourceWidth = sourceWidth;
      this.sourceHeight = sourceHeight;
    }
  }

  /**
   * Decodes {@code bytes[0..length)}.
   *
   * @param field the name used in exception messages
   * @param maxPixels the largest declared width*height accepted
   * @param maxDimension the largest declared width or height accepted
   * @param targetSide 0 to decode at full resolution, and to reject an image over
   *     {@code maxPixels}; otherwise a JPEG may be subsampled by an integer factor as long as the
   *     longer side stays at least this many pixels (other formats are decoded in full: point
   *     subsampling aliases badly on dithered and line art, which is what PNG and GIF usually
   *     hold), and a PNG, GIF or BMP over {@code maxPixels} (up to {@code maxDeclaredPixels}) is
   *     subsampled to fit within it, since their readers decode row by row into the smaller image. JPEG and WebP over the pixel limit
   *     are still rejected here: their readers hold the whole image (or, for a progressive JPEG,
   *     all its coefficients) in memory whatever the subsampling. (A baseline JPEG over the limit
   *     is decoded to block means by {@link JpegDcDecoder} before this is reached.)
   */
  static Decoded decode(String field, byte[] bytes, int length, long maxPixels, long maxDeclaredPixels,
      int maxDimension, int targetSide) {
    ImageFormat format = ImageFormat.sniff(bytes, length);
    if (format == null) {
      throw new UnsupportedFormatException(field,
          "is not a JPEG, PNG, GIF, BMP or WebP image (unrecognised leading bytes)", null);
    }
    List<ImageReader> readers = readers(format);
    if (readers.isEmpty()) {
      throw new UnsupportedFormatException(field, "is " + format + " but no decoder is installed", null);
    }
    RuntimeException first = null;
    for (ImageReader reader : readers) {
      try {
        return decodeWith(reader, format, field, bytes, length, maxPixels, maxDeclaredPixels, maxDimension,
            targetSide);
      } catch (LimitExceededException e) {
        throw e; // the declared size does not depend on the reader
      } catch (CorruptContentException | UnsupportedFormatException e) {
        if (first == null) {
          first = e;
        }
      } finally {
        reader.dispose();
      }
    }
    throw first;
  }

  /**
   * The smallest subsampling step that brings a {@code w} x {@code h} image within
   * {@code maxPixels} (ImageIO keeps ceil(w / step) x ceil(h / step) pixels).
   */
  static int subsamplingStep(int w, int h, long maxPixels) {
    int step = (int) Math.max(1, Math.floor(Math.sqrt((double) w * h / maxPixels)));
    while (ceilDiv(w, step) * ceilDiv(h, step) > maxPixels) {
      step++;
    }
    return step;
  }

  private static long ceilDiv(int a, int b) {
    return (a + (long) b - 1) / b;
  }

  private static List<ImageReader> readers(ImageFormat format) {
    List<ImageReader> jdk = new ArrayList<>();
    List<ImageReader> others = new ArrayList<>();
    Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName(format.imageIoName());
    while (it.hasNext()) {
      ImageReader r = it.next();
      String name = r.getOriginatingProvider() == null ? "" : r.getOriginatingProvider().getClass().getName();
      if (name.startsWith("com.sun.imageio.")) {
        jdk.add(r);
      } else {
        others.add(r);
      }
    }
    jdk.addAll(others);
    return jdk;
  }

  private static Decoded decodeWith(ImageReader reader, ImageFormat format, String field, byte[] bytes,
      int length, long maxPixels, long maxDeclaredPixels, int maxDimension, int targetSide) {
    List<String> warnings = new ArrayList<>();
    IIOReadWarningListener listener = (source, warning) -> warnings.add(warning);
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes, 0, length))) {
      reader.setInput(in, true, true);
      reader.addIIOReadWarningListener(listener);
      int w = reader.getWidth(0);
      int h = reader.getHeight(0);
      if (w <= 0 || h <= 0) {
        throw new CorruptContentException(field, "declares an empty image (" + w + "x" + h + ")", null);
      }
      if (w > maxDimension || h > maxDimension) {
        throw new LimitExceededException(field + ".imageDimension", maxDimension, Math.max(w, h));
      }
      long pixels = (long) w * h;
      int step = 1;
      if (pixels > maxPixels) {
        boolean rowByRow = format == ImageFormat.PNG || format == ImageFormat.GIF || format == ImageFormat.BMP;
        if (targetSide == 0 || !rowByRow) {
          throw new LimitExceededException(field + ".imagePixels", maxPixels, pixels);
        }
        if (pixels > maxDeclaredPixels) {
          throw new LimitExceededException(field + ".declaredImagePixels", maxDeclaredPixels, pixels);
        }
        step = subsamplingStep(w, h, maxPixels);
      } else if (targetSide > 0 && format == ImageFormat.JPEG) {
        step = Math.max(1, Math.max(w, h) / targetSide);
      }
      ImageReadParam param = reader.getDefaultReadParam();
      if (step > 1) {
        param.setSourceSubsampling(step, step, 0, 0);
      }
      BufferedImage image = reader.read(0, param);
      for (String warning : warnings) {
        String lower = warning.toLowerCase(java.util.Locale.ROOT);
        if (lower.contains("premature end") || lower.contains("truncat")) {
          throw new CorruptContentException(field, "is truncated (" + warning + ")", null);
        }
      }
      if (image == null || image.getWidth() <= 0 || image.getHeight() <= 0) {
        throw new CorruptContentException(field, "decoded to no image", null);
      }
      return new Decoded(image, format, w, h);
    } catch (LimitExceededException | CorruptContentException | UnsupportedFormatException e) {
      throw e;
    } catch (EOFException e) {
      throw new CorruptContentException(field, "is truncated (" + format + " data ends early)", e);
    } catch (IOException e) {
      String msg = String.valueOf(e.getMessage());
      if (msg.contains("Unsupported") || msg.contains("unsupported")) {
        throw new UnsupportedFormatException(field, "is " + format + " in a variant the decoder does not support (" + msg + ")", e);
      }
      throw new CorruptContentException(field, "is a damaged " + format + " file (" + msg + ")", e);
    } catch (RuntimeException e) {
      // Decoders signal damaged data with assorted unchecked exceptions (index out of bounds,
      // illegal argument, negative array size, arithmetic); all mean the same thing here.
      throw new CorruptContentException(field, "is a damaged " + format + " file ("
          + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
    }
  }
}

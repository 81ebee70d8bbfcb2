package dev.haetae.moderation.core.hash;

import dev.haetae.moderation.api.Limits;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The stages of the default hasher's fingerprint of one JPEG, as separate operations for
 * {@code CpuTimeReport}'s split timer: the decode, the digests, the main hash, and each kind of
 * query variant (dihedral transforms, border-trimmed hashes, the softer blur, the caption search
 * and the caption paint-outs' hashes). Benchmarks only: it lives in the core's package (this
 * module's class path, no module system) to reach the package-private stages, and mirrors what
 * {@code ImageHasher} does for a JPEG that takes its own decoders with no EXIF rotation. Each
 * operation hashes a fresh copy of a buffer decoded once beforehand, so its time is that stage's
 * alone. Stateless; the operations are not thread-safe (each owns its buffers).
 */
public final class HashStages {
  private HashStages() {}

  /** One stage: its name and the operation (returns a non-null value so it is not optimised away). */
  public static final class Stage {
    /** The stage's name, with the number of hashes it computes where more than one. */
    public final String name;
    /** Runs the stage once; never returns null. */
    public final Supplier<Object> op;

    Stage(String name, Supplier<Object> op) {
      this.name = name;
      this.op = op;
    }
  }

  /**
   * The stages of the default hasher ({@link ImageHasher#create()}) for these JPEG bytes when
   * they take the half-scale decode or the 8 x 8 block means; empty for any other file (ImageIO's
   * path, not split here).
   *
   * @param bytes the file; not null; not modified
   * @return the stages in the order the hasher runs them; never null
   */
  public static List<Stage> of(byte[] bytes) {
    Limits limits = Limits.defaults();
    long maxPixels = limits.maxImagePixels();
    long maxDeclared = Math.max(maxPixels, limits.maxDeclaredImagePixels());
    List<Stage> out = new ArrayList<>();
    JpegDcDecoder.Result dc = JpegDcDecoder.decode(bytes, bytes.length, ImageHasher.BLOCK_MEANS_SIDE, maxPixels,
        maxDeclared, limits.maxImageDimension());
    JpegDcDecoder.Result frame = dc;
    int scale = 8;
    if (dc != null) {
      out.add(new Stage("decode (8 x 8 block means)", () -> JpegDcDecoder.decode(bytes, bytes.length,
          ImageHasher.BLOCK_MEANS_SIDE, maxPixels, maxDeclared, limits.maxImageDimension())));
    } else {
      frame = JpegDcDecoder.decodeReduced(bytes, bytes.length, ImageHasher.HALF, ImageHasher.REDUCED_SIDE,
          ImageHasher.BLOCK_MEANS_SIDE, maxPixels, limits.maxImageDimension());
      if (frame == null) {
        return out;
      }
      scale = ImageHasher.HALF;
      out.add(new Stage("decode (half-scale luma)", () -> JpegDcDecoder.decodeReduced(bytes, bytes.length,
          ImageHasher.HALF, ImageHasher.REDUCED_SIDE, ImageHasher.BLOCK_MEANS_SIDE, maxPixels,
          limits.maxImageDimension())));
    }
    final JpegDcDecoder.Result f = frame;
    final int s = scale;
    int w = f.width;
    int h = f.height;
    out.add(new Stage("digests (SHA-256, MD5)", () -> {
      digest("SHA-256").update(bytes);
      MessageDigest md5 = digest("MD5");
      md5.update(bytes);
      return md5.digest();
    }));
    out.add(new Stage("main hash", () -> hash(f.luma.clone(), w, h, s, f.fullWidth, f.fullHeight, 0)));
    PdqCore.Result main = hash(f.luma.clone(), w, h, s, f.fullWidth, f.fullHeight, 0);
    out.add(new Stage("variants: dihedral (7, from the DCT)", () -> {
      long sum = 0;
      for (int op = 1; op < PdqCore.DIHEDRAL_COUNT; op++) {
        sum += PdqCore.threshold(PdqCore.dihedral(main.dct, op)).hashCode();
      }
      return sum;
    }));
    List<int[]> rects = BorderTrim.find(f.luma, w, h);
    out.add(new Stage("variants: border search + " + rects.size() + " hashes", () -> {
      List<Object> hashes = new ArrayList<>();
      for (int[] rect : BorderTrim.find(f.luma, w, h)) {
        int bw = rect[2] - rect[0];
        int bh = rect[3] - rect[1];
        hashes.add(hash(BorderTrim.crop(f.luma, w, rect), bw, bh, s, bw * s, bh * s, 0));
      }
      return hashes;
    }));
    int softer = Math.max(2, PdqCore.window(Math.max(f.fullWidth, f.fullHeight)) / 2);
    out.add(new Stage("variants: softer blur (1 hash)",
        () -> hash(f.luma.clone(), w, h, s, f.fullWidth, f.fullHeight, softer)));
    List<float[]> painted = paintOuts(f.luma, w, h, s);
    out.add(new Stage("variants: caption search (" + painted.size() + " bands)", () -> paintOuts(f.luma, w, h, s)));
    out.add(new Stage("variants: caption hashes (" + 2 * painted.size() + ")", () -> {
      List<Object> hashes = new ArrayList<>();
      for (float[] p : painted) {
        hashes.add(hash(p.clone(), w, h, s, f.fullWidth, f.fullHeight, 0));
        hashes.add(hash(p.clone(), w, h, s, f.fullWidth, f.fullHeight, softer));
      }
      return hashes;
    }));
    return out;
  }

  private static List<float[]> paintOuts(float[] luma, int w, int h, int scale) {
    return scale == ImageHasher.HALF ? CaptionBand.paintOutHalfScale(luma, w, h) : CaptionBand.paintOut(luma, w, h);
  }

  private static PdqCore.Result hash(float[] buf, int w, int h, int scale, int fullW, int fullH, int extra) {
    return scale == ImageHasher.HALF ? PdqCore.hashHalfScale(buf, w, h, fullW, fullH, extra)
        : PdqCore.hashScaled(buf, w, h, scale, fullW, fullH, extra);
  }

  private static MessageDigest digest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is required of every Java platform", e);
    }
  }
}

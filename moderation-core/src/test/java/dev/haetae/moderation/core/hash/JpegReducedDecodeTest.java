package dev.haetae.moderation.core.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.PdqHash;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The reduced-scale JPEG decode ({@link JpegDcDecoder#decodeReduced}) against ImageIO: seeded
 * generated photos-like images (gradients, shapes, text-like strokes, noise), written by ImageIO
 * at several qualities, sizes (odd ones included, so that edge blocks are cut), chroma
 * subsamplings (4:4:4, 4:2:2, 4:2:0) and with or without restart intervals, are decoded at 1/2 and
 * 1/4 scale and compared with ImageIO's full decode turned into PDQ luminance and averaged over the
 * same blocks. The per-value error is bounded (mean and 99th percentile), and the PDQ hash of the
 * 1/2-scale values, hashed as the reduced path hashes them, stays within a few bits of the
 * full-resolution reference hash. {@code -Dhaetae.reducedJpeg.images=N} (more under
 * {@code -Plong-fuzz}) sets how many images are generated.
 */
class JpegReducedDecodeTest {
  private static final long SEED = Long.getLong("haetae.fuzz.seed", 0x5EED_D0C5L);
  private static final int IMAGES = Integer.getInteger("haetae.reducedJpeg.images", 24);

  @Test
  void reducedDecodeIsCloseToImageIoDownscaled() throws IOException {
    Random random = new Random(SEED);
    float[] qualities = {0.3f, 0.6f, 0.8f, 0.95f};
    int[][] samplings = {{1, 1}, {2, 1}, {2, 2}};
    int hashed = 0;
    for (int n = 0; n < IMAGES; n++) {
      int longer = 512 + random.nextInt(512);
      // a third of them strips from 16 px, the rest at least 128 px on the shorter side
      int shorter = random.nextInt(3) == 0 ? 16 + random.nextInt(112) : 128 + random.nextInt(longer - 127);
      boolean wide = random.nextBoolean();
      int w = wide ? longer : shorter;
      int h = wide ? shorter : longer;
      BufferedImage image = photoLike(w, h, random);
      float quality = qualities[random.nextInt(qualities.length)];
      int[] sampling = samplings[random.nextInt(samplings.length)];
      int restart = random.nextInt(3) == 0 ? 1 + random.nextInt(20) : 0;
      byte[] jpeg = jpeg(image, quality, sampling[0], sampling[1], restart);
      String what = "image " + n + " (" + w + "x" + h + ", q" + quality + ", " + sampling[0] + "x" + sampling[1]
          + ", restart " + restart + ", seed " + SEED + ")";
      BufferedImage decoded = ImageIO.read(new java.io.ByteArrayInputStream(jpeg));
      float[] luma = Luma.of(decoded);
      for (int scale : new int[] {2, 4}) {
        JpegDcDecoder.Result r = JpegDcDecoder.decodeReduced(jpeg, jpeg.length, scale, 0, Integer.MAX_VALUE,
            Long.MAX_VALUE, Integer.MAX_VALUE);
        assertNotNull(r, what);
        assertEquals((w + scale - 1) / scale, r.width, what);
        assertEquals((h + scale - 1) / scale, r.height, what);
        assertEquals(w, r.fullWidth, what);
        assertEquals(h, r.fullHeight, what);
        float[] means = Luma.downscale(luma.clone(), w, h, scale);
        int mw = w / scale;
        int mh = h / scale;
        float[] errors = new float[mw * mh];
        double sum = 0;
        for (int y = 0; y < mh; y++) {
          for (int x = 0; x < mw; x++) {
            float e = Math.abs(r.luma[y * r.width + x] - means[y * mw + x]);
            errors[y * mw + x] = e;
            sum += e;
          }
        }
        Arrays.sort(errors);
        double mean = sum / errors.length;
        float p99 = errors[(int) (0.99 * (errors.length - 1))];
        assertTrue(mean <= 4.0, what + " at 1/" + scale + ": mean error " + mean);
        assertTrue(p99 <= 24f, what + " at 1/" + scale + ": 99th percentile error " + p99);
      }
      JpegDcDecoder.Result half = JpegDcDecoder.decodeReduced(jpeg, jpeg.length, 2, 0, Integer.MAX_VALUE,
          Long.MAX_VALUE, Integer.MAX_VALUE);
      PdqHash reduced = PdqCore.hashHalfScale(half.luma, half.width, half.height, w, h, 0).hash;
      PdqHash reference = PdqCore.hashLuma(luma, w, h, 0).hash;
      if (Math.min(w, h) >= ImageHasher.HALF_MIN_SHORTER) { // what the hasher decodes at half scale
        int bits = reduced.distance(reference);
        assertTrue(bits <= 16, what + ": reduced hash " + bits + " bits from the full-resolution one");
        hashed++;
      }
    }
    assertTrue(hashed >= IMAGES / 2, "only " + hashed + " images of the hashed shape");
  }

  @Test
  void refusesWhatItDoesNotDecode() throws IOException {
    Random random = new Random(SEED);
    BufferedImage colour = photoLike(640, 480, random);
    byte[] baseline = jpeg(colour, 0.8f, 2, 2, 0);
    assertNotNull(JpegDcDecoder.decodeReduced(baseline, baseline.length, 2, 512, 1024, Long.MAX_VALUE, 8192));
    // outside the side range, over the pixel limit or a dimension limit
    assertNull(JpegDcDecoder.decodeReduced(baseline, baseline.length, 2, 641, 1024, Long.MAX_VALUE, 8192));
    assertNull(JpegDcDecoder.decodeReduced(baseline, baseline.length, 2, 512, 640, Long.MAX_VALUE, 8192));
    assertNull(JpegDcDecoder.decodeReduced(baseline, baseline.length, 2, 512, 1024, 640 * 480 - 1, 8192));
    assertNull(JpegDcDecoder.decodeReduced(baseline, baseline.length, 2, 512, 1024, Long.MAX_VALUE, 639));
    // greyscale: ImageIO reads its grey differently, so it stays with ImageIO
    BufferedImage grey = new BufferedImage(640, 480, BufferedImage.TYPE_BYTE_GRAY);
    grey.getGraphics().drawImage(colour, 0, 0, null);
    byte[] greyJpeg = ImageSafetyTest.encode(grey, "jpg");
    assertNull(JpegDcDecoder.decodeReduced(greyJpeg, greyJpeg.length, 2, 0, Integer.MAX_VALUE, Long.MAX_VALUE, 8192));
    // progressive
    byte[] progressive = TestData.bytes("threatexchange/misc-images/small.jpg");
    assertNull(JpegDcDecoder.decodeReduced(progressive, progressive.length, 2, 0, Integer.MAX_VALUE, Long.MAX_VALUE,
        8192));
    // truncated data, and a restart marker removed
    assertNull(JpegDcDecoder.decodeReduced(baseline, baseline.length / 2, 2, 0, Integer.MAX_VALUE, Long.MAX_VALUE,
        8192));
    byte[] restarts = jpeg(colour, 0.8f, 2, 2, 4);
    assertNotNull(JpegDcDecoder.decodeReduced(restarts, restarts.length, 2, 0, Integer.MAX_VALUE, Long.MAX_VALUE, 8192));
    byte[] damaged = dropFirstRestartMarker(restarts);
    assertNull(JpegDcDecoder.decodeReduced(damaged, damaged.length, 2, 0, Integer.MAX_VALUE, Long.MAX_VALUE, 8192));
    assertThrows(IllegalArgumentException.class,
        () -> JpegDcDecoder.decodeReduced(baseline, baseline.length, 3, 0, Integer.MAX_VALUE, Long.MAX_VALUE, 8192));
  }

  @Test
  void reducedIdctOfTheLowCoefficientsIsTheBlockMeanOfASmoothBlock() {
    // A block holding only the first cosine per axis: its 2 x 2 means follow from the formula.
    for (int n : new int[] {2, 4}) {
      float[] t = JpegDcDecoder.reducedIdct(n);
      int s = 8 / n;
      for (int x = 0; x < n; x++) {
        double expected = 0;
        for (int k = 0; k < s; k++) {
          expected += Math.cos((2 * (s * x + k) + 1) * Math.PI / 16) / 2;
        }
        assertEquals(expected / s, t[x * n + 1], 1e-6);
        assertEquals(1 / (2 * Math.sqrt(2)), t[x * n], 1e-6);
      }
    }
    assertEquals(4, JpegDcDecoder.lastZigzag(2));
    assertEquals(24, JpegDcDecoder.lastZigzag(4));
    assertEquals(63, JpegDcDecoder.lastZigzag(8));
  }

  /** Smooth gradients, soft and hard-edged shapes, strokes and a little noise. */
  static BufferedImage photoLike(int w, int h, Random random) {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setPaint(new java.awt.GradientPaint(0, 0, randomColour(random), w, h, randomColour(random)));
    g.fillRect(0, 0, w, h);
    for (int k = 0; k < 12; k++) {
      g.setColor(randomColour(random));
      int x = random.nextInt(w);
      int y = random.nextInt(h);
      int sw = 1 + random.nextInt(Math.max(1, w / 3));
      int sh = 1 + random.nextInt(Math.max(1, h / 3));
      switch (random.nextInt(3)) {
        case 0 -> g.fillOval(x, y, sw, sh);
        case 1 -> g.fillRect(x, y, sw, sh);
        default -> {
          g.setStroke(new java.awt.BasicStroke(1 + random.nextInt(6)));
          g.drawLine(x, y, random.nextInt(w), random.nextInt(h));
        }
      }
    }
    g.dispose();
    int noise = random.nextInt(12);
    if (noise > 0) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int rgb = image.getRGB(x, y);
          int d = random.nextInt(2 * noise + 1) - noise;
          int r = clamp(((rgb >> 16) & 0xff) + d);
          int gg = clamp(((rgb >> 8) & 0xff) + d);
          int b = clamp((rgb & 0xff) + d);
          image.setRGB(x, y, r << 16 | gg << 8 | b);
        }
      }
    }
    return image;
  }

  private static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }

  private static Color randomColour(Random random) {
    return new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256));
  }

  /**
   * A baseline JPEG written by ImageIO with luma sampling factors {@code hs} x {@code vs} (chroma
   * 1 x 1) and a restart interval of {@code restart} MCUs (0: none).
   */
  static byte[] jpeg(BufferedImage image, float quality, int hs, int vs, int restart) throws IOException {
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
    ImageWriter writer = writers.next();
    try {
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(quality);
      IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image), param);
      String format = "javax_imageio_jpeg_image_1.0";
      IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(format);
      IIOMetadataNode sequence = (IIOMetadataNode) root.getElementsByTagName("markerSequence").item(0);
      NodeList specs = root.getElementsByTagName("componentSpec");
      for (int k = 0; k < specs.getLength(); k++) {
        IIOMetadataNode spec = (IIOMetadataNode) specs.item(k);
        spec.setAttribute("HsamplingFactor", k == 0 ? Integer.toString(hs) : "1");
        spec.setAttribute("VsamplingFactor", k == 0 ? Integer.toString(vs) : "1");
      }
      if (restart > 0) {
        IIOMetadataNode dri = new IIOMetadataNode("dri");
        dri.setAttribute("interval", Integer.toString(restart));
        Node sof = root.getElementsByTagName("sof").item(0);
        sequence.insertBefore(dri, sof);
      }
      metadata.setFromTree(format, root);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
        writer.setOutput(stream);
        writer.write(null, new IIOImage(image, null, metadata), param);
      }
      return out.toByteArray();
    } finally {
      writer.dispose();
    }
  }

  /** The file with its first RST marker (0xFFD0) removed. */
  private static byte[] dropFirstRestartMarker(byte[] jpeg) {
    int sos = -1;
    for (int i = 2; i + 1 < jpeg.length; i++) {
      if ((jpeg[i] & 0xff) == 0xFF && (jpeg[i + 1] & 0xff) == 0xDA) {
        sos = i;
        break;
      }
    }
    for (int i = sos + 2; i + 1 < jpeg.length; i++) {
      if ((jpeg[i] & 0xff) == 0xFF && (jpeg[i + 1] & 0xff) == 0xD0) {
        byte[] out = new byte[jpeg.length - 2];
        System.arraycopy(jpeg, 0, out, 0, i);
        System.arraycopy(jpeg, i + 2, out, i, jpeg.length - i - 2);
        return out;
      }
    }
    throw new IllegalStateException("no restart marker");
  }
}

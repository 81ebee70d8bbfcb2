package dev.haetae.moderation.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.ContentDecodeException;
import dev.haetae.moderation.api.LimitExceededException;
import dev.haetae.moderation.api.Pdq;
import dev.haetae.moderation.core.hash.ImageHasher;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Animated GIF and WebP frames: GIFs written here with ImageIO (frames placed, delayed and disposed
 * as the test says), and the committed animations of src/test/resources/animation (one GIF and its
 * lossless and lossy WebP encodes, see the README there).
 */
class AnimatedFramesTest {
  private static final VideoHasher EVERY_FRAME = VideoHasher.builder().secondsPerHash(0).build();

  /** One frame of a GIF the test writes. */
  record GifFrame(BufferedImage image, int x, int y, int delayHundredths, String disposal) {}

  @Test
  void gifFramesAreCompositedByDisposalAndTimedByTheirDelays() {
    BufferedImage base = pattern(64, 64, 0);
    BufferedImage patch = pattern(16, 16, 7);
    BufferedImage other = pattern(16, 16, 13);
    byte[] gif = gif(64, 64, List.of(
        new GifFrame(base, 0, 0, 10, "none"),
        new GifFrame(patch, 8, 8, 20, "restoreToPrevious"),
        new GifFrame(other, 40, 40, 0, "restoreToBackgroundColor"),
        new GifFrame(patch, 24, 0, 5, "none")));
    VideoHash h = EVERY_FRAME.hash(gif);
    assertEquals(List.of(0, 1, 2, 3), h.frames().stream().map(FrameHash::frameNumber).toList());
    // delays 10, 20, 0 (shown as 10) hundredths
    assertEquals(List.of(0.0, 0.1, 0.3, 0.4), h.frames().stream().map(FrameHash::timestampSeconds).toList());

    int[] canvas = base.getRGB(0, 0, 64, 64, null, 0, 64);
    assertEquals(hash(canvas), h.frames().get(0).hash());
    int[] withPatch = canvas.clone();
    paint(withPatch, patch, 8, 8);
    assertEquals(hash(withPatch), h.frames().get(1).hash(), "frame 1 drawn over frame 0");
    // frame 1 is restored to the previous canvas before frame 2 is drawn
    int[] withOther = canvas.clone();
    paint(withOther, other, 40, 40);
    assertEquals(hash(withOther), h.frames().get(2).hash(), "frame 2 drawn over the restored canvas");
    // frame 2's rectangle is cleared (to black, as the hasher sees transparency) before frame 3
    int[] cleared = canvas.clone();
    for (int y = 40; y < 56; y++) {
      Arrays.fill(cleared, y * 64 + 40, y * 64 + 56, 0);
    }
    paint(cleared, patch, 24, 0);
    assertEquals(hash(cleared), h.frames().get(3).hash(), "frame 3 drawn after frame 2 was cleared");
    // not the frame's own rectangle: the composite
    assertNotEquals(hash(patch.getRGB(0, 0, 16, 16, null, 0, 16), 16, 16), h.frames().get(1).hash());
  }

  @Test
  void oneHashPerSecondSamplesAnimationsByTheirFrameRate() {
    BufferedImage a = pattern(32, 32, 1);
    List<GifFrame> frames = new java.util.ArrayList<>();
    for (int i = 0; i < 25; i++) {
      frames.add(new GifFrame(pattern(32, 32, i), 0, 0, 10, "none"));
    }
    VideoHash h = VideoHasher.create().hash(gif(32, 32, frames));
    // 25 frames over 2.5 s: 10 fps, every tenth frame
    assertEquals(List.of(0, 10, 20), h.frames().stream().map(FrameHash::frameNumber).toList());
    assertEquals(1, VideoHasher.create().hash(gif(32, 32, List.of(new GifFrame(a, 0, 0, 0, "none")))).frames().size(),
        "a still GIF is a one-frame video");
  }

  @Test
  void theCommittedGifAndItsLosslessWebpGiveTheSameFrames() {
    VideoHash gif = EVERY_FRAME.hash(fixture("tiny.gif"));
    VideoHash lossless = EVERY_FRAME.hash(fixture("tiny-lossless.webp"));
    VideoHash lossy = EVERY_FRAME.hash(fixture("tiny-lossy.webp"));
    assertEquals(15, gif.frames().size());
    assertEquals(gif.frames().size(), lossless.frames().size());
    assertEquals(gif.frames().size(), lossy.frames().size());
    for (int i = 0; i < gif.frames().size(); i++) {
      FrameHash g = gif.frames().get(i);
      assertEquals(g.timestampSeconds(), lossless.frames().get(i).timestampSeconds(), 1e-9, "frame " + i);
      assertEquals(g.hash(), lossless.frames().get(i).hash(), "lossless frame " + i);
      int d = g.hash().distance(lossy.frames().get(i).hash());
      assertTrue(d <= 31, "lossy frame " + i + " is " + d + " bits away");
    }
    // the frames differ from each other: the moving pattern was composited, not frame 0 repeated
    assertTrue(gif.frames().get(0).hash().distance(gif.frames().get(14).hash()) > 31);
    // a bank of the GIF matches the WebP re-encode
    VideoBank bank = VideoBank.builder().add("gif", gif).build();
    assertEquals(100.0, bank.match(lossy).get(0).queryPercent(), 1e-9);
  }

  @Test
  void animationsStayWithinTheLimits() {
    byte[] gif = fixture("tiny.gif");
    byte[] webp = fixture("tiny-lossy.webp");
    for (byte[] b : List.of(gif, webp)) {
      assertEquals("video.frames", limitField(VideoLimits.builder().maxFrames(14).build(), b));
      assertEquals("video.durationMillis", limitField(VideoLimits.builder().maxDuration(Duration.ofMillis(1400)).build(), b));
      assertEquals("video.frameDimension", limitField(VideoLimits.builder().maxFrameDimension(63).build(), b));
      assertEquals("video.framePixels", limitField(VideoLimits.builder().maxFramePixels(64 * 48 - 1).build(), b));
      assertEquals("video.bytes", limitField(VideoLimits.builder().maxBytes(b.length - 1).build(), b));
      AtomicLong reads = new AtomicLong();
      VideoHasher slow = VideoHasher.builder().secondsPerHash(0).clock(ticking(reads))
          .limits(VideoLimits.builder().decodeDeadline(Duration.ofSeconds(3)).build()).build();
      assertEquals("video.decodeMillis", assertThrows(LimitExceededException.class, () -> slow.hash(b)).field());
    }
  }

  @Test
  void aCutOrDamagedAnimationIsRefusedWithADecodeException() {
    byte[] webp = fixture("tiny-lossy.webp");
    assertThrows(TruncatedVideoException.class, () -> EVERY_FRAME.hash(Arrays.copyOf(webp, webp.length / 2)));
    byte[] gif = fixture("tiny.gif");
    assertThrows(ContentDecodeException.class, () -> EVERY_FRAME.hash(Arrays.copyOf(gif, 13)));
    byte[] header = "GIF89a, then nothing a GIF holds".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    assertThrows(ContentDecodeException.class, () -> EVERY_FRAME.hash(header));
  }

  private static String limitField(VideoLimits limits, byte[] b) {
    return assertThrows(LimitExceededException.class,
        () -> VideoHasher.builder().secondsPerHash(0).limits(limits).build().hash(b)).field();
  }

  static Clock ticking(AtomicLong reads) {
    return new Clock() {
      @Override
      public ZoneOffset getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return Instant.ofEpochSecond(reads.incrementAndGet());
      }
    };
  }

  static byte[] fixture(String name) {
    try (var in = AnimatedFramesTest.class.getResourceAsStream("/animation/" + name)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A seeded, high-contrast pattern (blocks of grey levels), opaque. */
  static BufferedImage pattern(int w, int h, int seed) {
    java.util.Random r = new java.util.Random(seed);
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    int block = Math.max(2, w / 8);
    for (int by = 0; by < h; by += block) {
      for (int bx = 0; bx < w; bx += block) {
        int v = r.nextInt(256);
        int rgb = v << 16 | (255 - v) << 8 | (v * 7 & 0xff);
        for (int y = by; y < Math.min(h, by + block); y++) {
          for (int x = bx; x < Math.min(w, bx + block); x++) {
            img.setRGB(x, y, rgb);
          }
        }
      }
    }
    return img;
  }

  private static void paint(int[] canvas, BufferedImage img, int x0, int y0) {
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        canvas[(y0 + y) * 64 + x0 + x] = img.getRGB(x, y);
      }
    }
  }

  private static dev.haetae.moderation.api.PdqHash hash(int[] argb) {
    return hash(argb, 64, 64);
  }

  private static dev.haetae.moderation.api.PdqHash hash(int[] argb, int w, int h) {
    Pdq pdq = ImageHasher.hashPixels(argb, w, h);
    return pdq.hash();
  }

  /**
   * Writes an animated GIF with ImageIO: each frame's position, delay and disposal method in its
   * metadata, the logical screen as given. The patterns use few enough colours to survive the
   * writer's palette exactly.
   */
  static byte[] gif(int screenW, int screenH, List<GifFrame> frames) {
    try {
      ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
        writer.setOutput(out);
        writer.prepareWriteSequence(null);
        boolean first = true;
        for (GifFrame f : frames) {
          BufferedImage img = f.image();
          IIOMetadata meta = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(img), null);
          String format = meta.getNativeMetadataFormatName();
          IIOMetadataNode root = (IIOMetadataNode) meta.getAsTree(format);
          IIOMetadataNode desc = child(root, "ImageDescriptor");
          desc.setAttribute("imageLeftPosition", Integer.toString(f.x()));
          desc.setAttribute("imageTopPosition", Integer.toString(f.y()));
          IIOMetadataNode gce = child(root, "GraphicControlExtension");
          gce.setAttribute("disposalMethod", f.disposal());
          gce.setAttribute("delayTime", Integer.toString(f.delayHundredths()));
          gce.setAttribute("userInputFlag", "FALSE");
          gce.setAttribute("transparentColorFlag", "FALSE");
          gce.setAttribute("transparentColorIndex", "0");
          meta.setFromTree(format, root);
          if (first) {
            // the logical screen is the first frame's size unless the stream metadata says otherwise
            first = false;
          }
          writer.writeToSequence(new IIOImage(img, null, meta), null);
        }
        writer.endWriteSequence();
      }
      writer.dispose();
      byte[] b = bytes.toByteArray();
      // logical screen width and height (little-endian) right after the 6-byte signature
      b[6] = (byte) screenW;
      b[7] = (byte) (screenW >> 8);
      b[8] = (byte) screenH;
      b[9] = (byte) (screenH >> 8);
      return b;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static IIOMetadataNode child(IIOMetadataNode root, String name) {
    for (org.w3c.dom.Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n.getNodeName().equals(name)) {
        return (IIOMetadataNode) n;
      }
    }
    IIOMetadataNode n = new IIOMetadataNode(name);
    root.appendChild(n);
    return n;
  }
}

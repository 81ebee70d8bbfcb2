package dev.haetae.moderation.video;

import dev.haetae.moderation.api.CorruptContentException;
import dev.haetae.moderation.api.LimitExceededException;
import dev.haetae.moderation.api.UnsupportedFormatException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes the frames of an animated WebP under {@link VideoLimits}. TwelveMonkeys' WebP reader
 * (on the classpath through the core module) decodes each {@code ANMF} frame's VP8 or VP8L data,
 * but hands out each frame's own rectangle without its offset, duration, blending or disposal;
 * so this class first walks the RIFF chunks itself (every chunk inside the file, the canvas and
 * every frame within the dimension limits, the frame count and the sum of durations within
 * theirs), then composites the frames the reader decodes on the canvas: drawn over it (alpha
 * blending) or replacing it as the frame's blending bit says, cleared afterwards when its disposal
 * bit says. Durations under 20 ms are taken as 100 ms, as browsers show them. A WebP without
 * animation is one frame at time 0. Stateless.
 */
final class WebpDecoder {
  private static final int VP8X_ANIMATION = 0x02;

  private WebpDecoder() {}

  /** Whether the bytes start like a WebP file. */
  static boolean isWebp(byte[] b) {
    return b.length >= 12 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F' && b[8] == 'W' && b[9] == 'E'
        && b[10] == 'B' && b[11] == 'P';
  }

  /** One ANMF frame's header. */
  private record Frame(int x, int y, int width, int height, boolean blend, boolean disposeToBackground,
      double time, double end) {}

  static FrameSink.Info decode(String field, byte[] bytes, VideoLimits limits, Clock clock, FrameSink sink) {
    long started = clock.millis();
    List<Frame> frames = new ArrayList<>();
    int[] canvasSize = chunks(field, bytes, limits, frames);
    return DecodeThread.run(field, limits, clock, started,
        () -> decodeChecked(field, bytes, limits, clock, started, canvasSize, frames, sink));
  }

  /**
   * Walks the RIFF chunks: returns the canvas {width, height} of an animation (filling
   * {@code frames}), or null for a still image.
   */
  private static int[] chunks(String field, byte[] b, VideoLimits limits, List<Frame> frames) {
    long riffEnd = 8 + u32(b, 4);
    if (riffEnd > b.length) {
      throw new TruncatedVideoException(field, "ends at byte " + b.length + ", its RIFF header says " + riffEnd);
    }
    int[] canvas = null;
    boolean animated = false;
    long millis = 0;
    long at = 12;
    while (at + 8 <= riffEnd) {
      String type = new String(b, (int) at, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
      long size = u32(b, (int) at + 4);
      long body = at + 8;
      if (body + size > riffEnd) {
        throw new TruncatedVideoException(field, "chunk " + printable(type) + " at byte " + at + " ends at "
            + (body + size) + ", past the file's end " + riffEnd);
      }
      switch (type) {
        case "VP8X" -> {
          if (size < 10) {
            throw new CorruptContentException(field, "has a VP8X chunk of " + size + " bytes", null);
          }
          animated = (b[(int) body] & VP8X_ANIMATION) != 0;
          int w = u24(b, (int) body + 4) + 1;
          int h = u24(b, (int) body + 7) + 1;
          Mp4Decoder.checkSize(w, h, limits);
          canvas = new int[] {w, h};
        }
        case "ANMF" -> {
          if (!animated || canvas == null) {
            throw new CorruptContentException(field, "has an ANMF chunk without an animated VP8X header", null);
          }
          if (size < 16) {
            throw new CorruptContentException(field, "has an ANMF chunk of " + size + " bytes", null);
          }
          if (frames.size() >= limits.maxFrames()) {
            throw new LimitExceededException("video.frames", limits.maxFrames(), frames.size() + 1L);
          }
          int p = (int) body;
          int w = u24(b, p + 6) + 1;
          int h = u24(b, p + 9) + 1;
          Mp4Decoder.checkSize(w, h, limits);
          int duration = u24(b, p + 12);
          int flags = b[p + 15] & 0xff;
          frames.add(new Frame(2 * u24(b, p), 2 * u24(b, p + 3), w, h, (flags & 0x02) == 0, (flags & 0x01) != 0,
              millis / 1000.0, (millis + (duration < 20 ? 100 : duration)) / 1000.0));
          millis += duration < 20 ? 100 : duration;
          if (millis > limits.maxDuration().toMillis()) {
            throw new LimitExceededException("video.durationMillis", limits.maxDuration().toMillis(), millis);
          }
        }
        default -> { }
      }
      at = body + size + (size & 1);
    }
    if (animated && frames.isEmpty()) {
      throw new CorruptContentException(field, "is an animated WebP without frames", null);
    }
    return animated ? canvas : null;
  }

  private static FrameSink.Info decodeChecked(String field, byte[] bytes, VideoLimits limits, Clock clock,
      long started, int[] canvasSize, List<Frame> frames, FrameSink sink) throws IOException {
    ImageReader reader = reader(field);
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
      reader.setInput(in, false, true);
      if (canvasSize == null) { // a still image: one frame
        int w = reader.getWidth(0);
        int h = reader.getHeight(0);
        Mp4Decoder.checkSize(w, h, limits);
        FrameSink.Info info = new FrameSink.Info(1, 0, w, h);
        sink.start(info);
        BufferedImage image = reader.read(0);
        int[] argb = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
        if (sink.wants(0)) {
          sink.argbFrame(0, 0, argb, image.getWidth(), image.getHeight());
        }
        return info;
      }
      int n = reader.getNumImages(true);
      if (n != frames.size()) {
        throw new CorruptContentException(field, "holds " + frames.size() + " ANMF chunks, of which the reader finds "
            + n + " frames", null);
      }
      Frame last = frames.get(frames.size() - 1);
      double duration = last.end();
      FrameSink.Info info = new FrameSink.Info(frames.size(), duration, canvasSize[0], canvasSize[1]);
      sink.start(info);
      Canvas canvas = new Canvas(canvasSize[0], canvasSize[1]);
      int[] row = new int[0];
      for (int i = 0; i < frames.size(); i++) {
        GifDecoder.deadline(limits, clock, started);
        Frame f = frames.get(i);
        BufferedImage image = reader.read(i);
        if (image.getWidth() != f.width() || image.getHeight() != f.height()) {
          throw new CorruptContentException(field, "frame " + i + " decodes to " + image.getWidth() + "x"
              + image.getHeight() + ", its ANMF chunk says " + f.width() + "x" + f.height(), null);
        }
        if (row.length < f.width()) {
          row = new int[f.width()];
        }
        canvas.draw(image, f.x(), f.y(), f.blend(), Canvas.Dispose.NONE, row);
        if (sink.wants(i)) {
          sink.argbFrame(i, f.time(), canvas.argb, canvas.width, canvas.height);
        }
        canvas.dispose(image, f.x(), f.y(), f.disposeToBackground() ? Canvas.Dispose.BACKGROUND : Canvas.Dispose.NONE);
      }
      return info;
    } finally {
      reader.dispose();
    }
  }

  private static ImageReader reader(String field) {
    Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName("webp");
    if (!it.hasNext()) {
      throw new UnsupportedFormatException(field, "is a WebP, and no WebP reader is on the classpath", null);
    }
    return it.next();
  }

  private static long u32(byte[] b, int at) {
    return (b[at] & 0xffL) | (b[at + 1] & 0xffL) << 8 | (b[at + 2] & 0xffL) << 16 | (b[at + 3] & 0xffL) << 24;
  }

  private static int u24(byte[] b, int at) {
    return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16;
  }

  private static String printable(String fourCc) {
    StringBuilder sb = new StringBuilder();
    for (char c : fourCc.toCharArray()) {
      sb.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\x%02x", (int) c));
    }
    return sb.toString();
  }
}

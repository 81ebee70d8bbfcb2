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
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.w3c.dom.Node;

/**
 * Decodes the frames of an animated GIF with the JDK's ImageIO GIF reader, under {@link
 * VideoLimits}: a first pass reads every frame's header (position, size, disposal, delay) without
 * its pixels, checks the frame count, the logical screen's and every frame's dimensions and the
 * total duration; a second pass decodes each frame, composites it on the logical screen by its
 * disposal method and hands the screen to the sink. A frame's time is the sum of the delays
 * before it; delays of 0 or 1 hundredths are taken as 10, as browsers show them. Stateless.
 */
final class GifDecoder {
  private static final String IMAGE_FORMAT = "javax_imageio_gif_image_1.0";
  private static final String STREAM_FORMAT = "javax_imageio_gif_stream_1.0";

  private GifDecoder() {}

  /** Whether the bytes start like a GIF file. */
  static boolean isGif(byte[] b) {
    return b.length >= 6 && b[0] == 'G' && b[1] == 'I' && b[2] == 'F' && b[3] == '8' && (b[4] == '7' || b[4] == '9')
        && b[5] == 'a';
  }

  /** One frame's header. */
  private record Header(int x, int y, int width, int height, Canvas.Dispose dispose, double time) {}

  static FrameSink.Info decode(String field, byte[] bytes, VideoLimits limits, Clock clock, FrameSink sink) {
    long started = clock.millis();
    return DecodeThread.run(field, limits, clock, started, () -> decodeChecked(field, bytes, limits, clock, started, sink));
  }

  private static FrameSink.Info decodeChecked(String field, byte[] bytes, VideoLimits limits, Clock clock,
      long started, FrameSink sink) throws IOException {
    ImageReader reader = reader(field);
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
      reader.setInput(in, false, false);
      IIOMetadata stream = reader.getStreamMetadata();
      int screenW = 0;
      int screenH = 0;
      if (stream != null) {
        Node lsd = child(stream.getAsTree(STREAM_FORMAT), "LogicalScreenDescriptor");
        screenW = intAttr(lsd, "logicalScreenWidth");
        screenH = intAttr(lsd, "logicalScreenHeight");
      }
      // First pass: headers only.
      List<Header> headers = new ArrayList<>();
      long millis = 0;
      for (int i = 0; ; i++) {
        IIOMetadata meta;
        try {
          meta = reader.getImageMetadata(i);
        } catch (IndexOutOfBoundsException end) {
          break;
        }
        if (i >= limits.maxFrames()) {
          throw new LimitExceededException("video.frames", limits.maxFrames(), i + 1L);
        }
        Node tree = meta.getAsTree(IMAGE_FORMAT);
        Node desc = child(tree, "ImageDescriptor");
        int w = intAttr(desc, "imageWidth");
        int h = intAttr(desc, "imageHeight");
        Mp4Decoder.checkSize(w, h, limits);
        Node gce = child(tree, "GraphicControlExtension");
        Canvas.Dispose dispose = Canvas.Dispose.NONE;
        int delay = 0;
        if (gce != null) {
          String method = ((IIOMetadataNode) gce).getAttribute("disposalMethod");
          dispose = "restoreToBackgroundColor".equals(method) ? Canvas.Dispose.BACKGROUND
              : "restoreToPrevious".equals(method) ? Canvas.Dispose.PREVIOUS : Canvas.Dispose.NONE;
          delay = intAttr(gce, "delayTime");
        }
        headers.add(new Header(intAttr(desc, "imageLeftPosition"), intAttr(desc, "imageTopPosition"), w, h, dispose,
            millis / 1000.0));
        millis += (delay <= 1 ? 10 : delay) * 10L;
        if (millis > limits.maxDuration().toMillis()) {
          throw new LimitExceededException("video.durationMillis", limits.maxDuration().toMillis(), millis);
        }
        deadline(limits, clock, started);
      }
      if (headers.isEmpty()) {
        throw new CorruptContentException(field, "holds no image", null);
      }
      if (screenW <= 0 || screenH <= 0) {
        screenW = headers.get(0).width();
        screenH = headers.get(0).height();
      }
      Mp4Decoder.checkSize(screenW, screenH, limits);
      FrameSink.Info info = new FrameSink.Info(headers.size(), millis / 1000.0, screenW, screenH);
      sink.start(info);

      // Second pass: decode and composite.
      Canvas canvas = new Canvas(screenW, screenH);
      int[] row = new int[0];
      for (int i = 0; i < headers.size(); i++) {
        deadline(limits, clock, started);
        Header hd = headers.get(i);
        BufferedImage frame = reader.read(i);
        if (frame.getWidth() != hd.width() || frame.getHeight() != hd.height()) {
          throw new CorruptContentException(field, "frame " + i + " decodes to " + frame.getWidth() + "x"
              + frame.getHeight() + ", its header says " + hd.width() + "x" + hd.height(), null);
        }
        if (row.length < hd.width()) {
          row = new int[hd.width()];
        }
        canvas.draw(frame, hd.x(), hd.y(), true, hd.dispose(), row);
        if (sink.wants(i)) {
          sink.argbFrame(i, hd.time(), canvas.argb, screenW, screenH);
        }
        canvas.dispose(frame, hd.x(), hd.y(), hd.dispose());
      }
      return info;
    } finally {
      reader.dispose();
    }
  }

  static void deadline(VideoLimits limits, Clock clock, long started) {
    long spent = clock.millis() - started;
    if (spent > limits.decodeDeadline().toMillis()) {
      throw new LimitExceededException("video.decodeMillis", limits.decodeDeadline().toMillis(), spent);
    }
  }

  /** The JDK's GIF reader (the one the project's tests exercise), else any registered one. */
  private static ImageReader reader(String field) {
    ImageReader any = null;
    for (Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName("gif"); it.hasNext(); ) {
      ImageReader r = it.next();
      if (r.getClass().getName().startsWith("com.sun.imageio.")) {
        return r;
      }
      any = any == null ? r : any;
    }
    if (any == null) {
      throw new UnsupportedFormatException(field, "is a GIF, and this runtime has no GIF reader", null);
    }
    return any;
  }

  private static Node child(Node parent, String name) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (name.equals(n.getNodeName())) {
        return n;
      }
    }
    return null;
  }

  private static int intAttr(Node node, String name) {
    if (node == null) {
      return 0;
    }
    String v = ((IIOMetadataNode) node).getAttribute(name);
    try {
      return v == null || v.isEmpty() ? 0 : Integer.parseInt(v);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}

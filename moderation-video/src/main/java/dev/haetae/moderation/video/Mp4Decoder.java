package dev.haetae.moderation.video;

import dev.haetae.moderation.api.CorruptContentException;
import dev.haetae.moderation.api.LimitExceededException;
import dev.haetae.moderation.api.UnsupportedFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jcodec.codecs.h264.H264Decoder;
import org.jcodec.codecs.h264.H264Utils;
import org.jcodec.codecs.h264.io.model.SeqParameterSet;
import org.jcodec.common.Codec;
import org.jcodec.common.DemuxerTrack;
import org.jcodec.common.DemuxerTrackMeta;
import org.jcodec.common.io.ByteBufferSeekableByteChannel;
import org.jcodec.common.model.ColorSpace;
import org.jcodec.common.model.Packet;
import org.jcodec.common.model.Picture;
import org.jcodec.common.model.Rect;
import org.jcodec.common.model.Size;
import org.jcodec.containers.mp4.demuxer.MP4Demuxer;

/**
 * Decodes the video track of an MP4/H.264 file with JCodec, under {@link VideoLimits}, and hands
 * each frame's luma plane to a sink with the frame's number in presentation order.
 *
 * <p>JCodec returns frames in decode order (B-frames after the frames they refer to) and reuses
 * one picture buffer, so a first pass over the packets collects every presentation time; a frame's
 * number is the rank of its time among them. Before anything is decoded the box structure is checked
 * ({@link Mp4Boxes}), and the declared frame count, duration and dimensions (container and every
 * sequence parameter set, also those inside the stream) against the limits. Every failure of JCodec
 * on damaged data becomes a {@link CorruptContentException}. Stateless; each call is independent.
 */
final class Mp4Decoder {
  private Mp4Decoder() {}

  static FrameSink.Info decode(String field, byte[] bytes, VideoLimits limits, Clock clock, FrameSink sink) {
    long started = clock.millis();
    Mp4Boxes.check(field, bytes, limits);
    return DecodeThread.run(field, limits, clock, started, () -> decodeChecked(field, bytes, limits, clock, started, sink));
  }

  private static FrameSink.Info decodeChecked(String field, byte[] bytes, VideoLimits limits, Clock clock, long started,
      FrameSink sink) throws IOException {
    Index index = index(field, bytes, limits, false);
    FrameSink.Info info = index.info();
    double[] sorted = index.times();
    int n = sorted.length;
    int[] coded = index.coded();
    ByteBuffer codecPrivate = index.codecPrivate();
    sink.start(info);

    // Second pass: decode.
    MP4Demuxer again = MP4Demuxer.createMP4Demuxer(channel(bytes));
    DemuxerTrack video = again.getVideoTrack();
    H264Decoder decoder = H264Decoder.createH264DecoderFromCodecPrivate(codecPrivate.duplicate());
    int bufferW = coded[0];
    int bufferH = coded[1];
    Picture buffer = Picture.create(bufferW, bufferH, ColorSpace.YUV420J);
    boolean[] seen = new boolean[n];
    for (Packet p = video.nextFrame(); p != null; p = video.nextFrame()) {
      long spent = clock.millis() - started;
      if (spent > limits.decodeDeadline().toMillis()) {
        throw new LimitExceededException("video.decodeMillis", limits.decodeDeadline().toMillis(), spent);
      }
      ByteBuffer data = p.getData();
      int[] inStream = checkParameterSets(field, data.duplicate(), limits, coded);
      if (inStream != null && (inStream[0] > bufferW || inStream[1] > bufferH)) {
        throw new CorruptContentException(field, "changes its frame size inside the stream to "
            + inStream[0] + "x" + inStream[1], null);
      }
      int number = Arrays.binarySearch(sorted, p.getPtsD());
      if (number < 0 || seen[number]) {
        number = firstUnseen(sorted, seen, p.getPtsD());
      }
      if (number < 0) {
        throw new CorruptContentException(field, "holds more frames than its index", null);
      }
      seen[number] = true;
      if (sink.keyFramesOnly() && !p.isKeyFrame()) {
        continue;
      }
      Picture pic = decoder.decodeFrame(data, buffer.getData());
      if (pic == null || !sink.wants(number)) {
        continue;
      }
      Rect crop = pic.getCrop();
      int x = crop == null ? 0 : crop.getX();
      int y = crop == null ? 0 : crop.getY();
      int w = crop == null ? pic.getWidth() : crop.getWidth();
      int h = crop == null ? pic.getHeight() : crop.getHeight();
      int stride = pic.getPlaneWidth(0);
      if (w <= 0 || h <= 0 || x < 0 || y < 0 || x + w > stride || (long) (y + h) * stride > pic.getPlaneData(0).length) {
        throw new CorruptContentException(field, "declares a crop outside its frame", null);
      }
      sink.frame(number, sorted[number], pic.getPlaneData(0), y * stride + x, stride, w, h);
    }
    return info;
  }

  /**
   * What the first pass over an MP4 file learns without decoding a frame: the declared size, the
   * presentation times in order (a frame's number is its rank), which frames are key frames, the
   * coded size of the largest sequence parameter set and the avcC parameter sets.
   */
  record Index(FrameSink.Info info, double[] times, boolean[] keyFrames, int[] coded, ByteBuffer codecPrivate) {}

  /**
   * The first pass: checks the video track's codec, declared frame count, duration and dimensions
   * and the avcC parameter sets against the limits, then reads every packet's presentation time
   * (and, with {@code checkStreamParameterSets}, every in-stream sequence parameter set); decodes
   * nothing. Call after {@link Mp4Boxes#check}; JCodec's failures on damaged data come out as they
   * are (the caller runs it under {@link DecodeThread}).
   */
  static Index index(String field, byte[] bytes, VideoLimits limits, boolean checkStreamParameterSets)
      throws IOException {
    MP4Demuxer demuxer = MP4Demuxer.createMP4Demuxer(channel(bytes));
    DemuxerTrack track = demuxer.getVideoTrack();
    if (track == null) {
      throw new UnsupportedFormatException(field, "has no video track", null);
    }
    DemuxerTrackMeta meta = track.getMeta();
    if (meta.getCodec() != Codec.H264) {
      throw new UnsupportedFormatException(field, "video codec is " + meta.getCodec() + "; only H.264 is decoded", null);
    }
    int frames = meta.getTotalFrames();
    if (frames > limits.maxFrames()) {
      throw new LimitExceededException("video.frames", limits.maxFrames(), frames);
    }
    double duration = meta.getTotalDuration();
    if (!Double.isFinite(duration) || duration < 0) {
      throw new CorruptContentException(field, "declares a duration of " + duration + " s", null);
    }
    long durationMillis = (long) Math.ceil(duration * 1000);
    if (durationMillis > limits.maxDuration().toMillis()) {
      throw new LimitExceededException("video.durationMillis", limits.maxDuration().toMillis(), durationMillis);
    }
    Size size = meta.getVideoCodecMeta() == null ? null : meta.getVideoCodecMeta().getSize();
    if (size == null) {
      throw new CorruptContentException(field, "declares no frame size", null);
    }
    checkSize(size.getWidth(), size.getHeight(), limits);
    ByteBuffer codecPrivate = meta.getCodecPrivate();
    if (codecPrivate == null) {
      throw new CorruptContentException(field, "has no H.264 parameter sets (avcC)", null);
    }
    int[] coded = checkParameterSets(field, codecPrivate.duplicate(), limits, null);
    if (coded == null) {
      throw new CorruptContentException(field, "has no H.264 sequence parameter set", null);
    }

    // every presentation time, to number frames in presentation order
    double[] times = new double[Math.max(0, frames)];
    boolean[] keys = new boolean[times.length];
    int n = 0;
    for (Packet p = track.nextFrame(); p != null; p = track.nextFrame()) {
      if (n == times.length) {
        times = Arrays.copyOf(times, Math.max(16, 2 * n));
        keys = Arrays.copyOf(keys, times.length);
        if (times.length > limits.maxFrames() * 2L + 16) {
          throw new LimitExceededException("video.frames", limits.maxFrames(), n);
        }
      }
      if (checkStreamParameterSets) {
        int[] inStream = checkParameterSets(field, p.getData().duplicate(), limits, coded);
        if (inStream != null && (inStream[0] > coded[0] || inStream[1] > coded[1])) {
          throw new CorruptContentException(field, "changes its frame size inside the stream to "
              + inStream[0] + "x" + inStream[1], null);
        }
      }
      keys[n] = p.isKeyFrame();
      times[n++] = p.getPtsD();
    }
    if (n > limits.maxFrames()) {
      throw new LimitExceededException("video.frames", limits.maxFrames(), n);
    }
    double[] sorted = Arrays.copyOf(times, n);
    Arrays.sort(sorted);
    boolean[] key = new boolean[n];
    boolean[] seen = new boolean[n];
    for (int i = 0; i < n; i++) {
      int number = firstUnseen(sorted, seen, times[i]);
      if (number < 0) {
        throw new CorruptContentException(field, "declares a presentation time of " + times[i] + " s", null);
      }
      seen[number] = true;
      key[number] = keys[i];
    }
    return new Index(new FrameSink.Info(n, duration, size.getWidth(), size.getHeight()), sorted, key, coded,
        codecPrivate);
  }

  /** The first not yet numbered frame at this time (two frames with one time), or -1. */
  private static int firstUnseen(double[] sorted, boolean[] seen, double t) {
    int k = Arrays.binarySearch(sorted, t);
    if (k < 0) {
      return -1;
    }
    while (k > 0 && sorted[k - 1] == t) {
      k--;
    }
    for (; k < sorted.length && sorted[k] == t; k++) {
      if (!seen[k]) {
        return k;
      }
    }
    return -1;
  }

  /**
   * Checks every sequence parameter set among the NAL units of {@code annexB} against the limits;
   * returns the coded size {width, height} (macroblock multiples) of the largest, or null when none.
   */
  private static int[] checkParameterSets(String field, ByteBuffer annexB, VideoLimits limits, int[] known) {
    int[] largest = null;
    for (ByteBuffer nal : splitNals(annexB)) {
      if (!nal.hasRemaining() || (nal.get(nal.position()) & 0x1f) != 7) {
        continue;
      }
      ByteBuffer body = nal.duplicate();
      body.get();
      SeqParameterSet sps = SeqParameterSet.read(body);
      long w = (sps.picWidthInMbsMinus1 + 1L) * 16;
      long mapUnits = sps.picHeightInMapUnitsMinus1 + 1L;
      long h = mapUnits * 16 * (sps.frameMbsOnlyFlag ? 1 : 2);
      checkSize(w, h, limits);
      if (sps.bitDepthLumaMinus8 != 0 || sps.bitDepthChromaMinus8 != 0) {
        throw new UnsupportedFormatException(field, "uses " + (sps.bitDepthLumaMinus8 + 8)
            + "-bit samples; only 8-bit video is decoded", null);
      }
      if (sps.chromaFormatIdc != null && sps.chromaFormatIdc != ColorSpace.YUV420J
          && sps.chromaFormatIdc != ColorSpace.YUV420) {
        throw new UnsupportedFormatException(field, "uses chroma format " + sps.chromaFormatIdc
            + "; only 4:2:0 is decoded", null);
      }
      if (largest == null || w * h > (long) largest[0] * largest[1]) {
        largest = new int[] {(int) w, (int) h};
      }
    }
    return largest;
  }

  private static List<ByteBuffer> splitNals(ByteBuffer annexB) {
    List<ByteBuffer> out = new ArrayList<>();
    ByteBuffer nal;
    while ((nal = H264Utils.nextNALUnit(annexB)) != null) {
      out.add(nal);
    }
    return out;
  }

  /** Refuses frame dimensions beyond the limits (also used by the animation decoders). */
  static void checkSize(long w, long h, VideoLimits limits) {
    if (w <= 0 || h <= 0) {
      throw new LimitExceededException("video.frameDimension", limits.maxFrameDimension(), Math.min(w, h));
    }
    if (w > limits.maxFrameDimension() || h > limits.maxFrameDimension()) {
      throw new LimitExceededException("video.frameDimension", limits.maxFrameDimension(), Math.max(w, h));
    }
    if (w * h > limits.maxFramePixels()) {
      throw new LimitExceededException("video.framePixels", limits.maxFramePixels(), w * h);
    }
  }

  private static ByteBufferSeekableByteChannel channel(byte[] bytes) {
    return ByteBufferSeekableByteChannel.readFromByteBuffer(ByteBuffer.wrap(bytes));
  }
}

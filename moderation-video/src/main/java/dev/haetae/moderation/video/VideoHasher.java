package dev.haetae.moderation.video;

import dev.haetae.moderation.api.ContentDecodeException;
import dev.haetae.moderation.api.EmptyContentException;
import dev.haetae.moderation.api.InvalidRequestException;
import dev.haetae.moderation.api.LimitExceededException;
import dev.haetae.moderation.api.Pdq;
import dev.haetae.moderation.api.PdqHash;
import dev.haetae.moderation.core.hash.ImageHasher;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Computes the vPDQ hash of an MP4/H.264 video, an animated GIF or an animated WebP: the PDQ hash
 * of every sampled frame, with its frame number, quality and presentation time, as Meta's vPDQ does.
 *
 * <p><b>Formats.</b> The format is told by the leading bytes: {@code GIF87a}/{@code GIF89a} are
 * decoded with the JDK's GIF reader, {@code RIFF....WEBP} with TwelveMonkeys' WebP reader (on the
 * classpath through the core module), anything else is taken for MP4. Animation frames are
 * composited on the canvas as a browser shows them (position, transparency and blending, disposal)
 * and hashed from their RGB pixels; a frame's time is the sum of the delays before it. A still GIF
 * or WebP is a one-frame video. {@link Builder#keyFramesOnly(boolean)} applies to MP4 only.
 *
 * <p><b>Sampling.</b> With {@link Builder#secondsPerHash(double)} {@code s > 0} (default 1), frame
 * {@code n} is hashed when {@code n % (int) (s * fps) == 0}, as the upstream C++ hasher keeps frames;
 * with 0 every frame is hashed. Every frame is still decoded (H.264 frames refer to each other), so
 * sampling saves the hashing, not the decoding; {@link Builder#keyFramesOnly(boolean)} saves both, at
 * a cost in matches.
 *
 * <p><b>Pixels.</b> Frames are decoded with JCodec (pure Java; Baseline, Main and High profile,
 * 8-bit 4:2:0), or with an {@code ffmpeg} process when {@link Builder#ffmpeg(Path)} names one (same
 * first pass, frame numbers and hashes; the video guide describes it), and hashed from their luma plane, mapped from the video range (16..235) to 0..255
 * as a BT.601 conversion to RGB followed by PDQ's luminance gives, up to clipping. Upstream
 * reference hashes come from FFmpeg's frames; on the project's samples they are within a few bits
 * (the video guide has the distribution).
 *
 * <p><b>Inside the bars.</b> With {@link Builder#insideBorder(boolean)} on, each frame also carries
 * the hashes of its content inside uniform letterbox or pillarbox bars ({@link FrameHash#insideBorder()}).
 * Use it for query videos: a re-encode that adds bars moves every frame 62 to 94 bits away from the
 * original's hash, beyond any usable threshold.
 *
 * <p><b>Safety.</b> The file is checked against {@link VideoLimits} (bytes first, then the box
 * structure or the GIF/WebP frame headers, the declared frame count, duration and frame dimensions)
 * before any frame is decoded, and the decode deadline between frames. Failures: {@link LimitExceededException} beyond a limit,
 * {@link EmptyContentException} for no bytes, {@link dev.haetae.moderation.api.UnsupportedFormatException}
 * for a file that is none of the three formats or whose video is not 8-bit 4:2:0 H.264, {@link MissingMoovException},
 * {@link TruncatedVideoException}, and {@link dev.haetae.moderation.api.CorruptContentException} for
 * anything else damaged. No other exception comes out (the seeded mutation fuzz test checks it),
 * except on the FFmpeg path: a {@link dev.haetae.moderation.api.ConfigurationException} when the
 * executable cannot be started, and a {@link java.io.UncheckedIOException} when the temporary copy
 * a file with its {@code moov} box last needs cannot be written.
 *
 * <p><b>Deadline.</b> Each video is decoded on its own daemon thread while the calling thread waits
 * up to {@link VideoLimits#decodeDeadline()}; the deadline is also checked between frames with the
 * builder's clock. JCodec can loop forever inside one frame of some damaged streams; at the
 * deadline the caller gets a {@link LimitExceededException} ({@code video.decodeMillis}) and the
 * thread is stopped where the JDK still allows it (Java 17 to 19; later JDKs leave it running, so a
 * host on them should decode untrusted video in a process it can recycle). With FFmpeg, the calling
 * thread reads the frames and a watchdog destroys the process at the deadline, on every JDK. An
 * interrupted caller gets a {@link java.util.concurrent.CancellationException} with its interrupt
 * flag set (on the FFmpeg path, checked between frames).
 *
 * <p>Instances are immutable and thread-safe; a call holds one decoded frame at a time.
 *
 * @since 0.1
 */
public final class VideoHasher {
  /** The upstream default: one hash per second of video. */
  public static final double DEFAULT_SECONDS_PER_HASH = 1.0;

  /** Luma plane value (as JCodec stores it, minus 128) to a grey ARGB pixel of the full range. */
  private static final int[] GREY = new int[256];

  static {
    for (int v = 0; v < 256; v++) {
      int y = (int) Math.round((v - 16) * 255.0 / 219.0);
      y = Math.max(0, Math.min(255, y));
      GREY[(v + 128) & 0xff] = 0xff000000 | y << 16 | y << 8 | y;
    }
  }

  private final VideoLimits limits;
  private final double secondsPerHash;
  private final boolean insideBorder;
  private final boolean keyFramesOnly;
  private final Clock clock;
  private final int pruneDistance;
  private final Path ffmpeg;

  private VideoHasher(Builder b) {
    this.limits = b.limits;
    this.secondsPerHash = b.secondsPerHash;
    this.insideBorder = b.insideBorder;
    this.keyFramesOnly = b.keyFramesOnly;
    this.clock = b.clock;
    this.pruneDistance = b.pruneDistance;
    this.ffmpeg = b.ffmpeg;
  }

  /**
   * A hasher with the default limits, one hash per second and no border variants.
   *
   * @return a new hasher; never null
   */
  public static VideoHasher create() {
    return builder().build();
  }

  /**
   * A builder starting from {@link #create()}'s settings.
   *
   * @return a new builder; never null
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The limits this hasher decodes under.
   *
   * @return the limits; never null
   */
  public VideoLimits limits() {
    return limits;
  }

  /**
   * The pruning bound of {@link Builder#pruneDistance(int)}.
   *
   * @return bits, or -1 when frames are not pruned
   */
  public int pruneDistance() {
    return pruneDistance;
  }

  /**
   * The {@code ffmpeg} executable MP4 files are decoded with, when {@link Builder#ffmpeg(Path)} set one.
   *
   * @return the executable, or empty when MP4 files are decoded with JCodec (the default)
   */
  public java.util.Optional<Path> ffmpeg() {
    return java.util.Optional.ofNullable(ffmpeg);
  }

  /**
   * The sampling interval: 0 for every frame.
   *
   * @return seconds, not negative
   */
  public double secondsPerHash() {
    return secondsPerHash;
  }

  /**
   * Hashes a video held in memory.
   *
   * @param bytes the MP4, GIF or WebP file; not null; read, never modified or retained
   * @return the frame hashes in presentation order; never null; empty when no frame decoded
   * @throws InvalidRequestException when {@code bytes} is null
   * @throws LimitExceededException when the video exceeds a {@link VideoLimits} bound
   * @throws ContentDecodeException when the video is empty, not MP4/H.264, or damaged (see the
   *     class description for the subtypes)
   * @throws dev.haetae.moderation.api.ConfigurationException when {@link Builder#ffmpeg(Path)} names
   *     an executable that cannot be started
   */
  public VideoHash hash(byte[] bytes) {
    return hash("video", bytes);
  }

  /**
   * Hashes a video file; its size is checked before it is read.
   *
   * @param file the MP4, GIF or WebP file; not null
   * @return the frame hashes in presentation order; never null
   * @throws IOException when the file cannot be read
   * @throws InvalidRequestException when {@code file} is null
   * @throws LimitExceededException when the video exceeds a {@link VideoLimits} bound
   * @throws ContentDecodeException when the video is empty, not MP4/H.264, or damaged
   */
  public VideoHash hash(Path file) throws IOException {
    InvalidRequestException.requireNonNull("file", file);
    long size = Files.size(file);
    if (size > limits.maxBytes()) {
      throw new LimitExceededException("video.bytes", limits.maxBytes(), size);
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limits.maxBytes() + 1));
    }
    String name = file.getFileName() == null ? "video" : file.getFileName().toString();
    return hash(name, bytes);
  }

  private VideoHash hash(String field, byte[] bytes) {
    InvalidRequestException.requireNonNull(field, bytes);
    if (bytes.length > limits.maxBytes()) {
      throw new LimitExceededException("video.bytes", limits.maxBytes(), bytes.length);
    }
    if (bytes.length == 0) {
      throw new EmptyContentException(field);
    }
    List<FrameHash> out = new ArrayList<>();
    boolean mp4 = !GifDecoder.isGif(bytes) && !WebpDecoder.isWebp(bytes);
    FrameSink sink = new FrameSink() {
      private int step = 1;
      private int[] argb = new int[0];

      @Override
      public void start(FrameSink.Info info) {
        step = secondsPerHash == 0 ? 1 : Math.max(1, (int) (secondsPerHash * info.fps()));
      }

      @Override
      public boolean wants(int frameNumber) {
        return (mp4 && keyFramesOnly) || frameNumber % step == 0;
      }

      @Override
      public boolean keyFramesOnly() {
        return keyFramesOnly;
      }

      @Override
      public void frame(int frameNumber, double timestampSeconds, byte[] luma, int offset, int stride,
          int width, int height) {
        if (argb.length < width * height) {
          argb = new int[width * height];
        }
        for (int y = 0; y < height; y++) {
          int from = offset + y * stride;
          int to = y * width;
          for (int x = 0; x < width; x++) {
            argb[to + x] = GREY[luma[from + x] & 0xff];
          }
        }
        argbFrame(frameNumber, timestampSeconds, argb, width, height);
      }

      @Override
      public void argbFrame(int frameNumber, double timestampSeconds, int[] pixels, int width, int height) {
        Pdq pdq = ImageHasher.hashPixels(pixels, width, height);
        List<PdqHash> inner = List.of();
        if (insideBorder) {
          inner = ImageHasher.hashPixelsInsideBorder(pixels, width, height).stream().map(Pdq::hash)
              .filter(h -> !h.equals(pdq.hash())).distinct().toList();
        }
        out.add(new FrameHash(frameNumber, pdq.hash(), pdq.quality(), Math.max(0, timestampSeconds), inner));
      }
    };
    if (GifDecoder.isGif(bytes)) {
      GifDecoder.decode(field, bytes, limits, clock, sink);
    } else if (WebpDecoder.isWebp(bytes)) {
      WebpDecoder.decode(field, bytes, limits, clock, sink);
    } else if (ffmpeg != null && !keyFramesOnly) {
      FfmpegDecoder.decode(field, bytes, limits, clock, sink, ffmpeg);
    } else {
      Mp4Decoder.decode(field, bytes, limits, clock, sink);
    }
    out.sort(Comparator.comparingInt(FrameHash::frameNumber));
    VideoHash hash = new VideoHash(out);
    return pruneDistance < 0 ? hash : hash.pruned(pruneDistance);
  }

  /**
   * Mutable builder of {@link VideoHasher}; not thread-safe. Every setter rejects a bad value at
   * once with an {@link InvalidRequestException} naming the setting.
   *
   * @since 0.1
   */
  public static final class Builder {
    private VideoLimits limits = VideoLimits.defaults();
    private double secondsPerHash = DEFAULT_SECONDS_PER_HASH;
    private boolean insideBorder;
    private boolean keyFramesOnly;
    private Clock clock = Clock.systemUTC();
    private int pruneDistance = -1;
    private Path ffmpeg;

    private Builder() {}

    /**
     * Sets the limits.
     *
     * @param limits not null
     * @return this builder
     * @throws InvalidRequestException when null
     */
    public Builder limits(VideoLimits limits) {
      this.limits = InvalidRequestException.requireNonNull("limits", limits);
      return this;
    }

    /**
     * Sets the sampling interval (see the class description).
     *
     * @param seconds 0 for every frame, else positive and finite; default 1
     * @return this builder
     * @throws InvalidRequestException when negative, NaN or infinite
     */
    public Builder secondsPerHash(double seconds) {
      if (!Double.isFinite(seconds) || seconds < 0) {
        throw new InvalidRequestException("secondsPerHash", "must be 0 (every frame) or a positive number, got " + seconds);
      }
      this.secondsPerHash = seconds;
      return this;
    }

    /**
     * Also hashes each frame's content inside letterbox or pillarbox bars (query side).
     *
     * @param on whether to; default false
     * @return this builder
     */
    public Builder insideBorder(boolean on) {
      this.insideBorder = on;
      return this;
    }

    /**
     * Decodes and hashes only the key frames (sync samples), ignoring {@link #secondsPerHash(double)}:
     * much cheaper, as the frames between them are not decoded, but the hash then holds the frames
     * the encoder chose, which differ between two encodes of one video (the video guide measures
     * what that costs in matches). Not for banked videos.
     *
     * @param on whether to; default false
     * @return this builder
     */
    public Builder keyFramesOnly(boolean on) {
      this.keyFramesOnly = on;
      return this;
    }

    /**
     * Drops near-identical consecutive frames: a frame whose hash is within {@code maxDistance} bits
     * of the last frame kept is left out ({@link VideoHash#pruned(int)}). A still scene then costs
     * one frame instead of one per second, which makes banks and queries smaller; the match
     * percentages change, since they count distinct frames (the video guide measures it).
     *
     * @param maxDistance 0 to 256 bits; -1 (the default) keeps every sampled frame
     * @return this builder
     * @throws InvalidRequestException when outside -1..256
     */
    public Builder pruneDistance(int maxDistance) {
      if (maxDistance < -1 || maxDistance > 256) {
        throw new InvalidRequestException("pruneDistance", "must be -1 (off) or 0..256 bits, got " + maxDistance);
      }
      this.pruneDistance = maxDistance;
      return this;
    }

    /**
     * Decodes MP4 files with an FFmpeg executable instead of JCodec (the default). The file is
     * checked, and its frames numbered and timed, by the same first pass as with JCodec, before
     * FFmpeg sees it; FFmpeg then runs as a child process (an argument list, no shell) with one
     * decoding thread and writes raw frames to a pipe, read one frame at a time; the process and its
     * descendants are destroyed at the decode deadline and on any failure, so a hang inside the
     * decoder costs no thread of this JVM. GIF and WebP, and {@link #keyFramesOnly(boolean)}, still
     * decode in the JVM. The executable is not checked here: a {@link VideoHasher#hash(byte[])} that
     * cannot start it throws a {@link dev.haetae.moderation.api.ConfigurationException}.
     *
     * @param executable the {@code ffmpeg} program: a path, or a bare name looked up on the
     *     {@code PATH}; not null
     * @return this builder
     * @throws InvalidRequestException when null
     */
    public Builder ffmpeg(Path executable) {
      this.ffmpeg = InvalidRequestException.requireNonNull("ffmpeg", executable);
      return this;
    }

    /**
     * Decodes MP4 files with JCodec in the JVM (the default), undoing {@link #ffmpeg(Path)}.
     *
     * @return this builder
     */
    public Builder jcodec() {
      this.ffmpeg = null;
      return this;
    }

    /**
     * Sets the clock the decode deadline is measured with (tests inject one).
     *
     * @param clock not null; default the system clock
     * @return this builder
     * @throws InvalidRequestException when null
     */
    public Builder clock(Clock clock) {
      this.clock = InvalidRequestException.requireNonNull("clock", clock);
      return this;
    }

    /**
     * Builds the hasher.
     *
     * @return the immutable hasher; never null
     */
    public VideoHasher build() {
      return new VideoHasher(this);
    }
  }
}

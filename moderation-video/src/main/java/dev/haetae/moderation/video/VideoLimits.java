package dev.haetae.moderation.video;

import dev.haetae.moderation.api.InvalidRequestException;
import java.time.Duration;
import java.util.Objects;

/**
 * The bounds a video must stay within to be decoded: its size in bytes, its declared duration and
 * frame count, the dimensions of its frames (as the container and every H.264 sequence parameter set
 * declare them, checked before a frame is decoded) and the time decoding may take. A video beyond any
 * of them is rejected with a {@link dev.haetae.moderation.api.LimitExceededException} whose field
 * names the bound ({@code video.bytes}, {@code video.durationMillis}, {@code video.frames}, {@code
 * video.frameDimension}, {@code video.framePixels}, {@code video.decodeMillis}).
 *
 * <p>The defaults suit messenger uploads: 256 MiB, 10 minutes, 36,000 frames (10 minutes at 60 fps),
 * frames up to 4096 px on a side and 4096 x 2304 pixels, and 20 minutes of decoding (the pure-Java
 * decoder takes up to about 1.5 CPU seconds per second of HD video on one core, see the video
 * guide). The decode deadline is checked between frames and enforced by a watchdog (see {@link
 * VideoHasher}).
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class VideoLimits {
  private static final VideoLimits DEFAULTS = builder().build();

  private final long maxBytes;
  private final Duration maxDuration;
  private final int maxFrames;
  private final int maxFrameDimension;
  private final long maxFramePixels;
  private final Duration decodeDeadline;

  private VideoLimits(Builder b) {
    this.maxBytes = b.maxBytes;
    this.maxDuration = b.maxDuration;
    this.maxFrames = b.maxFrames;
    this.maxFrameDimension = b.maxFrameDimension;
    this.maxFramePixels = b.maxFramePixels;
    this.decodeDeadline = b.decodeDeadline;
  }

  /**
   * The default limits (see the class description).
   *
   * @return the shared default instance; never null
   */
  public static VideoLimits defaults() {
    return DEFAULTS;
  }

  /**
   * A builder starting from the defaults.
   *
   * @return a new builder; never null
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder starting from these limits.
   *
   * @return a new builder; never null
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.maxBytes = maxBytes;
    b.maxDuration = maxDuration;
    b.maxFrames = maxFrames;
    b.maxFrameDimension = maxFrameDimension;
    b.maxFramePixels = maxFramePixels;
    b.decodeDeadline = decodeDeadline;
    return b;
  }

  /**
   * The largest file accepted, in bytes.
   *
   * @return a positive byte count
   */
  public long maxBytes() {
    return maxBytes;
  }

  /**
   * The longest declared duration accepted.
   *
   * @return a positive duration; never null
   */
  public Duration maxDuration() {
    return maxDuration;
  }

  /**
   * The most video frames (samples of the video track) accepted.
   *
   * @return a positive count
   */
  public int maxFrames() {
    return maxFrames;
  }

  /**
   * The longest frame side accepted, in pixels.
   *
   * @return a positive pixel count
   */
  public int maxFrameDimension() {
    return maxFrameDimension;
  }

  /**
   * The most pixels per frame accepted.
   *
   * @return a positive pixel count
   */
  public long maxFramePixels() {
    return maxFramePixels;
  }

  /**
   * The longest time decoding and hashing one video may take, checked between frames.
   *
   * @return a positive duration; never null
   */
  public Duration decodeDeadline() {
    return decodeDeadline;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VideoLimits l && l.maxBytes == maxBytes && l.maxDuration.equals(maxDuration)
        && l.maxFrames == maxFrames && l.maxFrameDimension == maxFrameDimension
        && l.maxFramePixels == maxFramePixels && l.decodeDeadline.equals(decodeDeadline);
  }

  @Override
  public int hashCode() {
    return Objects.hash(maxBytes, maxDuration, maxFrames, maxFrameDimension, maxFramePixels, decodeDeadline);
  }

  @Override
  public String toString() {
    return "VideoLimits[maxBytes=" + maxBytes + ", maxDuration=" + maxDuration + ", maxFrames=" + maxFrames
        + ", maxFrameDimension=" + maxFrameDimension + ", maxFramePixels=" + maxFramePixels
        + ", decodeDeadline=" + decodeDeadline + "]";
  }

  /**
   * Mutable builder of {@link VideoLimits}; not thread-safe. Every setter rejects a non-positive
   * or null value at once with an {@link InvalidRequestException} naming the setting.
   *
   * @since 0.1
   */
  public static final class Builder {
    private long maxBytes = 256L << 20;
    private Duration maxDuration = Duration.ofMinutes(10);
    private int maxFrames = 36_000;
    private int maxFrameDimension = 4096;
    private long maxFramePixels = 4096L * 2304;
    private Duration decodeDeadline = Duration.ofMinutes(20);

    private Builder() {}

    /**
     * Sets {@link VideoLimits#maxBytes()}.
     *
     * @param bytes positive
     * @return this builder
     * @throws InvalidRequestException when not positive
     */
    public Builder maxBytes(long bytes) {
      this.maxBytes = positive("maxBytes", bytes);
      return this;
    }

    /**
     * Sets {@link VideoLimits#maxDuration()}.
     *
     * @param duration positive; not null
     * @return this builder
     * @throws InvalidRequestException when null or not positive
     */
    public Builder maxDuration(Duration duration) {
      this.maxDuration = positive("maxDuration", duration);
      return this;
    }

    /**
     * Sets {@link VideoLimits#maxFrames()}.
     *
     * @param frames positive
     * @return this builder
     * @throws InvalidRequestException when not positive
     */
    public Builder maxFrames(int frames) {
      this.maxFrames = (int) positive("maxFrames", frames);
      return this;
    }

    /**
     * Sets {@link VideoLimits#maxFrameDimension()}.
     *
     * @param pixels positive
     * @return this builder
     * @throws InvalidRequestException when not positive
     */
    public Builder maxFrameDimension(int pixels) {
      this.maxFrameDimension = (int) positive("maxFrameDimension", pixels);
      return this;
    }

    /**
     * Sets {@link VideoLimits#maxFramePixels()}.
     *
     * @param pixels positive
     * @return this builder
     * @throws InvalidRequestException when not positive
     */
    public Builder maxFramePixels(long pixels) {
      this.maxFramePixels = positive("maxFramePixels", pixels);
      return this;
    }

    /**
     * Sets {@link VideoLimits#decodeDeadline()}.
     *
     * @param deadline positive; not null
     * @return this builder
     * @throws InvalidRequestException when null or not positive
     */
    public Builder decodeDeadline(Duration deadline) {
      this.decodeDeadline = positive("decodeDeadline", deadline);
      return this;
    }

    /**
     * Builds the limits.
     *
     * @return the immutable limits; never null
     */
    public VideoLimits build() {
      return new VideoLimits(this);
    }

    private static long positive(String name, long v) {
      if (v <= 0) {
        throw new InvalidRequestException(name, "must be positive, got " + v);
      }
      return v;
    }

    private static Duration positive(String name, Duration d) {
      InvalidRequestException.requireNonNull(name, d);
      if (d.isNegative() || d.isZero()) {
        throw new InvalidRequestException(name, "must be positive, got " + d);
      }
      return d;
    }
  }
}

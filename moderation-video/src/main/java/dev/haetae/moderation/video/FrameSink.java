package dev.haetae.moderation.video;

/**
 * Receives the frames a decoder ({@link Mp4Decoder}, {@link GifDecoder}, {@link WebpDecoder})
 * produces, each with its number in presentation order; the decoders check {@link VideoLimits}
 * before they call it.
 */
interface FrameSink {
  /** Called once, before the first frame, with what the file declares. */
  void start(Info info);

  /**
   * Tells whether the frame numbered {@code frameNumber} is wanted (a skipped frame is still
   * decoded where later frames depend on it, but not converted).
   */
  boolean wants(int frameNumber);

  /**
   * Whether only key frames (sync samples) are decoded: they refer to no other frame, so the
   * frames between them are skipped without decoding. Only the MP4 decoder reads it.
   */
  default boolean keyFramesOnly() {
    return false;
  }

  /**
   * One frame as a luma plane: {@code luma} holds {@code width * height} 8-bit values (0..255 as
   * unsigned bytes of the decoder's plane, offset by -128, video range), {@code stride} apart,
   * starting at {@code offset}.
   */
  void frame(int frameNumber, double timestampSeconds, byte[] luma, int offset, int stride, int width,
      int height);

  /**
   * One frame as {@code width * height} packed {@code 0xAARRGGBB} pixels (full range, alpha ignored);
   * the array is the decoder's and is overwritten by the next frame.
   */
  void argbFrame(int frameNumber, double timestampSeconds, int[] argb, int width, int height);

  /** What the file declares about the video, known before decoding. */
  record Info(int frames, double durationSeconds, int width, int height) {
    double fps() {
      return durationSeconds > 0 ? frames / durationSeconds : 0;
    }
  }
}

package dev.haetae.moderation.video;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** The copied upstream samples (src/test/resources/vpdq, see NOTICE.md there), hashed once per run. */
final class Samples {
  private static final Map<String, VideoHash> EVERY_FRAME = new HashMap<>();

  private Samples() {}

  static byte[] bytes(String name) {
    try (InputStream in = Samples.class.getResourceAsStream("/vpdq/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource vpdq/" + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The upstream reference hash of a sample (every frame). */
  static VideoHash reference(String video) {
    return VpdqFormat.readText(video + ".txt", new String(bytes(video + ".txt"), StandardCharsets.UTF_8));
  }

  /** The sample hashed by this module, every frame (cached: decoding takes seconds). */
  static synchronized VideoHash everyFrame(String video) {
    return EVERY_FRAME.computeIfAbsent(video,
        v -> VideoHasher.builder().secondsPerHash(0).build().hash(bytes(v + ".mp4")));
  }
}

package dev.haetae.moderation.video;

import dev.haetae.moderation.api.ConfigurationException;
import dev.haetae.moderation.api.CorruptContentException;
import dev.haetae.moderation.api.LimitExceededException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Decodes the video track of an MP4/H.264 file with an {@code ffmpeg} executable, under
 * {@link VideoLimits}, and hands each wanted frame's pixels to a sink.
 *
 * <p>Nothing reaches FFmpeg before the checks of the JCodec path's first pass ({@link Mp4Boxes},
 * then {@link Mp4Decoder#index}): box structure, codec, declared frame count, duration and
 * dimensions, every sequence parameter set (in avcC and in the stream). That pass also gives the
 * presentation times, so frame numbers and timestamps are the JCodec path's. FFmpeg then runs with
 * an argument list (no shell), the MP4 demuxer forced, one decoding thread, no automatic rotation,
 * edit lists ignored (every sample is a frame, as in the index; applied, an edit list starting
 * inside a group of pictures hides its first frames and the counts would differ), and every frame scaled to the declared size, written as raw pixels to its standard output, which
 * is read frame by frame: never more than the index's frame count of {@code width x height} frames.
 * When only every {@code step}-th frame is wanted, FFmpeg's {@code select} filter drops the others
 * before they are converted. The file goes in through standard input when its {@code moov} box
 * comes first, else through an owner-only temporary file (FFmpeg's MP4 reader must seek to an
 * index stored at the end). Standard input is fed and standard error drained (its first
 * {@value #STDERR_KEPT} bytes kept for the message) on their own threads. A watchdog destroys the
 * process and its descendants at the decode deadline; any failure destroys them too.
 *
 * <p>Failures: a frame count other than the index's, a short last frame or a non-zero exit status
 * are a {@link CorruptContentException} carrying the start of FFmpeg's error output; the deadline a
 * {@link LimitExceededException} ({@code video.decodeMillis}); an executable that cannot be started
 * a {@link ConfigurationException}. Stateless; each call starts one process.
 */
final class FfmpegDecoder {
  /** Bytes of FFmpeg's standard error kept for the exception's message. */
  static final int STDERR_KEPT = 4096;

  /** The raw pixel format FFmpeg writes. */
  enum Pixels {
    /** Full-range luma (FFmpeg expands the video range), one byte a pixel. */
    GRAY("gray", 1),
    /** BT.601 RGB, three bytes a pixel; PDQ computes the luma, as upstream's hasher does. */
    RGB24("rgb24", 3);

    final String name;
    final int bytes;

    Pixels(String name, int bytes) {
      this.name = name;
      this.bytes = bytes;
    }
  }

  /** The format the hasher uses; chosen by the distances to upstream's reference hashes (notes of issue 21). */
  static final Pixels DEFAULT_PIXELS = Pixels.GRAY;

  private FfmpegDecoder() {}

  static FrameSink.Info decode(String field, byte[] bytes, VideoLimits limits, Clock clock, FrameSink sink,
      Path ffmpeg) {
    return decode(field, bytes, limits, clock, sink, ffmpeg, DEFAULT_PIXELS);
  }

  static FrameSink.Info decode(String field, byte[] bytes, VideoLimits limits, Clock clock, FrameSink sink,
      Path ffmpeg, Pixels pixels) {
    long started = clock.millis();
    Mp4Boxes.Summary summary = Mp4Boxes.check(field, bytes, limits);
    Mp4Decoder.Index index = DecodeThread.run(field, limits, clock, started,
        () -> Mp4Decoder.index(field, bytes, limits, true));
    FrameSink.Info info = index.info();
    sink.start(info);
    int[] wanted = wanted(info.frames(), sink);
    if (wanted.length == 0) {
      return info;
    }
    int step = step(wanted, info.frames());
    Path temp = null;
    try {
      if (!summary.moovFirst()) {
        temp = Files.createTempFile("haetae-video-", ".mp4");
        Files.write(temp, bytes);
      }
      List<String> command = command(ffmpeg, temp, info.width(), info.height(), step, pixels);
      run(field, bytes, temp == null, command, limits, clock, started, index, wanted, step, pixels, sink);
      return info;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a temporary copy of " + field + " for FFmpeg", e);
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException ignored) {
          // the temporary directory's own clean-up removes it
        }
      }
    }
  }

  /** The frame numbers the sink wants, in presentation order. */
  private static int[] wanted(int frames, FrameSink sink) {
    int[] out = new int[frames];
    int k = 0;
    for (int i = 0; i < frames; i++) {
      if (sink.wants(i)) {
        out[k++] = i;
      }
    }
    return java.util.Arrays.copyOf(out, k);
  }

  /**
   * The step s when the wanted frames are exactly those with {@code n % s == 0} (s > 1: FFmpeg's
   * select filter keeps them); 1 when every frame is read and the unwanted ones skipped here.
   */
  private static int step(int[] wanted, int frames) {
    if (wanted.length < 2 || wanted[0] != 0) {
      return 1;
    }
    int s = wanted[1];
    for (int k = 0; k < wanted.length; k++) {
      if (wanted[k] != k * s) {
        return 1;
      }
    }
    return (frames - 1) / s + 1 == wanted.length ? s : 1;
  }

  static List<String> command(Path ffmpeg, Path input, int width, int height, int step, Pixels pixels) {
    List<String> c = new ArrayList<>();
    c.add(ffmpeg.toString());
    c.addAll(List.of("-v", "error", "-nostdin", "-nostats", "-filter_threads", "1"));
    // edit lists ignored: every sample is a frame, as in the index (and the JCodec path)
    c.addAll(List.of("-threads", "1", "-noautorotate", "-ignore_editlist", "1", "-protocol_whitelist", "file,pipe",
        "-f", "mov"));
    c.addAll(List.of("-i", input == null ? "pipe:0" : "file:" + input.toAbsolutePath()));
    String filters = (step > 1 ? "select=not(mod(n\\," + step + ")),": "")
        + String.format(Locale.ROOT, "scale=%d:%d", width, height);
    c.addAll(List.of("-map", "0:v:0", "-an", "-sn", "-dn", "-vf", filters, "-vsync", "0"));
    c.addAll(List.of("-f", "rawvideo", "-pix_fmt", pixels.name, "pipe:1"));
    return c;
  }

  private static void run(String field, byte[] bytes, boolean viaStdin, List<String> command, VideoLimits limits,
      Clock clock, long started, Mp4Decoder.Index index, int[] wanted, int step, Pixels pixels, FrameSink sink) {
    Process process;
    try {
      process = new ProcessBuilder(command).start();
    } catch (IOException e) {
      throw new ConfigurationException("cannot start FFmpeg (" + command.get(0) + "): " + e.getMessage(), e);
    }
    CountDownLatch finished = new CountDownLatch(1);
    AtomicBoolean expired = new AtomicBoolean();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    long deadline = limits.decodeDeadline().toMillis();
    long remaining = Math.max(0, deadline - (clock.millis() - started));
    Thread watchdog = daemon("haetae-ffmpeg-watchdog", () -> {
      try {
        if (!finished.await(remaining, TimeUnit.MILLISECONDS)) {
          expired.set(true);
          destroy(process);
        }
      } catch (InterruptedException e) {
        destroy(process);
      }
    });
    Thread feeder = daemon("haetae-ffmpeg-stdin", () -> {
      try (OutputStream in = process.getOutputStream()) {
        if (viaStdin) {
          in.write(bytes);
        }
      } catch (IOException e) {
        // FFmpeg stopped reading: its exit status or output says why
      }
    });
    Thread drainer = daemon("haetae-ffmpeg-stderr", () -> drain(process.getErrorStream(), stderr));
    watchdog.start();
    feeder.start();
    drainer.start();
    int width = index.info().width();
    int height = index.info().height();
    int frameBytes = width * height * pixels.bytes;
    byte[] raw = new byte[frameBytes];
    int[] argb = new int[width * height];
    int expected = step > 1 ? wanted.length : index.info().frames();
    int next = 0;
    int read = 0;
    boolean completed = false;
    try (InputStream out = process.getInputStream()) {
      while (true) {
        int got = out.readNBytes(raw, 0, frameBytes);
        checkTime(field, limits, clock, started, expired);
        if (got == 0) {
          break;
        }
        if (got < frameBytes) {
          waitFor(process, limits, clock, started, expired, field);
          throw new CorruptContentException(field, "FFmpeg's frame " + read + " ends after " + got + " of "
              + frameBytes + " bytes" + errors(process, stderr, drainer), null);
        }
        if (read == expected) {
          throw new CorruptContentException(field, "FFmpeg decodes more frames than the index's " + expected, null);
        }
        int number = step > 1 ? wanted[read] : read;
        read++;
        if (next < wanted.length && wanted[next] == number) {
          next++;
          toArgb(raw, argb, pixels);
          sink.argbFrame(number, index.times()[number], argb, width, height);
        }
      }
      int status = waitFor(process, limits, clock, started, expired, field);
      if (status != 0) {
        throw new CorruptContentException(field, "FFmpeg exited with status " + status + errors(process, stderr,
            drainer), null);
      }
      if (read != expected) {
        throw new CorruptContentException(field, "FFmpeg decodes " + read + " frames, the index declares "
            + expected + errors(process, stderr, drainer), null);
      }
      completed = true;
    } catch (IOException e) {
      checkTime(field, limits, clock, started, expired);
      throw new CorruptContentException(field, "FFmpeg's output cannot be read: " + e.getMessage(), e);
    } finally {
      finished.countDown();
      if (!completed) {
        destroy(process);
      }
    }
  }

  private static void checkTime(String field, VideoLimits limits, Clock clock, long started, AtomicBoolean expired) {
    long spent = clock.millis() - started;
    long deadline = limits.decodeDeadline().toMillis();
    if (expired.get() || spent > deadline) {
      throw new LimitExceededException("video.decodeMillis", deadline, Math.max(deadline, spent));
    }
    if (Thread.currentThread().isInterrupted()) {
      throw new CancellationException("interrupted while decoding " + field);
    }
  }

  /** Waits for the exit status within the deadline (the watchdog destroys the process at it). */
  private static int waitFor(Process process, VideoLimits limits, Clock clock, long started, AtomicBoolean expired,
      String field) {
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CancellationException("interrupted while decoding " + field);
    }
    checkTime(field, limits, clock, started, expired);
    return process.exitValue();
  }

  private static void toArgb(byte[] raw, int[] argb, Pixels pixels) {
    if (pixels == Pixels.GRAY) {
      for (int i = 0; i < argb.length; i++) {
        int g = raw[i] & 0xff;
        argb[i] = 0xff000000 | g << 16 | g << 8 | g;
      }
    } else {
      for (int i = 0, j = 0; i < argb.length; i++, j += 3) {
        argb[i] = 0xff000000 | (raw[j] & 0xff) << 16 | (raw[j + 1] & 0xff) << 8 | (raw[j + 2] & 0xff);
      }
    }
  }

  /** Reads a stream to its end, keeping its first {@value #STDERR_KEPT} bytes. */
  private static void drain(InputStream in, ByteArrayOutputStream kept) {
    byte[] buffer = new byte[1024];
    try (in) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        synchronized (kept) {
          kept.write(buffer, 0, Math.max(0, Math.min(n, STDERR_KEPT - kept.size())));
        }
      }
    } catch (IOException e) {
      // the process was destroyed
    }
  }

  /** The start of FFmpeg's error output, once the drainer has read it, for a message. */
  private static String errors(Process process, ByteArrayOutputStream stderr, Thread drainer) {
    if (!process.isAlive()) {
      try {
        drainer.join(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    String text;
    synchronized (stderr) {
      text = stderr.toString(StandardCharsets.UTF_8).strip();
    }
    if (text.isEmpty()) {
      return "";
    }
    text = text.replaceAll("\\s+", " ");
    return ": " + (text.length() > 300 ? text.substring(0, 300) + "..." : text);
  }

  /** Destroys the process and every descendant it started. */
  static void destroy(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  private static Thread daemon(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    return t;
  }
}

package dev.haetae.moderation.cli;

import dev.haetae.moderation.api.ModerationException;
import dev.haetae.moderation.video.TimeRange;
import dev.haetae.moderation.video.VideoBank;
import dev.haetae.moderation.video.VideoHash;
import dev.haetae.moderation.video.VideoHasher;
import dev.haetae.moderation.video.VideoMatch;
import dev.haetae.moderation.video.VpdqFormat;
import dev.haetae.moderation.video.VpdqMatchRule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The video side of {@code haetae hash} and {@code haetae match}: a file is taken as a video when it
 * starts as an MP4 or QuickTime file does (a box of type {@code ftyp}, {@code moov}, {@code mdat},
 * {@code free}, {@code skip} or {@code wide} at byte 4).
 */
final class VideoCommands {
  private VideoCommands() {}

  /** Whether the file looks like an MP4/QuickTime video (a missing or unreadable file does not). */
  static boolean isVideo(Path file) {
    if (!Files.isRegularFile(file)) {
      return false;
    }
    byte[] head = new byte[8];
    try (InputStream in = Files.newInputStream(file)) {
      if (in.readNBytes(head, 0, 8) < 8) {
        return false;
      }
    } catch (IOException e) {
      return false;
    }
    String type = new String(head, 4, 4, StandardCharsets.ISO_8859_1);
    return List.of("ftyp", "moov", "mdat", "free", "skip", "wide").contains(type);
  }

  /**
   * Prints each video's vPDQ hash as upstream's text lines; with several videos each block starts
   * with a {@code # FILE} line (which the text reader skips). Returns the exit code.
   */
  static int hash(List<Path> videos, double secondsPerHash, Path ffmpeg, PrintWriter out, PrintWriter err) {
    VideoHasher hasher = decoder(VideoHasher.builder(), ffmpeg).secondsPerHash(secondsPerHash).build();
    int failed = 0;
    for (Path v : videos) {
      try {
        VideoHash h = hasher.hash(v);
        if (videos.size() > 1) {
          out.println("# " + v);
        }
        out.print(VpdqFormat.writeText(h));
      } catch (NoSuchFileException e) {
        failed++;
        err.println("haetae hash: " + v + ": no such file");
      } catch (IOException | UncheckedIOException e) {
        failed++;
        err.println("haetae hash: " + v + ": cannot read (" + e.getMessage() + ")");
      } catch (ModerationException e) {
        failed++;
        err.println("haetae hash: " + v + ": " + e.getMessage());
      }
      out.flush();
      err.flush();
    }
    return failed == 0 ? 0 : 1;
  }

  /**
   * Builds a video bank from the bank files (videos are hashed every frame; other files are read
   * as vPDQ text lines, or JSON when they start with '['), then prints per query video each
   * banked video it matches with both percentages and the matched time ranges. Returns the exit
   * code: 2 when a bank file cannot be read.
   */
  static int match(List<Path> bankFiles, List<Path> videos, VpdqMatchRule rule, Path ffmpeg, PrintWriter out,
      PrintWriter err) {
    VideoHasher bankHasher = decoder(VideoHasher.builder(), ffmpeg).secondsPerHash(0).build();
    VideoBank.Builder bank = VideoBank.builder().rule(rule);
    for (Path f : bankFiles) {
      try {
        VideoHash h;
        if (isVideo(f)) {
          h = bankHasher.hash(f);
        } else {
          String text = Files.readString(f, StandardCharsets.UTF_8);
          h = text.stripLeading().startsWith("[") ? VpdqFormat.readJson(f.toString(), text)
              : VpdqFormat.readText(f.toString(), text);
        }
        bank.add(f.toString(), h);
        err.printf(Locale.ROOT, "video bank %s: %d frames%n", f, h.frames().size());
      } catch (IOException | UncheckedIOException e) {
        err.println("match: " + f + ": cannot read (" + e.getMessage() + ")");
        return 2;
      } catch (ModerationException e) {
        err.println("match: " + e.getMessage());
        return 2;
      }
    }
    VideoBank built = bank.build();
    err.printf(Locale.ROOT, "rule: distance %d, quality >= %d, query >= %.0f %%, comparison >= %.0f %%%n",
        rule.distance(), rule.qualityFloor(), rule.queryMatchPercent(), rule.comparisonMatchPercent());
    err.flush();
    VideoHasher queryHasher = decoder(VideoHasher.builder(), ffmpeg).secondsPerHash(0).insideBorder(true).build();
    int status = 0;
    for (Path v : videos) {
      List<VideoMatch> matches;
      try {
        matches = built.match(queryHasher.hash(v));
      } catch (IOException | UncheckedIOException e) {
        err.println("match: " + v + ": cannot read (" + e.getMessage() + ")");
        status = 1;
        continue;
      } catch (ModerationException e) {
        err.println("match: " + v + ": " + e.getMessage());
        status = 1;
        continue;
      }
      out.println(v + ": " + (matches.isEmpty() ? "no match" : matches.size() + " match"
          + (matches.size() == 1 ? "" : "es")));
      for (VideoMatch m : matches) {
        out.printf(Locale.ROOT, "  %s  query %.1f %%  comparison %.1f %%  query at %s  banked at %s%n", m.videoId(),
            m.queryPercent(), m.comparisonPercent(), ranges(m.queryRanges()), ranges(m.bankedRanges()));
      }
      out.flush();
    }
    return status;
  }

  /** The JVM's decoder, or the {@code ffmpeg} child process when {@code ffmpeg} is not null. */
  private static VideoHasher.Builder decoder(VideoHasher.Builder b, Path ffmpeg) {
    return ffmpeg == null ? b : b.ffmpeg(ffmpeg);
  }

  private static String ranges(List<TimeRange> ranges) {
    return ranges.stream().map(r -> String.format(Locale.ROOT, "%.3f-%.3fs", r.fromSeconds(), r.toSeconds()))
        .collect(Collectors.joining(","));
  }
}

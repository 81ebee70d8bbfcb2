package dev.haetae.moderation.cli;

import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.Md5;
import dev.haetae.moderation.api.ModerationException;
import dev.haetae.moderation.api.Pdq;
import dev.haetae.moderation.api.PdqHash;
import dev.haetae.moderation.api.Sha256;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.core.hash.Bank;
import dev.haetae.moderation.core.banks.HashListFormat;
import dev.haetae.moderation.core.hash.ImportOptions;
import dev.haetae.moderation.core.hash.ImportReport;
import dev.haetae.moderation.core.hash.HashBanks;
import dev.haetae.moderation.core.hash.ImageHasher;
import dev.haetae.moderation.video.VpdqMatchRule;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code haetae match}: matches images or host-supplied hashes against hash-list files. */
@Command(name = "match", mixinStandardHelpOptions = true,
    description = {"Matches images (or hashes given with --pdq/--sha256/--md5) against hash banks loaded from "
        + "hash-list files (Haetae CSV, StopNCII, NCMEC XML, TCAP, ThreatExchange, HMA; see 'haetae bank'), and "
        + "prints per input the matching entries with bank, type, distance and category.",
        "A bank is named after its file; each file's import report (read, added, skipped by class) and its "
            + "skipped lines go to stderr.",
        "MP4 videos are matched with vPDQ against --bank files that are videos or vPDQ hashes (text lines or "
            + "JSON): per video, each matching banked video with its query and comparison percentages.",
        "Exit code 0 when every input was processed, 1 when some failed or a "
            + "bank file contributed nothing (empty, or every line skipped), 2 on usage errors."})
final class MatchCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--bank", required = true, arity = "1", split = ",",
      description = "a hash list file (.csv or .json); repeat the option or separate files with commas")
  List<Path> banks = new ArrayList<>();

  @Option(names = "--bank-format", paramLabel = "FORMAT",
      description = "the format of every --bank file, when its name does not tell: bank-csv, hma, hma-json, "
          + "threatexchange, ncmec, tcap, stopncii")
  String bankFormat;

  @Option(names = "--strict", description = "fail on the first bad line of a bank file (exit 2) instead of skipping it")
  boolean strict;

  @Option(names = "--distance", description = "PDQ distance for every bank (default: 31)")
  Integer distance;

  @Option(names = "--pdq", description = "a PDQ hash (64 hex digits) to match, as a host would supply it")
  List<String> pdq = new ArrayList<>();

  @Option(names = "--sha256", description = "a SHA-256 (64 hex digits) to match")
  List<String> sha256 = new ArrayList<>();

  @Option(names = "--md5", description = "an MD5 (32 hex digits) to match")
  List<String> md5 = new ArrayList<>();

  @Parameters(arity = "0..*", paramLabel = "IMAGE", description = "image files to fingerprint and match, or MP4 videos")
  List<Path> images = new ArrayList<>();

  @Option(names = "--query-percent", paramLabel = "P",
      description = "videos: share of the query's frames that must match (default: 80)")
  Double queryPercent;

  @Option(names = "--comparison-percent", paramLabel = "P",
      description = "videos: share of the banked video's frames that must match (default: 0)")
  Double comparisonPercent;

  @Option(names = "--ffmpeg", paramLabel = "FFMPEG",
      description = "videos: decode MP4 with this ffmpeg executable (a path, or a name on the PATH) "
          + "instead of the built-in decoder")
  Path ffmpeg;

  /** Fingerprints a file; the PDQ part needs the image hasher. */
  interface Fingerprinter {
    /**
     * The file's fingerprints; when it cannot be perceptually hashed, its exact digests with the
     * reason.
     */
    Fingerprinted fingerprint(Path file) throws IOException;

    boolean perceptual();
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (images.isEmpty() && pdq.isEmpty() && sha256.isEmpty() && md5.isEmpty()) {
      err.println("match: give IMAGE files or --pdq/--sha256/--md5 hashes");
      return 2;
    }
    if (!images.isEmpty() && images.stream().anyMatch(VideoCommands::isVideo)) {
      if (!images.stream().allMatch(VideoCommands::isVideo) || !pdq.isEmpty() || !sha256.isEmpty() || !md5.isEmpty()) {
        err.println("match: give either videos or images and hashes, not both");
        return 2;
      }
      VpdqMatchRule rule;
      try {
        VpdqMatchRule d = VpdqMatchRule.defaults();
        rule = new VpdqMatchRule(distance == null ? d.distance() : distance, d.qualityFloor(),
            queryPercent == null ? d.queryMatchPercent() : queryPercent,
            comparisonPercent == null ? d.comparisonMatchPercent() : comparisonPercent);
      } catch (ModerationException e) {
        err.println("match: " + e.getMessage());
        return 2;
      }
      return VideoCommands.match(banks, images, rule, ffmpeg, out, err);
    }
    HashBanks hb = HashBanks.inMemory();
    int status = 0;
    ImportOptions options = ImportOptions.defaults().strict(strict);
    HashListFormat format = null;
    if (bankFormat != null) {
      try {
        format = HashListFormat.fromWire(bankFormat);
      } catch (ModerationException e) {
        err.println("match: --bank-format " + e.getMessage());
        return 2;
      }
    }
    for (Path f : banks) {
      try {
        ImportReport r = format == null ? hb.importFile(f, null, options)
            : hb.importFile(f, null, format, options);
        status |= BankCommand.printReport(err, f.toString(), r);
      } catch (ModerationException e) {
        err.println("match: " + e.getMessage());
        return 2;
      }
    }
    if (distance != null) {
      for (Bank b : hb.banks()) {
        try {
          hb.define(b.config().toBuilder().pdqDistance(distance).build());
        } catch (ModerationException e) {
          err.println("match: --distance: " + e.getMessage());
          return 2;
        }
      }
    }
    for (Bank b : hb.banks()) {
      err.printf(Locale.ROOT, "bank %s (%s, %s): %,d entries, version %s%n", b.id(), b.config().source(),
          b.config().category().wireName(), b.size(), b.versionString());
    }
    err.flush();
    for (String h : pdq) {
      status |= report(out, err, "pdq " + h,
          () -> Fingerprinted.of(Fingerprints.none().withPdq(Pdq.of(PdqHash.fromHex(h)))), hb);
    }
    for (String h : sha256) {
      status |= report(out, err, "sha256 " + h,
          () -> Fingerprinted.of(Fingerprints.none().withSha256(Sha256.fromHex(h))), hb);
    }
    for (String h : md5) {
      status |= report(out, err, "md5 " + h, () -> Fingerprinted.of(Fingerprints.none().withMd5(Md5.fromHex(h))), hb);
    }
    Fingerprinter fp = fingerprinter();
    if (!images.isEmpty() && !fp.perceptual()) {
      err.println("match: this build has no PDQ image hasher; images are matched by SHA-256 and MD5 only "
          + "(pass --pdq to match a perceptual hash)");
    }
    err.flush();
    for (Path img : images) {
      status |= report(out, err, img.toString(), () -> fp.fingerprint(img), hb);
    }
    out.flush();
    return status;
  }

  /** Fingerprints, and why the perceptual hash is missing when it could not be computed. */
  record Fingerprinted(Fingerprints fingerprints, String notHashed) {
    static Fingerprinted of(Fingerprints f) {
      return new Fingerprinted(f, null);
    }
  }

  private interface Source {
    Fingerprinted get() throws IOException;
  }

  private static int report(PrintWriter out, PrintWriter err, String label, Source src, HashBanks hb) {
    Fingerprinted got;
    try {
      got = src.get();
    } catch (IOException | ModerationException e) {
      err.println("match: " + label + ": " + e.getMessage());
      return 1;
    }
    Fingerprints f = got.fingerprints();
    if (got.notHashed() != null) {
      // still matched by its exact digests below
      err.println("match: " + label + ": " + got.notHashed() + " (matched by SHA-256 and MD5 only)");
    }
    List<Signal.HashMatch> matches = hb.match(f);
    String quality = f.pdq().map(p -> p.quality() >= 0 ? " (pdq quality " + p.quality() + ")" : "").orElse("");
    out.println(label + ": " + (matches.isEmpty() ? "no match" : matches.size() + " match"
        + (matches.size() == 1 ? "" : "es")) + quality);
    for (Signal.HashMatch m : matches) {
      String d = m.type().name().equals("PDQ") ? "distance " + m.distance() + "/" + m.maxDistance() : "exact";
      out.println("  " + m.bank() + "  " + m.type().wireName() + "  " + d + "  " + m.category().wireName()
          + "  " + m.entry() + (m.reviewOnly() ? "  review-only" : ""));
    }
    return got.notHashed() == null ? 0 : 1;
  }

  /** The PDQ image hasher (with its query variants) of this build. */
  static Fingerprinter fingerprinter() {
    ImageHasher hasher = ImageHasher.create();
    return new Fingerprinter() {
      @Override
      public Fingerprinted fingerprint(Path file) throws IOException {
        try {
          return Fingerprinted.of(hasher.fingerprint(file));
        } catch (RuntimeException e) {
          return new Fingerprinted(ImageHasher.digests(file), e.getMessage());
        }
      }

      @Override
      public boolean perceptual() {
        return true;
      }
    };
  }
}

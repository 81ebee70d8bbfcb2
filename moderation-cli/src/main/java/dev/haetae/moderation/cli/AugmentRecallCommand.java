package dev.haetae.moderation.cli;

import dev.haetae.moderation.api.InvalidRequestException;
import dev.haetae.moderation.api.Pdq;
import dev.haetae.moderation.api.PdqHash;
import dev.haetae.moderation.core.hash.ImageHasher;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code haetae bench augment-recall}: re-share recall of index-time dihedral augmentation on a
 * corpus, against today's query-side turns.
 */
@Command(name = "augment-recall", mixinStandardHelpOptions = true,
    description = {"Re-share recall if banks stored each entry's dihedral forms and queries carried only their "
        + "non-dihedral hashes, on a corpus directory (originals/, variants/NAME--EDIT.ext). Per edit, how many copies "
        + "match their original (distance <= 31): with every query hash against the original's hash (today), with "
        + "the non-dihedral query hashes against the original's eight forms hashed from its turned pixels (what a "
        + "bank that holds the image can store), and against eight forms derived from the original's hash bits "
        + "(all an imported hash list allows). Then the copies matching a different original, today and with the "
        + "pixel forms."})
final class AugmentRecallCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", description = "corpus directory holding originals/ and variants/")
  Path dir;

  @Option(names = "--distance", defaultValue = "31", description = "PDQ distance; default ${DEFAULT-VALUE}")
  int distance;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    if (!Files.isDirectory(dir.resolve("originals")) || !Files.isDirectory(dir.resolve("variants"))) {
      spec.commandLine().getErr().println("bench augment-recall: " + dir + " needs originals/ and variants/");
      return 2;
    }
    ImageHasher plain = ImageHasher.builder().resolution(ImageHasher.Resolution.FULL).queryVariants(false).build();
    ImageHasher hasher = ImageHasher.create();
    Map<String, PdqHash[]> pixelForms = new TreeMap<>();
    Map<String, PdqHash[]> bitForms = new TreeMap<>();
    int drift = 0;
    int maxDrift = 0;
    try (var files = Files.list(dir.resolve("originals"))) {
      for (Path p : (Iterable<Path>) files.sorted()::iterator) {
        BufferedImage image = ImageIO.read(p.toFile());
        if (image == null) {
          spec.commandLine().getErr().println("bench augment-recall: skipped " + p.getFileName());
          continue;
        }
        PdqHash[] px = new PdqHash[DihedralForms.COUNT];
        PdqHash[] bits = new PdqHash[DihedralForms.COUNT];
        for (int op = 0; op < DihedralForms.COUNT; op++) {
          px[op] = plain.pdq(turn(image, op)).hash();
        }
        for (int op = 0; op < DihedralForms.COUNT; op++) {
          bits[op] = DihedralForms.form(px[0], op);
          int d = bits[op].distance(px[op]);
          drift += d;
          maxDrift = Math.max(maxDrift, d);
        }
        pixelForms.put(stem(p.getFileName().toString()), px);
        bitForms.put(stem(p.getFileName().toString()), bits);
      }
    }
    Map<String, int[]> perEdit = new TreeMap<>(); // today, pixel forms, bit forms, of
    int crossToday = 0;
    int crossPixel = 0;
    List<String> crossChanged = new ArrayList<>();
    int copies = 0;
    int allHashes = 0;
    int keptHashes = 0;
    try (var files = Files.list(dir.resolve("variants"))) {
      for (Path v : (Iterable<Path>) files.sorted()::iterator) {
        String name = v.getFileName().toString();
        int sep = name.indexOf("--");
        PdqHash[] px = sep < 0 ? null : pixelForms.get(name.substring(0, sep));
        if (px == null) {
          continue;
        }
        String original = name.substring(0, sep);
        Pdq q;
        try {
          q = hasher.fingerprint(v).pdq().orElseThrow();
        } catch (InvalidRequestException e) {
          spec.commandLine().getErr().println("bench augment-recall: skipped " + name + ": " + e.getMessage());
          continue;
        }
        List<PdqHash> all = new ArrayList<>();
        all.add(q.hash());
        all.addAll(q.queryVariants());
        List<PdqHash> kept = DihedralForms.nonDihedral(q.hash(), q.queryVariants());
        copies++;
        allHashes += all.size();
        keptHashes += kept.size();
        int[] row = perEdit.computeIfAbsent(stem(name.substring(sep + 2)), k -> new int[4]);
        row[0] += within(all, new PdqHash[] {px[0]}) ? 1 : 0;
        row[1] += within(kept, px) ? 1 : 0;
        row[2] += within(kept, bitForms.get(original)) ? 1 : 0;
        row[3]++;
        for (Map.Entry<String, PdqHash[]> other : pixelForms.entrySet()) {
          if (!other.getKey().equals(original)) {
            boolean today = within(all, new PdqHash[] {other.getValue()[0]});
            boolean augmented = within(kept, other.getValue());
            crossToday += today ? 1 : 0;
            crossPixel += augmented ? 1 : 0;
            if (today != augmented) {
              crossChanged.add(String.format(Locale.ROOT, "  %s %s ~ %s", augmented ? "(pixel forms only)"
                  : "(today only)", name, other.getKey()));
            }
          }
        }
      }
    }
    out.printf(Locale.ROOT, "haetae bench augment-recall: %d originals, %d copies, distance %d; query hashes per copy: "
        + "%.1f today, %.1f non-dihedral; bit-derived forms differ from the pixel forms by %.1f bits on average, "
        + "%d at most%n", pixelForms.size(), copies, distance, allHashes / (double) Math.max(1, copies),
        keptHashes / (double) Math.max(1, copies), drift / (double) Math.max(1, 7 * pixelForms.size()), maxDrift);
    out.printf(Locale.ROOT, "%-12s %7s %12s %10s %5s%n", "edit", "today", "pixel-forms", "bit-forms", "of");
    for (Map.Entry<String, int[]> e : perEdit.entrySet()) {
      int[] r = e.getValue();
      out.printf(Locale.ROOT, "%-12s %7d %12d %10d %5d%n", e.getKey(), r[0], r[1], r[2], r[3]);
    }
    out.printf(Locale.ROOT, "copies matching a different original: today %d, pixel forms %d%n", crossToday, crossPixel);
    crossChanged.forEach(out::println);
    out.flush();
    return 0;
  }

  private boolean within(List<PdqHash> queries, PdqHash[] targets) {
    for (PdqHash q : queries) {
      for (PdqHash t : targets) {
        if (q.distance(t) <= distance) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * The image turned by dihedral element {@code op}: 0 identity, 1 rotate 90 clockwise, 2 rotate
   * 180, 3 rotate 270, 4 flip left-right, 5 flip top-bottom, 6 transpose, 7 anti-transpose.
   */
  static BufferedImage turn(BufferedImage image, int op) {
    int w = image.getWidth();
    int h = image.getHeight();
    int[] in = image.getRGB(0, 0, w, h, null, 0, w);
    boolean swap = op == 1 || op == 3 || op == 6 || op == 7;
    int ow = swap ? h : w;
    int oh = swap ? w : h;
    int[] o = new int[in.length];
    for (int y = 0; y < oh; y++) {
      for (int x = 0; x < ow; x++) {
        int sx;
        int sy;
        switch (op) {
          case 0: sx = x; sy = y; break;
          case 1: sx = y; sy = h - 1 - x; break;
          case 2: sx = w - 1 - x; sy = h - 1 - y; break;
          case 3: sx = w - 1 - y; sy = x; break;
          case 4: sx = w - 1 - x; sy = y; break;
          case 5: sx = x; sy = h - 1 - y; break;
          case 6: sx = y; sy = x; break;
          case 7: sx = w - 1 - y; sy = h - 1 - x; break;
          default: throw new IllegalArgumentException("dihedral op " + op + " is not 0..7");
        }
        o[y * ow + x] = in[sy * w + sx];
      }
    }
    BufferedImage out = new BufferedImage(ow, oh, BufferedImage.TYPE_INT_RGB);
    out.setRGB(0, 0, ow, oh, o, 0, ow);
    return out;
  }

  private static String stem(String name) {
    int dot = name.lastIndexOf('.');
    return dot < 0 ? name : name.substring(0, dot);
  }
}

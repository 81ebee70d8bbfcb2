package dev.haetae.moderation.cli;

import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.Pdq;
import dev.haetae.moderation.api.PdqHash;
import dev.haetae.moderation.core.hash.ImageHasher;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code haetae hash-robustness DIR}: measures how many re-shared copies of each original in a
 * re-share corpus still match the original's reference PDQ hash, plain PDQ against Haetae's
 * query-side preparation, and whether distinct originals start matching each other.
 *
 * <p>The corpus layout is that of the project's shared re-share corpus: {@code DIR/originals/NAME.ext},
 * {@code DIR/variants/NAME--EDIT.ext} and {@code DIR/reference-pdq.csv} ({@code hash,quality,file}
 * from the reference hasher). "Plain" compares the variant's reference hash with the original's
 * reference hash; "Haetae" compares the variant's Haetae hash and every query variant of it
 * ({@link ImageHasher} defaults: reduced resolution, dihedral and border-trimmed variants). A match
 * is a Hamming distance of at most {@code --threshold} (31). The third column is a bank Haetae
 * builds itself: besides the original's reference hash it holds the original's Haetae hash and the
 * index-time augmentation {@link ImageHasher#bankVariants(byte[])} (hashes of the 90% and 80%
 * centre crops).
 *
 * <p>With {@code --variant-distance R} the query variants match at {@code R} and only the main hash
 * at {@code --threshold}, as a bank with {@code pdqVariantDistance(R)} matches. Either way the
 * command then lists, per edit, the distances at which the copies that the main hash misses are
 * found by their best variant (so the smallest variant distance that keeps them), and the
 * false-pair margin: the smallest distance from a main hash, and from a variant, to the reference
 * hash of an unrelated original (originals whose reference hashes lie within the threshold of each
 * other count as one design).
 *
 * <p>Exit code 0 on success, 1 when the directory cannot be read, 2 when the variant distance is
 * not 0..threshold.
 */
@Command(
    name = "hash-robustness",
    mixinStandardHelpOptions = true,
    description = "Measure PDQ re-share robustness on a corpus directory (originals/, variants/, reference-pdq.csv).")
public final class HashRobustnessCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DIR", description = "the corpus directory")
  Path dir;

  @Option(names = "--threshold", defaultValue = "31", description = "match distance (default ${DEFAULT-VALUE})")
  int threshold;

  @Option(names = "--variant-distance", defaultValue = "-1", description = "match query variants at this "
      + "distance, the main hash at --threshold (default: the threshold)")
  int variantDistance;

  @Option(names = "--misses", description = "list each variant Haetae does not match, with its best distance")
  boolean listMisses;

  /** Creates the command; picocli sets the fields. */
  public HashRobustnessCommand() {}

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    if (variantDistance == -1) {
      variantDistance = threshold;
    }
    if (variantDistance < 0 || variantDistance > threshold) {
      spec.commandLine().getErr().println("hash-robustness: --variant-distance must be 0..threshold (" + threshold + ")");
      return 2;
    }
    Map<String, PdqHash> reference = readReference(dir.resolve("reference-pdq.csv"));
    ImageHasher hasher = ImageHasher.create();
    Map<String, Path> originals = new TreeMap<>();
    try (var files = Files.list(dir.resolve("originals"))) {
      files.forEach(p -> originals.put(stem(p.getFileName().toString()), p));
    }
    Map<String, List<PdqHash>> augmented = new LinkedHashMap<>();
    Map<String, Pdq> originalQueries = new LinkedHashMap<>();
    for (Map.Entry<String, Path> e : originals.entrySet()) {
      originalQueries.put(e.getKey(), pdqOf(hasher, e.getValue()));
      augmented.put(e.getKey(), centreCrops(hasher, e.getValue()));
    }
    Map<String, int[]> perEdit = new TreeMap<>(); // plain, haetae, haetae+augment, total
    List<String> falseMatches = new ArrayList<>();
    List<String> falseAugmented = new ArrayList<>();
    Map<String, List<Integer>> needed = new TreeMap<>(); // per edit: best variant distance where the main hash misses
    int[] margin = {Integer.MAX_VALUE, Integer.MAX_VALUE}; // main, variants: nearest unrelated original
    try (var files = Files.list(dir.resolve("variants"))) {
      for (Path v : (Iterable<Path>) files.sorted()::iterator) {
        String name = v.getFileName().toString();
        int sep = name.indexOf("--");
        if (sep < 0) {
          continue;
        }
        String original = name.substring(0, sep);
        String edit = stem(name.substring(sep + 2));
        PdqHash target = reference.get("originals/" + originals.get(original).getFileName());
        PdqHash plain = reference.get("variants/" + name);
        Pdq query = pdqOf(hasher, v);
        int[] row = perEdit.computeIfAbsent(edit, k -> new int[4]);
        row[3]++;
        if (plain != null && plain.distance(target) <= threshold) {
          row[0]++;
        }
        boolean haetae = matches(query, target);
        if (haetae) {
          row[1]++;
        } else if (listMisses) {
          out.printf("miss %-48s best %3d  (query quality %d)%n", name, best(query, target), query.quality());
        }
        if (haetae || augmented.get(original).stream().anyMatch(a -> matches(query, a))) {
          row[2]++;
        }
        int bestVariant = bestVariant(query, target);
        List<Integer> need = needed.computeIfAbsent(edit, k -> new ArrayList<>());
        if (query.hash().distance(target) > threshold && bestVariant <= threshold) {
          need.add(bestVariant);
        }
        for (Map.Entry<String, Path> other : originals.entrySet()) {
          PdqHash o = reference.get("originals/" + other.getValue().getFileName());
          if (!other.getKey().equals(original) && o.distance(target) > threshold) {
            margin[0] = Math.min(margin[0], query.hash().distance(o));
            margin[1] = Math.min(margin[1], bestVariant(query, o));
          }
        }
        for (Map.Entry<String, Path> other : originals.entrySet()) {
          if (!other.getKey().equals(original)
              && matches(query, reference.get("originals/" + other.getValue().getFileName()))) {
            falseMatches.add(name + " ~ " + other.getKey());
          }
          if (!other.getKey().equals(original)
              && augmented.get(other.getKey()).stream().anyMatch(a -> matches(query, a))) {
            falseAugmented.add(name + " ~ " + other.getKey());
          }
        }
      }
    }
    if (variantDistance != threshold) {
      out.println("haetae: the main hash at distance " + threshold + ", query variants at " + variantDistance);
    }
    out.printf("%-12s %7s %7s %16s %5s%n", "edit", "plain", "haetae", "haetae+augment", "of");
    for (Map.Entry<String, int[]> e : perEdit.entrySet()) {
      int[] r = e.getValue();
      out.printf("%-12s %7d %7d %16d %5d%n", e.getKey(), r[0], r[1], r[2], r[3]);
    }
    out.println();
    out.println("copies the main hash misses at " + threshold + " and a variant finds within it: per edit, the best "
        + "variant's distance (the smallest variant distance that keeps each)");
    for (Map.Entry<String, List<Integer>> e : needed.entrySet()) {
      List<Integer> d = e.getValue();
      d.sort(null);
      if (!d.isEmpty()) {
        out.printf("  %-12s %3d copies, largest %2d: %s%n", e.getKey(), d.size(), d.get(d.size() - 1), d);
      }
    }
    out.printf("false-pair margin: nearest unrelated original (reference hashes farther than %d apart) to a copy's "
        + "main hash %d, to one of its variants %d%n", threshold, margin[0], margin[1]);
    out.println();
    out.println("cross-original matches among originals (Haetae query of A vs reference of B, d <= " + threshold + "):");
    int pairs = 0;
    for (Map.Entry<String, Pdq> a : originalQueries.entrySet()) {
      for (Map.Entry<String, Path> b : originals.entrySet()) {
        if (!a.getKey().equals(b.getKey())
            && matches(a.getValue(), reference.get("originals/" + b.getValue().getFileName()))) {
          out.println("  " + a.getKey() + " ~ " + b.getKey());
          pairs++;
        }
      }
    }
    out.println("  total: " + pairs);
    out.println("variants matching a different original: " + falseMatches.size());
    for (String f : falseMatches) {
      out.println("  " + f);
    }
    out.println("variants matching a different original's augmented bank: " + falseAugmented.size());
    for (String f : falseAugmented) {
      if (!falseMatches.contains(f)) {
        out.println("  (augmented only) " + f);
      }
    }
    out.flush();
    return 0;
  }

  private boolean matches(Pdq query, PdqHash target) {
    if (query.hash().distance(target) <= threshold) {
      return true;
    }
    for (PdqHash h : query.queryVariants()) {
      if (h.distance(target) <= variantDistance) {
        return true;
      }
    }
    return false;
  }

  private static int best(Pdq query, PdqHash target) {
    int best = query.hash().distance(target);
    for (PdqHash h : query.queryVariants()) {
      best = Math.min(best, h.distance(target));
    }
    return best;
  }

  private static int bestVariant(Pdq query, PdqHash target) {
    int best = Integer.MAX_VALUE;
    for (PdqHash h : query.queryVariants()) {
      best = Math.min(best, h.distance(target));
    }
    return best;
  }

  private static Pdq pdqOf(ImageHasher hasher, Path file) throws IOException {
    Fingerprints f = hasher.fingerprint(file);
    return f.pdq().orElseThrow();
  }

  private static List<PdqHash> centreCrops(ImageHasher hasher, Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    List<PdqHash> bank = new ArrayList<>();
    bank.add(hasher.fingerprint(bytes).pdq().orElseThrow().hash());
    bank.addAll(hasher.bankVariants(bytes));
    return bank;
  }

  private static Map<String, PdqHash> readReference(Path csv) throws IOException {
    Map<String, PdqHash> map = new LinkedHashMap<>();
    for (String line : Files.readAllLines(csv, StandardCharsets.UTF_8)) {
      String[] f = line.split(",", 3);
      if (f.length == 3 && !f[0].equals("hash")) {
        map.put(f[2], PdqHash.fromHex(f[0]));
      }
    }
    return map;
  }

  private static String stem(String name) {
    int dot = name.lastIndexOf('.');
    return dot < 0 ? name : name.substring(0, dot);
  }
}

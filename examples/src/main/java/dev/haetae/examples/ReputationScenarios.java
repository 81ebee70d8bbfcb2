package dev.haetae.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the reporter-reputation scenario files ({@code examples/scenarios/reputation-*.jsonl}) in
 * the event-stream format that {@code haetae simulate} runs. The files are committed; this program
 * is how they were made, and a test checks they still match it. Deterministic: no randomness, no
 * clock.
 *
 * <p>Run: {@code java -cp ... dev.haetae.examples.ReputationScenarios [DIR]} (default
 * {@code examples/scenarios}).
 */
public final class ReputationScenarios {
  static final Instant T0 = Instant.parse("2026-11-21T09:00:00Z");

  private ReputationScenarios() {}

  /**
   * Writes the five files.
   *
   * @param args optionally the output directory
   * @throws IOException when a file cannot be written
   */
  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args.length > 0 ? args[0] : "examples/scenarios");
    Files.createDirectories(dir);
    for (Map.Entry<String, List<String>> e : all().entrySet()) {
      Files.write(dir.resolve(e.getKey()), e.getValue(), StandardCharsets.UTF_8);
      System.out.println(dir.resolve(e.getKey()) + ": " + e.getValue().size() + " events");
    }
  }

  /** Every scenario, by file name, as lines. */
  static Map<String, List<String>> all() {
    Map<String, List<String>> m = new LinkedHashMap<>();
    m.put("reputation-1-fast-brigade.jsonl", fastBrigade());
    m.put("reputation-2-slow-brigade.jsonl", slowBrigade());
    m.put("reputation-3-ncii-victim.jsonl", nciiVictim());
    m.put("reputation-4-trusted-flagger.jsonl", trustedFlagger());
    m.put("reputation-5-misuse.jsonl", misuse());
    return m;
  }

  private static String sha(int n) {
    return String.format(Locale.ROOT, "%064x", 0x5eed0000L + n);
  }

  private static String account(Instant at, String id, Instant created) {
    return "{\"type\":\"account\",\"at\":\"" + at + "\",\"account\":\"" + id + "\",\"created\":\"" + created + "\"}";
  }

  private static String post(Instant at, String id, String account, String room, int hash) {
    return "{\"type\":\"content\",\"at\":\"" + at + "\",\"content\":\"" + id + "\",\"account\":\"" + account
        + "\",\"room\":\"" + room + "\",\"surface\":\"public_channel\",\"kind\":\"text\",\"sha256\":\"" + sha(hash)
        + "\"}";
  }

  private static String report(Instant at, String reporter, String content, String category) {
    return "{\"type\":\"report\",\"at\":\"" + at + "\",\"reporter\":\"" + reporter + "\",\"content\":\"" + content
        + "\",\"category\":\"" + category + "\"}";
  }

  private static String review(Instant at, String content, boolean violating, String category) {
    return "{\"type\":\"review\",\"at\":\"" + at + "\",\"content\":\"" + content + "\",\"verdict\":\""
        + (violating ? "violating\",\"category\":\"" + category + "\"}" : "not_violating\"}");
  }

  /** 1. 500 accounts created minutes before they report a journalist's harmless post, within ten minutes. */
  static List<String> fastBrigade() {
    List<String> out = new ArrayList<>();
    out.add(account(T0, "journalist", T0.minus(Duration.ofDays(2000))));
    out.add(post(T0, "post", "journalist", "news", 1));
    Instant start = T0.plus(Duration.ofHours(1));
    for (int i = 0; i < 500; i++) {
      Instant at = start.plusMillis(i * 1200L);
      out.add(account(at, "f" + i, at.minus(Duration.ofMinutes(20))));
      out.add(report(at, "f" + i, "post", "sexual_deepfake"));
    }
    return out;
  }

  /**
   * 2. The same wave over 24 hours from 500 aged, dormant accounts created together 200 days ago,
   * which joined the journalist's channel the day before.
   */
  static List<String> slowBrigade() {
    List<String> out = new ArrayList<>();
    out.add(account(T0, "journalist", T0.minus(Duration.ofDays(2000))));
    out.add(post(T0, "post", "journalist", "news", 1));
    Instant created = T0.minus(Duration.ofDays(200));
    for (int i = 0; i < 500; i++) {
      Instant joined = T0.plusSeconds(i * 60L);
      out.add("{\"type\":\"account\",\"at\":\"" + joined + "\",\"account\":\"a" + i + "\",\"created\":\""
          + created.plusSeconds(i * 20L) + "\",\"rooms\":[\"news\"]}");
    }
    Instant start = T0.plus(Duration.ofHours(9));
    for (int i = 0; i < 500; i++) {
      out.add(report(start.plusSeconds(i * 172L), "a" + i, "post", "harassment"));
    }
    return out;
  }

  /** Builds a good record: {@code n} confirmed reports per reporter, from {@code at} on. */
  private static Instant goodRecords(List<String> out, Instant at, int n, String... reporters) {
    for (String r : reporters) {
      out.add(account(at, r, at.minus(Duration.ofDays(900))));
    }
    int k = 100;
    for (String r : reporters) {
      for (int i = 0; i < n; i++) {
        String c = r + "-old-" + i;
        out.add(post(at, c, "spammer", "lobby", k++));
        out.add(report(at, r, c, "spam"));
        at = at.plus(Duration.ofMinutes(10));
        out.add(review(at, c, true, "spam"));
      }
    }
    return at;
  }

  /** 3. A victim and two reporters with good records report an image that matches an NCII bank. */
  static List<String> nciiVictim() {
    List<String> out = new ArrayList<>();
    Instant at = goodRecords(out, T0, 3, "g1", "g2");
    out.add(account(at, "victim", T0.minus(Duration.ofDays(700))));
    out.add("{\"type\":\"content\",\"at\":\"" + at + "\",\"content\":\"img\",\"account\":\"abuser\","
        + "\"room\":\"r7\",\"surface\":\"group\",\"kind\":\"image\","
        + "\"pdq\":\"f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b23\"}");
    at = at.plus(Duration.ofMinutes(30));
    out.add("{\"type\":\"bank\",\"at\":\"" + at + "\",\"op\":\"add\",\"bank\":\"stopncii\",\"category\":\"ncii\","
        + "\"pdq\":\"f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22\"}");
    at = at.plus(Duration.ofMinutes(5));
    out.add(report(at, "victim", "img", "ncii"));
    out.add(report(at.plusSeconds(30), "g1", "img", "ncii"));
    out.add(report(at.plusSeconds(60), "g2", "img", "ncii"));
    return out;
  }

  /** 4. Ordinary reports, then a trusted flagger's notice half an hour later. */
  static List<String> trustedFlagger() {
    List<String> out = new ArrayList<>();
    Instant at = goodRecords(out, T0, 3, "g1", "g2");
    out.add("{\"type\":\"account\",\"at\":\"" + at + "\",\"account\":\"centre\",\"created\":\""
        + T0.minus(Duration.ofDays(60)) + "\",\"trusted_flagger\":true,"
        + "\"organisation\":\"Digital sexual crime victim support centre\"}");
    out.add(post(at, "a", "u1", "r1", 11));
    out.add(post(at, "b", "u1", "r1", 12));
    out.add(post(at, "c", "u2", "r2", 13));
    out.add(report(at.plus(Duration.ofMinutes(1)), "g1", "a", "ncii"));
    out.add(report(at.plus(Duration.ofMinutes(2)), "g2", "b", "harassment"));
    out.add(report(at.plus(Duration.ofMinutes(32)), "centre", "c", "sexual_deepfake"));
    return out;
  }

  /**
   * 5. Reports that keep being rejected: the review that rejects the fifth warns the reporter, who is
   * told on their next report; the review that rejects the tenth proposes a suspension, which only a
   * person confirms (an event stream has none, so the reports go on being processed).
   */
  static List<String> misuse() {
    List<String> out = new ArrayList<>();
    out.add(account(T0, "troll", T0.minus(Duration.ofDays(300))));
    Instant at = T0;
    for (int i = 0; i < 12; i++) {
      String c = "p" + i;
      out.add(post(at, c, "target-user", "r1", 200 + i));
      out.add(report(at.plusSeconds(10), "troll", c, "harassment"));
      at = at.plus(Duration.ofHours(1));
      out.add(review(at, c, false, null));
      at = at.plus(Duration.ofHours(5));
    }
    // a suspension was proposed: without a person's confirmation this report is processed
    out.add(post(at, "p12", "target-user", "r1", 212));
    out.add(report(at.plusSeconds(10), "troll", "p12", "harassment"));
    // two weeks later
    at = at.plus(Duration.ofDays(15));
    out.add(post(at, "p13", "target-user", "r1", 213));
    out.add(report(at.plusSeconds(10), "troll", "p13", "harassment"));
    return out;
  }
}

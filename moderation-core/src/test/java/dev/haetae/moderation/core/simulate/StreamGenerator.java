package dev.haetae.moderation.core.simulate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Seeded generator of event streams in the simulator's format: accounts, bank changes, uploads
 * (near copies of banked hashes, exact digests, captions with and without identifying details,
 * protected profile photos), reports, legal notices under every bundled instrument (valid and
 * invalid), reviews, appeals and ticks far enough apart that obligations escalate and breach. Used
 * by the replay and report property tests; the same seed gives the same stream.
 */
final class StreamGenerator {
  static final String BANKED_PDQ = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";
  private static final String[] CATEGORIES = {"ncii", "sexual_deepfake", "csam", "terrorism", "harassment",
      "doxxing", "spam", "other"};
  private static final String[] SURFACES = {"group", "public_channel", "direct"};
  private static final String[] CAPTIONS = {"good morning everyone", "이름은 민지, 서울시 강남구 살아요",
      "her name is Jane, 15 yo", "17살 서울여고", "101동 1203호 010-1234-5678", "she lives at 42 Elm Street",
      "look at this", "lunch"};
  private static final String[][] NOTICES = {
      {"US-TAKE-IT-DOWN", "victim", "signature,identification,location,good_faith_statement,contact"},
      {"IN-ITR-3-2-B", "victim", "location,identification"},
      {"EU-TCO-3", "police", "location,reasons"},
      {"AU-OSA-77", "regulator", "location"},
      {"EU-DSA-16", "user", "location,explanation,good_faith_statement,contact"},
      {"KR-TBA-22-5", "victim", "location"},
  };

  private final Random r;
  private Instant t = Instant.parse("2026-11-21T09:00:00Z");
  private final List<String> contents = new ArrayList<>();
  private final List<String> accounts = new ArrayList<>();
  private final List<String> banked = new ArrayList<>();
  private int seq;

  StreamGenerator(long seed) {
    this.r = new Random(seed);
  }

  /** A stream of about {@code events} lines. */
  String stream(int events) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 3 + r.nextInt(4); i++) {
      sb.append(account()).append('\n');
    }
    sb.append(bank("add", BANKED_PDQ)).append('\n');
    for (int i = 0; i < events; i++) {
      t = t.plus(Duration.ofMinutes(1 + r.nextInt(r.nextInt(10) == 0 ? 3000 : 90)));
      int k = r.nextInt(100);
      String line;
      if (k < 30) {
        line = content();
      } else if (k < 48) {
        line = report();
      } else if (k < 58) {
        line = notice();
      } else if (k < 66) {
        line = review();
      } else if (k < 70) {
        line = appeal();
      } else if (k < 76) {
        line = account();
      } else if (k < 82) {
        line = bank(r.nextInt(4) == 0 ? "withdraw" : "add", randomHash(64));
      } else {
        line = tick();
      }
      sb.append(line).append('\n');
    }
    t = t.plus(Duration.ofDays(30));
    sb.append(tick()).append('\n');
    return sb.toString();
  }

  private String at() {
    return "\"at\":\"" + t + "\"";
  }

  private String pick(List<String> l, String fallback) {
    return l.isEmpty() ? fallback : l.get(r.nextInt(l.size()));
  }

  private String account() {
    String a = "u" + accounts.size();
    accounts.add(a);
    Instant created = t.minus(Duration.ofDays(r.nextInt(5) == 0 ? 1 : 30 + r.nextInt(900)));
    return "{\"type\":\"account\"," + at() + ",\"account\":\"" + a + "\",\"created\":\"" + created
        + "\",\"trusted_flagger\":" + (r.nextInt(8) == 0) + "}";
  }

  private String bank(String op, String pdq) {
    if (op.equals("add")) {
      banked.add(pdq);
    } else if (!banked.isEmpty()) {
      pdq = banked.get(r.nextInt(banked.size()));
    }
    String cat = CATEGORIES[r.nextInt(4)];
    return "{\"type\":\"bank\"," + at() + ",\"op\":\"" + op + "\",\"bank\":\"bank" + r.nextInt(2)
        + "\",\"category\":\"" + cat + "\",\"pdq\":\"" + pdq + "\"}";
  }

  private String content() {
    String c = "c" + (seq++);
    contents.add(c);
    boolean profile = r.nextInt(10) == 0;
    String kind = profile ? "profile_photo" : r.nextInt(6) == 0 ? "video" : "image";
    StringBuilder sb = new StringBuilder("{\"type\":\"content\",").append(at()).append(",\"content\":\"").append(c)
        .append("\",\"account\":\"").append(pick(accounts, "u0")).append("\",\"room\":\"room")
        .append(r.nextInt(4)).append("\",\"surface\":\"").append(SURFACES[r.nextInt(SURFACES.length)])
        .append("\",\"kind\":\"").append(kind).append('"');
    String pdq = r.nextInt(3) == 0 && !banked.isEmpty() ? near(banked.get(r.nextInt(banked.size()))) : randomHash(64);
    sb.append(",\"pdq\":\"").append(pdq).append("\",\"pdq_quality\":").append(40 + r.nextInt(61));
    if (r.nextBoolean()) {
      sb.append(",\"sha256\":\"").append(randomHash(64)).append('"');
    }
    if (r.nextInt(3) == 0) {
      sb.append(",\"caption\":\"").append(CAPTIONS[r.nextInt(CAPTIONS.length)]).append('"');
    }
    if (profile) {
      sb.append(",\"protect\":").append(r.nextBoolean());
    }
    return sb.append('}').toString();
  }

  private String report() {
    String target = r.nextInt(5) == 0 ? "\"account\":\"" + pick(accounts, "u0") + "\""
        : "\"content\":\"" + pick(contents, "c-none") + "\"";
    return "{\"type\":\"report\"," + at() + ",\"reporter\":\"" + pick(accounts, "u0") + "\"," + target
        + ",\"category\":\"" + CATEGORIES[r.nextInt(CATEGORIES.length)] + "\""
        + (r.nextInt(4) == 0 ? ",\"text\":\"this is me, please remove\"" : "") + "}";
  }

  private String notice() {
    String[] n = NOTICES[r.nextInt(NOTICES.length)];
    StringBuilder f = new StringBuilder();
    for (String field : n[2].split(",")) {
      if (r.nextInt(6) == 0) {
        continue; // an invalid notice now and then
      }
      f.append(f.length() == 0 ? "" : ",").append('"').append(field).append("\":\"x\"");
    }
    String content = r.nextInt(6) == 0 ? "unseen" + seq++ : pick(contents, "c-none");
    String received = r.nextInt(8) == 0 ? ",\"received_at\":\"" + t.minus(Duration.ofHours(30)) + "\"" : "";
    return "{\"type\":\"notice\"," + at() + ",\"instrument\":\"" + n[0] + "\",\"content\":\"" + content
        + "\",\"sender\":\"" + (r.nextInt(8) == 0 ? "user" : n[1]) + "\",\"fields\":{" + f + "}" + received + "}";
  }

  private String review() {
    boolean violating = r.nextBoolean();
    return "{\"type\":\"review\"," + at() + ",\"content\":\"" + pick(contents, "c-none") + "\",\"verdict\":\""
        + (violating ? "violating\",\"category\":\"" + CATEGORIES[r.nextInt(CATEGORIES.length)] : "not_violating")
        + "\"" + (r.nextInt(3) == 0 ? ",\"note\":\"checked by a moderator\"" : "") + "}";
  }

  private String appeal() {
    return "{\"type\":\"appeal\"," + at() + ",\"content\":\"" + pick(contents, "c-none") + "\",\"account\":\""
        + pick(accounts, "u0") + "\",\"appeal_id\":\"ap" + (seq++) + "\",\"informed_at\":\""
        + t.minus(Duration.ofDays(r.nextInt(400))) + "\"}";
  }

  private String tick() {
    return "{\"type\":\"tick\"," + at() + "}";
  }

  private String randomHash(int hexDigits) {
    StringBuilder sb = new StringBuilder(hexDigits);
    for (int i = 0; i < hexDigits; i++) {
      sb.append(Character.forDigit(r.nextInt(16), 16));
    }
    return sb.toString();
  }

  /** The hash with a few bits flipped: a re-share that still matches. */
  private String near(String hex) {
    char[] c = hex.toLowerCase(Locale.ROOT).toCharArray();
    for (int i = 0; i < 1 + r.nextInt(4); i++) {
      int p = r.nextInt(c.length);
      c[p] = Character.forDigit(Character.digit(c[p], 16) ^ (1 << r.nextInt(4)), 16);
    }
    return new String(c);
  }
}

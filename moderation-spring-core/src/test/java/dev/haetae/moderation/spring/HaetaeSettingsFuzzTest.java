package dev.haetae.moderation.spring;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded fuzz of the haetae.* input surface: random property values, key texts and bank-file
 * contents. {@link HaetaeSettings#from} and {@link HaetaeSetup#open} either succeed or throw a
 * {@link HaetaePropertyException} naming a haetae.* property, and no message shows the key. Quick
 * seeded mode by default; {@code -Plong-fuzz} runs 20,000 cases; {@code -Dhaetae.fuzz.seed=N}
 * explores another sequence.
 */
class HaetaeSettingsFuzzTest {
  private static final int CASES = Integer.getInteger("haetae.fuzz.cases", 150);
  private static final long SEED = Long.getLong("haetae.fuzz.seed", 20261205L);
  private static final String SECRET = Base64.getEncoder().encodeToString(
      "fuzz-secret-key-0123456789".getBytes(StandardCharsets.UTF_8));

  @TempDir
  Path dir;

  @Test
  void onlyPropertyExceptionsComeOut() throws Exception {
    Random r = new Random(SEED);
    Path bank = dir.resolve("bank.csv");
    Path keyFile = dir.resolve("key");
    Path policies = dir.resolve("policies.json");
    Path profiles = dir.resolve("profiles.json");
    Clock clock = Clock.fixed(Instant.parse("2026-12-05T00:00:00Z"), ZoneOffset.UTC);
    int opened = 0;
    int refused = 0;
    for (int i = 0; i < CASES; i++) {
      Files.write(bank, (r.nextInt(3) > 0 ? "hash,signal_type\n" + "ab".repeat(32) + ",sha256\n" : bankText(r)).getBytes(StandardCharsets.UTF_8));
      Files.write(keyFile, r.nextInt(8) == 0 ? junk(r, 40).getBytes(StandardCharsets.UTF_8)
          : (SECRET + (r.nextBoolean() ? "\n" : "")).getBytes(StandardCharsets.UTF_8));
      Files.write(policies, v(r, "{}", "{\"policies\": {}}", junk(r, 30), "[1,2", "").getBytes(StandardCharsets.UTF_8));
      Files.write(profiles, v(r, "{}", "{\"version\": \"x\", \"instruments\": []}", junk(r, 30), "")
          .getBytes(StandardCharsets.UTF_8));
      HaetaeProperties p = new HaetaeProperties();
      p.setLogDirectory(v(r, dir.resolve("log" + (i % 3)).toString(), null, "", junk(r, 12),
          keyFile.toString(), "a\u0000b"));
      int banks = r.nextInt(3);
      for (int b = 0; b < banks; b++) {
        HaetaeProperties.Bank e = new HaetaeProperties.Bank();
        e.setFile(v(r, bank.toString(), null, junk(r, 8), dir.toString()));
        e.setFormat(v(r, null, "bank-csv", "csv", "hma", "stopncii", "ncmec", junk(r, 6)));
        e.setId(v(r, null, "kids", "Bad Id!", junk(r, 10), "x".repeat(300)));
        p.getBanks().add(e);
      }
      p.setPolicies(v(r, null, policies.toString(), junk(r, 10)));
      p.setJurisdictions(v(r, null, profiles.toString(), junk(r, 10)));
      p.setTickEvery(v(r, null, Duration.ofSeconds(5), Duration.ZERO, Duration.ofSeconds(-r.nextInt(100))));
      p.getPseudonymKey().setId(v(r, "k1", "pseudonyms-2026", null, "", junk(r, 8), "x".repeat(65)));
      p.getPseudonymKey().setEnv(v(r, "HAETAE_KEY", null, "", "MISSING", junk(r, 5)));
      p.getPseudonymKey().setFile(v(r, null, keyFile.toString(), junk(r, 8)));
      if (r.nextInt(8) == 0) {
        // PostgreSQL properties are validated only: a URL that validates is never opened here
        p.getPostgres().setUrl(pick(r, "jdbc:mysql://x", junk(r, 10), "", null));
        p.getPostgres().setUser(pick(r, "u", null, ""));
        p.getPostgres().setShard(pick(r, "eu-1", null, "bad shard", junk(r, 4)));
        p.getPostgres().setSchema(pick(r, "haetae", "Bad", null, junk(r, 4)));
        p.getPostgres().setMaxPoolSize(r.nextInt(2000) - 10);
      }
      Map<String, String> env = new HashMap<>();
      env.put("HAETAE_KEY", r.nextInt(8) == 0 ? junk(r, 30) : SECRET);
      try {
        HaetaeSettings s = HaetaeSettings.from(p, env::get);
        assertFalse(s.toString().contains(SECRET));
        if (s.postgres().isPresent()) {
          fail("case " + i + ": a PostgreSQL URL that is not jdbc:postgresql: validated: " + s);
        }
        try (HaetaeSetup setup = HaetaeSetup.open(s, clock)) {
          opened++;
          assertTrue(setup.bankIds().size() <= banks);
        }
      } catch (HaetaePropertyException e) {
        refused++;
        assertTrue(e.property().startsWith("haetae."), e.getMessage());
        assertFalse(e.getMessage().contains(SECRET), "case " + i + " leaked the key: " + e.getMessage());
      } catch (RuntimeException e) {
        throw new AssertionError("case " + i + " (seed " + SEED + "): undocumented " + e + " for " + p, e);
      }
    }
    assertTrue(opened > 0 && refused > 0, "opened " + opened + ", refused " + refused + ": the generator is lopsided");
  }

  private static String bankText(Random r) {
    String hash = r.nextInt(3) == 0 ? junk(r, 64) : "%064x".formatted(r.nextLong() & Long.MAX_VALUE).replace(' ', '0');
    return switch (r.nextInt(5)) {
      case 0 -> "";
      case 1 -> junk(r, 200);
      case 2 -> "hash,signal_type,category\n" + hash + ",sha256," + pick(r, "csam", "ncii", "nope", "") + "\n";
      case 3 -> "hash,signal_type\n" + hash + "," + pick(r, "md5", "pdq", "sha256", "x") + "\n";
      default -> "{\"hashes\": [" + junk(r, 20) + "]}";
    };
  }

  /** The first (valid) value four times in five, else one of the others. */
  @SafeVarargs
  private static <T> T v(Random r, T valid, T... others) {
    return r.nextInt(5) > 0 ? valid : others[r.nextInt(others.length)];
  }

  @SafeVarargs
  private static <T> T pick(Random r, T... values) {
    return values[r.nextInt(values.length)];
  }

  private static String junk(Random r, int max) {
    int n = r.nextInt(max + 1);
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      int k = r.nextInt(10);
      sb.append(k < 6 ? (char) (' ' + r.nextInt(95)) : k < 8 ? "/.,\\-_:{}[]\"\n".charAt(r.nextInt(13))
          : (char) r.nextInt(0x3000));
    }
    return sb.toString();
  }
}

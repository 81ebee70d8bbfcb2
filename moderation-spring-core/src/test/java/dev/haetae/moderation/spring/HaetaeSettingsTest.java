package dev.haetae.moderation.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.ConfigurationException;
import dev.haetae.moderation.core.banks.HashListFormat;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Validation of the haetae.* properties: each problem names its property, and no secret leaks. */
class HaetaeSettingsTest {
  static final String KEY = Base64.getEncoder().encodeToString("0123456789abcdef-secret".getBytes(StandardCharsets.UTF_8));

  @TempDir
  Path dir;

  private HaetaeProperties valid() {
    HaetaeProperties p = new HaetaeProperties();
    p.setLogDirectory(dir.resolve("log").toString());
    p.getPseudonymKey().setId("pseudonyms-2026");
    p.getPseudonymKey().setEnv("HAETAE_KEY");
    return p;
  }

  private HaetaeSettings from(HaetaeProperties p) {
    return HaetaeSettings.from(p, Map.of("HAETAE_KEY", KEY)::get);
  }

  private void refused(String property, String fragment, Consumer<HaetaeProperties> change) {
    HaetaeProperties p = valid();
    change.accept(p);
    HaetaePropertyException e = assertThrows(HaetaePropertyException.class, () -> from(p));
    assertEquals(property, e.property(), e.getMessage());
    assertTrue(e.getMessage().startsWith(property + ": "), e.getMessage());
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
    assertFalse(e.getMessage().contains(KEY), "the key leaked: " + e.getMessage());
    assertTrue(e instanceof ConfigurationException);
  }

  @Test
  void theMinimalPropertiesValidate() throws Exception {
    Path bank = Files.writeString(dir.resolve("kids.csv"), "hash,signal_type,category\n" + "ab".repeat(32) + ",sha256,csam\n");
    HaetaeProperties p = valid();
    HaetaeProperties.Bank b = new HaetaeProperties.Bank();
    b.setFile(bank.toString());
    b.setFormat("bank-csv");
    p.getBanks().add(b);
    p.setTickEvery(Duration.ofSeconds(5));
    HaetaeSettings s = from(p);
    assertEquals(dir.resolve("log"), s.logDirectory().orElseThrow());
    assertEquals(1, s.banks().size());
    assertEquals(HashListFormat.HAETAE_CSV, s.banks().get(0).format().orElseThrow());
    assertEquals("pseudonyms-2026", s.pseudonymizer().keyId());
    assertEquals(Duration.ofSeconds(5), s.tickEvery().orElseThrow());
    assertTrue(s.postgres().isEmpty());
    assertFalse(s.toString().contains(KEY));
  }

  @Test
  void eachProblemNamesItsProperty() throws Exception {
    refused("haetae.log-directory", "required", p -> p.setLogDirectory(null));
    Path aFile = Files.writeString(dir.resolve("file"), "x");
    refused("haetae.log-directory", "not a directory", p -> p.setLogDirectory(aFile.toString()));
    refused("haetae.log-directory", "not both", p -> {
      p.getPostgres().setUrl("jdbc:postgresql://localhost/x");
      p.getPostgres().setUser("u");
      p.getPostgres().setShard("eu-1");
    });
    refused("haetae.banks[0].file", "required", p -> p.getBanks().add(new HaetaeProperties.Bank()));
    refused("haetae.banks[0].file", "no such file", p -> {
      HaetaeProperties.Bank b = new HaetaeProperties.Bank();
      b.setFile(dir.resolve("missing.csv").toString());
      p.getBanks().add(b);
    });
    refused("haetae.banks[0].format", "unknown value 'excel'", p -> {
      HaetaeProperties.Bank b = new HaetaeProperties.Bank();
      b.setFile(aFile.toString());
      b.setFormat("excel");
      p.getBanks().add(b);
    });
    refused("haetae.policies", "no such file", p -> p.setPolicies(dir.resolve("policies.json").toString()));
    refused("haetae.jurisdictions", "no such file", p -> p.setJurisdictions(dir.resolve("j.json").toString()));
    refused("haetae.tick-every", "positive", p -> p.setTickEvery(Duration.ZERO));
    refused("haetae.pseudonym-key.id", "required", p -> p.getPseudonymKey().setId(null));
    refused("haetae.pseudonym-key.id", "[A-Za-z0-9._-]", p -> p.getPseudonymKey().setId("bad id"));
    refused("haetae.pseudonym-key.file", "exactly one", p -> p.getPseudonymKey().setEnv(null));
    refused("haetae.pseudonym-key.file", "exactly one", p -> p.getPseudonymKey().setFile(aFile.toString()));
    refused("haetae.pseudonym-key.env", "is not set", p -> p.getPseudonymKey().setEnv("OTHER"));
    refused("haetae.pseudonym-key.env", "not an environment variable name", p -> p.getPseudonymKey().setEnv("A-B"));
    refused("haetae.postgres.url", "jdbc:postgresql:", p -> {
      p.setLogDirectory(null);
      p.getPostgres().setUrl("jdbc:mysql://x");
    });
    refused("haetae.postgres.user", "required", p -> {
      p.setLogDirectory(null);
      p.getPostgres().setUrl("jdbc:postgresql://localhost/x");
    });
    refused("haetae.postgres.shard", "required", p -> {
      p.setLogDirectory(null);
      p.getPostgres().setUrl("jdbc:postgresql://localhost/x");
      p.getPostgres().setUser("u");
    });
    refused("haetae.postgres.shard", "letters, digits", p -> {
      p.setLogDirectory(null);
      p.getPostgres().setUrl("jdbc:postgresql://localhost/x");
      p.getPostgres().setUser("u");
      p.getPostgres().setShard("eu 1");
    });
    refused("haetae.postgres.schema", "schema name", p -> {
      p.setLogDirectory(null);
      p.getPostgres().setUrl("jdbc:postgresql://localhost/x");
      p.getPostgres().setUser("u");
      p.getPostgres().setShard("eu-1");
      p.getPostgres().setSchema("Haetae;drop");
    });
    refused("haetae.postgres.max-pool-size", "1..1000", p -> {
      p.setLogDirectory(null);
      p.getPostgres().setUrl("jdbc:postgresql://localhost/x");
      p.getPostgres().setUser("u");
      p.getPostgres().setShard("eu-1");
      p.getPostgres().setMaxPoolSize(0);
    });
    refused("haetae.postgres.shard", "without haetae.postgres.url", p -> p.getPostgres().setShard("eu-1"));
  }

  @Test
  void theKeyIsReadFromAFileAndNeverShown() throws Exception {
    Path keyFile = Files.writeString(dir.resolve("key"), KEY + "\n");
    HaetaeProperties p = valid();
    p.getPseudonymKey().setEnv(null);
    p.getPseudonymKey().setFile(keyFile.toString());
    HaetaeSettings s = from(p);
    assertEquals("pseudonyms-2026", s.pseudonymizer().keyId());
    // the same key from the environment pseudonymizes alike
    String viaEnv = from(valid()).pseudonymizer().pseudonymize("account", "u1");
    assertEquals(viaEnv, s.pseudonymizer().pseudonymize("account", "u1"));

    String shortKey = Base64.getEncoder().encodeToString(new byte[8]);
    Files.writeString(keyFile, shortKey);
    HaetaePropertyException e = assertThrows(HaetaePropertyException.class, () -> from(p));
    assertTrue(e.getMessage().contains("at least 16 bytes, got 8"), e.getMessage());
    Files.writeString(keyFile, "this is -not- base64 ***");
    e = assertThrows(HaetaePropertyException.class, () -> from(p));
    assertEquals("haetae.pseudonym-key.file: the key is not base64 text", e.getMessage());
  }

  @Test
  void thePasswordIsMasked() {
    HaetaeProperties p = valid();
    p.setLogDirectory(null);
    p.getPostgres().setUrl("jdbc:postgresql://localhost/x");
    p.getPostgres().setUser("u");
    p.getPostgres().setPassword("hunter2-secret");
    p.getPostgres().setShard("eu-1");
    HaetaeSettings s = from(p);
    assertEquals("hunter2-secret", s.postgres().orElseThrow().password().orElseThrow());
    assertFalse(s.toString().contains("hunter2"), s.toString());
    assertFalse(p.toString().contains("hunter2"), p.toString());
  }
}

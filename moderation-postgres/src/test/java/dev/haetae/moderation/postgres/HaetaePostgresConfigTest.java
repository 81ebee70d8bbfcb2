package dev.haetae.moderation.postgres;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.ConfigurationException;
import dev.haetae.moderation.api.StoreUnavailableException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Configuration and connection failures; these need no server. */
class HaetaePostgresConfigTest {

  @Test
  void anUnreachableDatabaseFailsWithStoreUnavailable() {
    HaetaePostgres.Builder b =
        HaetaePostgres.builder()
            .jdbcUrl("jdbc:postgresql://127.0.0.1:1/nothing")
            .connectTimeout(Duration.ofMillis(500));
    StoreUnavailableException e = assertThrows(StoreUnavailableException.class, b::build);
    assertTrue(e.getMessage().contains("migrating schema haetae"), e.getMessage());
  }

  @Test
  void configurationMistakesNameTheSetting() {
    assertTrue(assertThrows(ConfigurationException.class, () -> HaetaePostgres.builder().build())
        .getMessage().contains("jdbcUrl"));
    assertTrue(assertThrows(ConfigurationException.class,
        () -> HaetaePostgres.builder().maxPoolSize(0)).getMessage().startsWith("maxPoolSize:"));
    assertTrue(assertThrows(ConfigurationException.class,
        () -> HaetaePostgres.builder().connectTimeout(Duration.ofMillis(10)))
        .getMessage().startsWith("connectTimeout:"));
    assertTrue(assertThrows(ConfigurationException.class,
        () -> HaetaePostgres.builder().socketTimeout(Duration.ofMillis(500)))
        .getMessage().startsWith("socketTimeout:"));
    assertTrue(assertThrows(ConfigurationException.class,
        () -> HaetaePostgres.builder().socketTimeout(Duration.ofSeconds(-1)))
        .getMessage().startsWith("socketTimeout:"));
  }

  @Test
  void badSchemaNamesAreRefused() {
    ConfigurationException e =
        assertThrows(ConfigurationException.class, () -> HaetaePostgres.builder().schema("x; drop"));
    assertTrue(e.getMessage().startsWith("schema:"), e.getMessage());
  }
}

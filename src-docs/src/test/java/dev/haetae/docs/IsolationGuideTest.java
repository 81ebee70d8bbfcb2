package dev.haetae.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Content;
import dev.haetae.moderation.api.ContentEvent;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.ContentKind;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.FailMode;
import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.ModerationRequest;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.Sha256;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.Surface;
import dev.haetae.moderation.api.spi.SignalProvider;
import dev.haetae.moderation.core.engine.ModerationEngine;
import dev.haetae.moderation.core.engine.PluginHealth;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine guide's isolation and host-signal examples, compiled and run. */
class IsolationGuideTest {

  // region provider
  /** Passes on what the host's abuse desk knows of an account: a risk score and a contact address. */
  static final class AbuseDeskSignals implements SignalProvider {
    @Override
    public String id() {
      return "abuse-desk";
    }

    @Override
    public String version() {
      return "2026-11";
    }

    @Override
    public List<Signal> signals(ModerationRequest request, Instant now) {
      return List.of(new Signal.Custom("abuse-desk", "account", Map.of(
          "risk", "0.82",                                  // no personal data: declared safe below
          "contact", "someone@example.org")));             // personal data: masked in the log
    }

    @Override
    public Set<String> safeAttributes() {
      return Set.of("risk");                             // everything else is logged masked
    }

    @Override
    public Duration timeBudget() {
      return Duration.ofMillis(200);                     // then the decision goes on without it
    }

    @Override
    public FailMode failMode() {
      return FailMode.REVIEW;                            // its absence must not mean "allow"
    }
  }
  // endregion

  @Test
  void providersAreIsolatedAndTheirUndeclaredAttributesMasked(@TempDir Path logDir) throws IOException {
    // region isolation
    ModerationEngine engine = ModerationEngine.builder()
        .signalProvider(new AbuseDeskSignals())
        .policyBreaker(3, Duration.ofSeconds(30))          // 3 time-outs in a row: not called for 30 s
        .policyThreads(16, 16)                             // 16 workers, up to 16 more for stuck calls
        .logDirectory(logDir)
        .build();
    // ... evaluate ...
    PluginHealth health = engine.pluginHealth();          // for a health check or a metrics scrape
    health.tripped().forEach(t -> System.out.println("tripped until " + t.until() + ": " + t.name()));
    System.out.println(health.stuckThreads() + " stuck worker threads of at most "
        + health.maxReplacements() + " replaced");
    // endregion
    try (engine) {
      Decision d = engine.evaluate(ContentEvent.upload(Content.of(ContentId.of("m1"), ContentKind.TEXT,
          Surface.GROUP).withFingerprints(Fingerprints.none().withSha256(Sha256.fromHex("11".repeat(32)))),
          AccountId.of("u1"), RoomId.of("r1")));
      assertEquals(List.of(new Action.Allow()), d.actions());
      assertTrue(health.tripped().isEmpty());
    }
    StringBuilder all = new StringBuilder();
    try (Stream<Path> files = Files.walk(logDir)) {
      for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        all.append(Files.readString(p, java.nio.charset.StandardCharsets.ISO_8859_1));
      }
    }
    assertFalse(all.toString().contains("someone@example.org"), "the contact address is not logged");
    assertTrue(all.toString().contains("\"risk\":\"0.82\""), "the declared-safe score is");
  }
}

package dev.haetae.moderation.spring.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.ContentEvent;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.ContentKind;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.Surface;
import dev.haetae.moderation.api.spi.ActionExecutor;
import dev.haetae.moderation.core.engine.ModerationEngine;
import dev.haetae.moderation.core.engine.PolicyIsolation;
import dev.haetae.moderation.spring.HaetaeEngineCustomizer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

/**
 * The Spring Boot guide's example (src-docs/spring-boot.md), compiled and run under Boot's own
 * versions: its application.yml (checked to be the guide's, word for word) with the paths pointed at
 * a temporary directory, and its host configuration.
 */
class SpringBootGuideTest {
  /** The host's own code, as the guide shows it. */
  interface Platform {
    void apply(Decision decision);
  }

  // region host
  @Configuration(proxyBeanMethods = false)
  static class ModerationConfig {
    @Bean
    ActionExecutor actionExecutor(Platform platform) {      // the engine hands it every decision
      return (request, decision) -> platform.apply(decision);
    }

    @Bean
    HaetaeEngineCustomizer isolation() {                   // anything the properties do not cover
      return builder -> builder.policyIsolation(PolicyIsolation.INLINE);
    }
  }
  // endregion

  @TempDir
  Path dir;

  @Test
  void theGuidesApplicationYmlIsTheTestedOne() throws Exception {
    String guide = Files.readString(Path.of("").toAbsolutePath().resolve("../src-docs/spring-boot.md"));
    Matcher m = Pattern.compile("<!-- application.yml -->\\s*```yaml\\n(.*?)```", Pattern.DOTALL).matcher(guide);
    assertTrue(m.find(), "the guide shows an application.yml after <!-- application.yml -->");
    String tested = new String(new ClassPathResource("guide/application.yml").getContentAsByteArray(),
        StandardCharsets.UTF_8);
    assertEquals(tested.strip(), m.group(1).strip(), "the guide's application.yml differs from the tested one");
  }

  @Test
  void theGuidesExampleRuns() throws Exception {
    byte[] banned = "a known non-consensual image".getBytes(StandardCharsets.UTF_8);
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(banned));
    Path stop = Files.writeString(dir.resolve("stopncii.csv"), "hash,signal_type\n" + sha + ",sha256\n");
    Path own = Files.writeString(dir.resolve("own-removals.csv"),
        "hash,signal_type,category\n" + "ab".repeat(32) + ",sha256,ncii\n");
    Path profiles = Files.writeString(dir.resolve("jurisdictions.json"), "{\"version\": \"guide\", \"instruments\": []}");
    Path policies = Files.writeString(dir.resolve("policies.json"), "{}");
    List<PropertySource<?>> yml = new YamlPropertySourceLoader().load("guide", new ClassPathResource("guide/application.yml"));
    List<Decision> applied = new CopyOnWriteArrayList<>();
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(BootLine.AUTO_CONFIGURATION))
        .withInitializer(ctx -> yml.forEach(ctx.getEnvironment().getPropertySources()::addLast))
        .withPropertyValues(
            "haetae.log-directory=" + dir.resolve("log"),
            "haetae.banks[0].file=" + stop,
            "haetae.banks[1].file=" + own,
            "haetae.jurisdictions=" + profiles,
            "haetae.policies=" + policies,
            "HAETAE_PSEUDONYM_KEY=" + HaetaeAutoConfigurationTest.KEY)
        .withUserConfiguration(ModerationConfig.class)
        .withBean(Platform.class, () -> applied::add)
        .run(ctx -> {
          assertNull(ctx.getStartupFailure());
          ModerationEngine engine = ctx.getBean(ModerationEngine.class);
          Decision d = engine.evaluate(ContentEvent.upload(ContentId.of("c1"), AccountId.of("u1"), RoomId.of("r1"),
              Surface.GROUP, ContentKind.IMAGE, banned));
          assertTrue(d.has(Action.Remove.class), d.toString());
          assertEquals(List.of(d.id()), applied.stream().map(Decision::id).toList());
          assertEquals(0, engine.pluginHealth().maxReplacements(), "the customizer made isolation INLINE");
        });
  }
}

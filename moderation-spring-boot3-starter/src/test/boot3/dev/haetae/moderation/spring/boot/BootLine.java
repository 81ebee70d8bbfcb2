package dev.haetae.moderation.spring.boot;

import dev.haetae.moderation.spring.boot3.HaetaeAutoConfiguration;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import java.util.Map;
import org.springframework.context.ApplicationContext;

/**
 * What the shared starter tests need from one Boot line (Boot 3.5): its auto-configuration class and
 * its health indicator's answer, so that the tests themselves name no package that moved between
 * Boot lines. Each line's module compiles its own copy beside the shared tests.
 */
final class BootLine {
  private BootLine() {}

  /** The starter's auto-configuration. */
  static final Class<?> AUTO_CONFIGURATION = HaetaeAutoConfiguration.class;

  /** A health answer: the status code ({@code UP}, {@code DOWN}) and the details. */
  record HealthView(String status, Map<String, Object> details) {}

  /** Asks the {@code haetae} health indicator of the context. */
  static HealthView health(ApplicationContext ctx) {
    Health h = ctx.getBean("haetaeHealthIndicator", HealthIndicator.class).health();
    return new HealthView(h.getStatus().getCode(), h.getDetails());
  }
}

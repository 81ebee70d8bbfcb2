package dev.haetae.moderation.spring.boot;

import dev.haetae.moderation.api.spi.ActionExecutor;
import dev.haetae.moderation.core.engine.ModerationEngine;
import dev.haetae.moderation.spring.HaetaeEngineCustomizer;
import dev.haetae.moderation.spring.HaetaeProperties;
import dev.haetae.moderation.spring.HaetaeSettings;
import dev.haetae.moderation.spring.HaetaeSetup;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Spring Boot 4 auto-configuration of a {@link ModerationEngine} from the {@code haetae.*}
 * properties (see {@link HaetaeProperties}): a {@link HaetaeSetup} bean (banks, profiles, policies,
 * PostgreSQL), the engine bean, closed when the context closes, and the {@code haetae} health
 * indicator when Boot's health support is on the class path, and the engine's metrics
 * ({@code moderation-micrometer}'s {@code HaetaeMetrics}, the engine's listener) bound to the
 * application's {@code MeterRegistry} when Micrometer and that module are on the class path.
 *
 * <p>Every bean backs off when the host defines its own of the same type. The engine takes the
 * host's {@link ActionExecutor} bean, the host's {@link Clock} bean (else the system UTC clock) and
 * every {@link HaetaeEngineCustomizer} bean, in order. {@code haetae.enabled=false} turns it all off.
 *
 * @since 0.2
 */
@AutoConfiguration
@ConditionalOnClass(ModerationEngine.class)
@ConditionalOnProperty(prefix = "haetae", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties
public class HaetaeAutoConfiguration {
  /** Created by Spring. */
  public HaetaeAutoConfiguration() {}

  /**
   * The {@code haetae.*} properties.
   *
   * @return an empty binding target; Spring binds it
   */
  @Bean
  @ConfigurationProperties(prefix = "haetae")
  @ConditionalOnMissingBean
  public HaetaeProperties haetaeProperties() {
    return new HaetaeProperties();
  }

  /**
   * The validated properties, opened: banks loaded, profiles and policies read, PostgreSQL
   * connected when configured. Closed after the engine.
   *
   * @param properties the bound properties
   * @param clock the host's clock, if it has exactly one
   * @param environment where {@code haetae.pseudonym-key.env} is looked up
   * @return the set-up
   * @throws dev.haetae.moderation.spring.HaetaePropertyException naming the property at fault
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public HaetaeSetup haetaeSetup(HaetaeProperties properties, ObjectProvider<Clock> clock, Environment environment) {
    return HaetaeSetup.open(HaetaeSettings.from(properties, environment::getProperty),
        clock.getIfUnique(Clock::systemUTC));
  }

  /**
   * The engine, closed when the context closes.
   *
   * @param setup the set-up
   * @param executor the host's executor of decisions, if it has exactly one
   * @param customizers the host's customizers, in order
   * @return the engine
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public ModerationEngine moderationEngine(HaetaeSetup setup, ObjectProvider<ActionExecutor> executor,
      ObjectProvider<HaetaeEngineCustomizer> customizers) {
    List<HaetaeEngineCustomizer> all = new ArrayList<>();
    executor.ifUnique(e -> all.add(b -> b.actionExecutor(e)));
    customizers.orderedStream().forEach(all::add);
    return setup.buildEngine(all);
  }

  /**
   * The engine's metrics, when Micrometer and {@code moderation-micrometer} are on the class path:
   * a {@code HaetaeMetrics} bean (the host's own wins) handed to the engine as its listener, watching
   * the engine's banks, obligations and plugins, and bound to the application's {@code
   * MeterRegistry} (the unique or primary one; binding again, as Boot's metrics support does for
   * every {@code MeterBinder} bean, has no further effect), and the PostgreSQL pool of {@code
   * haetae.postgres.*} reporting to the same registry (HikariCP's own metrics).
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = {"io.micrometer.core.instrument.MeterRegistry",
      "dev.haetae.moderation.micrometer.HaetaeMetrics"})
  static class MetricsConfiguration {
    @Bean
    @ConditionalOnMissingBean
    dev.haetae.moderation.micrometer.HaetaeMetrics haetaeMetrics(ObjectProvider<Clock> clock) {
      return dev.haetae.moderation.micrometer.HaetaeMetrics.create(clock.getIfUnique(Clock::systemUTC),
          io.micrometer.core.instrument.Tags.empty());
    }

    @Bean
    HaetaeEngineCustomizer haetaeMetricsListener(dev.haetae.moderation.micrometer.HaetaeMetrics metrics) {
      return builder -> builder.listener(metrics);
    }

    @Bean
    org.springframework.beans.factory.SmartInitializingSingleton haetaeMetricsBinding(
        dev.haetae.moderation.micrometer.HaetaeMetrics metrics, ObjectProvider<ModerationEngine> engine,
        ObjectProvider<HaetaeSetup> setup, ObjectProvider<io.micrometer.core.instrument.MeterRegistry> registry) {
      return () -> {
        engine.ifUnique(metrics::watch);
        registry.ifUnique(r -> {
          metrics.bindTo(r);
          setup.ifUnique(s -> s.bindPoolMetrics(r)); // the PostgreSQL pool is no DataSource bean
        });
      };
    }
  }

  /** The health indicator, when Boot's health support is present and the indicator is enabled. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(HealthIndicator.class)
  @ConditionalOnEnabledHealthIndicator("haetae")
  static class HealthConfiguration {
    @Bean
    @ConditionalOnMissingBean(name = "haetaeHealthIndicator")
    HaetaeHealthIndicator haetaeHealthIndicator(ModerationEngine engine, HaetaeSetup setup) {
      return new HaetaeHealthIndicator(engine, setup);
    }
  }
}

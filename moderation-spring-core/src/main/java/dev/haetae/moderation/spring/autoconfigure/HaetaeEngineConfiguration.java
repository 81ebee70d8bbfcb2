package dev.haetae.moderation.spring.autoconfigure;

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
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The beans every starter declares, whatever its Boot line: the {@code haetae.*} properties, the
 * {@link HaetaeSetup} (banks, profiles, policies, PostgreSQL), the engine, closed when the context
 * closes, and, when Micrometer and {@code moderation-micrometer} are on the class path, the engine's
 * metrics bound to the application's {@code MeterRegistry} with the PostgreSQL pool reporting to the
 * same registry. A starter's auto-configuration imports it (so its beans are registered after the
 * host's and back off from them) and adds the health indicator of its Boot line.
 *
 * <p>Every bean backs off when the host defines its own of the same type. The engine takes the
 * host's {@link ActionExecutor} bean, the host's {@link Clock} bean (else the system UTC clock) and
 * every {@link HaetaeEngineCustomizer} bean, in order.
 *
 * @since 0.2
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties
public class HaetaeEngineConfiguration {
  /** Created by Spring. */
  public HaetaeEngineConfiguration() {}

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
}

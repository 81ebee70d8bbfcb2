package dev.haetae.moderation.spring;

import dev.haetae.moderation.api.ModerationException;
import dev.haetae.moderation.core.engine.ModerationEngine;
import dev.haetae.moderation.core.engine.ModerationEngineBuilder;
import dev.haetae.moderation.core.hash.HashBanks;
import dev.haetae.moderation.core.hash.ImportOptions;
import dev.haetae.moderation.core.hash.ImportReport;
import dev.haetae.moderation.core.legal.JurisdictionProfiles;
import dev.haetae.moderation.core.policy.PolicyConfig;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the {@code haetae.*} properties describe, opened: the hash banks loaded, the jurisdiction
 * profiles and policy configuration read, and, when {@code haetae.postgres.url} is set, the
 * PostgreSQL pool with its stores and this instance's decision-log shard. {@link #configure} hands
 * them to one engine's builder.
 *
 * <p>Close the engine first, then the set-up (it closes the shard's log writer, then the pool).
 * Thread-safe.
 *
 * @since 0.2
 */
public final class HaetaeSetup implements AutoCloseable {
  private static final String POSTGRES_CLASS = "dev.haetae.moderation.postgres.HaetaePostgres";

  private final HaetaeSettings settings;
  private final Clock clock;
  private final HashBanks banks;
  private final List<String> bankIds;
  private final JurisdictionProfiles profiles;
  private final Optional<PolicyConfig> policyConfig;
  private final PostgresShared postgres;
  private final AtomicBoolean configured = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();

  private HaetaeSetup(HaetaeSettings settings, Clock clock, HashBanks banks, List<String> bankIds,
      JurisdictionProfiles profiles, Optional<PolicyConfig> policyConfig, PostgresShared postgres) {
    this.settings = settings;
    this.clock = clock;
    this.banks = banks;
    this.bankIds = List.copyOf(bankIds);
    this.profiles = profiles;
    this.policyConfig = policyConfig;
    this.postgres = postgres;
  }

  /**
   * Loads the banks, profiles and policies the settings name and opens PostgreSQL when configured.
   *
   * @param settings the validated settings; not null
   * @param clock the clock the banks and the engine use; not null
   * @return the set-up; close it after the engine
   * @throws HaetaePropertyException naming the property whose file cannot be read or does not
   *     validate (a bank file that contributed nothing is refused), or {@code haetae.postgres.url}
   *     when PostgreSQL cannot be opened or moderation-postgres is not on the class path
   * @throws NullPointerException when an argument is null
   */
  public static HaetaeSetup open(HaetaeSettings settings, Clock clock) {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(clock, "clock");
    HashBanks banks = HashBanks.builder().clock(clock).build();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < settings.banks().size(); i++) {
      HaetaeSettings.BankFile b = settings.banks().get(i);
      String property = "haetae.banks[" + i + "].file";
      ImportReport report;
      try {
        report = b.format().isPresent()
            ? banks.importFile(b.file(), b.id().orElse(null), b.format().get(), ImportOptions.defaults())
            : banks.importFile(b.file(), b.id().orElse(null));
      } catch (ModerationException e) {
        throw new HaetaePropertyException(property, e.getMessage(), e);
      }
      if (report.contributedNothing()) {
        throw new HaetaePropertyException(property, "contributed nothing: " + report.summary()
            + (report.problems().isEmpty() ? "" : "; first problem: " + report.problems().get(0)));
      }
      if (!ids.contains(report.bank())) {
        ids.add(report.bank());
      }
    }
    JurisdictionProfiles profiles = JurisdictionProfiles.bundled();
    if (settings.jurisdictions().isPresent()) {
      try {
        profiles = profiles.overriddenBy(JurisdictionProfiles.load(settings.jurisdictions().get()));
      } catch (ModerationException e) {
        throw new HaetaePropertyException("haetae.jurisdictions", e.getMessage(), e);
      }
    }
    Optional<PolicyConfig> policyConfig = Optional.empty();
    if (settings.policies().isPresent()) {
      try {
        policyConfig = Optional.of(PolicyConfig.load(settings.policies().get()));
      } catch (ModerationException e) {
        throw new HaetaePropertyException("haetae.policies", e.getMessage(), e);
      }
    }
    PostgresShared pg = null;
    if (settings.postgres().isPresent()) {
      try {
        Class.forName(POSTGRES_CLASS, false, HaetaeSetup.class.getClassLoader());
      } catch (ClassNotFoundException e) {
        throw new HaetaePropertyException("haetae.postgres.url",
            "needs dev.haetae:moderation-postgres on the class path", e);
      }
      pg = PostgresShared.open(settings.postgres().get(), settings.pseudonymizer());
    }
    return new HaetaeSetup(settings, clock, banks, ids, profiles, policyConfig, pg);
  }

  /**
   * Hands everything the properties describe to an engine's builder: clock, banks, jurisdiction
   * profiles, policy configuration, legal clock period, and either the file decision log with the
   * configured pseudonym key or the PostgreSQL stores and shard. Once per set-up: the banks and
   * the log writer belong to the one engine built.
   *
   * @param builder the builder; not null
   * @return the same builder
   * @throws IllegalStateException when called a second time, or after {@link #close()}
   * @throws NullPointerException when {@code builder} is null
   */
  public ModerationEngineBuilder configure(ModerationEngineBuilder builder) {
    Objects.requireNonNull(builder, "builder");
    if (closed.get()) {
      throw new IllegalStateException("the set-up is closed");
    }
    if (!configured.compareAndSet(false, true)) {
      throw new IllegalStateException("a set-up configures one engine: its banks and log belong to it");
    }
    builder.clock(clock).banks(banks).jurisdictionProfiles(profiles);
    policyConfig.ifPresent(builder::policyConfig);
    settings.tickEvery().ifPresent(builder::tickEvery);
    if (postgres != null) {
      postgres.configure(builder);
    } else {
      builder.logDirectory(settings.logDirectory().orElseThrow()).pseudonymizer(settings.pseudonymizer());
    }
    return builder;
  }

  /**
   * Builds an engine from the properties, with the customizers applied in order.
   *
   * @param customizers applied after the properties; not null, no null element
   * @return the engine; close it before the set-up
   * @throws IllegalStateException when this set-up configured an engine already or is closed
   * @throws dev.haetae.moderation.api.ConfigurationException when the builder refuses the result
   */
  public ModerationEngine buildEngine(List<HaetaeEngineCustomizer> customizers) {
    ModerationEngineBuilder builder = configure(ModerationEngine.builder());
    for (HaetaeEngineCustomizer c : customizers) {
      c.customize(builder);
    }
    return builder.build();
  }

  /**
   * The settings this set-up was opened from.
   *
   * @return the settings; never null
   */
  public HaetaeSettings settings() {
    return settings;
  }

  /**
   * The clock handed to the banks and the engine; the health check reads deadlines against it.
   *
   * @return the clock; never null
   */
  public Clock clock() {
    return clock;
  }

  /**
   * The ids of the banks loaded from {@code haetae.banks}, in order.
   *
   * @return an unmodifiable list; never null
   */
  public List<String> bankIds() {
    return bankIds;
  }

  /**
   * Whether the engine's stores and log are in PostgreSQL.
   *
   * @return true when {@code haetae.postgres.url} is set
   */
  public boolean usesPostgres() {
    return postgres != null;
  }

  /**
   * Checks that PostgreSQL answers.
   *
   * @return empty when it answered within two seconds, or when PostgreSQL is not used; otherwise why
   *     not
   */
  public Optional<String> postgresUnreachable() {
    return postgres == null ? Optional.empty() : Optional.ofNullable(postgres.unreachable());
  }

  /**
   * Makes the PostgreSQL connection pool (HikariCP, named {@code haetae-<schema>}) report to a
   * metrics registry: HikariCP's own {@code HikariDataSource.setMetricRegistry}, which takes a
   * Micrometer {@code MeterRegistry} (metrics {@code hikaricp.connections*}, tagged {@code pool}) or
   * a Dropwizard {@code MetricRegistry}. The pool is not a Spring bean, so Boot's actuator does not
   * bind it; the starters call this with the application's registry. HikariCP takes one registry
   * per pool: a second call, or a pool already reporting, is left alone.
   *
   * @param registry a Micrometer {@code MeterRegistry} or a Dropwizard {@code MetricRegistry}; not null
   * @return whether the pool was bound now; false without PostgreSQL or when it was already bound
   * @throws NullPointerException when {@code registry} is null
   * @throws IllegalArgumentException when HikariCP does not know the registry's type
   * @since 0.2
   */
  public boolean bindPoolMetrics(Object registry) {
    java.util.Objects.requireNonNull(registry, "registry");
    return postgres != null && postgres.bindPoolMetrics(registry);
  }

  /**
   * The decision-log shard this instance writes in PostgreSQL.
   *
   * @return the shard; empty when the log is a directory
   */
  public Optional<String> shard() {
    return postgres == null ? Optional.empty() : Optional.of(postgres.shard());
  }

  /**
   * Closes the PostgreSQL log writer and pool, if opened. Close the engine first. Idempotent.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true) && postgres != null) {
      postgres.close();
    }
  }
}

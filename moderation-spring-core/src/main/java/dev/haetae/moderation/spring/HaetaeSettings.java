package dev.haetae.moderation.spring;

import dev.haetae.moderation.api.spi.Pseudonymizer;
import dev.haetae.moderation.core.audit.Pseudonymizers;
import dev.haetae.moderation.core.banks.HashListFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The {@code haetae.*} properties, validated: every path parsed, every required property present,
 * the pseudonym key read and checked, contradictions refused. Reading the files the paths name
 * (banks, policies, profiles) and connecting to PostgreSQL is left to {@link HaetaeSetup#open}.
 *
 * <p>Immutable and thread-safe. Holds the pseudonym key only inside its {@link Pseudonymizer};
 * {@link #toString()} shows neither the key nor the password.
 *
 * @since 0.2
 */
public final class HaetaeSettings {
  /** Longest key file read: a base64 key needs a few hundred bytes at most. */
  static final int MAX_KEY_FILE_BYTES = 64 * 1024;
  private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Pattern SHARD = Pattern.compile("[A-Za-z0-9._:-]{1,100}");
  private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,254}");
  private static final int MIN_KEY_BYTES = 16;

  private final Optional<Path> logDirectory;
  private final List<BankFile> banks;
  private final Optional<Path> jurisdictions;
  private final Optional<Path> policies;
  private final Optional<Duration> tickEvery;
  private final Pseudonymizer pseudonymizer;
  private final Optional<PostgresSettings> postgres;

  private HaetaeSettings(Optional<Path> logDirectory, List<BankFile> banks, Optional<Path> jurisdictions,
      Optional<Path> policies, Optional<Duration> tickEvery, Pseudonymizer pseudonymizer,
      Optional<PostgresSettings> postgres) {
    this.logDirectory = logDirectory;
    this.banks = List.copyOf(banks);
    this.jurisdictions = jurisdictions;
    this.policies = policies;
    this.tickEvery = tickEvery;
    this.pseudonymizer = pseudonymizer;
    this.postgres = postgres;
  }

  /**
   * Validates properties, reading the pseudonym key from its file or environment variable.
   *
   * @param properties the bound properties; not null
   * @param environment looks up an environment variable by name (e.g. {@code System::getenv}),
   *     returning null when it is not set; not null
   * @return the settings; never null
   * @throws HaetaePropertyException naming the first property that is missing, malformed or
   *     contradicts another
   * @throws NullPointerException when an argument is null
   */
  public static HaetaeSettings from(HaetaeProperties properties, Function<String, String> environment) {
    Objects.requireNonNull(properties, "properties");
    Objects.requireNonNull(environment, "environment");
    HaetaeProperties.Postgres pgp = properties.getPostgres() == null ? new HaetaeProperties.Postgres()
        : properties.getPostgres();
    Optional<PostgresSettings> pg = postgres(pgp);
    Optional<Path> logDirectory = optionalPath("haetae.log-directory", properties.getLogDirectory());
    if (pg.isPresent() && logDirectory.isPresent()) {
      throw new HaetaePropertyException("haetae.log-directory",
          "set either it (a file log) or haetae.postgres.url (the log is the shard haetae.postgres.shard), not both");
    }
    if (pg.isEmpty() && logDirectory.isEmpty()) {
      throw new HaetaePropertyException("haetae.log-directory",
          "required: the decision log's directory (or set haetae.postgres.url and haetae.postgres.shard)");
    }
    if (logDirectory.isPresent() && Files.exists(logDirectory.get()) && !Files.isDirectory(logDirectory.get())) {
      throw new HaetaePropertyException("haetae.log-directory", "not a directory: " + logDirectory.get());
    }
    List<BankFile> banks = new ArrayList<>();
    List<HaetaeProperties.Bank> bankProps = properties.getBanks() == null ? List.of() : properties.getBanks();
    for (int i = 0; i < bankProps.size(); i++) {
      banks.add(bank("haetae.banks[" + i + "]", bankProps.get(i)));
    }
    Optional<Path> jurisdictions = optionalPath("haetae.jurisdictions", properties.getJurisdictions());
    jurisdictions.ifPresent(p -> requireFile("haetae.jurisdictions", p));
    Optional<Path> policies = optionalPath("haetae.policies", properties.getPolicies());
    policies.ifPresent(p -> requireFile("haetae.policies", p));
    Duration tick = properties.getTickEvery();
    if (tick != null && (tick.isNegative() || tick.isZero())) {
      throw new HaetaePropertyException("haetae.tick-every", "must be positive, got " + tick);
    }
    Pseudonymizer pseudonymizer = pseudonymizer(
        properties.getPseudonymKey() == null ? new HaetaeProperties.PseudonymKey() : properties.getPseudonymKey(),
        environment);
    return new HaetaeSettings(logDirectory, banks, jurisdictions, policies, Optional.ofNullable(tick), pseudonymizer,
        pg);
  }

  private static BankFile bank(String prefix, HaetaeProperties.Bank b) {
    if (b == null) {
      throw new HaetaePropertyException(prefix + ".file", "required");
    }
    Path file = optionalPath(prefix + ".file", b.getFile())
        .orElseThrow(() -> new HaetaePropertyException(prefix + ".file", "required: a hash-list file"));
    requireFile(prefix + ".file", file);
    Optional<HashListFormat> format = Optional.empty();
    if (b.getFormat() != null && !b.getFormat().isBlank()) {
      try {
        format = Optional.of(HashListFormat.fromWire(b.getFormat().trim()));
      } catch (RuntimeException e) {
        throw new HaetaePropertyException(prefix + ".format", e.getMessage(), e);
      }
    }
    Optional<String> id = Optional.ofNullable(b.getId()).map(String::trim).filter(s -> !s.isEmpty());
    return new BankFile(file, format, id);
  }

  private static Optional<PostgresSettings> postgres(HaetaeProperties.Postgres p) {
    if (p.getUrl() == null || p.getUrl().isBlank()) {
      for (String[] other : new String[][] {{"user", p.getUser()}, {"shard", p.getShard()}}) {
        if (other[1] != null && !other[1].isBlank()) {
          throw new HaetaePropertyException("haetae.postgres." + other[0], "set without haetae.postgres.url");
        }
      }
      return Optional.empty();
    }
    String url = p.getUrl().trim();
    if (!url.startsWith("jdbc:postgresql:")) {
      throw new HaetaePropertyException("haetae.postgres.url", "must start with jdbc:postgresql:");
    }
    if (p.getUser() == null || p.getUser().isBlank()) {
      throw new HaetaePropertyException("haetae.postgres.user", "required with haetae.postgres.url");
    }
    if (p.getShard() == null || p.getShard().isBlank()) {
      throw new HaetaePropertyException("haetae.postgres.shard",
          "required with haetae.postgres.url: the decision-log shard this instance writes");
    }
    if (!SHARD.matcher(p.getShard()).matches()) {
      throw new HaetaePropertyException("haetae.postgres.shard",
          "must be 1..100 letters, digits, '.', '_', ':' or '-'");
    }
    String schema = p.getSchema() == null ? "haetae" : p.getSchema();
    if (!SCHEMA.matcher(schema).matches()) {
      throw new HaetaePropertyException("haetae.postgres.schema",
          "must be a plain lower-case schema name ([a-z_][a-z0-9_]{0,62})");
    }
    if (p.getMaxPoolSize() < 1 || p.getMaxPoolSize() > 1000) {
      throw new HaetaePropertyException("haetae.postgres.max-pool-size", "must be 1..1000, got " + p.getMaxPoolSize());
    }
    return Optional.of(new PostgresSettings(url, p.getUser(), Optional.ofNullable(p.getPassword()), schema,
        p.getShard(), p.isMigrate(), p.getMaxPoolSize()));
  }

  private static Pseudonymizer pseudonymizer(HaetaeProperties.PseudonymKey k, Function<String, String> environment) {
    if (k.getId() == null || k.getId().isBlank()) {
      throw new HaetaePropertyException("haetae.pseudonym-key.id",
          "required: the id of the decision log's pseudonym key (and haetae.pseudonym-key.file or .env)");
    }
    if (!KEY_ID.matcher(k.getId()).matches()) {
      throw new HaetaePropertyException("haetae.pseudonym-key.id", "must be 1..64 characters of [A-Za-z0-9._-]");
    }
    boolean hasFile = k.getFile() != null && !k.getFile().isBlank();
    boolean hasEnv = k.getEnv() != null && !k.getEnv().isBlank();
    if (hasFile == hasEnv) {
      throw new HaetaePropertyException("haetae.pseudonym-key.file",
          "set exactly one of haetae.pseudonym-key.file and haetae.pseudonym-key.env");
    }
    String property;
    String text;
    if (hasFile) {
      property = "haetae.pseudonym-key.file";
      Path file = optionalPath(property, k.getFile()).orElseThrow();
      requireFile(property, file);
      try {
        if (Files.size(file) > MAX_KEY_FILE_BYTES) {
          throw new HaetaePropertyException(property, "larger than " + MAX_KEY_FILE_BYTES + " bytes: " + file);
        }
        text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
      } catch (IOException e) {
        throw new HaetaePropertyException(property, "cannot read " + file + ": " + e.getClass().getSimpleName(), e);
      }
    } else {
      property = "haetae.pseudonym-key.env";
      String name = k.getEnv().trim();
      if (!ENV_NAME.matcher(name).matches()) {
        throw new HaetaePropertyException(property, "not an environment variable name");
      }
      text = environment.apply(name);
      if (text == null || text.isBlank()) {
        throw new HaetaePropertyException(property, "the environment variable " + name + " is not set");
      }
    }
    byte[] key;
    try {
      key = Base64.getDecoder().decode(text.strip());
    } catch (IllegalArgumentException e) {
      // the decoder's message quotes a character of the key: not passed on
      throw new HaetaePropertyException(property, "the key is not base64 text");
    }
    try {
      if (key.length < MIN_KEY_BYTES) {
        throw new HaetaePropertyException(property,
            "the key must be at least " + MIN_KEY_BYTES + " bytes, got " + key.length);
      }
      return Pseudonymizers.hmacSha256(k.getId(), key);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  private static Optional<Path> optionalPath(String property, String value) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Path.of(value.trim()));
    } catch (InvalidPathException e) {
      throw new HaetaePropertyException(property, "not a path: " + e.getReason(), e);
    }
  }

  private static void requireFile(String property, Path file) {
    if (!Files.isRegularFile(file)) {
      throw new HaetaePropertyException(property, "no such file: " + file);
    }
    if (!Files.isReadable(file)) {
      throw new HaetaePropertyException(property, "not readable: " + file);
    }
  }

  /**
   * The file decision log's directory.
   *
   * @return the directory; empty when the log is in PostgreSQL
   */
  public Optional<Path> logDirectory() {
    return logDirectory;
  }

  /**
   * The hash-list files to load, in order.
   *
   * @return an unmodifiable list; never null
   */
  public List<BankFile> banks() {
    return banks;
  }

  /**
   * The jurisdiction-profiles file overriding the bundled profiles.
   *
   * @return the file; empty for the bundled profiles alone
   */
  public Optional<Path> jurisdictions() {
    return jurisdictions;
  }

  /**
   * The policy configuration file.
   *
   * @return the file; empty for the built-in defaults
   */
  public Optional<Path> policies() {
    return policies;
  }

  /**
   * The legal clock's period.
   *
   * @return the period; empty when not scheduled
   */
  public Optional<Duration> tickEvery() {
    return tickEvery;
  }

  /**
   * The decision log's pseudonymizer, keyed with the configured key.
   *
   * @return the pseudonymizer; never null
   */
  public Pseudonymizer pseudonymizer() {
    return pseudonymizer;
  }

  /**
   * The PostgreSQL settings.
   *
   * @return the settings; empty when {@code haetae.postgres.url} is not set
   */
  public Optional<PostgresSettings> postgres() {
    return postgres;
  }

  /**
   * The settings, without the key or the password.
   *
   * @return a description; never null
   */
  @Override
  public String toString() {
    return "HaetaeSettings[logDirectory=" + logDirectory + ", banks=" + banks + ", jurisdictions=" + jurisdictions
        + ", policies=" + policies + ", tickEvery=" + tickEvery + ", keyId=" + pseudonymizer.keyId() + ", postgres="
        + postgres + "]";
  }

  /**
   * One bank file of {@code haetae.banks}.
   *
   * @param file the hash-list file; not null
   * @param format its format; empty to detect it from the extension
   * @param id the bank to load into; empty for the file's name
   * @since 0.2
   */
  public record BankFile(Path file, Optional<HashListFormat> format, Optional<String> id) {
    /**
     * Checks the components.
     *
     * @throws NullPointerException when a component is null
     */
    public BankFile {
      Objects.requireNonNull(file, "file");
      Objects.requireNonNull(format, "format");
      Objects.requireNonNull(id, "id");
    }
  }

  /**
   * The validated {@code haetae.postgres.*} properties.
   *
   * @param url the JDBC URL; not null
   * @param user the role; not null
   * @param password the password; empty when not set
   * @param schema the schema; not null
   * @param shard the decision-log shard; not null
   * @param migrate whether to migrate at start
   * @param maxPoolSize the pool's size
   * @since 0.2
   */
  public record PostgresSettings(String url, String user, Optional<String> password, String schema, String shard,
      boolean migrate, int maxPoolSize) {
    /**
     * Checks the components.
     *
     * @throws NullPointerException when a component is null
     */
    public PostgresSettings {
      Objects.requireNonNull(url, "url");
      Objects.requireNonNull(user, "user");
      Objects.requireNonNull(password, "password");
      Objects.requireNonNull(schema, "schema");
      Objects.requireNonNull(shard, "shard");
    }

    /**
     * The settings, with the password masked.
     *
     * @return a description; never null
     */
    @Override
    public String toString() {
      return "PostgresSettings[url=" + url + ", user=" + user + ", password=" + (password.isEmpty() ? "unset" : "******")
          + ", schema=" + schema + ", shard=" + shard + ", migrate=" + migrate + ", maxPoolSize=" + maxPoolSize + "]";
    }
  }
}

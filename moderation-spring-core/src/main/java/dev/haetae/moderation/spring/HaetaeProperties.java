package dev.haetae.moderation.spring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code haetae.*} configuration properties, as a framework binds them (a JavaBean: Spring Boot's
 * binder fills it through its setters; {@code haetae.log-directory} sets {@link #setLogDirectory}).
 * Nothing here is checked when it is set: {@link HaetaeSettings#from} validates the whole, naming the
 * property of each problem.
 *
 * <p>This class holds no secret: the pseudonym key is read from the file or environment variable it
 * names, and the PostgreSQL password is masked by {@link #toString()}. Mutable and not thread-safe,
 * as a binding target is; read it once, at start.
 *
 * @since 0.2
 */
public class HaetaeProperties {
  private String logDirectory;
  private List<Bank> banks = new ArrayList<>();
  private String jurisdictions;
  private String policies;
  private Duration tickEvery;
  private PseudonymKey pseudonymKey = new PseudonymKey();
  private Postgres postgres = new Postgres();

  /** Creates empty properties: nothing set. */
  public HaetaeProperties() {}

  /**
   * {@code haetae.log-directory}: the directory of the engine's file decision log, created if
   * missing. Required unless {@code haetae.postgres.url} is set (then the log is the shard {@code
   * haetae.postgres.shard} in PostgreSQL); not both.
   *
   * @return the directory, or null when not set
   */
  public String getLogDirectory() {
    return logDirectory;
  }

  /**
   * Sets {@code haetae.log-directory}.
   *
   * @param value the directory; null unsets it
   */
  public void setLogDirectory(String value) {
    this.logDirectory = value;
  }

  /**
   * {@code haetae.banks}: hash-list files loaded as banks at start, in order.
   *
   * @return the live list (a binder adds to it); never null unless set so
   */
  public List<Bank> getBanks() {
    return banks;
  }

  /**
   * Sets {@code haetae.banks}.
   *
   * @param value the banks; null clears them
   */
  public void setBanks(List<Bank> value) {
    this.banks = value == null ? new ArrayList<>() : value;
  }

  /**
   * {@code haetae.jurisdictions}: a jurisdiction-profiles file (the bundled format) that overrides
   * and extends the bundled profiles. Default: the bundled profiles alone.
   *
   * @return the file, or null when not set
   */
  public String getJurisdictions() {
    return jurisdictions;
  }

  /**
   * Sets {@code haetae.jurisdictions}.
   *
   * @param value the file; null unsets it
   */
  public void setJurisdictions(String value) {
    this.jurisdictions = value;
  }

  /**
   * {@code haetae.policies}: the policy configuration file ({@code PolicyConfig.load}). Default: the
   * built-in policies with their default parameters.
   *
   * @return the file, or null when not set
   */
  public String getPolicies() {
    return policies;
  }

  /**
   * Sets {@code haetae.policies}.
   *
   * @param value the file; null unsets it
   */
  public void setPolicies(String value) {
    this.policies = value;
  }

  /**
   * {@code haetae.tick-every}: how often the engine's legal clock looks for due escalations and
   * breached deadlines. Default: not scheduled (the host calls {@code engine.tick()}).
   *
   * @return the period, or null when not set
   */
  public Duration getTickEvery() {
    return tickEvery;
  }

  /**
   * Sets {@code haetae.tick-every}.
   *
   * @param value a positive period; null unsets it
   */
  public void setTickEvery(Duration value) {
    this.tickEvery = value;
  }

  /**
   * {@code haetae.pseudonym-key.*}: where the decision log's pseudonym key is.
   *
   * @return the nested properties; never null unless set so
   */
  public PseudonymKey getPseudonymKey() {
    return pseudonymKey;
  }

  /**
   * Sets {@code haetae.pseudonym-key}.
   *
   * @param value the nested properties; null resets them
   */
  public void setPseudonymKey(PseudonymKey value) {
    this.pseudonymKey = value == null ? new PseudonymKey() : value;
  }

  /**
   * {@code haetae.postgres.*}: the PostgreSQL stores and decision-log shard.
   *
   * @return the nested properties; never null unless set so
   */
  public Postgres getPostgres() {
    return postgres;
  }

  /**
   * Sets {@code haetae.postgres}.
   *
   * @param value the nested properties; null resets them
   */
  public void setPostgres(Postgres value) {
    this.postgres = value == null ? new Postgres() : value;
  }

  /**
   * The properties, with the PostgreSQL password masked.
   *
   * @return a description; never null
   */
  @Override
  public String toString() {
    return "HaetaeProperties[logDirectory=" + logDirectory + ", banks=" + banks + ", jurisdictions=" + jurisdictions
        + ", policies=" + policies + ", tickEvery=" + tickEvery + ", pseudonymKey=" + pseudonymKey
        + ", postgres=" + postgres + "]";
  }

  /**
   * One entry of {@code haetae.banks}: a hash-list file and how to read it.
   *
   * @since 0.2
   */
  public static class Bank {
    private String file;
    private String format;
    private String id;

    /** Creates an empty entry. */
    public Bank() {}

    /**
     * {@code haetae.banks[i].file}: the hash-list file. Required.
     *
     * @return the file, or null when not set
     */
    public String getFile() {
      return file;
    }

    /**
     * Sets {@code haetae.banks[i].file}.
     *
     * @param value the file
     */
    public void setFile(String value) {
      this.file = value;
    }

    /**
     * {@code haetae.banks[i].format}: the list's format by its wire name ({@code bank-csv}, {@code
     * hma}, {@code hma-json}, {@code threatexchange}, {@code ncmec}, {@code tcap}, {@code stopncii}).
     * Default: detected from the file's extension.
     *
     * @return the format, or null when not set
     */
    public String getFormat() {
      return format;
    }

    /**
     * Sets {@code haetae.banks[i].format}.
     *
     * @param value the wire name
     */
    public void setFormat(String value) {
      this.format = value;
    }

    /**
     * {@code haetae.banks[i].id}: the bank to load into. Default: the file's name without extension,
     * lower-cased.
     *
     * @return the bank id, or null when not set
     */
    public String getId() {
      return id;
    }

    /**
     * Sets {@code haetae.banks[i].id}.
     *
     * @param value the bank id
     */
    public void setId(String value) {
      this.id = value;
    }

    /**
     * The entry.
     *
     * @return a description; never null
     */
    @Override
    public String toString() {
      return "Bank[file=" + file + ", format=" + format + ", id=" + id + "]";
    }
  }

  /**
   * {@code haetae.pseudonym-key.*}: the HMAC key the decision log pseudonymizes account ids with,
   * the same on every instance. Exactly one of {@code file} and {@code env} names where the key is:
   * its base64 text (standard alphabet, surrounding white space ignored) of at least 16 bytes.
   *
   * @since 0.2
   */
  public static class PseudonymKey {
    private String id;
    private String file;
    private String env;

    /** Creates empty properties. */
    public PseudonymKey() {}

    /**
     * {@code haetae.pseudonym-key.id}: the key's id, recorded beside every pseudonym; a new id
     * rotates the key. Required: 1..64 characters of {@code [A-Za-z0-9._-]}.
     *
     * @return the id, or null when not set
     */
    public String getId() {
      return id;
    }

    /**
     * Sets {@code haetae.pseudonym-key.id}.
     *
     * @param value the id
     */
    public void setId(String value) {
      this.id = value;
    }

    /**
     * {@code haetae.pseudonym-key.file}: a file holding the key in base64, e.g. a mounted secret.
     *
     * @return the file, or null when not set
     */
    public String getFile() {
      return file;
    }

    /**
     * Sets {@code haetae.pseudonym-key.file}.
     *
     * @param value the file
     */
    public void setFile(String value) {
      this.file = value;
    }

    /**
     * {@code haetae.pseudonym-key.env}: the name of an environment variable holding the key in
     * base64.
     *
     * @return the variable's name, or null when not set
     */
    public String getEnv() {
      return env;
    }

    /**
     * Sets {@code haetae.pseudonym-key.env}.
     *
     * @param value the variable's name
     */
    public void setEnv(String value) {
      this.env = value;
    }

    /**
     * Where the key is (never the key).
     *
     * @return a description; never null
     */
    @Override
    public String toString() {
      return "PseudonymKey[id=" + id + ", file=" + file + ", env=" + env + "]";
    }
  }

  /**
   * {@code haetae.postgres.*}: the PostgreSQL stores (reputation, obligations, holds, strikes, the
   * engine's memory, the shared bank of removed content) and the decision-log shard this instance
   * writes. Used when {@code url} is set; needs {@code dev.haetae:moderation-postgres} on the class
   * path.
   *
   * @since 0.2
   */
  public static class Postgres {
    private String url;
    private String user;
    private String password;
    private String schema = "haetae";
    private String shard;
    private boolean migrate = true;
    private int maxPoolSize = 10;

    /** Creates the defaults: schema {@code haetae}, migrate, pool of 10. */
    public Postgres() {}

    /**
     * {@code haetae.postgres.url}: the JDBC URL, {@code jdbc:postgresql://...}.
     *
     * @return the URL, or null when not set
     */
    public String getUrl() {
      return url;
    }

    /**
     * Sets {@code haetae.postgres.url}.
     *
     * @param value the URL
     */
    public void setUrl(String value) {
      this.url = value;
    }

    /**
     * {@code haetae.postgres.user}: the role to connect as. Required with the URL.
     *
     * @return the user, or null when not set
     */
    public String getUser() {
      return user;
    }

    /**
     * Sets {@code haetae.postgres.user}.
     *
     * @param value the user
     */
    public void setUser(String value) {
      this.user = value;
    }

    /**
     * {@code haetae.postgres.password}: the role's password; may be unset (e.g. trust or peer
     * authentication).
     *
     * @return the password, or null when not set
     */
    public String getPassword() {
      return password;
    }

    /**
     * Sets {@code haetae.postgres.password}.
     *
     * @param value the password
     */
    public void setPassword(String value) {
      this.password = value;
    }

    /**
     * {@code haetae.postgres.schema}: the schema, created and migrated on first start when {@code
     * migrate} is true. Default {@code haetae}.
     *
     * @return the schema
     */
    public String getSchema() {
      return schema;
    }

    /**
     * Sets {@code haetae.postgres.schema}.
     *
     * @param value a plain lower-case schema name
     */
    public void setSchema(String value) {
      this.schema = value;
    }

    /**
     * {@code haetae.postgres.shard}: the decision-log shard this instance writes (1..100 letters,
     * digits, '.', '_', ':' or '-'). Required with the URL.
     *
     * @return the shard, or null when not set
     */
    public String getShard() {
      return shard;
    }

    /**
     * Sets {@code haetae.postgres.shard}.
     *
     * @param value the shard
     */
    public void setShard(String value) {
      this.shard = value;
    }

    /**
     * {@code haetae.postgres.migrate}: apply the schema migrations at start (the owner role); false
     * only checks that the schema is current (the application role). Default true.
     *
     * @return whether to migrate
     */
    public boolean isMigrate() {
      return migrate;
    }

    /**
     * Sets {@code haetae.postgres.migrate}.
     *
     * @param value whether to migrate
     */
    public void setMigrate(boolean value) {
      this.migrate = value;
    }

    /**
     * {@code haetae.postgres.max-pool-size}: the connection pool's size, 1..1000. Default 10.
     *
     * @return the size
     */
    public int getMaxPoolSize() {
      return maxPoolSize;
    }

    /**
     * Sets {@code haetae.postgres.max-pool-size}.
     *
     * @param value the size
     */
    public void setMaxPoolSize(int value) {
      this.maxPoolSize = value;
    }

    /**
     * The settings, with the password masked.
     *
     * @return a description; never null
     */
    @Override
    public String toString() {
      return "Postgres[url=" + url + ", user=" + user + ", password=" + (password == null ? "unset" : "******")
          + ", schema=" + schema + ", shard=" + shard + ", migrate=" + migrate + ", maxPoolSize=" + maxPoolSize + "]";
    }
  }
}

package dev.haetae.moderation.rules;

import dev.haetae.moderation.api.ConfigurationException;
import dev.haetae.moderation.core.engine.ModerationEngine;
import dev.haetae.moderation.core.policy.PolicyConfig;
import dev.haetae.moderation.core.policy.PolicyConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hot reload of a policy configuration file (rules included): when the file's content changes, the
 * watcher loads and checks it and swaps it into the engine with
 * {@link ModerationEngine#reconfigure(PolicyConfig)} — atomically, and logged as a configuration
 * record. A file that does not load, or that the engine refuses (an engine-side setting changed),
 * leaves the configuration in force untouched; the error goes to the {@link Listener} and to SLF4J
 * (logger {@code dev.haetae.moderation.rules.PolicyFileWatcher}, WARN), once per content.
 *
 * <p>The watcher polls the file's content (a SHA-256 of its bytes) rather than using the JDK's
 * {@code WatchService}: that service watches directories, falls back to slow polling on some
 * platforms, and misses changes made by swapping a symbolic link (as Kubernetes does for a
 * ConfigMap volume) or on network file systems; reading a small file every few seconds catches
 * them all. Write the new file beside the old and rename it into place, so a poll never reads a
 * half-written file (if it does, that content is rejected and the next poll applies the finished
 * one). A change that leaves the configuration's {@link PolicyConfig#hash()} as it was (spaces,
 * key order) is not applied again.
 *
 * <p>The file's content when the watcher is created is taken to be the configuration in force
 * (build the engine from the same file). Thread-safe; {@link #poll()} may be called from any
 * thread, and polls never overlap.
 *
 * @since 0.2
 */
public final class PolicyFileWatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PolicyFileWatcher.class);
  /** The largest file read: 8 MiB (a larger one is reported as unreadable and not applied). */
  public static final long MAX_BYTES = 8L << 20;

  /**
   * Told what a poll did. Called on the polling thread; an exception it throws is logged and
   * otherwise ignored. Both methods do nothing by default.
   *
   * @since 0.2
   */
  public interface Listener {
    /**
     * A new configuration is in force.
     *
     * @param file the watched file; not null
     * @param config the configuration now in force; not null
     */
    default void reloaded(Path file, PolicyConfig config) {}

    /**
     * A changed file was not applied; the configuration in force is unchanged.
     *
     * @param file the watched file; not null
     * @param error why: a {@link PolicyConfigException} (a {@link RuleException} for a rule) when
     *     the file cannot be read or does not load, another {@link ConfigurationException} when the
     *     engine refused it; not null
     */
    default void rejected(Path file, ConfigurationException error) {}
  }

  private final ModerationEngine engine;
  private final Path file;
  private final ClassLoader loader;
  private final Listener listener;
  private final ScheduledExecutorService scheduler;
  /** Digest of the content last looked at (applied, unchanged or rejected); null when unreadable. */
  private String seen;
  /** Hash of the configuration last in force through this watcher. */
  private String inForce;

  private PolicyFileWatcher(ModerationEngine engine, Path file, ClassLoader loader, Listener listener,
      ScheduledExecutorService scheduler) {
    this.engine = Objects.requireNonNull(engine, "engine");
    this.file = Objects.requireNonNull(file, "file");
    this.loader = loader;
    this.listener = Objects.requireNonNull(listener, "listener");
    this.scheduler = scheduler;
    byte[] bytes = read();
    if (bytes != null) {
      seen = digest(bytes);
      try {
        inForce = PolicyConfig.parse(new String(bytes, StandardCharsets.UTF_8), loader).hash();
      } catch (PolicyConfigException e) {
        inForce = null;                                     // the next valid content is applied
      }
    }
  }

  /**
   * A watcher the host polls itself, with {@link #poll()} (e.g. from its own scheduler or an admin
   * endpoint). Extra policy classes named in the file load with the thread's context class loader.
   *
   * @param engine the engine to reconfigure; not null
   * @param file the configuration file the engine was built from; not null
   * @param listener told of every reload and rejection; not null
   * @return the watcher; never null
   */
  public static PolicyFileWatcher manual(ModerationEngine engine, Path file, Listener listener) {
    return new PolicyFileWatcher(engine, file, Thread.currentThread().getContextClassLoader(), listener, null);
  }

  /**
   * A watcher that polls every {@code interval} on its own daemon thread until {@link #close()}.
   *
   * @param engine the engine to reconfigure; not null
   * @param file the configuration file the engine was built from; not null
   * @param interval time between polls; positive (a few seconds suits a file edited by people)
   * @param listener told of every reload and rejection; not null
   * @return the started watcher; never null
   * @throws IllegalArgumentException when the interval is not positive
   */
  public static PolicyFileWatcher start(ModerationEngine engine, Path file, Duration interval, Listener listener) {
    if (interval == null || interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("interval must be positive, got " + interval);
    }
    ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "haetae-policy-file-watcher");
      t.setDaemon(true);
      return t;
    });
    PolicyFileWatcher w = new PolicyFileWatcher(engine, file, Thread.currentThread().getContextClassLoader(),
        listener, s);
    long nanos = interval.toNanos();
    s.scheduleWithFixedDelay(w::pollQuietly, nanos, nanos, TimeUnit.NANOSECONDS);
    return w;
  }

  /**
   * Looks at the file once: when its content changed, loads it and swaps it in, or reports why not.
   *
   * @return true when a new configuration was put in force by this call
   * @throws IllegalStateException when the engine is closed
   */
  public synchronized boolean poll() {
    byte[] bytes = read();
    if (bytes == null) {
      if (seen != null) {
        seen = null;
        reject(new PolicyConfigException("$", "cannot read policy configuration " + file.getFileName()
            + " (missing, unreadable or larger than " + MAX_BYTES + " bytes)"));
      }
      return false;
    }
    String digest = digest(bytes);
    if (digest.equals(seen)) {
      return false;
    }
    seen = digest;
    PolicyConfig config;
    try {
      config = PolicyConfig.parse(new String(bytes, StandardCharsets.UTF_8), loader);
    } catch (PolicyConfigException e) {
      reject(e);
      return false;
    }
    if (config.hash().equals(inForce)) {
      return false;
    }
    try {
      engine.reconfigure(config);
    } catch (ConfigurationException e) {
      reject(e);
      return false;
    }
    inForce = config.hash();
    LOG.info("policy configuration {} reloaded from {}", config.hash(), file);
    try {
      listener.reloaded(file, config);
    } catch (RuntimeException e) {
      LOG.warn("policy file listener failed on reload", e);
    }
    return true;
  }

  /** Stops polling (a manual watcher has nothing to stop). Idempotent. */
  @Override
  public void close() {
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
  }

  private void pollQuietly() {
    try {
      poll();
    } catch (IllegalStateException e) {
      LOG.info("engine closed; policy file watcher stops");
      close();
    } catch (RuntimeException e) {
      LOG.warn("policy file poll failed", e);              // keep polling
    }
  }

  private void reject(ConfigurationException e) {
    LOG.warn("policy configuration in {} not applied, the previous one stays in force: {}", file, e.getMessage());
    try {
      listener.rejected(file, e);
    } catch (RuntimeException x) {
      LOG.warn("policy file listener failed on rejection", x);
    }
  }

  /** Reads the file, or returns null when it cannot be read or is larger than {@link #MAX_BYTES}. */
  private byte[] read() {
    try {
      if (Files.size(file) > MAX_BYTES) {
        return null;
      }
      return Files.readAllBytes(file);
    } catch (IOException e) {
      return null;
    }
  }

  private static String digest(byte[] bytes) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JDK", e);
    }
  }
}

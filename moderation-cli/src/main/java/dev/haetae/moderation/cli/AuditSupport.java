package dev.haetae.moderation.cli;

import dev.haetae.moderation.api.DecisionLogException;
import dev.haetae.moderation.api.spi.Policy;
import dev.haetae.moderation.core.audit.AuditLog;
import dev.haetae.moderation.core.audit.ProgressListener;
import dev.haetae.moderation.core.policy.PolicyConfig;
import dev.haetae.moderation.kafka.KafkaLogShard;
import dev.haetae.moderation.core.policy.PolicyConfigException;
import dev.haetae.moderation.core.policy.PolicyPack;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/** Shared pieces of the audit commands: exit codes, log opening, progress bar, policy loading. */
final class AuditSupport {
  /** Everything verified, replayed identically, or exported without violations. */
  static final int OK = 0;
  /** The log or the export has a finding: tampering, divergence, not replayable, rule violations. */
  static final int FINDINGS = 1;
  /** Usage error (picocli's own code). */
  static final int USAGE = 2;
  /** The log could not be read (missing directory, I/O error, damaged record while replaying). */
  static final int UNREADABLE = 3;

  private AuditSupport() {}

  /**
   * Opens the log a command was given: a log directory, or a Kafka shard named {@code
   * kafka://host:port[,host:port]/topic?shard=N}, whose committed records are first copied into a
   * temporary directory (deleted when the command ends) and then read as a directory is. The one
   * place where the audit commands open a log.
   *
   * @throws DecisionLogException when a kafka:// name is malformed or the shard cannot be read
   */
  static AuditLog open(Path dir) {
    String name = dir.toString();
    if (!name.startsWith("kafka:")) {
      return AuditLog.open(dir);
    }
    // the shell argument was read as a path, which folds "//" into "/": restore the URI form
    KafkaLogShard shard;
    try {
      shard = KafkaLogShard.parse("kafka://" + name.substring("kafka:".length()).replaceFirst("^/+", ""));
    } catch (IllegalArgumentException e) {
      throw new DecisionLogException("not a Kafka log shard: " + e.getMessage(), e);
    }
    Path copy;
    try {
      copy = Files.createTempDirectory("haetae-kafka-");
    } catch (IOException e) {
      throw new DecisionLogException("cannot make a temporary directory for " + shard.location() + ": " + e, e);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(copy), "haetae-kafka-copy-cleanup"));
    shard.exportTo(copy.resolve("log"));
    return AuditLog.open(copy.resolve("log"));
  }

  private static void deleteTree(Path root) {
    try (java.util.stream.Stream<Path> s = Files.walk(root)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // best effort at exit
    }
  }

  /** A text progress bar on stderr, drawn only when stderr is a terminal or when forced. */
  static ProgressListener progress(boolean enabled, String label) {
    if (!enabled) {
      return ProgressListener.NONE;
    }
    PrintStream err = System.err;
    return new ProgressListener() {
      private int lastPercent = -1;

      @Override
      public void progress(long done, long total) {
        int pct = total <= 0 ? 100 : (int) (done * 100 / total);
        if (pct == lastPercent) {
          return;
        }
        lastPercent = pct;
        int filled = pct * 30 / 100;
        err.print("\r" + label + " [" + "#".repeat(filled) + " ".repeat(30 - filled) + "] " + pct + "% "
            + done / 1024 + "/" + total / 1024 + " KiB");
        if (pct >= 100) {
          err.println();
        }
        err.flush();
      }
    };
  }

  static boolean showProgress(boolean forced, boolean disabled) {
    return !disabled && (forced || System.console() != null);
  }

  /**
   * Loads policies the way the commands took them before {@code --policies} meant a configuration
   * file: {@code defaults} means the built-in pack; a jar or a class directory is searched with
   * {@link ServiceLoader} for {@link Policy} implementations. Kept for old scripts; {@code --plugin}
   * with a configuration that names the classes is the way now.
   */
  static List<Policy> loadPolicies(List<String> specs, PrintWriter err) {
    List<Policy> out = new ArrayList<>();
    for (String spec : specs) {
      if (spec.equals("defaults")) {
        out.addAll(PolicyPack.defaults());
        continue;
      }
      Path p = Path.of(spec);
      if (!Files.exists(p)) {
        throw new IllegalArgumentException("--policies: " + spec + " does not exist (give a jar, a class directory or"
            + " 'defaults')");
      }
      URL url;
      try {
        url = p.toUri().toURL();
      } catch (MalformedURLException e) {
        throw new UncheckedIOException(e);
      }
      @SuppressWarnings("resource") // the loader must outlive the policies it loaded
      URLClassLoader loader = new URLClassLoader(new URL[] {url}, AuditSupport.class.getClassLoader());
      int before = out.size();
      ServiceLoader<Policy> sl = ServiceLoader.load(Policy.class, loader);
      var it = sl.stream().iterator();
      while (it.hasNext()) {
        try {
          Policy policy = it.next().get();
          out.add(policy);
        } catch (ServiceConfigurationError e) {
          err.println("haetae: skipping a policy in " + spec + " that cannot be loaded: " + e.getMessage());
        }
      }
      if (out.size() == before) {
        err.println("haetae: warning: no Policy found in " + spec
            + " (it needs META-INF/services/dev.haetae.moderation.api.spi.Policy)");
      }
    }
    return out;
  }

  /**
   * A class loader over plugin jars or class directories ({@code --plugin}), whose classes a policy
   * configuration may name; the CLI's own loader when there are none.
   *
   * @throws IllegalArgumentException when a plugin path does not exist
   */
  static ClassLoader pluginLoader(List<Path> plugins) {
    if (plugins.isEmpty()) {
      return AuditSupport.class.getClassLoader();
    }
    URL[] urls = new URL[plugins.size()];
    for (int i = 0; i < urls.length; i++) {
      Path p = plugins.get(i);
      if (!Files.exists(p)) {
        throw new IllegalArgumentException("--plugin: " + p + " does not exist (give a jar or a class directory)");
      }
      try {
        urls[i] = p.toUri().toURL();
      } catch (MalformedURLException e) {
        throw new UncheckedIOException(e);
      }
    }
    @SuppressWarnings("resource") // the loader must outlive the policies it loads
    URLClassLoader loader = new URLClassLoader(urls, AuditSupport.class.getClassLoader());
    return loader;
  }

  /**
   * The policies a {@code --plugin} jar offers through {@link ServiceLoader}, for {@code --discover}:
   * only those the jars themselves declare, never the CLI's own classpath.
   */
  static List<Policy> discover(ClassLoader loader, PrintWriter err) {
    List<Policy> out = new ArrayList<>();
    if (loader == AuditSupport.class.getClassLoader()) {
      return out;
    }
    var it = ServiceLoader.load(Policy.class, loader).stream().iterator();
    while (it.hasNext()) {
      try {
        Policy p = it.next().get();
        if (p.getClass().getClassLoader() == loader) {
          out.add(p);
        }
      } catch (ServiceConfigurationError e) {
        err.println("haetae: skipping a plugin policy that cannot be loaded: " + e.getMessage());
      }
    }
    return out;
  }

  /**
   * Reads {@code --policies FILE}, loading the classes it names from {@code loader}; the built-in
   * defaults without a file.
   *
   * @throws IllegalArgumentException with the file and the problem, when it is invalid
   */
  static PolicyConfig config(Path file, ClassLoader loader) {
    if (file == null) {
      return PolicyConfig.defaults();
    }
    try {
      return PolicyConfig.parse(Files.readString(file), loader);
    } catch (IOException e) {
      throw new IllegalArgumentException("--policies: cannot read " + file + ": " + e.getMessage(), e);
    } catch (PolicyConfigException e) {
      throw new IllegalArgumentException("--policies: invalid policy configuration " + file.getFileName() + ": "
          + e.getMessage(), e);
    }
  }

  /** Whether a {@code --policies} value is a policy configuration file (JSON) rather than a jar or directory. */
  static boolean isConfig(String spec) {
    Path p = Path.of(spec);
    if (!Files.isRegularFile(p) || spec.endsWith(".jar")) {
      return false;
    }
    try (java.io.Reader r = Files.newBufferedReader(p)) {
      int c;
      do {
        c = r.read();
      } while (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == 0xFEFF);
      return c == '{';
    } catch (IOException e) {
      return false;
    }
  }

  static void write(Path file, String text) {
    try {
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new DecisionLogException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}

package dev.haetae.moderation.bench;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Class loaders for same-process A/Bs of two builds: each build's classes in a loader of their own,
 * followed by the benchmarks jar, so that a tool class living in the core's package is loaded in each
 * loader too and reaches that build's package-private classes. Stateless; thread-safe.
 */
public final class BuildLoaders {
  private BuildLoaders() {}

  /**
   * The builds named at the start of a command line: every argument before the first number.
   *
   * @param args the command line
   * @return the builds, each a class path (jars or class directories separated as in a class path)
   * @throws IllegalArgumentException when there is none or more than two
   */
  public static List<String> builds(String[] args) {
    List<String> builds = new ArrayList<>();
    for (int at = 0; at < args.length && !args[at].matches("\\d+"); at++) {
      builds.add(args[at]);
    }
    if (builds.isEmpty() || builds.size() > 2) {
      throw new IllegalArgumentException("one or two builds' jars first, got " + builds.size());
    }
    return builds;
  }

  /**
   * Loads {@code tool} anew for one build: its class path first, then the jar {@code tool} came from.
   *
   * @param build the build's class path
   * @param tool the tool class, loaded from the benchmarks jar unless the build holds it
   * @return the tool's class in the build's own loader (initialised)
   * @throws MalformedURLException when an entry is not a path
   * @throws ClassNotFoundException when the tool cannot be loaded
   */
  public static Class<?> load(String build, Class<?> tool) throws MalformedURLException, ClassNotFoundException {
    List<URL> path = new ArrayList<>();
    for (String e : build.split(File.pathSeparator)) {
      path.add(Path.of(e).toUri().toURL());
    }
    path.add(tool.getProtectionDomain().getCodeSource().getLocation());
    ClassLoader loader = new URLClassLoader(path.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
    return Class.forName(tool.getName(), true, loader);
  }
}

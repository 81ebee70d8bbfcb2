package dev.haetae.moderation.bench;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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

  /**
   * One line of an A/B's report: each build's CPU per unit in microseconds, then B/A when there are
   * two builds.
   *
   * @param label what the line is, e.g. {@code "round 3:"}; not null
   * @param nanos each build's CPU in nanoseconds, A first; one or two entries
   * @param units the units {@code nanos} covers (queries, records), positive
   * @param decimals the digits after the point of the microseconds
   * @return the line, without the load average
   */
  public static StringBuilder abLine(String label, double[] nanos, double units, int decimals) {
    StringBuilder line = new StringBuilder(label);
    for (int b = 0; b < nanos.length; b++) {
      line.append(String.format(Locale.ROOT, " %s %." + decimals + "f us", b == 0 ? "A" : "B", nanos[b] / 1e3 / units));
    }
    if (nanos.length == 2) {
      line.append(String.format(Locale.ROOT, ", B/A %.3f", nanos[1] / nanos[0]));
    }
    return line;
  }

  /**
   * The system's load average over the last minute, as the A/Bs print it beside their figures.
   *
   * @return the load average, negative when the platform gives none
   */
  public static double load() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }
}

package dev.haetae.moderation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged command line, after {@code package}: the shaded jar and the zip carry the licence
 * and notice of every library they bundle, the zip's launcher runs, {@code --version} is the
 * build's, and SLF4J's warnings reach stderr (informational messages only with {@code --verbose}).
 */
class DistributionIT {
  /** {@code group:artifact  SPDX  file,file} lines of THIRD-PARTY.txt. */
  private static final Pattern ENTRY =
      Pattern.compile("^([a-z0-9_.-]+):([A-Za-z0-9_.*-]+)\\s+(\\S+)\\s+(\\S+)\\s*$", Pattern.MULTILINE);
  /** {@code   group:artifact:type:version:scope:/path/file.jar -- module ...} of dependency:list. */
  private static final Pattern BUNDLED =
      Pattern.compile("^\\s+([^:\\s]+):([^:\\s]+):jar:([^:\\s]+):(?:compile|runtime):(\\S+\\.jar)", Pattern.MULTILINE);

  private static String version;
  private static Path jar;
  private static Path zip;
  private static String root;

  @BeforeAll
  static void locate() {
    version = required("haetae.version");
    jar = Path.of(required("haetae.jar"));
    zip = Path.of(required("haetae.zip"));
    root = "haetae-" + version + "/";
    assertTrue(Files.isRegularFile(jar), jar + " was not built");
    assertTrue(Files.isRegularFile(zip), zip + " was not built");
  }

  private static String required(String property) {
    String v = System.getProperty(property);
    assertNotNull(v, "the build passes " + property);
    return v;
  }

  @Test
  void theZipHoldsLauncherJarLicenceAndNotice() throws IOException {
    try (ZipFile z = new ZipFile(zip.toFile())) {
      for (String name : List.of("bin/haetae", "bin/haetae.cmd", "lib/haetae.jar", "LICENSE", "NOTICE",
          "THIRD-PARTY.txt")) {
        assertNotNull(z.getEntry(root + name), zip.getFileName() + " lacks " + root + name);
      }
      assertTrue(text(z, root + "LICENSE").contains("Apache License"), "LICENSE is the Apache License");
      assertTrue(text(z, root + "NOTICE").contains("Haetae"), "NOTICE names the project");
    }
  }

  @Test
  void everyBundledLibraryHasItsLicenceInTheJarAndTheZip() throws IOException {
    Map<String, Entry> entries = thirdParty();
    List<String> problems = new ArrayList<>();
    List<String[]> bundled = bundled();
    assertTrue(bundled.size() > 10, "dependency list read: " + bundled.size());
    try (ZipFile z = new ZipFile(zip.toFile()); ZipFile j = new ZipFile(jar.toFile())) {
      assertNotNull(j.getEntry("META-INF/LICENSE"), "the jar's own LICENSE");
      assertNotNull(j.getEntry("META-INF/NOTICE"), "the jar's own NOTICE");
      assertEquals(text(z, root + "THIRD-PARTY.txt"), text(j, "META-INF/THIRD-PARTY.txt"));
      for (String[] dep : bundled) {
        String coordinates = dep[0] + ":" + dep[1];
        if (dep[0].equals("dev.haetae")) {
          continue;
        }
        Entry e = entries.getOrDefault(coordinates, entries.get(dep[0] + ":*"));
        if (e == null) {
          problems.add(coordinates + " is bundled but not listed in THIRD-PARTY.txt");
          continue;
        }
        StringBuilder reproduced = new StringBuilder();
        for (String file : e.files()) {
          if (z.getEntry(root + file) == null) {
            problems.add(coordinates + ": " + file + " is not in the zip");
          } else {
            assertEquals(text(z, root + file), text(j, "META-INF/" + file), file + " differs between zip and jar");
            reproduced.append(normalise(text(z, root + file))).append(' ');
          }
        }
        // Every licence or notice file the library ships must be reproduced word for word.
        try (ZipFile lib = new ZipFile(dep[3])) {
          for (ZipEntry le : Collections.list(lib.entries())) {
            if (isLicenceOrNotice(le.getName()) && !reproduced.toString().contains(normalise(text(lib, le.getName())))) {
              problems.add(coordinates + " ships " + le.getName() + ", which none of " + e.files() + " reproduces");
            }
          }
        }
      }
    }
    assertTrue(problems.isEmpty(), String.join("\n", problems));
  }

  @Test
  void theLauncherPrintsTheBuildsVersion(@TempDir Path dir) throws IOException, InterruptedException {
    Path home = unzip(dir);
    Path launcher = home.resolve("bin/haetae");
    assertEquals(0755, unixMode(root + "bin/haetae"), "bin/haetae is executable in the zip");
    Run run = run(dir, List.of("sh", launcher.toString(), "--version"));
    assertEquals(0, run.exit(), run.err());
    assertEquals("haetae " + version, run.out().strip());
  }

  @Test
  void warningsReachStderrAndVerboseAddsInformation(@TempDir Path dir) throws IOException, InterruptedException {
    // A services file naming one working plugin and one missing class, beside the shaded jar.
    Path plugins = dir.resolve("plugins");
    Path services = plugins.resolve("META-INF/services/dev.haetae.moderation.api.spi.Policy");
    Files.createDirectories(services.getParent());
    Files.writeString(services, QuietPolicy.class.getName() + "\ndev.haetae.moderation.cli.NoSuchPolicy\n");
    Path events = dir.resolve("events.jsonl");
    Files.writeString(events, "{\"type\":\"account\",\"at\":\"2026-11-21T09:00:00Z\",\"account\":\"u1\","
        + "\"created\":\"2025-01-02T00:00:00Z\",\"trusted_flagger\":false}\n");
    String classpath = String.join(File.pathSeparator, jar.toString(), plugins.toString(), testClasses().toString());
    // plugin discovery is explicit: --plugin names the jar (here a directory), --discover reads its services
    List<String> command = new ArrayList<>(List.of(java(), "-cp", classpath, Haetae.class.getName(), "simulate",
        "--plugin", plugins.toString(), "--discover", "--log", dir.resolve("log").toString(), events.toString()));

    Run quiet = run(dir, command);
    assertEquals(0, quiet.exit(), quiet.err());
    assertTrue(quiet.err().contains("policy plugin failed to load and was skipped"),
        "the plugin failure is shown by default:\n" + quiet.err());
    assertFalse(quiet.err().contains("loaded policy plugin"), "INFO is hidden by default:\n" + quiet.err());

    command.add(command.indexOf("simulate") + 1, "--verbose");
    Run verbose = run(dir, command);
    assertEquals(0, verbose.exit(), verbose.err());
    assertTrue(verbose.err().contains("loaded policy plugin test-quiet"), "--verbose shows INFO:\n" + verbose.err());
    assertTrue(verbose.err().contains("policy plugin failed to load and was skipped"), verbose.err());
  }

  private record Entry(String licence, List<String> files) {}

  private record Run(int exit, String out, String err) {}

  private static Map<String, Entry> thirdParty() throws IOException {
    Map<String, Entry> entries = new LinkedHashMap<>();
    try (ZipFile z = new ZipFile(zip.toFile())) {
      Matcher m = ENTRY.matcher(text(z, root + "THIRD-PARTY.txt"));
      while (m.find()) {
        entries.put(m.group(1) + ":" + m.group(2), new Entry(m.group(3), List.of(m.group(4).split(","))));
      }
    }
    assertFalse(entries.isEmpty(), "THIRD-PARTY.txt lists libraries");
    return entries;
  }

  /** group, artifact, version, file of each library the shaded jar bundles. */
  private static List<String[]> bundled() throws IOException {
    List<String[]> deps = new ArrayList<>();
    Matcher m = BUNDLED.matcher(Files.readString(Path.of(required("haetae.bundled"))));
    while (m.find()) {
      deps.add(new String[] {m.group(1), m.group(2), m.group(3), m.group(4)});
    }
    return deps;
  }

  /** A licence or notice file at the top of a jar or in its META-INF. */
  private static boolean isLicenceOrNotice(String entry) {
    int slash = entry.lastIndexOf('/');
    String dir = entry.substring(0, slash + 1);
    String name = entry.substring(slash + 1).toUpperCase(Locale.ROOT);
    return (dir.isEmpty() || dir.equals("META-INF/")) && !name.isEmpty() && !name.endsWith(".CLASS")
        && (name.contains("LICENSE") || name.contains("NOTICE") || name.startsWith("COPYING"));
  }

  private static String normalise(String text) {
    return text.replaceAll("\\s+", " ").strip();
  }

  private static String text(ZipFile z, String entry) {
    ZipEntry e = z.getEntry(entry);
    assertNotNull(e, z.getName() + " lacks " + entry);
    try (InputStream in = z.getInputStream(e)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  private static Path unzip(Path dir) throws IOException {
    try (ZipFile z = new ZipFile(zip.toFile())) {
      for (ZipEntry e : Collections.list(z.entries())) {
        Path to = dir.resolve(e.getName()).normalize();
        assertTrue(to.startsWith(dir), "entry outside the archive root: " + e.getName());
        if (e.isDirectory()) {
          Files.createDirectories(to);
          continue;
        }
        Files.createDirectories(to.getParent());
        try (InputStream in = z.getInputStream(e)) {
          Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    return dir.resolve(root);
  }

  /** The Unix mode of an entry, from the central directory's external attributes. */
  private static int unixMode(String entry) throws IOException {
    byte[] bytes = Files.readAllBytes(zip);
    byte[] name = entry.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i + 46 < bytes.length; i++) {
      if (bytes[i] == 0x50 && bytes[i + 1] == 0x4b && bytes[i + 2] == 0x01 && bytes[i + 3] == 0x02) {
        int nameLength = u16(bytes, i + 28);
        if (nameLength == name.length && java.util.Arrays.equals(bytes, i + 46, i + 46 + nameLength, name, 0,
            nameLength)) {
          return (int) ((u32(bytes, i + 38) >>> 16) & 07777);
        }
      }
    }
    fail(entry + " not found in the central directory of " + zip);
    return 0;
  }

  private static int u16(byte[] b, int at) {
    return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
  }

  private static long u32(byte[] b, int at) {
    return (b[at] & 0xffL) | (b[at + 1] & 0xffL) << 8 | (b[at + 2] & 0xffL) << 16 | (b[at + 3] & 0xffL) << 24;
  }

  private static Path testClasses() {
    try {
      return Path.of(QuietPolicy.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static Run run(Path dir, List<String> command) throws IOException, InterruptedException {
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().remove("HAETAE_JAVA_OPTS");
    Process p = pb.start();
    p.getOutputStream().close();
    if (!p.waitFor(2, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      fail("timed out: " + command);
    }
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
  }
}

package dev.haetae.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the code in the README and the guides compiled: every Java block preceded by
 * {@code <!-- snippet: File#region -->} must equal the region {@code // region NAME} ..
 * {@code // endregion} of that test source in this module (or, for the Spring Boot guide, in the Boot 4
 * starter's tests; indentation aside), and every guide is
 * linked from the README. {@code File#a+b} quotes regions a and b of one file, a blank line between
 * them (e.g. the imports, then the code).
 */
class DocSnippetsTest {
  private static final Pattern SNIPPET = Pattern.compile(
      "<!-- snippet: ([A-Za-z0-9_]+)#([A-Za-z0-9_+-]+) -->\\s*```java\\n(.*?)```", Pattern.DOTALL);

  private static Path moduleDir() {
    return Path.of("").toAbsolutePath();
  }

  private static List<Path> documents() throws IOException {
    List<Path> docs = new ArrayList<>();
    docs.add(moduleDir().resolve("../README.md").normalize());
    try (Stream<Path> s = Files.list(moduleDir())) {
      s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
    }
    return docs;
  }

  @Test
  void everySnippetMatchesCompiledCode() throws IOException {
    int checked = 0;
    for (Path doc : documents()) {
      String text = Files.readString(doc);
      Matcher m = SNIPPET.matcher(text);
      while (m.find()) {
        String file = m.group(1);
        String region = m.group(2);
        Path src = source(file);
        assertTrue(Files.exists(src), doc.getFileName() + " quotes " + file + " which does not exist");
        List<String> quoted = new ArrayList<>();
        for (String r : region.split("\\+")) {
          quoted.add(normalise(region(Files.readString(src), r, src)));
        }
        assertEquals(String.join("\n", quoted), normalise(m.group(3)),
            doc.getFileName() + ": snippet " + file + "#" + region + " differs from the compiled code");
        checked++;
      }
    }
    assertTrue(checked >= 1, "the README's embedding snippet must be checked");
  }

  /**
   * A snippet's test source: in this module, or else in one of the modules the Spring Boot guide
   * quotes (their examples need a Spring Boot line's own versions, which this module does not have).
   */
  private static Path source(String file) {
    Path here = moduleDir().resolve("src/test/java/dev/haetae/docs/" + file + ".java");
    if (Files.exists(here)) {
      return here;
    }
    return moduleDir().resolve("../moderation-spring-boot-starter/src/test/java/dev/haetae/moderation/spring/boot/"
        + file + ".java").normalize();
  }

  @Test
  void everyGuideIsLinkedFromTheReadme() throws IOException {
    String readme = Files.readString(moduleDir().resolve("../README.md"));
    try (Stream<Path> s = Files.list(moduleDir())) {
      for (Path p : (Iterable<Path>) s.filter(x -> x.toString().endsWith(".md"))::iterator) {
        assertTrue(readme.contains("src-docs/" + p.getFileName()), "README does not link " + p.getFileName());
      }
    }
  }

  @Test
  void theReadmesDependencyBlockNamesThisVersionAndPublishedModules() throws IOException {
    String readme = Files.readString(moduleDir().resolve("../README.md"));
    String pom = Files.readString(moduleDir().resolve("../pom.xml"));
    Matcher version = Pattern.compile("<artifactId>haetae-parent</artifactId>\\s*<version>([^<]+)</version>")
        .matcher(pom);
    assertTrue(version.find(), "the parent pom's version");
    Matcher bom = Pattern.compile("<artifactId>moderation-bom</artifactId>\\s*<version>([^<]+)</version>")
        .matcher(readme);
    assertTrue(bom.find(), "the README imports moderation-bom with a version");
    assertEquals(version.group(1), bom.group(1), "the README's BOM version");
    String bomPom = Files.readString(moduleDir().resolve("../moderation-bom/pom.xml"));
    Matcher dep = Pattern.compile("<groupId>dev\\.haetae</groupId>\\s*<artifactId>([^<]+)</artifactId>")
        .matcher(readme);
    int named = 0;
    while (dep.find()) {
      assertTrue(bomPom.contains("<artifactId>" + dep.group(1) + "</artifactId>"),
          "the README depends on " + dep.group(1) + ", which moderation-bom does not list");
      named++;
    }
    assertTrue(named >= 2, "the README names the BOM and at least one module");
  }

  private static String region(String source, String name, Path src) {
    String start = "// region " + name;
    int a = source.indexOf(start);
    assertFalse(a < 0, src + " has no region " + name);
    int from = source.indexOf('\n', a) + 1;
    int to = source.indexOf("// endregion", from);
    return source.substring(from, source.lastIndexOf('\n', to) + 1);
  }

  private static String normalise(String code) {
    List<String> lines = new ArrayList<>(List.of(code.split("\n", -1)));
    while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
      lines.remove(lines.size() - 1);
    }
    int indent = Integer.MAX_VALUE;
    for (String l : lines) {
      if (!l.isBlank()) {
        indent = Math.min(indent, l.length() - l.stripLeading().length());
      }
    }
    StringBuilder sb = new StringBuilder();
    for (String l : lines) {
      sb.append(l.isBlank() ? "" : l.substring(indent).stripTrailing()).append('\n');
    }
    return sb.toString();
  }
}

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
 * {@code // endregion} of that test source in this module (indentation aside), and every guide is
 * linked from the README.
 */
class DocSnippetsTest {
  private static final Pattern SNIPPET = Pattern.compile(
      "<!-- snippet: ([A-Za-z0-9_]+)#([A-Za-z0-9_-]+) -->\\s*```java\\n(.*?)```", Pattern.DOTALL);

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
        Path src = moduleDir().resolve("src/test/java/dev/haetae/docs/" + file + ".java");
        assertTrue(Files.exists(src), doc.getFileName() + " quotes " + file + " which does not exist");
        assertEquals(normalise(region(Files.readString(src), region, src)), normalise(m.group(3)),
            doc.getFileName() + ": snippet " + file + "#" + region + " differs from the compiled code");
        checked++;
      }
    }
    assertTrue(checked >= 1, "the README's embedding snippet must be checked");
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

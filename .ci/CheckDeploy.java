import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Checks the file repository that {@code ./mvnw -B -DskipTests deploy} wrote (CI runs it after the
 * tests; see .ci/run): every module the BOM lists is there with its jar, sources, javadoc, pom and
 * CycloneDX SBOM, each of the right kind; the CLI's shaded jar and zip carry the licences; the parent
 * and the flattened BOM are there; every reactor module is either in the BOM or not deployed.
 *
 * <p>Run from the project's root: {@code java .ci/CheckDeploy.java target/staging-deploy}.
 */
public final class CheckDeploy {
  private static final String GROUP = "dev.haetae";
  private final Path repo;
  private final List<String> problems = new ArrayList<>();
  private int checked;

  private CheckDeploy(Path repo) {
    this.repo = repo;
  }

  public static void main(String[] args) throws Exception {
    Path repo = Path.of(args.length > 0 ? args[0] : "target/staging-deploy");
    CheckDeploy c = new CheckDeploy(repo);
    c.run();
    if (!c.problems.isEmpty()) {
      c.problems.forEach(p -> System.err.println("deploy check FAILED: " + p));
      System.exit(1);
    }
    System.out.println("deploy check: every published module is complete in " + repo + " (" + c.checked
        + " files checked)");
  }

  private void run() throws Exception {
    Document root = xml(Path.of("pom.xml"));
    String version = text(root.getDocumentElement(), "version");
    require(Files.isDirectory(repo), repo + " does not exist: run ./mvnw -B -DskipTests deploy first");
    if (!problems.isEmpty()) {
      return;
    }

    Path parentPom = artifact("haetae-parent", version, null, "pom");
    Path bomPom = artifact("moderation-bom", version, null, "pom");
    if (bomPom == null) {
      return;
    }
    Document bom = xml(bomPom);
    require(children(bom.getDocumentElement(), "parent").isEmpty(), "the deployed BOM must not name a parent");
    require(children(bom.getDocumentElement(), "properties").isEmpty(), "the deployed BOM must carry no properties");
    List<String> published = new ArrayList<>();
    for (Element dm : children(bom.getDocumentElement(), "dependencyManagement")) {
      for (Element deps : children(dm, "dependencies")) {
        for (Element d : children(deps, "dependency")) {
          require(GROUP.equals(text(d, "groupId")), "the BOM lists a foreign artifact " + text(d, "artifactId"));
          String v = text(d, "version");
          require(v.equals(version) || v.equals("${project.version}"), "the BOM pins " + text(d, "artifactId")
              + " to " + v);
          published.add(text(d, "artifactId"));
        }
      }
    }
    require(!published.isEmpty(), "the BOM lists no module");
    if (parentPom != null) {
      Element p = xml(parentPom).getDocumentElement();
      for (String element : List.of("licenses", "scm", "developers", "url")) {
        require(!children(p, element).isEmpty(), "the parent pom has no <" + element + ">");
      }
    }

    // Every reactor module: in the BOM when it is published, absent from the repository otherwise.
    Map<String, Boolean> modules = new LinkedHashMap<>();
    for (Element ms : children(root.getDocumentElement(), "modules")) {
      for (Element m : children(ms, "module")) {
        Element pom = xml(Path.of(m.getTextContent().trim(), "pom.xml")).getDocumentElement();
        String packaging = text(pom, "packaging");
        boolean unpublished = false;
        for (Element props : children(pom, "properties")) {
          unpublished = "true".equals(text(props, "haetae.unpublished"));
        }
        String artifactId = text(pom, "artifactId");
        if (unpublished) {
          require(!Files.exists(repo.resolve(GROUP.replace('.', '/')).resolve(artifactId)),
              artifactId + " is not published but was deployed");
        } else if (!"pom".equals(packaging)) {
          require(published.contains(artifactId), artifactId + " is deployed but not in moderation-bom");
        }
        modules.put(artifactId, unpublished);
      }
    }
    for (String a : published) {
      require(Boolean.FALSE.equals(modules.get(a)), "the BOM lists " + a + ", which is no published module");
      checkModule(a, version);
    }
    checkCli(version);
  }

  private void checkModule(String a, String version) throws IOException {
    Path jar = artifact(a, version, null, "jar");
    Path sources = artifact(a, version, "sources", "jar");
    Path javadoc = artifact(a, version, "javadoc", "jar");
    Path pom = artifact(a, version, null, "pom");
    Path sbom = artifact(a, version, "cyclonedx", "json");
    if (jar != null) {
      List<String> names = entries(jar);
      require(names.stream().anyMatch(n -> n.endsWith(".class")), a + ": the jar holds no classes");
      require(names.contains("META-INF/LICENSE") && names.contains("META-INF/NOTICE"),
          a + ": the jar lacks META-INF/LICENSE or META-INF/NOTICE");
    }
    if (sources != null) {
      require(entries(sources).stream().anyMatch(n -> n.endsWith(".java")), a + ": the sources jar holds no .java");
    }
    if (javadoc != null) {
      require(entries(javadoc).contains("index.html"), a + ": the javadoc jar has no index.html");
    }
    if (pom != null) {
      Element p = xml(pom).getDocumentElement();
      require(!children(p, "parent").isEmpty() || !children(p, "licenses").isEmpty(), a + ": the pom names no licence");
    }
    if (sbom != null) {
      String json = Files.readString(sbom);
      require(json.contains("\"bomFormat\" : \"CycloneDX\"") || json.contains("\"bomFormat\":\"CycloneDX\""),
          a + ": the SBOM is not CycloneDX");
    }
  }

  private void checkCli(String version) throws IOException {
    Path shaded = artifact("moderation-cli", version, "shaded", "jar");
    Path zip = artifact("moderation-cli", version, "bin", "zip");
    if (shaded != null) {
      List<String> names = entries(shaded);
      for (String n : List.of("META-INF/LICENSE", "META-INF/NOTICE", "META-INF/THIRD-PARTY.txt",
          "META-INF/licenses/apache-2.0.txt", "dev/haetae/moderation/cli/Haetae.class",
          "com/google/common/collect/ImmutableList.class", "picocli/CommandLine.class")) {
        require(names.contains(n), "moderation-cli shaded jar lacks " + n);
      }
    }
    if (zip != null) {
      List<String> names = entries(zip);
      String root = "haetae-" + version + "/";
      for (String n : List.of("bin/haetae", "bin/haetae.cmd", "lib/haetae.jar", "LICENSE", "NOTICE",
          "THIRD-PARTY.txt", "licenses/apache-2.0.txt")) {
        require(names.contains(root + n), "moderation-cli zip lacks " + root + n);
      }
    }
  }

  /**
   * The deployed file of an artifact: for a snapshot, the newest timestamped one that the version's
   * maven-metadata.xml names.
   */
  private Path artifact(String a, String version, String classifier, String extension) {
    Path dir = repo.resolve(GROUP.replace('.', '/')).resolve(a).resolve(version);
    String fileVersion = version;
    Path meta = dir.resolve("maven-metadata.xml");
    if (version.endsWith("-SNAPSHOT") && Files.exists(meta)) {
      try {
        for (Element sv : descendants(xml(meta).getDocumentElement(), "snapshotVersion")) {
          if (extension.equals(text(sv, "extension")) && (classifier == null ? text(sv, "classifier").isEmpty()
              : classifier.equals(text(sv, "classifier")))) {
            fileVersion = text(sv, "value");
          }
        }
      } catch (Exception e) {
        problems.add(meta + ": " + e);
      }
    }
    Path f = dir.resolve(a + "-" + fileVersion + (classifier == null ? "" : "-" + classifier) + "." + extension);
    checked++;
    if (!Files.isRegularFile(f)) {
      problems.add(a + ": no " + (classifier == null ? "" : classifier + " ") + extension + " deployed (" + f + ")");
      return null;
    }
    require(f.toFile().length() > 0, f + " is empty");
    return f;
  }

  private void require(boolean ok, String problem) {
    if (!ok) {
      problems.add(problem);
    }
  }

  private static List<String> entries(Path zip) throws IOException {
    try (ZipFile z = new ZipFile(zip.toFile())) {
      List<String> names = new ArrayList<>();
      for (ZipEntry e : Collections.list(z.entries())) {
        names.add(e.getName());
      }
      return names;
    }
  }

  private static Document xml(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      return f.newDocumentBuilder().parse(in);
    } catch (Exception e) {
      throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static List<Element> children(Element parent, String name) {
    List<Element> out = new ArrayList<>();
    NodeList nl = parent.getChildNodes();
    for (int i = 0; i < nl.getLength(); i++) {
      Node n = nl.item(i);
      if (n instanceof Element && ((Element) n).getTagName().equals(name)) {
        out.add((Element) n);
      }
    }
    return out;
  }

  private static List<Element> descendants(Element parent, String name) {
    List<Element> out = new ArrayList<>();
    NodeList nl = parent.getElementsByTagName(name);
    for (int i = 0; i < nl.getLength(); i++) {
      out.add((Element) nl.item(i));
    }
    return out;
  }

  private static String text(Element parent, String name) {
    List<Element> c = children(parent, name);
    return c.isEmpty() ? "" : c.get(0).getTextContent().trim();
  }
}

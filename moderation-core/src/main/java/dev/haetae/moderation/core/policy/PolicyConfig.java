package dev.haetae.moderation.core.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haetae.moderation.api.spi.Policy;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A policy configuration: which built-in policies run and with which parameters, which extra policy
 * classes join them, and which policies run in shadow mode. It is data (JSON, see the policies
 * guide), validated completely at load with errors that name the exact path, and versioned by
 * content: {@link #hash()} is the SHA-256 of the canonical effective configuration (defaults
 * included), and each built-in policy's {@link dev.haetae.moderation.api.PolicyId#configHash()} is
 * the hash of its own effective parameters, so every decision names the exact configuration that
 * made it.
 *
 * <pre>{@code
 * {"policies": {"repeat-offender": {"suspend_at": 4}, "doxxing": {"enabled": false}},
 *  "extra": ["com.example.MyPolicy"],
 *  "shadow": [{"builtin": "repeat-offender", "config": {"suspend_at": 2}}]}
 * }</pre>
 *
 * <p>Immutable and thread-safe; the policies it holds are immutable and thread-safe.
 *
 * @since 0.1
 */
public final class PolicyConfig {
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

  /** Built-in policy names, in evaluation order, with their factories. */
  private static final Map<String, Function<Params, Policy>> BUILT_IN = new LinkedHashMap<>();

  static {
    BUILT_IN.put(KnownNciiPolicy.NAME, KnownNciiPolicy::new);
    BUILT_IN.put(CsamPolicy.NAME, CsamPolicy::new);
    BUILT_IN.put("reports", p -> fixed(p, new ReportPolicy()));
    BUILT_IN.put("legal-notice", p -> fixed(p, new NoticePolicy()));
    BUILT_IN.put(ReviewVerdictPolicy.NAME, ReviewVerdictPolicy::new);
    BUILT_IN.put("appeal", p -> fixed(p, new AppealPolicy()));
    BUILT_IN.put(RepeatOffenderPolicy.NAME, RepeatOffenderPolicy::new);
    BUILT_IN.put(RoomPolicy.NAME, RoomPolicy::new);
    BUILT_IN.put(ProfilePhotoPolicy.NAME, ProfilePhotoPolicy::new);
    BUILT_IN.put(DoxxingPolicy.NAME, DoxxingPolicy::new);
    BUILT_IN.put(UnhashedImagePolicy.NAME, UnhashedImagePolicy::new);
  }

  private static final PolicyConfig DEFAULTS = parse("{}");

  private final List<Policy> builtIn;
  private final List<Policy> extra;
  private final List<Policy> shadow;
  private final String canonical;
  private final String hash;
  private final Map<String, Duration> strikeTtl;
  private final Duration roomWindow;
  private final int profilePhotoDistance;
  private final int textScanChars;

  private PolicyConfig(List<Policy> builtIn, List<Policy> extra, List<Policy> shadow, ObjectNode canonical,
      Map<String, Duration> strikeTtl, Duration roomWindow, int profilePhotoDistance, int textScanChars) {
    this.builtIn = List.copyOf(builtIn);
    this.extra = List.copyOf(extra);
    this.shadow = List.copyOf(shadow);
    this.canonical = canonical.toString();
    this.hash = sha256(this.canonical);
    this.strikeTtl = Map.copyOf(strikeTtl);
    this.roomWindow = roomWindow;
    this.profilePhotoDistance = profilePhotoDistance;
    this.textScanChars = textScanChars;
  }

  /**
   * The built-in defaults: every built-in policy enabled with its default parameters, no extras,
   * no shadow policies.
   *
   * @return the shared default configuration; never null
   */
  public static PolicyConfig defaults() {
    return DEFAULTS;
  }

  /**
   * Reads a configuration file (UTF-8 JSON).
   *
   * @param file the file; not null
   * @return the validated configuration; never null
   * @throws PolicyConfigException when the file cannot be read or is invalid (path {@code $} for
   *     the whole document)
   */
  public static PolicyConfig load(Path file) {
    Objects.requireNonNull(file, "file");
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new PolicyConfigException("$", "cannot read policy configuration " + file.getFileName() + ": " + e, e);
    }
    return parse(text, Thread.currentThread().getContextClassLoader());
  }

  /**
   * Parses a configuration, loading extra and shadow policy classes with the thread's context class
   * loader.
   *
   * @param json the JSON text; not null
   * @return the validated configuration; never null
   * @throws PolicyConfigException naming the first problem and where it is
   */
  public static PolicyConfig parse(String json) {
    return parse(json, Thread.currentThread().getContextClassLoader());
  }

  /**
   * Parses a configuration.
   *
   * @param json the JSON text; not null
   * @param loader where to load extra and shadow policy classes from; null for the system loader
   * @return the validated configuration; never null
   * @throws PolicyConfigException naming the first problem and where it is
   */
  public static PolicyConfig parse(String json, ClassLoader loader) {
    Objects.requireNonNull(json, "json");
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
          + e.getLocation().getColumnNr();
      throw new PolicyConfigException("$", "is not valid JSON" + where + ": " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new PolicyConfigException("$", "must be a JSON object");
    }
    List<PolicyConfigSection.Loaded> sections = new ArrayList<>();
    List<String> sectionKeys = new ArrayList<>();
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!List.of("version", "policies", "extra", "shadow", "description").contains(k)) {
        PolicyConfigSection section = section(k, loader);
        if (section == null) {
          throw new PolicyConfigException(k, "rules".equals(k)
              ? "rules need the moderation-rules module on the class path"
              : "unknown key (known: version, description, policies, extra, shadow)");
        }
        int[] at = sourceOf(json, k);
        sections.add(Objects.requireNonNull(at == null ? section.load(root.get(k).toString())
            : section.load(json.substring(at[0], at[1]), at[2], at[3]), "loaded section"));
        sectionKeys.add(k);
      }
    }
    JsonNode version = root.get("version");
    if (version != null && !(version.isInt() && version.intValue() == 1)) {
      throw new PolicyConfigException("version", "must be 1, got " + version);
    }
    JsonNode policies = root.path("policies");
    if (!policies.isMissingNode() && !policies.isObject()) {
      throw new PolicyConfigException("policies", "must be an object of policy name to parameters");
    }
    for (Iterator<String> it = policies.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!BUILT_IN.containsKey(k)) {
        throw new PolicyConfigException("policies." + k, "unknown built-in policy (known: "
            + String.join(", ", BUILT_IN.keySet()) + "; add your own classes under \"extra\")");
      }
    }
    ObjectNode canonical = JsonNodeFactory.instance.objectNode();
    canonical.put("version", 1);
    ObjectNode canonicalPolicies = canonical.putObject("policies");
    List<Policy> builtIn = new ArrayList<>();
    Map<String, Duration> strikeTtl = Map.of("default", Duration.ofDays(90));
    Duration roomWindow = Duration.ofHours(24);
    int photoDistance = 31;
    int scanChars = 1024;
    for (String name : BUILT_IN.keySet()) {
      String path = "policies." + name;
      JsonNode node = policies.get(name);
      boolean enabled = true;
      if (node != null && node.isObject() && node.has("enabled")) {
        if (!node.get("enabled").isBoolean()) {
          throw new PolicyConfigException(path + ".enabled", "must be true or false, got "
              + Params.kind(node.get("enabled")));
        }
        enabled = node.get("enabled").booleanValue();
      }
      Params params = new Params(path, node);
      Policy p = BUILT_IN.get(name).apply(params);
      ObjectNode eff = params.effective();
      eff.put("enabled", enabled);
      canonicalPolicies.set(name, eff);
      if (p instanceof DoxxingPolicy) {
        scanChars = ((DoxxingPolicy) p).maxScanChars();
      }
      if (!enabled) {
        continue;
      }
      builtIn.add(p);
      if (p instanceof RepeatOffenderPolicy) {
        strikeTtl = ((RepeatOffenderPolicy) p).strikeTtl();
      } else if (p instanceof RoomPolicy) {
        roomWindow = ((RoomPolicy) p).window();
      } else if (p instanceof ProfilePhotoPolicy) {
        photoDistance = ((ProfilePhotoPolicy) p).maxDistance();
      }
    }
    List<Policy> extra = new ArrayList<>();
    ArrayNode canonicalExtra = canonical.putArray("extra");
    JsonNode ex = root.path("extra");
    if (!ex.isMissingNode() && !ex.isArray()) {
      throw new PolicyConfigException("extra", "must be an array of policy class names");
    }
    int i = 0;
    for (JsonNode c : ex) {
      String path = "extra[" + i++ + "]";
      if (!c.isTextual()) {
        throw new PolicyConfigException(path, "must be a class name, got " + Params.kind(c));
      }
      extra.add(instantiate(path, c.asText(), loader));
      canonicalExtra.add(c.asText());
    }
    List<Policy> shadow = new ArrayList<>();
    ArrayNode canonicalShadow = canonical.putArray("shadow");
    JsonNode sh = root.path("shadow");
    if (!sh.isMissingNode() && !sh.isArray()) {
      throw new PolicyConfigException("shadow", "must be an array of {\"builtin\":NAME,\"config\":{...}} or"
          + " {\"class\":NAME}");
    }
    i = 0;
    for (JsonNode s : sh) {
      String path = "shadow[" + i++ + "]";
      if (!s.isObject() || (s.has("builtin") == s.has("class"))) {
        throw new PolicyConfigException(path, "must be an object with either \"builtin\" (and optional \"config\")"
            + " or \"class\"");
      }
      if (s.has("class")) {
        if (s.size() != 1) {
          throw new PolicyConfigException(path, "a class entry has only the key \"class\"");
        }
        shadow.add(instantiate(path + ".class", s.get("class").asText(), loader));
        canonicalShadow.addObject().put("class", s.get("class").asText());
        continue;
      }
      String name = s.get("builtin").asText();
      if (!BUILT_IN.containsKey(name)) {
        throw new PolicyConfigException(path + ".builtin", "unknown built-in policy '" + name + "' (known: "
            + String.join(", ", BUILT_IN.keySet()) + ")");
      }
      for (Iterator<String> it = s.fieldNames(); it.hasNext(); ) {
        String k = it.next();
        if (!k.equals("builtin") && !k.equals("config")) {
          throw new PolicyConfigException(path + "." + k, "unknown key (known: builtin, config)");
        }
      }
      Params params = new Params(path + ".config", s.get("config"));
      shadow.add(BUILT_IN.get(name).apply(params));
      ObjectNode cs = canonicalShadow.addObject();
      cs.put("builtin", name);
      cs.set("config", params.effective());
    }
    for (int k = 0; k < sections.size(); k++) {
      PolicyConfigSection.Loaded loaded = sections.get(k);
      extra.addAll(loaded.enforcing());
      shadow.addAll(loaded.shadow());
      try {
        canonical.set(sectionKeys.get(k), JSON.readTree(loaded.canonicalJson()));
      } catch (JsonProcessingException e) {
        throw new PolicyConfigException(sectionKeys.get(k), "the section's canonical form is not JSON", e);
      }
    }
    return new PolicyConfig(builtIn, extra, shadow, canonical, strikeTtl, roomWindow, photoDistance, scanChars);
  }

  /** The implementation of a configuration section found in {@code loader}, or null. */
  /**
   * Where a top-level key's value is written in the document: {start, end} char offsets, then the
   * 1-based line and column of its first character; null if it cannot be told (never for a document
   * {@link #JSON} read).
   */
  private static int[] sourceOf(String json, String key) {
    try (com.fasterxml.jackson.core.JsonParser p = JSON.getFactory().createParser(json)) {
      if (p.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
        return null;
      }
      while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
        boolean wanted = key.equals(p.currentName());
        p.nextToken();
        com.fasterxml.jackson.core.JsonLocation start = p.currentTokenLocation();
        p.skipChildren();
        p.finishToken();
        if (wanted) {
          long from = start.getCharOffset();
          long to = p.currentLocation().getCharOffset();
          if (from < 0 || to <= from || to > json.length()) {
            return null;
          }
          return new int[] {(int) from, (int) to, start.getLineNr(), start.getColumnNr()};
        }
      }
      return null;
    } catch (IOException e) {
      return null;
    }
  }

  private static PolicyConfigSection section(String key, ClassLoader loader) {
    ClassLoader l = loader == null ? ClassLoader.getSystemClassLoader() : loader;
    try {
      for (PolicyConfigSection s : java.util.ServiceLoader.load(PolicyConfigSection.class, l)) {
        if (key.equals(s.key())) {
          return s;
        }
      }
    } catch (java.util.ServiceConfigurationError e) {
      throw new PolicyConfigException(key, "the implementation of this section failed to load: " + e, e);
    }
    return null;
  }

  private static Policy fixed(Params p, Policy policy) {
    p.requireNoUnknown();
    return policy;
  }

  private static Policy instantiate(String path, String className, ClassLoader loader) {
    Class<?> c;
    try {
      c = Class.forName(className, true, loader == null ? ClassLoader.getSystemClassLoader() : loader);
    } catch (ClassNotFoundException | LinkageError e) {
      throw new PolicyConfigException(path, "class " + className + " cannot be loaded: " + e, e);
    }
    if (!Policy.class.isAssignableFrom(c)) {
      throw new PolicyConfigException(path, "class " + className + " does not implement " + Policy.class.getName());
    }
    try {
      return (Policy) c.getConstructor().newInstance();
    } catch (NoSuchMethodException e) {
      throw new PolicyConfigException(path, "class " + className + " has no public no-argument constructor", e);
    } catch (InvocationTargetException e) {
      throw new PolicyConfigException(path, "class " + className + " failed to construct: " + e.getCause(), e);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new PolicyConfigException(path, "class " + className + " cannot be instantiated: " + e, e);
    }
  }

  /**
   * The enabled built-in policies, in evaluation order.
   *
   * @return an unmodifiable list; never null
   */
  public List<Policy> builtIn() {
    return builtIn;
  }

  /**
   * The extra enforcing policies (from {@code extra}), in the order given.
   *
   * @return an unmodifiable list; never null
   */
  public List<Policy> extra() {
    return extra;
  }

  /**
   * The shadow policies, in the order given.
   *
   * @return an unmodifiable list; never null
   */
  public List<Policy> shadow() {
    return shadow;
  }

  /**
   * The canonical effective configuration: every built-in with all parameters (defaults included),
   * keys sorted, no whitespace. Equal configurations have equal canonical forms.
   *
   * @return the JSON text; never null
   */
  public String canonicalJson() {
    return canonical;
  }

  /**
   * The configuration's version: SHA-256 (hex) of {@link #canonicalJson()}.
   *
   * @return 64 lower-case hex digits; never null
   */
  public String hash() {
    return hash;
  }

  /**
   * The strike periods by policy name ({@code default} for policies not named), as configured.
   *
   * @return an unmodifiable map; never null
   * @since 0.2
   */
  public Map<String, Duration> strikeTtls() {
    return strikeTtl;
  }

  /**
   * The window in which bank matches in one room are counted.
   *
   * @return the window; never null
   * @since 0.2
   */
  public Duration roomWindow() {
    return roomWindow;
  }

  /**
   * How many characters of a caption the engine scans for identifying details: the doxxing
   * policy's {@code max_scan_chars}, whether the policy is enabled or not.
   *
   * @return 16 to 1,000,000; 1024 by default
   * @since 0.2
   */
  public int textScanChars() {
    return textScanChars;
  }

  /**
   * The largest PDQ distance at which a post counts as a copy of a protected profile photo.
   *
   * @return 0..255
   * @since 0.2
   */
  public int profilePhotoDistance() {
    return profilePhotoDistance;
  }

  /**
   * A configuration's JSON without the policy classes it names: {@code extra} emptied, the
   * {@code shadow} entries that name a class dropped, and the {@code rules} section (an optional
   * module's) dropped. For tools that rebuild the built-in policies of
   * a logged configuration where the plugin classes are not at hand.
   *
   * @param json the configuration's JSON; not null
   * @return the JSON without class names; never null
   * @throws PolicyConfigException when the JSON cannot be parsed
   * @since 0.2
   */
  public static String withoutClasses(String json) {
    Objects.requireNonNull(json, "json");
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new PolicyConfigException("$", "not JSON: " + e.getOriginalMessage(), e);
    }
    if (!(root instanceof ObjectNode)) {
      throw new PolicyConfigException("$", "must be a JSON object");
    }
    ObjectNode o = ((ObjectNode) root).deepCopy();
    o.putArray("extra");
    o.remove("rules");
    JsonNode sh = o.path("shadow");
    if (sh.isArray()) {
      ArrayNode kept = JsonNodeFactory.instance.arrayNode();
      for (JsonNode e : sh) {
        if (!e.has("class")) {
          kept.add(e);
        }
      }
      o.set("shadow", kept);
    }
    return o.toString();
  }

  /**
   * The names of the built-in policies, in evaluation order.
   *
   * @return an unmodifiable list; never null
   */
  public static List<String> builtInNames() {
    return List.copyOf(BUILT_IN.keySet());
  }

  static String sha256(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      StringBuilder sb = new StringBuilder(64);
      for (byte b : d) {
        sb.append(Character.forDigit((b >> 4) & 15, 16)).append(Character.forDigit(b & 15, 16));
      }
      return sb.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JDK", e);
    }
  }

  @Override
  public String toString() {
    return "PolicyConfig[" + hash.substring(0, 12) + "]";
  }
}

package dev.haetae.moderation.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.LegalGround;
import dev.haetae.moderation.api.PolicyId;
import dev.haetae.moderation.api.Priority;
import dev.haetae.moderation.api.StatementOfReasons;
import dev.haetae.moderation.api.spi.Policy;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses, validates and compiles a {@code rules} section. One CEL compiler and runtime, built once
 * with the {@link EvidenceSchema} and the limits below, serve every rule (both are thread-safe).
 */
final class RuleCompiler {
  /** Iterations of all comprehensions ({@code exists}, {@code all}, {@code map}...) in one evaluation. */
  static final int MAX_ITERATIONS = 10_000;
  /** The largest regular-expression program (RE2: linear time, no backtracking). */
  static final int MAX_REGEX_PROGRAM = 200;
  /** Nesting depth of an expression. */
  static final int MAX_DEPTH = 64;
  /** Code points of one expression. */
  static final int MAX_EXPRESSION = 8_192;
  /** Rules in one configuration. */
  static final int MAX_RULES = 1_000;

  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> KEYS = List.of("id", "version", "description", "when", "actions", "category",
      "reason", "ground", "mode");

  static final CelOptions OPTIONS = CelOptions.current()
      .comprehensionMaxIterations(MAX_ITERATIONS)
      .maxRegexProgramSize(MAX_REGEX_PROGRAM)
      .maxParseRecursionDepth(MAX_DEPTH)
      .maxExpressionCodePointSize(MAX_EXPRESSION)
      .build();

  private static final CelCompiler COMPILER;
  private static final CelRuntime RUNTIME;

  static {
    var b = CelCompilerFactory.standardCelCompilerBuilder()
        .setOptions(OPTIONS)
        .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
        .setTypeProvider(EvidenceSchema.typeProvider())
        .setResultType(SimpleType.BOOL);
    for (EvidenceSchema.Var v : EvidenceSchema.VARS) {
      b.addVar(v.name(), v.type());
    }
    COMPILER = b.build();
    RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().setOptions(OPTIONS).build();
  }

  private RuleCompiler() {}

  /** A compiled rule set: the policies by role and the canonical section. */
  record Compiled(List<Policy> enforcing, List<Policy> shadow, String canonicalJson) {}

  static Compiled compile(String json) {
    return compile(json, 1, 1);
  }

  /**
   * Compiles a section written at {@code line}, {@code column} of its document; every
   * {@link RuleException} names the document's line and column.
   */
  static Compiled compile(String json, int line, int column) {
    RuleSource source = RuleSource.of(json, line, column);
    try {
      return compile(json, source);
    } catch (RuleException e) {
      throw e.line() > 0 ? e : e.at(source.at(e.path()));
    }
  }

  private static Compiled compile(String json, RuleSource source) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (java.io.IOException e) {
      throw new RuleException("rules", null, 0, 0, "is not valid JSON: " + e.getMessage());
    }
    if (root == null || !root.isArray()) {
      throw new RuleException("rules", null, 0, 0, "must be an array of rules");
    }
    if (root.size() > MAX_RULES) {
      throw new RuleException("rules", null, 0, 0, "at most " + MAX_RULES + " rules, got " + root.size());
    }
    List<Policy> enforcing = new ArrayList<>();
    List<Policy> shadow = new ArrayList<>();
    ArrayNode canonical = JsonNodeFactory.instance.arrayNode();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < root.size(); i++) {
      RulePolicy p = rule("rules[" + i + "]", root.get(i), ids, source);
      (p.shadow() ? shadow : enforcing).add(p);
      canonical.add(p.canonical());
    }
    return new Compiled(enforcing, shadow, canonical.toString());
  }

  private static RulePolicy rule(String path, JsonNode node, Set<String> ids, RuleSource source) {
    if (!node.isObject()) {
      throw new RuleException(path, null, 0, 0, "must be an object with id, version, when, actions, reason");
    }
    String id = node.path("id").isTextual() ? node.get("id").asText() : null;
    if (id == null || !ID.matcher(id).matches()) {
      throw new RuleException(path + ".id", null, 0, 0,
          "must be 1 to 64 characters a-z, 0-9, '.', '_', '-', starting with a letter or digit, got "
              + shorten(node.path("id")));
    }
    String rid = id;
    if (!ids.add(id)) {
      throw new RuleException(path + ".id", rid, 0, 0, "two rules have this id");
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!KEYS.contains(k)) {
        throw new RuleException(path + "." + k, rid, 0, 0, "unknown key (known: " + String.join(", ", KEYS) + ")");
      }
    }
    String version = text(node, "version", path, rid, true);
    if (version.length() > 64) {
      throw new RuleException(path + ".version", rid, 0, 0, "at most 64 characters");
    }
    String description = node.has("description") ? text(node, "description", path, rid, false) : "";
    String reason = text(node, "reason", path, rid, true);
    Category category = Category.OTHER;
    if (node.has("category")) {
      String c = text(node, "category", path, rid, true);
      try {
        category = Category.fromWire(c);
      } catch (RuntimeException e) {
        throw new RuleException(path + ".category", rid, 0, 0, "unknown category '" + shorten(node.get("category"))
            + "' (known: ncii, sexual_deepfake, csam, terrorism, harassment, doxxing, spam, other)");
      }
    }
    boolean shadow = false;
    if (node.has("mode")) {
      String m = text(node, "mode", path, rid, true);
      if (!m.equals("enforce") && !m.equals("shadow")) {
        throw new RuleException(path + ".mode", rid, 0, 0, "must be \"enforce\" or \"shadow\", got " + shorten(node.get("mode")));
      }
      shadow = m.equals("shadow");
    }
    LegalGround ground = node.has("ground") ? ground(node.get("ground"), path + ".ground", rid) : null;
    List<Action> actions = actions(node.get("actions"), path + ".actions", rid, ground, reason);
    for (Action a : actions) {
      if (a.restrictive() && ground == null) {
        throw new RuleException(path + ".ground", rid, 0, 0, "the action '" + a.name()
            + "' restricts someone, so the rule must cite its ground: {\"law\": CITATION} or {\"terms\": CLAUSE},"
            + " with \"explanation\"");
      }
    }
    String when = when(node.get("when"), path + ".when", rid);
    CelAbstractSyntaxTree ast;
    try {
      ast = COMPILER.compile(when).getAst();
    } catch (CelValidationException e) {
      List<CelIssue> issues = e.getErrors();
      if (issues.isEmpty()) {
        throw new RuleException(path + ".when", rid, 0, 0, e.getMessage());
      }
      CelIssue first = issues.get(0);
      JsonNode w = node.get("when");
      List<String> parts = new ArrayList<>();
      if (w.isArray()) {
        w.forEach(l -> parts.add(l.asText()));
      } else {
        parts.add(w.asText());
      }
      int[] at = source.inWhen(path + ".when", parts, Math.max(1, first.getSourceLocation().getLine()),
          first.getSourceLocation().getColumn());
      throw new RuleException(path + ".when", rid, at[0], at[1], first.getMessage()
          + (issues.size() > 1 ? " (and " + (issues.size() - 1) + " more)" : ""));
    } catch (RuntimeException e) {
      // CEL's parser reports limits (depth, size) as errors, but stay safe on anything else
      throw new RuleException(path + ".when", rid, 0, 0, "cannot be compiled: " + e);
    }
    CelRuntime.Program program;
    try {
      program = RUNTIME.createProgram(ast);
    } catch (CelEvaluationException | RuntimeException e) {
      throw new RuleException(path + ".when", rid, 0, 0, "cannot be planned: " + e.getMessage());
    }
    ObjectNode canonical = JsonNodeFactory.instance.objectNode();
    canonical.put("id", id);
    canonical.put("version", version);
    if (!description.isEmpty()) {
      canonical.put("description", description);
    }
    canonical.put("when", when);
    canonical.set("actions", node.get("actions").deepCopy());
    canonical.put("category", category.wireName());
    canonical.put("reason", reason);
    if (ground != null) {
      canonical.set("ground", node.get("ground").deepCopy());
    }
    canonical.put("mode", shadow ? "shadow" : "enforce");
    PolicyId pid = new PolicyId("rule:" + id, version, sha256(canonical.toString()));
    return new RulePolicy(pid, id, program, actions, reason, category, ground, shadow, canonical);
  }

  private static String when(JsonNode w, String path, String rid) {
    if (w == null) {
      throw new RuleException(path, rid, 0, 0, "is missing: a CEL expression over the evidence, e.g."
          + " \"matches.exists(m, m.category == 'ncii')\"");
    }
    String text;
    if (w.isTextual()) {
      text = w.asText();
    } else if (w.isArray() && w.size() > 0) {
      StringBuilder sb = new StringBuilder();
      for (JsonNode l : w) {
        if (!l.isTextual()) {
          throw new RuleException(path, rid, 0, 0, "an array of lines holds strings only, got " + l.getNodeType()
              .name().toLowerCase(Locale.ROOT));
        }
        if (sb.length() > 0) {
          sb.append('\n');
        }
        sb.append(l.asText());
      }
      text = sb.toString();
    } else {
      throw new RuleException(path, rid, 0, 0, "must be a string or a non-empty array of lines");
    }
    if (text.isBlank()) {
      throw new RuleException(path, rid, 0, 0, "must not be blank");
    }
    if (text.codePointCount(0, text.length()) > MAX_EXPRESSION) {
      throw new RuleException(path, rid, 0, 0, "at most " + MAX_EXPRESSION + " characters");
    }
    return text;
  }

  private static LegalGround ground(JsonNode g, String path, String rid) {
    if (!g.isObject()) {
      throw new RuleException(path, rid, 0, 0, "must be {\"law\": CITATION} or {\"terms\": CLAUSE}, with \"explanation\"");
    }
    for (Iterator<String> it = g.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!List.of("law", "terms", "explanation").contains(k)) {
        throw new RuleException(path + "." + k, rid, 0, 0, "unknown key (known: law, terms, explanation)");
      }
    }
    if (g.has("law") == g.has("terms")) {
      throw new RuleException(path, rid, 0, 0, "needs exactly one of \"law\" and \"terms\"");
    }
    String kind = g.has("law") ? "law" : "terms";
    String citation = text(g, kind, path, rid, true);
    String explanation = text(g, "explanation", path, rid, true);
    return kind.equals("law") ? LegalGround.law(citation, explanation) : LegalGround.terms(citation, explanation);
  }

  private static List<Action> actions(JsonNode a, String path, String rid, LegalGround ground, String reason) {
    if (a == null || !a.isArray() || a.isEmpty()) {
      throw new RuleException(path, rid, 0, 0, "must be a non-empty array, e.g. [\"remove\", {\"suspend\": \"P30D\"}]");
    }
    List<Action> out = new ArrayList<>();
    for (int i = 0; i < a.size(); i++) {
      out.add(action(a.get(i), path + "[" + i + "]", rid, ground, reason));
    }
    return List.copyOf(out);
  }

  private static final String ACTIONS = "review, blur, restrict_forwarding, remove, block_reupload, suspend, preserve,"
      + " report, notify_uploader";

  private static Action action(JsonNode n, String path, String rid, LegalGround ground, String reason) {
    String name;
    JsonNode arg = null;
    if (n.isTextual()) {
      name = n.asText();
    } else if (n.isObject() && n.size() >= 1) {
      name = n.fieldNames().next();
      arg = n.get(name);
      for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
        String k = it.next();
        boolean ok = k.equals(name) || (name.equals("review") && k.equals("lane"))
            || (name.equals("report") && k.equals("no_tip_off"));
        if (!ok) {
          throw new RuleException(path + "." + k, rid, 0, 0, "unknown key for '" + name + "'");
        }
      }
    } else {
      throw new RuleException(path, rid, 0, 0, "must be an action name or {NAME: ARGUMENT} (actions: " + ACTIONS + ")");
    }
    switch (name) {
      case "review": {
        Priority p = Priority.NORMAL;
        if (arg != null) {
          String s = argText(arg, path, rid, name);
          try {
            p = Priority.valueOf(s.toUpperCase(Locale.ROOT));
          } catch (IllegalArgumentException e) {
            throw new RuleException(path + ".review", rid, 0, 0, "priority must be low, normal, high or urgent, got '"
                + shorten(arg) + "'");
          }
        }
        String lane = n.has("lane") ? text(n, "lane", path, rid, true) : "default";
        return new Action.QueueForReview(p, false, lane);
      }
      case "blur":
        return new Action.Blur(arg == null ? "sensitive" : argText(arg, path, rid, name));
      case "restrict_forwarding":
        return noArg(arg, path, rid, name, new Action.RestrictForwarding());
      case "remove":
        return noArg(arg, path, rid, name, new Action.Remove());
      case "block_reupload":
        return noArg(arg, path, rid, name, new Action.BlockReupload());
      case "suspend":
        return new Action.SuspendAccount(arg == null ? java.util.Optional.empty()
            : java.util.Optional.of(duration(arg, path + ".suspend", rid)));
      case "preserve":
        if (arg == null) {
          throw new RuleException(path, rid, 0, 0, "preserve needs a period, e.g. {\"preserve\": \"P180D\"}");
        }
        return new Action.PreserveEvidence(duration(arg, path + ".preserve", rid));
      case "report": {
        if (arg == null) {
          throw new RuleException(path, rid, 0, 0, "report needs an authority, e.g. {\"report\": \"NCMEC\"}");
        }
        boolean noTipOff = false;
        if (n.has("no_tip_off")) {
          if (!n.get("no_tip_off").isBoolean()) {
            throw new RuleException(path + ".no_tip_off", rid, 0, 0, "must be true or false");
          }
          noTipOff = n.get("no_tip_off").booleanValue();
        }
        return new Action.ReportToAuthority(argText(arg, path, rid, name), noTipOff);
      }
      case "notify_uploader":
        if (ground == null) {
          throw new RuleException(path, rid, 0, 0, "notify_uploader sends a statement of reasons, which cites the"
              + " rule's ground: add \"ground\"");
        }
        return noArg(arg, path, rid, name, new Action.NotifyUser(Action.Recipient.UPLOADER,
            new StatementOfReasons(ground, reason, true, true,
                "You can appeal this decision within 6 months through the in-app complaint form.")));
      default:
        throw new RuleException(path, rid, 0, 0, "unknown action '" + shorten(n.isTextual() ? n : JsonNodeFactory
            .instance.textNode(name)) + "' (known: " + ACTIONS + ")");
    }
  }

  private static Action noArg(JsonNode arg, String path, String rid, String name, Action a) {
    if (arg != null) {
      throw new RuleException(path, rid, 0, 0, "'" + name + "' takes no argument: write \"" + name + "\"");
    }
    return a;
  }

  private static String argText(JsonNode arg, String path, String rid, String name) {
    if (!arg.isTextual() || arg.asText().isBlank() || arg.asText().length() > 256) {
      throw new RuleException(path + "." + name, rid, 0, 0, "must be a non-blank string of at most 256 characters");
    }
    return arg.asText();
  }

  private static Duration duration(JsonNode arg, String path, String rid) {
    if (!arg.isTextual()) {
      throw new RuleException(path, rid, 0, 0, "must be an ISO-8601 duration such as \"P30D\"");
    }
    Duration d;
    try {
      d = Duration.parse(arg.asText());
    } catch (DateTimeParseException e) {
      throw new RuleException(path, rid, 0, 0, "must be an ISO-8601 duration such as \"P30D\", got '" + shorten(arg) + "'");
    }
    if (d.isNegative() || d.isZero() || d.compareTo(Duration.ofDays(36_500)) > 0) {
      throw new RuleException(path, rid, 0, 0, "must be positive and at most 100 years, got " + shorten(arg));
    }
    return d;
  }

  private static String text(JsonNode n, String key, String path, String rid, boolean required) {
    JsonNode v = n.get(key);
    if (v == null || !v.isTextual() || (required && v.asText().isBlank())) {
      throw new RuleException(path + "." + key, rid, 0, 0, (v == null ? "is missing" : "must be a non-blank string"));
    }
    if (v.asText().length() > 4096) {
      throw new RuleException(path + "." + key, rid, 0, 0, "at most 4096 characters");
    }
    return v.asText();
  }

  private static String shorten(JsonNode n) {
    String s = n.isTextual() ? n.asText() : n.toString();
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
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
}

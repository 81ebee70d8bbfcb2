package dev.haetae.moderation.core.audit;

import static dev.haetae.moderation.core.audit.Encoding.F;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.ObligationEvent;
import dev.haetae.moderation.api.PolicyId;
import dev.haetae.moderation.api.ShadowOutcome;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.spi.Pseudonymizer;
import dev.haetae.moderation.core.effect.Effect;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns the log's records into JSON and back: a decision record (evidence, decision, versions, and
 * since format 2 the decision's effects and obligation events) or an event record. Writing
 * pseudonymizes every id of a person, room, content item, notice, obligation or appeal, masks free
 * text unless configured otherwise, and replaces raw ids that policies wrote into their own text
 * with the same pseudonyms. Reading gives back records whose ids are the pseudonyms. The parts are
 * in {@link RequestCodec}, {@link SignalCodec}, {@link DecisionCodec}, {@link EffectCodec} and
 * {@link EventCodec}. Thread-safe (immutable).
 */
final class RecordCodec {
  /** The record format written: 2 since effects, obligation events and event records are logged. */
  static final int FORMAT = 2;

  /** The free-text fields that can be kept instead of masked. */
  static final Set<String> TEXT_FIELDS = Set.of("content.text", "report.text", "review.note", "appeal.reason",
      "notice.fields", "account.organisation", "confirmation.detail", "sanction.note");

  private final Pseudonymizer pseudonymizer;
  private final Set<String> keep;

  RecordCodec(Pseudonymizer pseudonymizer, Set<String> keep) {
    this.pseudonymizer = pseudonymizer;
    this.keep = Set.copyOf(keep);
  }

  /**
   * A codec that writes raw ids and keeps every text: for the outbox of decisions not yet carried
   * out, which must be applied to stores keyed by raw ids, never for the log itself.
   */
  static RecordCodec raw() {
    return new RecordCodec(RAW, TEXT_FIELDS);
  }

  private static final Pseudonymizer RAW = new Pseudonymizer() {
    @Override
    public String keyId() {
      return "raw";
    }

    @Override
    public String pseudonymize(String kind, String rawId) {
      return rawId;
    }
  };

  /** A decision as JSON, for reports (decisions hold no ids to pseudonymize). */
  static ObjectNode decisionJson(Decision d) {
    return DecisionCodec.write(new Encoding(NO_IDS, Set.of()), d);
  }

  private static final Pseudonymizer NO_IDS = new Pseudonymizer() {
    @Override
    public String keyId() {
      return "-";
    }

    @Override
    public String pseudonymize(String kind, String rawId) {
      throw new IllegalStateException("a decision has no ids");
    }
  };

  /** Encodes a decision record's payload without effects. */
  ObjectNode encode(Evidence evidence, Decision decision) {
    return encode(evidence, decision, List.of(), List.of());
  }

  /**
   * Encodes one decision record's payload: {@code format}, {@code evidence}, {@code decision},
   * {@code versions}, {@code effects} and {@code obligation_events}.
   */
  ObjectNode encode(Evidence evidence, Decision decision, List<Effect> effects, List<ObligationEvent> events) {
    Encoding enc = new Encoding(pseudonymizer, keep);
    RequestCodec.collectIds(enc, evidence.request());
    for (Signal s : evidence.signals()) {
      SignalCodec.collectIds(enc, s);
    }
    ObjectNode root = F.objectNode();
    root.put("format", FORMAT);
    root.put("kind", "decision");
    root.set("evidence", evidence(enc, evidence));
    root.set("decision", DecisionCodec.write(enc, decision));
    ObjectNode versions = root.putObject("versions");
    ArrayNode pol = versions.putArray("policies");
    for (PolicyId p : decision.policies()) {
      pol.add(DecisionCodec.policyId(p).put("role", "enforcing"));
    }
    ArrayNode sh = versions.putArray("shadow_policies");
    for (ShadowOutcome s : decision.shadow()) {
      sh.add(DecisionCodec.policyId(s.policy()).put("role", "shadow"));
    }
    ObjectNode comp = versions.putObject("components");
    for (Map.Entry<String, String> e : evidence.versions().entrySet()) {
      comp.put(e.getKey(), enc.scrub(e.getValue()));
    }
    root.set("effects", EffectCodec.write(enc, effects));
    root.set("obligation_events", EffectCodec.obligationEvents(enc, events));
    return root;
  }

  /** Encodes one event record's payload: {@code format}, {@code kind} and {@code event}. */
  ObjectNode encode(LogEvent event) {
    Encoding enc = new Encoding(pseudonymizer, keep);
    ObjectNode root = F.objectNode();
    root.put("format", FORMAT);
    root.put("kind", "event");
    root.set("event", EventCodec.write(enc, event));
    return root;
  }

  private static ObjectNode evidence(Encoding enc, Evidence e) {
    ObjectNode n = F.objectNode();
    n.put("now", e.now().toString());
    n.set("request", RequestCodec.write(enc, e.request()));
    ArrayNode sig = n.putArray("signals");
    for (Signal s : e.signals()) {
      sig.add(SignalCodec.write(enc, s));
    }
    ObjectNode v = n.putObject("versions");
    for (Map.Entry<String, String> x : e.versions().entrySet()) {
      v.put(x.getKey(), enc.scrub(x.getValue()));
    }
    return n;
  }

  // ------------------------------------------------------------------------------------------
  // Reading

  /**
   * Decodes a record's body (the framed line's JSON).
   *
   * @throws Json.FormatException when the body does not have the documented shape
   */
  static LogEntry decode(long seq, String segment, long line, String hash, JsonNode body) {
    int format = body.has("format") ? body.get("format").asInt() : 1;
    if (format < 1 || format > FORMAT) {
      throw new Json.FormatException("unknown record format " + format + " (this version reads 1 to " + FORMAT
          + ")", null);
    }
    String kind = body.has("kind") ? body.get("kind").asText() : "decision";
    if (kind.equals("event")) {
      return new LoggedEvent(seq, segment, line, hash, EventCodec.read(req(body, "event")));
    }
    if (!kind.equals("decision")) {
      throw new Json.FormatException("unknown record kind '" + kind + "'", null);
    }
    JsonNode ev = req(body, "evidence");
    Evidence evidence = readEvidence(ev, format);
    Decision decision = readDecision(req(body, "decision"));
    List<Effect> effects = body.has("effects") ? EffectCodec.read(body.get("effects")) : List.of();
    List<ObligationEvent> events = body.has("obligation_events")
        ? EffectCodec.readObligationEvents(body.get("obligation_events")) : List.of();
    List<String> masked = format == 1 ? RequestCodec.maskedFields(req(ev, "request")) : List.of();
    return new LoggedRecord(seq, segment, line, hash, evidence, decision, format, effects, events, masked);
  }

  static Evidence readEvidence(JsonNode n) {
    return readEvidence(n, FORMAT);
  }

  static Evidence readEvidence(JsonNode n, int format) {
    try {
      java.time.Instant now = java.time.Instant.parse(req(n, "now").asText());
      dev.haetae.moderation.api.ModerationRequest r = RequestCodec.read(req(n, "request"));
      List<Signal> signals = new ArrayList<>();
      for (JsonNode s : req(n, "signals")) {
        signals.add(SignalCodec.read(s, format));
      }
      Map<String, String> versions = new TreeMap<>();
      for (Map.Entry<String, JsonNode> e : req(n, "versions").properties()) {
        versions.put(e.getKey(), e.getValue().asText());
      }
      return new Evidence(now, r, signals, versions);
    } catch (RuntimeException e) {
      throw e instanceof Json.FormatException ? e : new Json.FormatException("evidence: " + e.getMessage(), e);
    }
  }

  static Decision readDecision(JsonNode n) {
    return DecisionCodec.read(n);
  }

  static JsonNode req(JsonNode n, String field) {
    return Json.req(n, field);
  }

  static String replaceToken(String text, String token, String replacement) {
    return Encoding.replaceToken(text, token, replacement);
  }
}

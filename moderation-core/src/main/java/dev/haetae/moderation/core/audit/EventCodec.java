package dev.haetae.moderation.core.audit;

import static dev.haetae.moderation.core.audit.Encoding.F;
import static dev.haetae.moderation.core.audit.Json.instant;
import static dev.haetae.moderation.core.audit.Json.optString;
import static dev.haetae.moderation.core.audit.Json.req;
import static dev.haetae.moderation.core.audit.Json.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.DecisionId;
import dev.haetae.moderation.api.spi.EvidenceHold;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Log events in a record: written pseudonymized, read back. Dispatch is a switch expression over
 * {@link LogEvent.Kind}. Stateless.
 */
final class EventCodec {
  private EventCodec() {}

  static ObjectNode write(Encoding enc, LogEvent event) {
    ObjectNode n = F.objectNode();
    n.put("type", event.kind().wireName());
    n.put("at", event.at().toString());
    boolean unused = switch (event.kind()) {
      case TICK -> {
        LogEvent.Tick t = (LogEvent.Tick) event;
        n.set("obligation_events", EffectCodec.obligationEvents(enc, t.obligations()));
        ArrayNode h = n.putArray("expired_holds");
        t.expiredHolds().forEach(x -> h.add(EffectCodec.hold(enc, x)));
        yield true;
      }
      case CONFIGURATION -> {
        LogEvent.Configuration c = (LogEvent.Configuration) event;
        c.policyConfig().ifPresent(x -> n.put("policy_config", x));
        c.configHash().ifPresent(x -> n.put("config_hash", x));
        ArrayNode p = n.putArray("policies");
        for (LogEvent.PolicyRole r : c.policies()) {
          ObjectNode x = p.addObject();
          x.set("policy", DecisionCodec.policyId(r.id()));
          x.put("role", r.role());
          x.put("source", r.source());
          x.put("implementation", r.implementation());
        }
        ObjectNode s = n.putObject("settings");
        new TreeMap<>(c.settings()).forEach(s::put);
        yield true;
      }
      case BANK_CHANGE -> {
        LogEvent.BankChange b = (LogEvent.BankChange) event;
        n.put("source", b.source());
        ArrayNode a = n.putArray("changes");
        for (LogEvent.BankEntryChange c : b.changes()) {
          ObjectNode x = a.addObject();
          x.put("op", c.op());
          x.put("bank", c.bank());
          x.put("match_type", c.type());
          x.put("hash", c.hash());
          x.put("category", c.category().wireName());
          x.put("reason", enc.scrub(c.reason()));
        }
        ObjectNode v = n.putObject("versions");
        new TreeMap<>(b.versions()).forEach(v::put);
        yield true;
      }
      case DELIVERY -> {
        LogEvent.Delivery d = (LogEvent.Delivery) event;
        n.put("decision", d.decision().value());
        n.put("seq", d.seq());
        n.put("outcome", d.outcome());
        d.detail().ifPresent(x -> n.put("detail", enc.scrub(x)));
        yield true;
      }
      case RECOVERY -> {
        LogEvent.Recovery r = (LogEvent.Recovery) event;
        ArrayNode d = n.putArray("decisions");
        r.decisions().forEach(d::add);
        ArrayNode f = n.putArray("failed");
        r.failed().forEach(f::add);
        yield true;
      }
    };
    return n;
  }

  static LogEvent read(JsonNode n) {
    String type = text(n, "type");
    java.time.Instant at = instant(n, "at");
    switch (type) {
      case "tick": {
        List<EvidenceHold> holds = new ArrayList<>();
        for (JsonNode h : req(n, "expired_holds")) {
          holds.add(EffectCodec.readHold(h));
        }
        return new LogEvent.Tick(at, EffectCodec.readObligationEvents(req(n, "obligation_events")), holds);
      }
      case "configuration": {
        List<LogEvent.PolicyRole> roles = new ArrayList<>();
        for (JsonNode p : req(n, "policies")) {
          roles.add(new LogEvent.PolicyRole(DecisionCodec.readPolicyId(req(p, "policy")), text(p, "role"),
              text(p, "source"), text(p, "implementation")));
        }
        Map<String, String> settings = new TreeMap<>();
        req(n, "settings").properties().forEach(e -> settings.put(e.getKey(), e.getValue().asText()));
        return new LogEvent.Configuration(at, optString(n, "policy_config"), optString(n, "config_hash"), roles,
            settings);
      }
      case "bank_change": {
        List<LogEvent.BankEntryChange> changes = new ArrayList<>();
        for (JsonNode c : req(n, "changes")) {
          changes.add(new LogEvent.BankEntryChange(text(c, "op"), text(c, "bank"), text(c, "match_type"),
              text(c, "hash"), Category.fromWire(text(c, "category")), text(c, "reason")));
        }
        Map<String, String> versions = new TreeMap<>();
        req(n, "versions").properties().forEach(e -> versions.put(e.getKey(), e.getValue().asText()));
        return new LogEvent.BankChange(at, text(n, "source"), changes, versions);
      }
      case "delivery":
        return new LogEvent.Delivery(at, DecisionId.of(text(n, "decision")), req(n, "seq").asLong(),
            text(n, "outcome"), optString(n, "detail"));
      case "recovery": {
        List<Long> d = new ArrayList<>();
        req(n, "decisions").forEach(x -> d.add(x.asLong()));
        List<Long> f = new ArrayList<>();
        req(n, "failed").forEach(x -> f.add(x.asLong()));
        return new LogEvent.Recovery(at, d, f);
      }
      default:
        throw new Json.FormatException("unknown event '" + type + "'", null);
    }
  }
}

package dev.haetae.moderation.core.audit;

import static dev.haetae.moderation.core.audit.Encoding.F;
import static dev.haetae.moderation.core.audit.Json.optInstant;
import static dev.haetae.moderation.core.audit.Json.req;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.DecisionId;
import dev.haetae.moderation.api.FailMode;
import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.LegalGround;
import dev.haetae.moderation.api.Outcome;
import dev.haetae.moderation.api.PolicyFailure;
import dev.haetae.moderation.api.PolicyId;
import dev.haetae.moderation.api.Priority;
import dev.haetae.moderation.api.Reason;
import dev.haetae.moderation.api.ShadowOutcome;
import dev.haetae.moderation.api.StatementOfReasons;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Decisions, outcomes, actions, reasons and policy ids in a record: written (raw ids that policies
 * wrote into their text replaced by pseudonyms), read back. Action dispatch is a switch expression
 * over {@link Action.Kind}, so a new action type does not compile until it is written here.
 * Stateless.
 */
final class DecisionCodec {
  private DecisionCodec() {}

  static ObjectNode policyId(PolicyId p) {
    ObjectNode n = F.objectNode();
    n.put("name", p.name());
    n.put("version", p.version());
    n.put("config", p.configHash());
    return n;
  }

  static PolicyId readPolicyId(JsonNode n) {
    return new PolicyId(req(n, "name").asText(), req(n, "version").asText(), req(n, "config").asText());
  }

  static ObjectNode write(Encoding enc, Decision d) {
    ObjectNode n = F.objectNode();
    n.put("id", d.id().value());
    n.put("at", d.at().toString());
    n.set("actions", actions(enc, d.actions()));
    n.set("reasons", reasons(enc, d.reasons()));
    d.deadline().ifPresent(x -> n.put("deadline", x.toString()));
    ArrayNode p = n.putArray("policies");
    d.policies().forEach(x -> p.add(policyId(x)));
    ArrayNode f = n.putArray("failures");
    d.failures().forEach(x -> f.add(failure(enc, x)));
    ArrayNode s = n.putArray("shadow");
    for (ShadowOutcome o : d.shadow()) {
      ObjectNode on = s.addObject();
      on.set("policy", policyId(o.policy()));
      on.set("actions", actions(enc, o.outcome().actions()));
      on.set("reasons", reasons(enc, o.outcome().reasons()));
      o.outcome().deadline().ifPresent(x -> on.put("deadline", x.toString()));
      o.failure().ifPresent(x -> on.set("failure", failure(enc, x)));
    }
    if (!d.subject().isEmpty()) {
      n.set("subject", RequestCodec.fingerprints(d.subject()));
    }
    return n;
  }

  private static ObjectNode failure(Encoding enc, PolicyFailure f) {
    ObjectNode n = F.objectNode();
    n.set("policy", policyId(f.policy()));
    n.put("kind", f.kind().name().toLowerCase(Locale.ROOT));
    n.put("message", enc.scrub(f.message()));
    n.put("applied", f.applied().wireName());
    return n;
  }

  static ArrayNode reasons(Encoding enc, List<Reason> reasons) {
    ArrayNode a = F.arrayNode();
    for (Reason r : reasons) {
      ObjectNode n = a.addObject();
      n.set("policy", policyId(r.policy()));
      n.put("code", r.code());
      n.put("explanation", enc.scrub(r.explanation()));
      r.category().ifPresent(c -> n.put("category", c.wireName()));
      r.ground().ifPresent(g -> n.set("ground", ground(enc, g)));
    }
    return a;
  }

  private static ObjectNode ground(Encoding enc, LegalGround g) {
    ObjectNode n = F.objectNode();
    n.put("kind", g.kind() == LegalGround.Kind.LAW ? "law" : "terms_of_service");
    n.put("citation", g.citation());
    n.put("explanation", enc.scrub(g.explanation()));
    return n;
  }

  static ArrayNode actions(Encoding enc, List<Action> actions) {
    ArrayNode a = F.arrayNode();
    for (Action x : actions) {
      ObjectNode n = a.addObject();
      n.put("action", x.name());
      boolean unused = switch (x.actionKind()) {
        case REVIEW -> {
          Action.QueueForReview q = (Action.QueueForReview) x;
          n.put("priority", q.priority().wireName());
          n.put("brigading", q.brigadingSuspected());
          n.put("lane", q.lane());
          if (q.score() != Action.QueueForReview.UNRANKED) {
            n.put("score", q.score());
          }
          yield true;
        }
        case BLUR -> {
          n.put("label", ((Action.Blur) x).label());
          yield true;
        }
        case SUSPEND_ACCOUNT -> {
          ((Action.SuspendAccount) x).duration().ifPresent(d -> n.put("duration", d.toString()));
          yield true;
        }
        case PRESERVE_EVIDENCE -> {
          n.put("period", ((Action.PreserveEvidence) x).period().toString());
          yield true;
        }
        case REPORT_AUTHORITY -> {
          Action.ReportToAuthority r = (Action.ReportToAuthority) x;
          n.put("authority", r.authority());
          n.put("no_tip_off", r.noTipOff());
          yield true;
        }
        case NOTIFY_USER -> {
          Action.NotifyUser u = (Action.NotifyUser) x;
          n.put("recipient", u.recipient().name().toLowerCase(Locale.ROOT));
          StatementOfReasons s = u.statement();
          ObjectNode sn = n.putObject("statement");
          sn.set("ground", ground(enc, s.ground()));
          sn.put("facts", enc.scrub(s.facts()));
          sn.put("automated_detection", s.automatedDetection());
          sn.put("automated_decision", s.automatedDecision());
          sn.put("redress", enc.scrub(s.redress()));
          yield true;
        }
        case REINSTATE -> {
          n.put("reversed", ((Action.Reinstate) x).reversed().value());
          yield true;
        }
        case REMOVE_COPIES -> {
          ArrayNode copies = n.putArray("copies");
          ((Action.RemoveCopies) x).copies().forEach(c -> copies.add(enc.id("content", c.value())));
          yield true;
        }
        case TEMPORARY_MEASURE -> {
          n.put("until", ((Action.TemporaryMeasure) x).until().toString());
          yield true;
        }
        case END_MEASURE -> {
          Action.EndMeasure e = (Action.EndMeasure) x;
          n.put("measure", e.measure().value());
          n.put("ending", e.ending().wireName());
          yield true;
        }
        case ALLOW, RESTRICT_FORWARDING, REMOVE, BLOCK_REUPLOAD -> false;
      };
    }
    return a;
  }

  static Decision read(JsonNode n) {
    try {
      List<PolicyId> policies = new ArrayList<>();
      for (JsonNode p : req(n, "policies")) {
        policies.add(readPolicyId(p));
      }
      List<PolicyFailure> failures = new ArrayList<>();
      for (JsonNode f : req(n, "failures")) {
        failures.add(readFailure(f));
      }
      List<ShadowOutcome> shadow = new ArrayList<>();
      for (JsonNode s : req(n, "shadow")) {
        Outcome o = new Outcome(readActions(req(s, "actions")), readReasons(req(s, "reasons")), optInstant(s, "deadline"));
        Optional<PolicyFailure> f = s.has("failure") ? Optional.of(readFailure(s.get("failure"))) : Optional.empty();
        shadow.add(new ShadowOutcome(readPolicyId(req(s, "policy")), o, f));
      }
      Fingerprints subject = n.has("subject") ? RequestCodec.readFingerprints(n.get("subject")) : Fingerprints.none();
      return new Decision(DecisionId.of(req(n, "id").asText()), Instant.parse(req(n, "at").asText()),
          readActions(req(n, "actions")), readReasons(req(n, "reasons")), optInstant(n, "deadline"), policies,
          failures, shadow, subject);
    } catch (RuntimeException e) {
      throw e instanceof Json.FormatException ? e : new Json.FormatException("decision: " + e.getMessage(), e);
    }
  }

  private static PolicyFailure readFailure(JsonNode n) {
    return new PolicyFailure(readPolicyId(req(n, "policy")), Json.enumOf(PolicyFailure.Kind.class, req(n, "kind")),
        req(n, "message").asText(), FailMode.fromWire(req(n, "applied").asText()));
  }

  static List<Reason> readReasons(JsonNode a) {
    List<Reason> out = new ArrayList<>();
    for (JsonNode n : a) {
      out.add(new Reason(readPolicyId(req(n, "policy")), req(n, "code").asText(), req(n, "explanation").asText(),
          n.has("category") ? Optional.of(dev.haetae.moderation.api.Category.fromWire(n.get("category").asText()))
              : Optional.empty(),
          n.has("ground") ? Optional.of(readGround(n.get("ground"))) : Optional.empty()));
    }
    return out;
  }

  static LegalGround readGround(JsonNode n) {
    LegalGround.Kind kind = "law".equals(req(n, "kind").asText()) ? LegalGround.Kind.LAW
        : LegalGround.Kind.TERMS_OF_SERVICE;
    return new LegalGround(kind, req(n, "citation").asText(), req(n, "explanation").asText());
  }

  static List<Action> readActions(JsonNode a) {
    List<Action> out = new ArrayList<>();
    for (JsonNode n : a) {
      String name = req(n, "action").asText();
      switch (name) {
        case "allow":
          out.add(new Action.Allow());
          break;
        case "review":
          out.add(new Action.QueueForReview(Priority.fromWire(req(n, "priority").asText()),
              req(n, "brigading").asBoolean(), req(n, "lane").asText(),
              n.has("score") ? n.get("score").asDouble() : Action.QueueForReview.UNRANKED));
          break;
        case "blur":
          out.add(new Action.Blur(req(n, "label").asText()));
          break;
        case "restrict_forwarding":
          out.add(new Action.RestrictForwarding());
          break;
        case "remove":
          out.add(new Action.Remove());
          break;
        case "block_reupload":
          out.add(new Action.BlockReupload());
          break;
        case "suspend_account":
          out.add(new Action.SuspendAccount(
              n.has("duration") ? Optional.of(Duration.parse(n.get("duration").asText())) : Optional.empty()));
          break;
        case "preserve_evidence":
          out.add(new Action.PreserveEvidence(Duration.parse(req(n, "period").asText())));
          break;
        case "report_authority":
          out.add(new Action.ReportToAuthority(req(n, "authority").asText(), req(n, "no_tip_off").asBoolean()));
          break;
        case "notify_user": {
          JsonNode s = req(n, "statement");
          out.add(new Action.NotifyUser(Json.enumOf(Action.Recipient.class, req(n, "recipient")),
              new StatementOfReasons(readGround(req(s, "ground")), req(s, "facts").asText(),
                  req(s, "automated_detection").asBoolean(), req(s, "automated_decision").asBoolean(),
                  req(s, "redress").asText())));
          break;
        }
        case "temporary_measure":
          out.add(new Action.TemporaryMeasure(java.time.Instant.parse(req(n, "until").asText())));
          break;
        case "end_measure":
          out.add(new Action.EndMeasure(DecisionId.of(req(n, "measure").asText()),
              Action.EndMeasure.Ending.fromWire(req(n, "ending").asText())));
          break;
        case "reinstate":
          out.add(new Action.Reinstate(DecisionId.of(req(n, "reversed").asText())));
          break;
        case "remove_copies": {
          List<dev.haetae.moderation.api.ContentId> copies = SignalCodec.contentIds(n, "copies");
          if (copies.isEmpty() || new java.util.HashSet<>(copies).size() != copies.size()) {
            throw new Json.FormatException("'copies' of remove_copies is missing, empty or repeats a copy", null);
          }
          out.add(new Action.RemoveCopies(copies));
          break;
        }
        default:
          throw new Json.FormatException("unknown action '" + name + "'", null);
      }
    }
    return out;
  }
}

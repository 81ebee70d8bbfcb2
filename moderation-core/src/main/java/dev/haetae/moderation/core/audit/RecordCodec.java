package dev.haetae.moderation.core.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haetae.moderation.api.AccountEvent;
import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Appeal;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.Content;
import dev.haetae.moderation.api.ContentEvent;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.ContentKind;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.DecisionId;
import dev.haetae.moderation.api.Duty;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.FailMode;
import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.Jurisdiction;
import dev.haetae.moderation.api.LegalGround;
import dev.haetae.moderation.api.LegalNotice;
import dev.haetae.moderation.api.MatchType;
import dev.haetae.moderation.api.Md5;
import dev.haetae.moderation.api.ModerationRequest;
import dev.haetae.moderation.api.NoticeSender;
import dev.haetae.moderation.api.Outcome;
import dev.haetae.moderation.api.Pdq;
import dev.haetae.moderation.api.PdqHash;
import dev.haetae.moderation.api.PolicyFailure;
import dev.haetae.moderation.api.PolicyId;
import dev.haetae.moderation.api.Priority;
import dev.haetae.moderation.api.Reason;
import dev.haetae.moderation.api.ReporterId;
import dev.haetae.moderation.api.ReviewOutcome;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.Sha256;
import dev.haetae.moderation.api.ShadowOutcome;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.StatementOfReasons;
import dev.haetae.moderation.api.Surface;
import dev.haetae.moderation.api.Target;
import dev.haetae.moderation.api.UserReport;
import dev.haetae.moderation.api.Verdict;
import dev.haetae.moderation.api.spi.Pseudonymizer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Turns Evidence and Decision into the log's JSON tree and back. Writing pseudonymizes every id of
 * a person, room, content item, notice or appeal, masks free text unless configured otherwise, and
 * replaces raw ids that policies wrote into their own text with the same pseudonyms. Reading gives
 * back records whose ids are the pseudonyms. Thread-safe (immutable).
 */
final class RecordCodec {
  /** The free-text fields that can be kept instead of masked. */
  static final Set<String> TEXT_FIELDS = Set.of("content.text", "report.text", "review.note", "appeal.reason",
      "notice.fields", "account.organisation");

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private final Pseudonymizer pseudonymizer;
  private final Set<String> keep;

  RecordCodec(Pseudonymizer pseudonymizer, Set<String> keep) {
    this.pseudonymizer = pseudonymizer;
    this.keep = Set.copyOf(keep);
  }

  // ------------------------------------------------------------------------------------------
  // Writing

  /** Per-record state: the raw ids seen and their pseudonyms, for scrubbing text. */
  private final class Enc {
    final Map<String, String> ids = new LinkedHashMap<>();
    List<String> byLength;

    ObjectNode id(String kind, String raw) {
      String p = pseudonymizer.pseudonymize(kind, raw);
      ids.putIfAbsent(raw, p);
      ObjectNode n = F.objectNode();
      n.put("kid", pseudonymizer.keyId());
      n.put("p", p);
      return n;
    }

    void collect(String kind, String raw) {
      ids.putIfAbsent(raw, pseudonymizer.pseudonymize(kind, raw));
    }

    /** Replaces whole-token occurrences of raw ids in policy- or host-written text. */
    String scrub(String text) {
      if (ids.isEmpty() || text.isEmpty()) {
        return text;
      }
      if (byLength == null) {
        byLength = new ArrayList<>(ids.keySet());
        byLength.sort((a, b) -> b.length() - a.length());
      }
      String out = text;
      for (String raw : byLength) {
        out = replaceToken(out, raw, ids.get(raw));
      }
      return out;
    }

    JsonNode text(String field, String value) {
      if (keep.contains(field)) {
        return F.textNode(scrub(value));
      }
      ObjectNode n = F.objectNode();
      n.put("masked", value.length());
      n.put("h", pseudonymizer.pseudonymize("text", value));
      return n;
    }
  }

  static String replaceToken(String text, String token, String replacement) {
    int from = 0;
    StringBuilder sb = null;
    int last = 0;
    while (true) {
      int i = text.indexOf(token, from);
      if (i < 0) {
        break;
      }
      int end = i + token.length();
      boolean startOk = i == 0 || !Character.isLetterOrDigit(text.charAt(i - 1));
      boolean endOk = end == text.length() || !Character.isLetterOrDigit(text.charAt(end));
      if (startOk && endOk) {
        if (sb == null) {
          sb = new StringBuilder(text.length());
        }
        sb.append(text, last, i).append(replacement);
        last = end;
      }
      from = i + Math.max(1, token.length());
    }
    if (sb == null) {
      return text;
    }
    sb.append(text, last, text.length());
    return sb.toString();
  }

  /** A decision as JSON, for reports (decisions hold no ids to pseudonymize). */
  static ObjectNode decisionJson(Decision d) {
    RecordCodec c = new RecordCodec(NO_IDS, Set.of());
    return c.decision(c.new Enc(), d);
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

  /** Encodes one record's payload: {@code evidence}, {@code decision} and {@code versions}. */
  ObjectNode encode(Evidence evidence, Decision decision) {
    Enc enc = new Enc();
    collectIds(enc, evidence);
    ObjectNode root = F.objectNode();
    root.set("evidence", evidence(enc, evidence));
    root.set("decision", decision(enc, decision));
    ObjectNode versions = root.putObject("versions");
    ArrayNode pol = versions.putArray("policies");
    for (PolicyId p : decision.policies()) {
      pol.add(policyId(p));
    }
    ArrayNode sh = versions.putArray("shadow_policies");
    for (ShadowOutcome s : decision.shadow()) {
      sh.add(policyId(s.policy()));
    }
    ObjectNode comp = versions.putObject("components");
    for (Map.Entry<String, String> e : evidence.versions().entrySet()) {
      comp.put(e.getKey(), enc.scrub(e.getValue()));
    }
    return root;
  }

  private void collectIds(Enc enc, Evidence e) {
    ModerationRequest r = e.request();
    if (r instanceof ContentEvent) {
      ContentEvent c = (ContentEvent) r;
      enc.collect("content", c.content().id().value());
      enc.collect("account", c.account().value());
      c.room().ifPresent(x -> enc.collect("room", x.value()));
      c.forwardedFrom().ifPresent(x -> enc.collect("content", x.value()));
    } else if (r instanceof UserReport) {
      UserReport u = (UserReport) r;
      enc.collect("reporter", u.reporter().value());
      collectTarget(enc, u.target());
    } else if (r instanceof LegalNotice) {
      LegalNotice n = (LegalNotice) r;
      enc.collect("notice", n.noticeId());
      enc.collect("content", n.content().value());
    } else if (r instanceof ReviewOutcome) {
      collectTarget(enc, ((ReviewOutcome) r).target());
    } else if (r instanceof Appeal) {
      Appeal a = (Appeal) r;
      enc.collect("appeal", a.appealId());
      enc.collect("content", a.content().value());
      enc.collect("account", a.appellant().value());
    } else if (r instanceof AccountEvent) {
      enc.collect("account", ((AccountEvent) r).account().value());
    }
    for (Signal s : e.signals()) {
      if (s instanceof Signal.Reports) {
        collectTarget(enc, ((Signal.Reports) s).target());
      } else if (s instanceof Signal.Obligation) {
        enc.collect("obligation", ((Signal.Obligation) s).id());
      } else if (s instanceof Signal.AccountStanding) {
        enc.collect("account", ((Signal.AccountStanding) s).account().value());
      } else if (s instanceof Signal.RoomActivity) {
        enc.collect("room", ((Signal.RoomActivity) s).room().value());
      } else if (s instanceof Signal.ProfilePhotoMatch) {
        Signal.ProfilePhotoMatch m = (Signal.ProfilePhotoMatch) s;
        enc.collect("account", m.owner().value());
        enc.collect("content", m.photo().value());
      } else if (s instanceof Signal.ReportIntake || s instanceof Signal.ReportResolution) {
        collectReportSignal(enc, s);
      }
    }
  }

  private static void collectTarget(Enc enc, Target t) {
    enc.collect(t.kind(), t.id());
  }

  private ObjectNode evidence(Enc enc, Evidence e) {
    ObjectNode n = F.objectNode();
    n.put("now", e.now().toString());
    n.set("request", request(enc, e.request()));
    ArrayNode sig = n.putArray("signals");
    for (Signal s : e.signals()) {
      sig.add(signal(enc, s));
    }
    ObjectNode v = n.putObject("versions");
    for (Map.Entry<String, String> x : e.versions().entrySet()) {
      v.put(x.getKey(), enc.scrub(x.getValue()));
    }
    return n;
  }

  private ObjectNode target(Enc enc, Target t) {
    ObjectNode n = F.objectNode();
    n.put("kind", t.kind());
    n.set("id", enc.id(t.kind(), t.id()));
    return n;
  }

  private ObjectNode request(Enc enc, ModerationRequest r) {
    ObjectNode n = F.objectNode();
    n.put("type", r.type());
    if (r instanceof ContentEvent) {
      ContentEvent c = (ContentEvent) r;
      n.put("action", c.action().name().toLowerCase(Locale.ROOT));
      n.set("content", content(enc, c.content()));
      n.set("account", enc.id("account", c.account().value()));
      c.room().ifPresent(x -> n.set("room", enc.id("room", x.value())));
      c.forwardedFrom().ifPresent(x -> n.set("forwarded_from", enc.id("content", x.value())));
      n.put("protect", c.protect());
    } else if (r instanceof UserReport) {
      UserReport u = (UserReport) r;
      n.set("reporter", enc.id("reporter", u.reporter().value()));
      n.set("target", target(enc, u.target()));
      n.put("category", u.category().wireName());
      u.text().ifPresent(t -> n.set("text", enc.text("report.text", t)));
      if (u.firstParty()) {
        n.put("first_party", true);
      }
    } else if (r instanceof LegalNotice) {
      LegalNotice l = (LegalNotice) r;
      n.set("notice_id", enc.id("notice", l.noticeId()));
      n.put("instrument", l.instrument());
      n.set("content", enc.id("content", l.content().value()));
      n.put("sender", l.sender().wireName());
      ObjectNode f = n.putObject("fields");
      for (Map.Entry<String, String> e : new TreeMap<>(l.fields()).entrySet()) {
        f.set(e.getKey(), enc.text("notice.fields", e.getValue()));
      }
      n.put("received_at", l.receivedAt().toString());
    } else if (r instanceof ReviewOutcome) {
      ReviewOutcome o = (ReviewOutcome) r;
      n.set("target", target(enc, o.target()));
      n.put("verdict", o.verdict().wireName());
      o.category().ifPresent(c -> n.put("category", c.wireName()));
      o.note().ifPresent(t -> n.set("note", enc.text("review.note", t)));
    } else if (r instanceof Appeal) {
      Appeal a = (Appeal) r;
      n.set("appeal_id", enc.id("appeal", a.appealId()));
      n.put("decision", a.decision().value());
      n.set("content", enc.id("content", a.content().value()));
      n.set("appellant", enc.id("account", a.appellant().value()));
      n.put("informed_at", a.informedAt().toString());
      a.reason().ifPresent(t -> n.set("reason", enc.text("appeal.reason", t)));
    } else if (r instanceof AccountEvent) {
      AccountEvent a = (AccountEvent) r;
      n.set("account", enc.id("account", a.account().value()));
      n.put("created_at", a.createdAt().toString());
      n.put("trusted_flagger", a.trustedFlagger());
      a.organisation().ifPresent(t -> n.set("organisation", enc.text("account.organisation", t)));
    }
    return n;
  }

  private ObjectNode content(Enc enc, Content c) {
    ObjectNode n = F.objectNode();
    n.set("id", enc.id("content", c.id().value()));
    n.put("kind", c.kind().wireName());
    n.put("surface", c.surface().wireName());
    ArrayNode j = n.putArray("jurisdictions");
    TreeSet<String> codes = new TreeSet<>();
    for (Jurisdiction x : c.jurisdictions()) {
      codes.add(x.code());
    }
    codes.forEach(j::add);
    ObjectNode fp = n.putObject("fingerprints");
    Fingerprints f = c.fingerprints();
    f.sha256().ifPresent(x -> fp.put("sha256", x.toHex()));
    f.md5().ifPresent(x -> fp.put("md5", x.toHex()));
    f.pdq().ifPresent(p -> {
      ObjectNode pn = fp.putObject("pdq");
      pn.put("hash", p.hash().toHex());
      pn.put("quality", p.quality());
      ArrayNode v = pn.putArray("variants");
      for (PdqHash h : p.queryVariants()) {
        v.add(h.toHex());
      }
    });
    c.text().ifPresent(t -> n.set("text", enc.text("content.text", t)));
    return n;
  }

  private ObjectNode signal(Enc enc, Signal s) {
    ObjectNode n = F.objectNode();
    n.put("type", s.kind());
    if (s instanceof Signal.HashMatch) {
      Signal.HashMatch m = (Signal.HashMatch) s;
      n.put("bank", m.bank());
      n.put("bank_version", m.bankVersion());
      n.put("category", m.category().wireName());
      n.put("match_type", m.type().wireName());
      n.put("entry", m.entry());
      n.put("distance", m.distance());
      n.put("max_distance", m.maxDistance());
      n.put("quality", m.quality());
      n.put("review_only", m.reviewOnly());
    } else if (s instanceof Signal.Reports) {
      Signal.Reports r = (Signal.Reports) s;
      n.set("target", target(enc, r.target()));
      n.put("category", r.category().wireName());
      n.put("reports", r.reports());
      n.put("weight", r.weight());
      n.put("trusted_flagger_reports", r.trustedFlaggerReports());
      n.put("max_reporter_credibility", r.maxReporterCredibility());
      n.put("brigading", r.brigadingSuspected());
      n.put("model", r.model());
    } else if (s instanceof Signal.NoticeCheck) {
      Signal.NoticeCheck c = (Signal.NoticeCheck) s;
      n.put("instrument", c.instrument());
      n.put("known", c.known());
      ArrayNode m = n.putArray("missing");
      c.missing().forEach(x -> m.add(enc.scrub(x)));
      n.put("duplicate", c.duplicate());
    } else if (s instanceof Signal.Obligation) {
      Signal.Obligation o = (Signal.Obligation) s;
      n.set("id", enc.id("obligation", o.id()));
      n.put("instrument", o.instrument());
      n.put("citation", o.citation());
      n.put("deadline", o.deadline().toString());
      ArrayNode d = n.putArray("duties");
      o.duties().forEach(x -> d.add(x.wireName()));
      n.put("preserve_for", o.preserveFor().toString());
      n.put("category", o.category().wireName());
    } else if (s instanceof Signal.AccountStanding) {
      Signal.AccountStanding a = (Signal.AccountStanding) s;
      n.set("account", enc.id("account", a.account().value()));
      n.put("strikes", a.strikes());
      n.put("suspended", a.suspended());
      a.accountAge().ifPresent(x -> n.put("account_age", x.toString()));
    } else if (s instanceof Signal.RoomActivity) {
      Signal.RoomActivity a = (Signal.RoomActivity) s;
      n.set("room", enc.id("room", a.room().value()));
      n.put("matches_in_window", a.matchesInWindow());
      n.put("window", a.window().toString());
    } else if (s instanceof Signal.ProfilePhotoMatch) {
      Signal.ProfilePhotoMatch m = (Signal.ProfilePhotoMatch) s;
      n.set("owner", enc.id("account", m.owner().value()));
      n.set("photo", enc.id("content", m.photo().value()));
      n.put("distance", m.distance());
    } else if (s instanceof Signal.ReportIntake) {
      reportIntake(enc, (Signal.ReportIntake) s, n);
    } else if (s instanceof Signal.ReportResolution) {
      reportResolution(enc, (Signal.ReportResolution) s, n);
    } else if (s instanceof Signal.Custom) {
      Signal.Custom c = (Signal.Custom) s;
      n.put("provider", c.provider());
      n.put("name", c.name());
      ObjectNode a = n.putObject("attributes");
      for (Map.Entry<String, String> e : new TreeMap<>(c.attributes()).entrySet()) {
        a.put(e.getKey(), enc.scrub(e.getValue()));
      }
    }
    return n;
  }

  // ------------------------------------------------------------------------------------------
  // The reputation model's signals (report_intake, report_resolution): one writer and one reader
  // each. Old logs' intake is a custom signal (provider "reputation", name "report_intake"), read
  // back as such; LegacyIntake names its attributes.

  private static void collectReportSignal(Enc enc, Signal s) {
    if (s instanceof Signal.ReportIntake) {
      Signal.ReportIntake i = (Signal.ReportIntake) s;
      collectTarget(enc, i.target());
      i.owner().ifPresent(o -> enc.collect("account", o.value()));
    } else {
      Signal.ReportResolution r = (Signal.ReportResolution) s;
      collectTarget(enc, r.target());
      r.misuse().forEach(f -> enc.collect("reporter", f.reporter().value()));
    }
  }

  private void reportIntake(Enc enc, Signal.ReportIntake i, ObjectNode n) {
    n.set("target", target(enc, i.target()));
    n.put("category", i.category().wireName());
    n.put("first_party", i.firstParty());
    n.put("duplicate", i.duplicate());
    n.put("misuse", i.misuse().wireName());
    i.suspendedUntil().ifPresent(t -> n.put("suspended_until", t.toString()));
    n.put("unfounded", i.unfounded());
    n.put("credibility", i.credibility());
    n.put("trusted_flagger", i.trustedFlagger());
    n.put("young", i.young());
    n.put("proven", i.proven());
    n.put("corroborated", i.corroborated());
    i.recheckAt().ifPresent(t -> n.put("recheck_at", t.toString()));
    i.attachedTo().ifPresent(d -> n.put("attached_to", d.value()));
    i.attachedCategory().ifPresent(c -> n.put("attached_category", c.wireName()));
    n.put("attached_trusted", i.attachedTrusted());
    n.put("escalates", i.escalates());
    n.put("reflag", i.reflag());
    ArrayNode cleared = n.putArray("cleared");
    i.cleared().forEach(c -> cleared.add(c.wireName()));
    n.put("linked_to_rejected", i.linkedToRejected());
    n.put("target_removed", i.targetRemoved());
    n.put("unproven", i.unproven());
    n.put("largest_cluster", i.largestCluster());
    ArrayNode correlation = n.putArray("correlation");
    i.correlation().forEach(c -> correlation.add(c.wireName()));
    i.owner().ifPresent(o -> n.set("owner", enc.id("account", o.value())));
    n.put("campaign_targets", i.campaignTargets());
    n.put("campaign_reporters", i.campaignReporters());
    n.put("campaign", i.campaign());
    n.put("score", i.score());
  }

  private static Signal.ReportIntake readReportIntake(JsonNode n) {
    Set<Category> cleared = java.util.EnumSet.noneOf(Category.class);
    req(n, "cleared").forEach(c -> cleared.add(Category.fromWire(c.asText())));
    Set<Signal.ReportIntake.Correlation> correlation = java.util.EnumSet.noneOf(Signal.ReportIntake.Correlation.class);
    req(n, "correlation").forEach(c -> correlation.add(Signal.ReportIntake.Correlation.fromWire(c.asText())));
    return new Signal.ReportIntake(readTarget(req(n, "target")), Category.fromWire(req(n, "category").asText()),
        req(n, "first_party").asBoolean(), req(n, "duplicate").asBoolean(),
        Signal.ReportIntake.Misuse.fromWire(req(n, "misuse").asText()), optInstant(n, "suspended_until"),
        req(n, "unfounded").asInt(), req(n, "credibility").asDouble(), req(n, "trusted_flagger").asBoolean(),
        req(n, "young").asBoolean(), req(n, "proven").asBoolean(), req(n, "corroborated").asBoolean(),
        optInstant(n, "recheck_at"),
        n.has("attached_to") ? Optional.of(DecisionId.of(n.get("attached_to").asText())) : Optional.empty(),
        n.has("attached_category") ? Optional.of(Category.fromWire(n.get("attached_category").asText()))
            : Optional.empty(),
        req(n, "attached_trusted").asBoolean(), req(n, "escalates").asBoolean(), req(n, "reflag").asBoolean(),
        cleared, req(n, "linked_to_rejected").asBoolean(), req(n, "target_removed").asBoolean(),
        req(n, "unproven").asInt(), req(n, "largest_cluster").asInt(), correlation,
        n.has("owner") ? Optional.of(AccountId.of(pseudonym(n.get("owner")))) : Optional.empty(),
        req(n, "campaign_targets").asInt(), req(n, "campaign_reporters").asInt(), req(n, "campaign").asBoolean(),
        req(n, "score").asDouble());
  }

  private void reportResolution(Enc enc, Signal.ReportResolution r, ObjectNode n) {
    n.set("target", target(enc, r.target()));
    n.put("verdict", r.verdict().wireName());
    ArrayNode covered = n.putArray("covered");
    r.covered().forEach(c -> covered.add(c.wireName()));
    n.put("confirmed", r.confirmed());
    n.put("rejected", r.rejected());
    n.put("untouched", r.untouched());
    ArrayNode misuse = n.putArray("misuse");
    for (Signal.ReportResolution.MisuseFinding f : r.misuse()) {
      ObjectNode m = misuse.addObject();
      m.set("reporter", enc.id("reporter", f.reporter().value()));
      m.put("trusted_flagger", f.trustedFlagger());
      m.put("unfounded", f.unfounded());
      m.put("share", f.share());
      m.put("step", f.step().wireName());
    }
  }

  private static Signal.ReportResolution readReportResolution(JsonNode n) {
    Set<Category> covered = java.util.EnumSet.noneOf(Category.class);
    req(n, "covered").forEach(c -> covered.add(Category.fromWire(c.asText())));
    List<Signal.ReportResolution.MisuseFinding> misuse = new ArrayList<>();
    for (JsonNode m : req(n, "misuse")) {
      misuse.add(new Signal.ReportResolution.MisuseFinding(ReporterId.of(pseudonym(req(m, "reporter"))),
          req(m, "trusted_flagger").asBoolean(), req(m, "unfounded").asInt(), req(m, "share").asDouble(),
          Signal.ReportResolution.Step.fromWire(req(m, "step").asText())));
    }
    return new Signal.ReportResolution(readTarget(req(n, "target")), Verdict.fromWire(req(n, "verdict").asText()),
        covered, req(n, "confirmed").asInt(), req(n, "rejected").asInt(), req(n, "untouched").asInt(), misuse);
  }

  static ObjectNode policyId(PolicyId p) {
    ObjectNode n = F.objectNode();
    n.put("name", p.name());
    n.put("version", p.version());
    n.put("config", p.configHash());
    return n;
  }

  private ObjectNode decision(Enc enc, Decision d) {
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
    return n;
  }

  private ObjectNode failure(Enc enc, PolicyFailure f) {
    ObjectNode n = F.objectNode();
    n.set("policy", policyId(f.policy()));
    n.put("kind", f.kind().name().toLowerCase(Locale.ROOT));
    n.put("message", enc.scrub(f.message()));
    n.put("applied", f.applied().wireName());
    return n;
  }

  private ArrayNode reasons(Enc enc, List<Reason> reasons) {
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

  private static ObjectNode ground(Enc enc, LegalGround g) {
    ObjectNode n = F.objectNode();
    n.put("kind", g.kind() == LegalGround.Kind.LAW ? "law" : "terms_of_service");
    n.put("citation", g.citation());
    n.put("explanation", enc.scrub(g.explanation()));
    return n;
  }

  private ArrayNode actions(Enc enc, List<Action> actions) {
    ArrayNode a = F.arrayNode();
    for (Action x : actions) {
      ObjectNode n = a.addObject();
      n.put("action", x.name());
      if (x instanceof Action.QueueForReview) {
        Action.QueueForReview q = (Action.QueueForReview) x;
        n.put("priority", q.priority().wireName());
        n.put("brigading", q.brigadingSuspected());
        n.put("lane", q.lane());
        if (q.score() != Action.QueueForReview.UNRANKED) {
          n.put("score", q.score());
        }
      } else if (x instanceof Action.Blur) {
        n.put("label", ((Action.Blur) x).label());
      } else if (x instanceof Action.SuspendAccount) {
        ((Action.SuspendAccount) x).duration().ifPresent(d -> n.put("duration", d.toString()));
      } else if (x instanceof Action.PreserveEvidence) {
        n.put("period", ((Action.PreserveEvidence) x).period().toString());
      } else if (x instanceof Action.ReportToAuthority) {
        Action.ReportToAuthority r = (Action.ReportToAuthority) x;
        n.put("authority", r.authority());
        n.put("no_tip_off", r.noTipOff());
      } else if (x instanceof Action.NotifyUser) {
        Action.NotifyUser u = (Action.NotifyUser) x;
        n.put("recipient", u.recipient().name().toLowerCase(Locale.ROOT));
        StatementOfReasons s = u.statement();
        ObjectNode sn = n.putObject("statement");
        sn.set("ground", ground(enc, s.ground()));
        sn.put("facts", enc.scrub(s.facts()));
        sn.put("automated_detection", s.automatedDetection());
        sn.put("automated_decision", s.automatedDecision());
        sn.put("redress", enc.scrub(s.redress()));
      } else if (x instanceof Action.Reinstate) {
        n.put("reversed", ((Action.Reinstate) x).reversed().value());
      } else if (!(x instanceof Action.Allow || x instanceof Action.RestrictForwarding || x instanceof Action.Remove
          || x instanceof Action.BlockReupload)) {
        // a new Action type must be added here and in readActions, or replay would lose its details
        throw new IllegalStateException("the decision log cannot encode action type " + x.getClass().getName());
      }
    }
    return a;
  }

  // ------------------------------------------------------------------------------------------
  // Reading

  /** Thrown when a record's JSON does not have the documented shape. */
  static final class FormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    FormatException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  static Evidence readEvidence(JsonNode n) {
    try {
      Instant now = Instant.parse(req(n, "now").asText());
      ModerationRequest r = readRequest(req(n, "request"));
      List<Signal> signals = new ArrayList<>();
      for (JsonNode s : req(n, "signals")) {
        signals.add(readSignal(s));
      }
      Map<String, String> versions = new TreeMap<>();
      for (Map.Entry<String, JsonNode> e : req(n, "versions").properties()) {
        versions.put(e.getKey(), e.getValue().asText());
      }
      return new Evidence(now, r, signals, versions);
    } catch (RuntimeException e) {
      throw e instanceof FormatException ? e : new FormatException("evidence: " + e.getMessage(), e);
    }
  }

  static Decision readDecision(JsonNode n) {
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
      return new Decision(DecisionId.of(req(n, "id").asText()), Instant.parse(req(n, "at").asText()),
          readActions(req(n, "actions")), readReasons(req(n, "reasons")), optInstant(n, "deadline"), policies,
          failures, shadow);
    } catch (RuntimeException e) {
      throw e instanceof FormatException ? e : new FormatException("decision: " + e.getMessage(), e);
    }
  }

  static JsonNode req(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      throw new FormatException("missing field '" + field + "'", null);
    }
    return v;
  }

  private static Optional<Instant> optInstant(JsonNode n, String field) {
    return n.has(field) ? Optional.of(Instant.parse(n.get(field).asText())) : Optional.empty();
  }

  private static Optional<String> optText(JsonNode n, String field) {
    return n.has(field) ? Optional.of(readText(n.get(field))) : Optional.empty();
  }

  /** A masked text reads back as a deterministic placeholder. */
  static String readText(JsonNode n) {
    if (n.isTextual()) {
      return n.asText();
    }
    return "[masked " + req(n, "masked").asInt() + " chars #" + req(n, "h").asText() + "]";
  }

  static String pseudonym(JsonNode idNode) {
    return req(idNode, "p").asText();
  }

  static PolicyId readPolicyId(JsonNode n) {
    return new PolicyId(req(n, "name").asText(), req(n, "version").asText(), req(n, "config").asText());
  }

  private static Target readTarget(JsonNode n) {
    String kind = req(n, "kind").asText();
    String p = pseudonym(req(n, "id"));
    switch (kind) {
      case "content":
        return Target.content(ContentId.of(p));
      case "account":
        return Target.account(AccountId.of(p));
      case "room":
        return Target.room(RoomId.of(p));
      default:
        throw new FormatException("unknown target kind '" + kind + "'", null);
    }
  }

  private static <E extends Enum<E>> E enumOf(Class<E> type, JsonNode n) {
    return Enum.valueOf(type, n.asText().toUpperCase(Locale.ROOT));
  }

  private static ModerationRequest readRequest(JsonNode n) {
    String type = req(n, "type").asText();
    switch (type) {
      case "content": {
        JsonNode c = req(n, "content");
        JsonNode fp = req(c, "fingerprints");
        Fingerprints f = Fingerprints.none();
        if (fp.has("sha256")) {
          f = f.withSha256(Sha256.fromHex(fp.get("sha256").asText()));
        }
        if (fp.has("md5")) {
          f = f.withMd5(Md5.fromHex(fp.get("md5").asText()));
        }
        if (fp.has("pdq")) {
          JsonNode p = fp.get("pdq");
          List<PdqHash> variants = new ArrayList<>();
          for (JsonNode v : req(p, "variants")) {
            variants.add(PdqHash.fromHex(v.asText()));
          }
          f = f.withPdq(new Pdq(PdqHash.fromHex(req(p, "hash").asText()), req(p, "quality").asInt(), variants));
        }
        Set<Jurisdiction> js = new java.util.LinkedHashSet<>();
        for (JsonNode j : req(c, "jurisdictions")) {
          js.add(Jurisdiction.of(j.asText()));
        }
        Content content = new Content(ContentId.of(pseudonym(req(c, "id"))), ContentKind.fromWire(req(c, "kind").asText()),
            Surface.fromWire(req(c, "surface").asText()), js, f, optText(c, "text"));
        return new ContentEvent(enumOf(ContentEvent.Action.class, req(n, "action")), content,
            AccountId.of(pseudonym(req(n, "account"))),
            n.has("room") ? Optional.of(RoomId.of(pseudonym(n.get("room")))) : Optional.empty(),
            n.has("forwarded_from") ? Optional.of(ContentId.of(pseudonym(n.get("forwarded_from")))) : Optional.empty(),
            req(n, "protect").asBoolean(), Optional.empty());
      }
      case "report":
        return new UserReport(ReporterId.of(pseudonym(req(n, "reporter"))), readTarget(req(n, "target")),
            Category.fromWire(req(n, "category").asText()), optText(n, "text"),
            n.path("first_party").asBoolean(false));
      case "notice": {
        Map<String, String> fields = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : req(n, "fields").properties()) {
          fields.put(e.getKey(), readText(e.getValue()));
        }
        return new LegalNotice(pseudonym(req(n, "notice_id")), req(n, "instrument").asText(),
            ContentId.of(pseudonym(req(n, "content"))), NoticeSender.fromWire(req(n, "sender").asText()), fields,
            Instant.parse(req(n, "received_at").asText()));
      }
      case "review":
        return new ReviewOutcome(readTarget(req(n, "target")), Verdict.fromWire(req(n, "verdict").asText()),
            n.has("category") ? Optional.of(Category.fromWire(n.get("category").asText())) : Optional.empty(),
            optText(n, "note"));
      case "appeal":
        return new Appeal(pseudonym(req(n, "appeal_id")), DecisionId.of(req(n, "decision").asText()),
            ContentId.of(pseudonym(req(n, "content"))), AccountId.of(pseudonym(req(n, "appellant"))),
            Instant.parse(req(n, "informed_at").asText()), optText(n, "reason"));
      case "account":
        return new AccountEvent(AccountId.of(pseudonym(req(n, "account"))), Instant.parse(req(n, "created_at").asText()),
            req(n, "trusted_flagger").asBoolean(), optText(n, "organisation"));
      default:
        throw new FormatException("unknown request type '" + type + "'", null);
    }
  }

  private static Signal readSignal(JsonNode n) {
    String type = req(n, "type").asText();
    switch (type) {
      case "hash_match":
        return new Signal.HashMatch(req(n, "bank").asText(), req(n, "bank_version").asLong(),
            Category.fromWire(req(n, "category").asText()), MatchType.fromWire(req(n, "match_type").asText()),
            req(n, "entry").asText(), req(n, "distance").asInt(), req(n, "max_distance").asInt(),
            req(n, "quality").asInt(), req(n, "review_only").asBoolean());
      case "reports":
        return new Signal.Reports(readTarget(req(n, "target")), Category.fromWire(req(n, "category").asText()),
            req(n, "reports").asInt(), req(n, "weight").asDouble(), req(n, "trusted_flagger_reports").asInt(),
            req(n, "max_reporter_credibility").asDouble(), req(n, "brigading").asBoolean(), req(n, "model").asText());
      case "notice_check": {
        List<String> missing = new ArrayList<>();
        req(n, "missing").forEach(x -> missing.add(x.asText()));
        return new Signal.NoticeCheck(req(n, "instrument").asText(), req(n, "known").asBoolean(), missing,
            req(n, "duplicate").asBoolean());
      }
      case "obligation": {
        List<Duty> duties = new ArrayList<>();
        req(n, "duties").forEach(x -> duties.add(enumOf(Duty.class, x)));
        return new Signal.Obligation(pseudonym(req(n, "id")), req(n, "instrument").asText(), req(n, "citation").asText(),
            Instant.parse(req(n, "deadline").asText()), duties, Duration.parse(req(n, "preserve_for").asText()),
            Category.fromWire(req(n, "category").asText()));
      }
      case "account_standing":
        return new Signal.AccountStanding(AccountId.of(pseudonym(req(n, "account"))), req(n, "strikes").asInt(),
            req(n, "suspended").asBoolean(),
            n.has("account_age") ? Optional.of(Duration.parse(n.get("account_age").asText())) : Optional.empty());
      case "room_activity":
        return new Signal.RoomActivity(RoomId.of(pseudonym(req(n, "room"))), req(n, "matches_in_window").asInt(),
            Duration.parse(req(n, "window").asText()));
      case "profile_photo_match":
        return new Signal.ProfilePhotoMatch(AccountId.of(pseudonym(req(n, "owner"))),
            ContentId.of(pseudonym(req(n, "photo"))), req(n, "distance").asInt());
      case "report_intake":
        return readReportIntake(n);
      case "report_resolution":
        return readReportResolution(n);
      case "custom": {
        Map<String, String> attrs = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : req(n, "attributes").properties()) {
          attrs.put(e.getKey(), e.getValue().asText());
        }
        return new Signal.Custom(req(n, "provider").asText(), req(n, "name").asText(), attrs);
      }
      default:
        throw new FormatException("unknown signal type '" + type + "'", null);
    }
  }

  private static PolicyFailure readFailure(JsonNode n) {
    return new PolicyFailure(readPolicyId(req(n, "policy")), enumOf(PolicyFailure.Kind.class, req(n, "kind")),
        req(n, "message").asText(), FailMode.fromWire(req(n, "applied").asText()));
  }

  private static List<Reason> readReasons(JsonNode a) {
    List<Reason> out = new ArrayList<>();
    for (JsonNode n : a) {
      out.add(new Reason(readPolicyId(req(n, "policy")), req(n, "code").asText(), req(n, "explanation").asText(),
          n.has("category") ? Optional.of(Category.fromWire(n.get("category").asText())) : Optional.empty(),
          n.has("ground") ? Optional.of(readGround(n.get("ground"))) : Optional.empty()));
    }
    return out;
  }

  static LegalGround readGround(JsonNode n) {
    LegalGround.Kind kind = "law".equals(req(n, "kind").asText()) ? LegalGround.Kind.LAW
        : LegalGround.Kind.TERMS_OF_SERVICE;
    return new LegalGround(kind, req(n, "citation").asText(), req(n, "explanation").asText());
  }

  private static List<Action> readActions(JsonNode a) {
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
          out.add(new Action.NotifyUser(enumOf(Action.Recipient.class, req(n, "recipient")),
              new StatementOfReasons(readGround(req(s, "ground")), req(s, "facts").asText(),
                  req(s, "automated_detection").asBoolean(), req(s, "automated_decision").asBoolean(),
                  req(s, "redress").asText())));
          break;
        }
        case "reinstate":
          out.add(new Action.Reinstate(DecisionId.of(req(n, "reversed").asText())));
          break;
        default:
          throw new FormatException("unknown action '" + name + "'", null);
      }
    }
    return out;
  }
}

package dev.haetae.moderation.core.audit;

import static dev.haetae.moderation.core.audit.Encoding.F;
import static dev.haetae.moderation.core.audit.Json.instant;
import static dev.haetae.moderation.core.audit.Json.optInstant;
import static dev.haetae.moderation.core.audit.Json.optString;
import static dev.haetae.moderation.core.audit.Json.pseudonym;
import static dev.haetae.moderation.core.audit.Json.req;
import static dev.haetae.moderation.core.audit.Json.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.DecisionId;
import dev.haetae.moderation.api.Duty;
import dev.haetae.moderation.api.ExternalHit;
import dev.haetae.moderation.api.ExternalProvenance;
import dev.haetae.moderation.api.MatchType;
import dev.haetae.moderation.api.ReporterId;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.Surface;
import dev.haetae.moderation.api.Verdict;
import java.time.Duration;
import java.time.Period;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Signals in a record: written pseudonymized, read back. Dispatch is a switch expression over
 * {@link Signal.Kind}, so a new signal type does not compile until it is written here. Stateless.
 */
final class SignalCodec {
  /**
   * The field name under which custom-signal attributes are masked: never one of the free-text
   * fields a log may keep ({@link RecordCodec#TEXT_FIELDS}), so always masked.
   */
  private static final String MASKED_ATTRIBUTE = "custom.attribute";

  private SignalCodec() {}

  /**
   * The ids a signal names, collected before anything is written.
   *
   * @return whether the signal names any
   */
  static boolean collectIds(Encoding enc, Signal s) {
    return switch (s.signalKind()) {
      case REPORTS -> {
        RequestCodec.collectTarget(enc, ((Signal.Reports) s).target());
        yield true;
      }
      case OBLIGATION -> {
        enc.collect("obligation", ((Signal.Obligation) s).id());
        yield true;
      }
      case ACCOUNT_STANDING -> {
        enc.collect("account", ((Signal.AccountStanding) s).account().value());
        yield true;
      }
      case ROOM_ACTIVITY -> {
        enc.collect("room", ((Signal.RoomActivity) s).room().value());
        yield true;
      }
      case PROFILE_PHOTO_MATCH -> {
        Signal.ProfilePhotoMatch m = (Signal.ProfilePhotoMatch) s;
        enc.collect("account", m.owner().value());
        enc.collect("content", m.photo().value());
        yield true;
      }
      case NOTICE_RECEIPT -> {
        ((Signal.NoticeReceipt) s).obligation().ifPresent(o -> enc.collect("obligation", o));
        yield true;
      }
      case APPEAL_WINDOW -> {
        Signal.AppealWindow w = (Signal.AppealWindow) s;
        enc.collect("appeal", w.appealId());
        w.obligation().ifPresent(o -> enc.collect("obligation", o));
        yield true;
      }
      case APPEAL_REVIEW -> {
        Signal.AppealReview r = (Signal.AppealReview) s;
        enc.collect("appeal", r.appealId());
        enc.collect("obligation", r.obligation());
        yield true;
      }
      case KNOWN_CONTENT -> {
        Signal.KnownContent k = (Signal.KnownContent) s;
        enc.collect("content", k.content().value());
        enc.collect("account", k.account().value());
        k.room().ifPresent(r -> enc.collect("room", r.value()));
        k.identicalCopies().forEach(c -> enc.collect("content", c.value()));
        yield true;
      }
      case REPORT_INTAKE, REPORT_RESOLUTION -> {
        collectReportSignal(enc, s);
        yield true;
      }
      case HASH_MATCH, NOTICE_CHECK, TEXT_FINDINGS, NOT_HASHED, EXTERNAL_MATCH, TEMPORARY_MEASURE, CONFIRMATION_CHECK,
          CUSTOM -> false;
    };
  }

  static ObjectNode write(Encoding enc, Signal s) {
    ObjectNode n = F.objectNode();
    n.put("type", s.kind());
    boolean unused = switch (s.signalKind()) {
      case HASH_MATCH -> {
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
        m.addedAt().ifPresent(t -> n.put("added_at", t.toString()));
        m.uploader().ifPresent(u -> n.put("uploader", u)); // already a keyed pseudonym
        yield true;
      }
      case REPORTS -> {
        Signal.Reports r = (Signal.Reports) s;
        n.set("target", RequestCodec.target(enc, r.target()));
        n.put("category", r.category().wireName());
        n.put("reports", r.reports());
        n.put("weight", r.weight());
        n.put("trusted_flagger_reports", r.trustedFlaggerReports());
        n.put("max_reporter_credibility", r.maxReporterCredibility());
        n.put("brigading", r.brigadingSuspected());
        n.put("model", r.model());
        yield true;
      }
      case NOTICE_CHECK -> {
        Signal.NoticeCheck c = (Signal.NoticeCheck) s;
        n.put("instrument", c.instrument());
        n.put("known", c.known());
        ArrayNode m = n.putArray("missing");
        c.missing().forEach(x -> m.add(enc.scrub(x)));
        n.put("duplicate", c.duplicate());
        yield true;
      }
      case OBLIGATION -> {
        Signal.Obligation o = (Signal.Obligation) s;
        n.set("id", enc.id("obligation", o.id()));
        n.put("instrument", o.instrument());
        n.put("citation", o.citation());
        n.put("deadline", o.deadline().toString());
        ArrayNode d = n.putArray("duties");
        o.duties().forEach(x -> d.add(x.wireName()));
        n.put("preserve_for", o.preserveFor().toString());
        n.put("category", o.category().wireName());
        yield true;
      }
      case ACCOUNT_STANDING -> {
        Signal.AccountStanding a = (Signal.AccountStanding) s;
        n.set("account", enc.id("account", a.account().value()));
        n.put("strikes", a.strikes());
        n.put("suspended", a.suspended());
        a.accountAge().ifPresent(x -> n.put("account_age", x.toString()));
        yield true;
      }
      case ROOM_ACTIVITY -> {
        Signal.RoomActivity a = (Signal.RoomActivity) s;
        n.set("room", enc.id("room", a.room().value()));
        n.put("matches_in_window", a.matchesInWindow());
        n.put("window", a.window().toString());
        yield true;
      }
      case PROFILE_PHOTO_MATCH -> {
        Signal.ProfilePhotoMatch m = (Signal.ProfilePhotoMatch) s;
        n.set("owner", enc.id("account", m.owner().value()));
        n.set("photo", enc.id("content", m.photo().value()));
        n.put("distance", m.distance());
        yield true;
      }
      case NOTICE_RECEIPT -> {
        Signal.NoticeReceipt r = (Signal.NoticeReceipt) s;
        n.put("instrument", r.instrument());
        n.put("valid", r.valid());
        n.put("duplicate", r.duplicate());
        r.obligation().ifPresent(o -> n.set("obligation", enc.id("obligation", o)));
        r.state().ifPresent(x -> n.put("state", x.wireName()));
        r.deadline().ifPresent(x -> n.put("deadline", x.toString()));
        yield true;
      }
      case APPEAL_WINDOW -> {
        Signal.AppealWindow w = (Signal.AppealWindow) s;
        n.set("appeal", enc.id("appeal", w.appealId()));
        n.put("decision", w.decision().value());
        n.put("decision_known", w.decisionKnown());
        w.governingInstrument().ifPresent(x -> n.put("governing_instrument", x));
        n.put("appeal_instrument", w.appealInstrument());
        n.put("citation", w.citation());
        n.put("window", w.window().toString());
        n.put("informed_at", w.informedAt().toString());
        n.put("window_ends", w.windowEnds().toString());
        n.put("within", w.within());
        n.put("duplicate", w.duplicate());
        w.obligation().ifPresent(o -> n.set("obligation", enc.id("obligation", o)));
        yield true;
      }
      case APPEAL_REVIEW -> {
        Signal.AppealReview r = (Signal.AppealReview) s;
        n.set("appeal", enc.id("appeal", r.appealId()));
        n.put("decision", r.decision().value());
        n.set("obligation", enc.id("obligation", r.obligation()));
        n.put("instrument", r.instrument());
        n.put("citation", r.citation());
        n.put("restrictive", r.restrictive());
        yield true;
      }
      case KNOWN_CONTENT -> {
        Signal.KnownContent k = (Signal.KnownContent) s;
        n.set("content", enc.id("content", k.content().value()));
        n.set("fingerprints", RequestCodec.fingerprints(k.fingerprints()));
        n.set("account", enc.id("account", k.account().value()));
        k.room().ifPresent(r -> n.set("room", enc.id("room", r.value())));
        n.put("surface", k.surface().wireName());
        n.put("removed", k.removed());
        k.postedAt().ifPresent(t -> n.put("posted_at", t.toString()));
        k.secondReviewOf().ifPresent(d -> n.put("second_review_of", d.value()));
        k.poster().ifPresent(p -> n.put("poster", p)); // already a keyed pseudonym
        if (!k.identicalCopies().isEmpty()) {
          ArrayNode copies = n.putArray("identical_copies");
          k.identicalCopies().forEach(c -> copies.add(enc.id("content", c.value())));
        }
        yield true;
      }
      case TEXT_FINDINGS -> {
        Signal.TextFindings f = (Signal.TextFindings) s;
        n.put("field", f.field());
        n.put("detector", f.detector());
        n.put("scanned", f.scanned());
        ArrayNode d = n.putArray("details");
        f.details().forEach(d::add);
        yield true;
      }
      case NOT_HASHED -> {
        n.put("reason", enc.scrub(((Signal.NotHashed) s).reason()));
        yield true;
      }
      case REPORT_INTAKE -> {
        reportIntake(enc, (Signal.ReportIntake) s, n);
        yield true;
      }
      case REPORT_RESOLUTION -> {
        reportResolution(enc, (Signal.ReportResolution) s, n);
        yield true;
      }
      case EXTERNAL_MATCH -> {
        externalMatch((Signal.ExternalMatch) s, n);
        yield true;
      }
      case CONFIRMATION_CHECK -> {
        Signal.ConfirmationCheck c = (Signal.ConfirmationCheck) s;
        n.put("decision", c.decision().value());
        n.put("action", c.action().wireName());
        n.put("standing", c.standing().wireName());
        yield true;
      }
      case TEMPORARY_MEASURE -> {
        Signal.TemporaryMeasure m = (Signal.TemporaryMeasure) s;
        n.put("instrument", m.instrument());
        m.measure().ifPresent(d -> n.put("measure", d.value()));
        n.put("start", m.start().toString());
        n.put("until", m.until().toString());
        yield true;
      }
      case CUSTOM -> {
        Signal.Custom c = (Signal.Custom) s;
        n.put("provider", c.provider());
        n.put("name", c.name());
        ObjectNode a = n.putObject("attributes");
        for (Map.Entry<String, String> e : new TreeMap<>(c.attributes()).entrySet()) {
          if (c.safe().contains(e.getKey())) {
            a.put(e.getKey(), enc.scrub(e.getValue()));
          } else {
            // not declared safe by its provider: masked as free text is, its length and a keyed hash
            a.set(e.getKey(), enc.text(MASKED_ATTRIBUTE, e.getValue()));
          }
        }
        yield true;
      }
    };
    return n;
  }

  /**
   * Reads a signal of a record of the given format. In format 1 the engine's own facts travelled as
   * custom signals; they are read back as the typed signals that replaced them, so that the policies
   * of today replay those records.
   */
  static Signal read(JsonNode n, int format) {
    Signal s = read(n);
    return format == 1 && s instanceof Signal.Custom ? Legacy.typed((Signal.Custom) s) : s;
  }

  static Signal read(JsonNode n) {
    String type = req(n, "type").asText();
    switch (type) {
      case "hash_match":
        return new Signal.HashMatch(text(n, "bank"), req(n, "bank_version").asLong(),
            Category.fromWire(text(n, "category")), MatchType.fromWire(text(n, "match_type")),
            text(n, "entry"), req(n, "distance").asInt(), req(n, "max_distance").asInt(),
            req(n, "quality").asInt(), req(n, "review_only").asBoolean(), optInstant(n, "added_at"),
            optString(n, "uploader"));
      case "reports":
        return new Signal.Reports(RequestCodec.readTarget(req(n, "target")), Category.fromWire(text(n, "category")),
            req(n, "reports").asInt(), req(n, "weight").asDouble(), req(n, "trusted_flagger_reports").asInt(),
            req(n, "max_reporter_credibility").asDouble(), req(n, "brigading").asBoolean(), text(n, "model"));
      case "notice_check": {
        List<String> missing = new ArrayList<>();
        req(n, "missing").forEach(x -> missing.add(x.asText()));
        return new Signal.NoticeCheck(text(n, "instrument"), req(n, "known").asBoolean(), missing,
            req(n, "duplicate").asBoolean());
      }
      case "obligation": {
        List<Duty> duties = new ArrayList<>();
        req(n, "duties").forEach(x -> duties.add(Json.enumOf(Duty.class, x)));
        return new Signal.Obligation(pseudonym(req(n, "id")), text(n, "instrument"), text(n, "citation"),
            instant(n, "deadline"), duties, Duration.parse(text(n, "preserve_for")),
            Category.fromWire(text(n, "category")));
      }
      case "account_standing":
        return new Signal.AccountStanding(AccountId.of(pseudonym(req(n, "account"))), req(n, "strikes").asInt(),
            req(n, "suspended").asBoolean(),
            n.has("account_age") ? Optional.of(Duration.parse(n.get("account_age").asText())) : Optional.empty());
      case "room_activity":
        return new Signal.RoomActivity(RoomId.of(pseudonym(req(n, "room"))), req(n, "matches_in_window").asInt(),
            Duration.parse(text(n, "window")));
      case "profile_photo_match":
        return new Signal.ProfilePhotoMatch(AccountId.of(pseudonym(req(n, "owner"))),
            ContentId.of(pseudonym(req(n, "photo"))), req(n, "distance").asInt());
      case "confirmation_check":
        return new Signal.ConfirmationCheck(DecisionId.of(text(n, "decision")),
            Json.enumOf(dev.haetae.moderation.api.Action.Kind.class, req(n, "action")),
            Json.enumOf(Signal.ConfirmationCheck.Standing.class, req(n, "standing")));
      case "temporary_measure":
        return new Signal.TemporaryMeasure(text(n, "instrument"),
            n.has("measure") ? Optional.of(DecisionId.of(text(n, "measure"))) : Optional.empty(),
            instant(n, "start"), instant(n, "until"));
      case "notice_receipt":
        return new Signal.NoticeReceipt(text(n, "instrument"), req(n, "valid").asBoolean(),
            req(n, "duplicate").asBoolean(),
            n.has("obligation") ? Optional.of(pseudonym(n.get("obligation"))) : Optional.empty(),
            n.has("state") ? Optional.of(Json.enumOf(Signal.ObligationState.class, n.get("state"))) : Optional.empty(),
            optInstant(n, "deadline"));
      case "appeal_window":
        return new Signal.AppealWindow(pseudonym(req(n, "appeal")), DecisionId.of(text(n, "decision")),
            req(n, "decision_known").asBoolean(), optString(n, "governing_instrument"), text(n, "appeal_instrument"),
            text(n, "citation"), Period.parse(text(n, "window")), instant(n, "informed_at"), instant(n, "window_ends"),
            req(n, "within").asBoolean(), req(n, "duplicate").asBoolean(),
            n.has("obligation") ? Optional.of(pseudonym(n.get("obligation"))) : Optional.empty());
      case "appeal_review":
        return new Signal.AppealReview(pseudonym(req(n, "appeal")), DecisionId.of(text(n, "decision")),
            pseudonym(req(n, "obligation")), text(n, "instrument"), text(n, "citation"),
            req(n, "restrictive").asBoolean());
      case "known_content":
        return new Signal.KnownContent(ContentId.of(pseudonym(req(n, "content"))),
            RequestCodec.readFingerprints(req(n, "fingerprints")), AccountId.of(pseudonym(req(n, "account"))),
            n.has("room") ? Optional.of(RoomId.of(pseudonym(n.get("room")))) : Optional.empty(),
            Surface.fromWire(text(n, "surface")), req(n, "removed").asBoolean(), optInstant(n, "posted_at"),
            n.has("second_review_of") ? Optional.of(DecisionId.of(text(n, "second_review_of"))) : Optional.empty(),
            contentIds(n, "identical_copies"), optString(n, "poster"));
      case "text_findings": {
        List<String> details = new ArrayList<>();
        req(n, "details").forEach(x -> details.add(x.asText()));
        return new Signal.TextFindings(text(n, "field"), text(n, "detector"), req(n, "scanned").asInt(), details);
      }
      case "not_hashed":
        return new Signal.NotHashed(text(n, "reason"));
      case "report_intake":
        return readReportIntake(n);
      case "report_resolution":
        return readReportResolution(n);
      case "external_match":
        return readExternalMatch(n);
      case "custom": {
        // before 0.2 every attribute was written in clear; since, those not declared safe are
        // masked and read back as placeholders, and the clear ones are the signal's safe set
        Map<String, String> attrs = new LinkedHashMap<>();
        Set<String> safe = new java.util.HashSet<>();
        for (Map.Entry<String, JsonNode> e : req(n, "attributes").properties()) {
          attrs.put(e.getKey(), Json.readText(e.getValue()));
          if (e.getValue().isTextual()) {
            safe.add(e.getKey());
          }
        }
        return new Signal.Custom(text(n, "provider"), text(n, "name"), attrs, safe);
      }
      default:
        throw new Json.FormatException("unknown signal type '" + type + "'", null);
    }
  }

  // ------------------------------------------------------------------------------------------
  // External matchers' hits: the matcher, its provenance and the hit, all in clear (ids of lists
  // and entries, never content or people).

  private static void externalMatch(Signal.ExternalMatch m, ObjectNode n) {
    n.put("matcher", m.matcher());
    ObjectNode p = n.putObject("provenance");
    p.put("vendor", m.provenance().vendor());
    p.put("product", m.provenance().product());
    p.put("version", m.provenance().version());
    m.provenance().certification().ifPresent(c -> p.put("certification", c));
    p.put("list_version", m.provenance().listVersion());
    n.put("signal_type", m.hit().signalType());
    n.put("list", m.hit().list());
    n.put("entry", m.hit().entry());
    n.put("score", m.hit().score());
    n.put("measure", m.hit().measure().wireName());
    n.put("threshold", m.hit().threshold());
    n.put("category", m.hit().category().wireName());
  }

  private static Signal.ExternalMatch readExternalMatch(JsonNode n) {
    JsonNode p = req(n, "provenance");
    ExternalProvenance prov = new ExternalProvenance(text(p, "vendor"), text(p, "product"), text(p, "version"),
        optString(p, "certification"), text(p, "list_version"));
    ExternalHit hit = new ExternalHit(text(n, "signal_type"), text(n, "list"), text(n, "entry"),
        number(n, "score"), ExternalHit.Measure.fromWire(text(n, "measure")), number(n, "threshold"),
        Category.fromWire(text(n, "category")));
    return new Signal.ExternalMatch(text(n, "matcher"), prov, hit);
  }

  /** A number field, refused when it holds anything else (a hit's score is never read as 0 by mistake). */
  private static double number(JsonNode n, String field) {
    JsonNode v = req(n, field);
    if (!v.isNumber()) {
      throw new Json.FormatException("'" + field + "' must be a number, got " + v.getNodeType(), null);
    }
    return v.asDouble();
  }

  // ------------------------------------------------------------------------------------------
  // The reputation model's signals (report_intake, report_resolution): one writer and one reader
  // each. Format-1 logs' intake is a custom signal (provider "reputation", name "report_intake"),
  // read back as such; dev.haetae.moderation.core.reputation.LegacyIntake names its attributes.

  /** An optional array of pseudonymized content ids (absent in records written before it existed). */
  static List<ContentId> contentIds(JsonNode n, String field) {
    if (!n.has(field)) {
      return List.of();
    }
    JsonNode a = n.get(field);
    if (!a.isArray()) {
      throw new Json.FormatException("'" + field + "' is not an array", null);
    }
    List<ContentId> out = new ArrayList<>(a.size());
    for (JsonNode x : a) {
      out.add(ContentId.of(pseudonym(x)));
    }
    return out;
  }

  private static void collectReportSignal(Encoding enc, Signal s) {
    if (s instanceof Signal.ReportIntake) {
      Signal.ReportIntake i = (Signal.ReportIntake) s;
      RequestCodec.collectTarget(enc, i.target());
      i.owner().ifPresent(o -> enc.collect("account", o.value()));
    } else {
      Signal.ReportResolution r = (Signal.ReportResolution) s;
      RequestCodec.collectTarget(enc, r.target());
      r.misuse().forEach(f -> enc.collect("reporter", f.reporter().value()));
    }
  }

  private static void reportIntake(Encoding enc, Signal.ReportIntake i, ObjectNode n) {
    n.set("target", RequestCodec.target(enc, i.target()));
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
    return new Signal.ReportIntake(RequestCodec.readTarget(req(n, "target")), Category.fromWire(req(n, "category").asText()),
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

  private static void reportResolution(Encoding enc, Signal.ReportResolution r, ObjectNode n) {
    n.set("target", RequestCodec.target(enc, r.target()));
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
    if (r.coordinated()) {
      n.put("coordinated", true); // written only when true: records before it decode as false
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
    return new Signal.ReportResolution(RequestCodec.readTarget(req(n, "target")), Verdict.fromWire(req(n, "verdict").asText()),
        covered, req(n, "confirmed").asInt(), req(n, "rejected").asInt(), req(n, "untouched").asInt(), misuse,
        n.has("coordinated") && n.get("coordinated").asBoolean());
  }

  /** The custom signals of record format 1 that carried the engine's own facts, and their typed form. */
  static final class Legacy {
    static final String LEGAL = "haetae-legal";
    static final String HASH = "haetae-hash";

    private Legacy() {}

    static Signal typed(Signal.Custom c) {
      Map<String, String> a = c.attributes();
      try {
        if (c.provider().equals(LEGAL) && c.name().equals("notice_receipt")) {
          return new Signal.NoticeReceipt(a.get("instrument"), Boolean.parseBoolean(a.get("valid")),
              Boolean.parseBoolean(a.get("duplicate")), Optional.ofNullable(a.get("obligation")),
              Optional.ofNullable(a.get("status")).map(x -> Signal.ObligationState.valueOf(
                  x.toUpperCase(java.util.Locale.ROOT))),
              Optional.ofNullable(a.get("deadline")).map(java.time.Instant::parse));
        }
        if (c.provider().equals(LEGAL) && c.name().equals("appeal")) {
          String governing = a.get("governing_instrument");
          return new Signal.AppealWindow(a.get("appeal"), DecisionId.of(a.get("decision")),
              Boolean.parseBoolean(a.get("decision_known")),
              governing == null || governing.equals("none") ? Optional.empty() : Optional.of(governing),
              a.get("appeal_instrument"), a.get("citation"), Period.parse(a.get("window")),
              java.time.Instant.parse(a.get("informed_at")), java.time.Instant.parse(a.get("window_ends")),
              Boolean.parseBoolean(a.get("within")), Boolean.parseBoolean(a.get("duplicate")),
              Optional.ofNullable(a.get("obligation")));
        }
        if (c.provider().equals(LEGAL) && c.name().equals("appeal_review")) {
          return new Signal.AppealReview(a.get("appeal"), DecisionId.of(a.get("decision")), a.get("obligation"),
              a.get("instrument"), a.get("citation"), Boolean.parseBoolean(a.get("restrictive")));
        }
        if (c.provider().equals(HASH) && c.name().equals("image_not_hashed")) {
          return new Signal.NotHashed(a.getOrDefault("reason", ""));
        }
      } catch (RuntimeException e) {
        throw new Json.FormatException("format-1 signal " + c.provider() + "/" + c.name() + ": " + e.getMessage(), e);
      }
      return c;
    }
  }
}

package dev.haetae.moderation.core.audit;

import static dev.haetae.moderation.core.audit.Encoding.F;
import static dev.haetae.moderation.core.audit.Json.duration;
import static dev.haetae.moderation.core.audit.Json.instant;
import static dev.haetae.moderation.core.audit.Json.optInstant;
import static dev.haetae.moderation.core.audit.Json.optString;
import static dev.haetae.moderation.core.audit.Json.pseudonym;
import static dev.haetae.moderation.core.audit.Json.req;
import static dev.haetae.moderation.core.audit.Json.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haetae.moderation.api.AccountEvent;
import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.DecisionId;
import dev.haetae.moderation.api.Duty;
import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.ModerationRequest;
import dev.haetae.moderation.api.ObligationEvent;
import dev.haetae.moderation.api.ReporterSanction;
import dev.haetae.moderation.api.ReviewOutcome;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.Surface;
import dev.haetae.moderation.api.UserReport;
import dev.haetae.moderation.api.spi.EvidenceHold;
import dev.haetae.moderation.api.spi.ObligationRecord;
import dev.haetae.moderation.core.effect.Effect;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A decision's effects, obligation events, obligations and evidence holds in a record: written
 * pseudonymized, read back. Effect dispatch is a switch expression over {@link Effect.Kind}, so a
 * new effect type does not compile until it is written here. Stateless.
 */
final class EffectCodec {
  private EffectCodec() {}

  static ArrayNode write(Encoding enc, List<Effect> effects) {
    ArrayNode a = F.arrayNode();
    for (Effect e : effects) {
      a.add(write(enc, e));
    }
    return a;
  }

  private static ObjectNode content(Encoding enc, ContentId c) {
    return enc.id("content", c.value());
  }

  private static ObjectNode write(Encoding enc, Effect effect) {
    ObjectNode n = F.objectNode();
    n.put("type", effect.kind().wireName());
    boolean unused = switch (effect.kind()) {
      case REMEMBER_CONTENT -> {
        Effect.RememberContent e = (Effect.RememberContent) effect;
        n.set("content", content(enc, e.content()));
        n.set("fingerprints", RequestCodec.fingerprints(e.fingerprints()));
        n.set("account", enc.id("account", e.account().value()));
        e.room().ifPresent(r -> n.set("room", enc.id("room", r.value())));
        n.put("surface", e.surface().wireName());
        e.at().ifPresent(t -> n.put("at", t.toString()));
        yield true;
      }
      case CLEAR_PENDING_COPIES -> {
        n.set("content", content(enc, ((Effect.ClearPendingCopies) effect).content()));
        yield true;
      }
      case BANK_FINGERPRINTS -> {
        Effect.BankFingerprints e = (Effect.BankFingerprints) effect;
        n.put("bank", e.bank());
        n.put("category", e.category().wireName());
        n.set("fingerprints", RequestCodec.fingerprints(e.fingerprints()));
        n.put("reason", enc.scrub(e.reason()));
        e.uploader().ifPresent(u -> n.put("uploader", u)); // already a keyed pseudonym
        yield true;
      }
      case PROTECT_PHOTO -> {
        Effect.ProtectPhoto e = (Effect.ProtectPhoto) effect;
        n.set("owner", enc.id("account", e.owner().value()));
        n.set("photo", content(enc, e.photo()));
        n.set("fingerprints", RequestCodec.fingerprints(Fingerprints.none().withPdq(e.pdq())));
        yield true;
      }
      case WITHDRAW_PHOTO -> {
        Effect.WithdrawPhoto e = (Effect.WithdrawPhoto) effect;
        n.set("owner", enc.id("account", e.owner().value()));
        n.set("photo", content(enc, e.photo()));
        yield true;
      }
      case OPEN_MEASURE -> {
        dev.haetae.moderation.api.spi.EngineMemory.Measure e = ((Effect.OpenMeasure) effect).measure();
        n.set("content", content(enc, e.content()));
        n.put("decision", e.decision().value());
        n.put("instrument", e.instrument());
        n.put("start", e.start().toString());
        n.put("until", e.until().toString());
        yield true;
      }
      case CLOSE_MEASURE -> {
        Effect.CloseMeasure e = (Effect.CloseMeasure) effect;
        n.set("content", content(enc, e.content()));
        n.put("measure", e.measure().value());
        n.put("restore", e.restore());
        yield true;
      }
      case MARK_REMOVED -> {
        Effect.MarkRemoved e = (Effect.MarkRemoved) effect;
        n.set("content", content(enc, e.content()));
        n.put("at", e.at().toString());
        yield true;
      }
      case REINSTATE -> {
        Effect.Reinstate e = (Effect.Reinstate) effect;
        n.put("reversed", e.reversed().value());
        n.set("content", content(enc, e.content()));
        e.account().ifPresent(a -> n.set("account", enc.id("account", a.value())));
        yield true;
      }
      case DEFER_STRIKE -> {
        Effect.DeferStrike e = (Effect.DeferStrike) effect;
        n.set("content", content(enc, e.content()));
        e.secondReviewOf().ifPresent(d -> n.put("second_review_of", d.value()));
        e.reviewer().ifPresent(v -> n.set("reviewer", enc.id("reviewer", v)));
        yield true;
      }
      case DROP_DEFERRED_STRIKE -> {
        n.set("content", content(enc, ((Effect.DropDeferredStrike) effect).content()));
        yield true;
      }
      case STRIKE -> {
        Effect.Strike e = (Effect.Strike) effect;
        n.set("account", enc.id("account", e.account().value()));
        n.set("content", content(enc, e.content()));
        n.put("expires", e.expires().toString());
        yield true;
      }
      case BLOCK_COPIES_WHEN_SEEN -> {
        Effect.BlockCopiesWhenSeen e = (Effect.BlockCopiesWhenSeen) effect;
        n.set("content", content(enc, e.content()));
        n.put("category", e.category().wireName());
        yield true;
      }
      case ROOM_MATCH -> {
        Effect.RoomMatch e = (Effect.RoomMatch) effect;
        n.set("room", enc.id("room", e.room().value()));
        n.set("content", content(enc, e.content()));
        n.put("at", e.at().toString());
        yield true;
      }
      case REMEMBER_DECISION -> {
        Effect.RememberDecision e = (Effect.RememberDecision) effect;
        n.put("decision", e.decision().value());
        n.set("content", content(enc, e.content()));
        e.account().ifPresent(a -> n.set("account", enc.id("account", a.value())));
        e.instrument().ifPresent(i -> n.put("instrument", i));
        n.put("category", e.category().wireName());
        n.put("restrictive", e.restrictive());
        e.strikeExpires().ifPresent(x -> n.put("strike_expires", x.toString()));
        n.put("at", e.at().toString());
        if (!e.actions().isEmpty()) { // absent before 0.4
          com.fasterxml.jackson.databind.node.ArrayNode a = n.putArray("actions");
          e.actions().stream().map(dev.haetae.moderation.api.Action.Kind::wireName).sorted().forEach(a::add);
        }
        yield true;
      }
      case OPEN_OBLIGATION -> {
        n.set("obligation", obligation(enc, ((Effect.OpenObligation) effect).obligation()));
        yield true;
      }
      case LINK_APPEAL -> {
        Effect.LinkAppeal e = (Effect.LinkAppeal) effect;
        n.set("obligation", enc.id("obligation", e.obligation()));
        n.set("appeal", enc.id("appeal", e.appealId()));
        n.put("decision", e.decision().value());
        n.set("content", content(enc, e.content()));
        yield true;
      }
      case FULFIL_OBLIGATION -> {
        Effect.FulfilObligation e = (Effect.FulfilObligation) effect;
        n.set("obligation", enc.id("obligation", e.obligation()));
        n.put("at", e.at().toString());
        yield true;
      }
      case PLACE_HOLD -> {
        Effect.PlaceHold e = (Effect.PlaceHold) effect;
        n.set("content", content(enc, e.content()));
        n.put("basis", enc.scrub(e.basis()));
        n.put("citation", e.citation());
        n.put("from", e.from().toString());
        n.put("period", e.period().toString());
        yield true;
      }
      case FILE_REPORT -> {
        Effect.FileReport e = (Effect.FileReport) effect;
        n.set("report", RequestCodec.write(enc, e.report()));
        n.set("intake", SignalCodec.write(enc, e.intake()));
        n.put("decision", e.decision().value());
        n.put("queued", e.queued());
        n.put("at", e.at().toString());
        yield true;
      }
      case APPLY_REVIEW -> {
        Effect.ApplyReview e = (Effect.ApplyReview) effect;
        n.set("review", RequestCodec.write(enc, e.review()));
        n.set("resolution", SignalCodec.write(enc, e.resolution()));
        n.put("decision", e.decision().value());
        n.put("at", e.at().toString());
        yield true;
      }
      case REVERSE_REPORTS -> {
        Effect.ReverseReports e = (Effect.ReverseReports) effect;
        n.set("target", RequestCodec.target(enc, e.target()));
        n.put("decided_at", e.decidedAt().toString());
        n.put("decision", e.decision().value());
        n.put("at", e.at().toString());
        yield true;
      }
      case ACCOUNT_FACTS -> {
        Effect.AccountFacts e = (Effect.AccountFacts) effect;
        n.set("account_event", RequestCodec.write(enc, e.event()));
        n.put("decision", e.decision().value());
        n.put("at", e.at().toString());
        yield true;
      }
      case APPLY_SANCTION -> {
        Effect.ApplySanction e = (Effect.ApplySanction) effect;
        n.set("sanction", RequestCodec.write(enc, e.request()));
        n.put("decision", e.decision().value());
        n.put("at", e.at().toString());
        yield true;
      }
    };
    return n;
  }

  static List<Effect> read(JsonNode a) {
    List<Effect> out = new ArrayList<>();
    for (JsonNode n : a) {
      try {
        out.add(readOne(n));
      } catch (RuntimeException e) {
        // a malformed instant, id or enum in an effect is a malformed record, like one in the evidence
        throw e instanceof Json.FormatException ? e : new Json.FormatException("effect: " + e.getMessage(), e);
      }
    }
    return out;
  }

  /** A remembered decision's action kinds: absent (logged before 0.4) reads as none recorded. */
  private static java.util.Set<dev.haetae.moderation.api.Action.Kind> actionKinds(JsonNode n) {
    if (!n.has("actions")) {
      return java.util.Set.of();
    }
    JsonNode a = n.get("actions");
    if (!a.isArray() || a.isEmpty()) {
      throw new Json.FormatException("'actions' of remember_decision must be a non-empty array", null);
    }
    java.util.Set<dev.haetae.moderation.api.Action.Kind> out = java.util.EnumSet.noneOf(
        dev.haetae.moderation.api.Action.Kind.class);
    for (JsonNode k : a) {
      out.add(Json.enumOf(dev.haetae.moderation.api.Action.Kind.class, k));
    }
    return out;
  }

  private static ContentId contentOf(JsonNode n) {
    return ContentId.of(pseudonym(req(n, "content")));
  }

  private static Optional<AccountId> optAccount(JsonNode n, String field) {
    return n.has(field) ? Optional.of(AccountId.of(pseudonym(n.get(field)))) : Optional.empty();
  }

  private static Effect readOne(JsonNode n) {
    String type = text(n, "type");
    switch (type) {
      case "remember_content":
        return new Effect.RememberContent(contentOf(n), RequestCodec.readFingerprints(req(n, "fingerprints")),
            AccountId.of(pseudonym(req(n, "account"))),
            n.has("room") ? Optional.of(RoomId.of(pseudonym(n.get("room")))) : Optional.empty(),
            Surface.fromWire(text(n, "surface")), optInstant(n, "at"));
      case "clear_pending_copies":
        return new Effect.ClearPendingCopies(contentOf(n));
      case "bank_fingerprints":
        return new Effect.BankFingerprints(text(n, "bank"), Category.fromWire(text(n, "category")),
            RequestCodec.readFingerprints(req(n, "fingerprints")), text(n, "reason"), optString(n, "uploader"));
      case "protect_photo":
        return new Effect.ProtectPhoto(AccountId.of(pseudonym(req(n, "owner"))), ContentId.of(pseudonym(req(n, "photo"))),
            RequestCodec.readFingerprints(req(n, "fingerprints")).pdq().orElseThrow(
                () -> new Json.FormatException("protect_photo without a PDQ hash", null)));
      case "withdraw_photo":
        return new Effect.WithdrawPhoto(AccountId.of(pseudonym(req(n, "owner"))), ContentId.of(pseudonym(req(n, "photo"))));
      case "open_measure":
        return new Effect.OpenMeasure(new dev.haetae.moderation.api.spi.EngineMemory.Measure(contentOf(n),
            DecisionId.of(text(n, "decision")), text(n, "instrument"), instant(n, "start"), instant(n, "until")));
      case "close_measure": {
        JsonNode restore = req(n, "restore");
        if (!restore.isBoolean()) {
          throw new Json.FormatException("'restore' of close_measure must be a boolean", null);
        }
        return new Effect.CloseMeasure(contentOf(n), DecisionId.of(text(n, "measure")), restore.asBoolean());
      }
      case "mark_removed":
        return new Effect.MarkRemoved(contentOf(n), instant(n, "at"));
      case "reinstate":
        return new Effect.Reinstate(DecisionId.of(text(n, "reversed")), contentOf(n), optAccount(n, "account"));
      case "defer_strike":
        return new Effect.DeferStrike(contentOf(n),
            n.has("second_review_of") ? Optional.of(DecisionId.of(text(n, "second_review_of"))) : Optional.empty(),
            n.has("reviewer") ? Optional.of(pseudonym(n.get("reviewer"))) : Optional.empty());
      case "drop_deferred_strike":
        return new Effect.DropDeferredStrike(contentOf(n));
      case "strike":
        return new Effect.Strike(AccountId.of(pseudonym(req(n, "account"))), contentOf(n), instant(n, "expires"));
      case "block_copies_when_seen":
        return new Effect.BlockCopiesWhenSeen(contentOf(n), Category.fromWire(text(n, "category")));
      case "room_match":
        return new Effect.RoomMatch(RoomId.of(pseudonym(req(n, "room"))), contentOf(n), instant(n, "at"));
      case "remember_decision":
        return new Effect.RememberDecision(DecisionId.of(text(n, "decision")), contentOf(n), optAccount(n, "account"),
            optString(n, "instrument"), Category.fromWire(text(n, "category")), req(n, "restrictive").asBoolean(),
            optInstant(n, "strike_expires"), instant(n, "at"), actionKinds(n));
      case "open_obligation":
        return new Effect.OpenObligation(readObligation(req(n, "obligation")));
      case "link_appeal":
        return new Effect.LinkAppeal(pseudonym(req(n, "obligation")), pseudonym(req(n, "appeal")),
            DecisionId.of(text(n, "decision")), contentOf(n));
      case "fulfil_obligation":
        return new Effect.FulfilObligation(pseudonym(req(n, "obligation")), instant(n, "at"));
      case "place_hold":
        return new Effect.PlaceHold(contentOf(n), text(n, "basis"), text(n, "citation"), instant(n, "from"),
            duration(n, "period"));
      case "file_report":
        return new Effect.FileReport((UserReport) RequestCodec.read(req(n, "report")),
            signal(Signal.ReportIntake.class, req(n, "intake")), DecisionId.of(text(n, "decision")),
            req(n, "queued").asBoolean(), instant(n, "at"));
      case "apply_review":
        return new Effect.ApplyReview((ReviewOutcome) RequestCodec.read(req(n, "review")),
            signal(Signal.ReportResolution.class, req(n, "resolution")), DecisionId.of(text(n, "decision")),
            instant(n, "at"));
      case "reverse_reports":
        return new Effect.ReverseReports(RequestCodec.readTarget(req(n, "target")), instant(n, "decided_at"),
            DecisionId.of(text(n, "decision")), instant(n, "at"));
      case "account_facts":
        return new Effect.AccountFacts((AccountEvent) RequestCodec.read(req(n, "account_event")),
            DecisionId.of(text(n, "decision")), instant(n, "at"));
      case "apply_sanction": {
        ModerationRequest r = RequestCodec.read(req(n, "sanction"));
        if (!(r instanceof ReporterSanction)) {
          throw new Json.FormatException("expected a sanction request, got " + r.type(), null);
        }
        return new Effect.ApplySanction((ReporterSanction) r, DecisionId.of(text(n, "decision")), instant(n, "at"));
      }
      default:
        throw new Json.FormatException("unknown effect '" + type + "'", null);
    }
  }

  /** A signal an effect carries, of the type it must have. */
  private static <S extends Signal> S signal(Class<S> type, JsonNode n) {
    Signal s = SignalCodec.read(n);
    if (!type.isInstance(s)) {
      throw new Json.FormatException("expected a " + type.getSimpleName() + " signal, got " + s.kind(), null);
    }
    return type.cast(s);
  }

  static ObjectNode obligation(Encoding enc, ObligationRecord o) {
    ObjectNode n = F.objectNode();
    n.set("id", enc.id("obligation", o.id()));
    n.put("instrument", o.instrument());
    n.put("citation", o.citation());
    n.put("category", o.category().wireName());
    n.set("content", enc.id("content", o.content().value()));
    n.put("received_at", o.receivedAt().toString());
    n.put("deadline", o.deadline().toString());
    ArrayNode d = n.putArray("duties");
    o.duties().forEach(x -> d.add(x.wireName()));
    n.put("preserve_for", o.preserveFor().toString());
    n.put("status", o.status().name().toLowerCase(java.util.Locale.ROOT));
    n.put("next_check", o.nextCheck().toString());
    n.put("escalations", o.escalations());
    o.closedAt().ifPresent(x -> n.put("closed_at", x.toString()));
    return n;
  }

  static ObligationRecord readObligation(JsonNode n) {
    List<Duty> duties = new ArrayList<>();
    req(n, "duties").forEach(x -> duties.add(Json.enumOf(Duty.class, x)));
    return new ObligationRecord(pseudonym(req(n, "id")), text(n, "instrument"), text(n, "citation"),
        Category.fromWire(text(n, "category")), ContentId.of(pseudonym(req(n, "content"))), instant(n, "received_at"),
        instant(n, "deadline"), duties, duration(n, "preserve_for"),
        Json.enumOf(ObligationRecord.Status.class, req(n, "status")), instant(n, "next_check"),
        req(n, "escalations").asInt(), optInstant(n, "closed_at"));
  }

  static ArrayNode obligationEvents(Encoding enc, List<ObligationEvent> events) {
    ArrayNode a = F.arrayNode();
    for (ObligationEvent e : events) {
      ObjectNode n = a.addObject();
      n.put("type", e.type().wireName());
      n.put("at", e.at().toString());
      n.put("lateness", e.lateness().toString());
      n.set("obligation", obligation(enc, e.obligation()));
    }
    return a;
  }

  static List<ObligationEvent> readObligationEvents(JsonNode a) {
    List<ObligationEvent> out = new ArrayList<>();
    for (JsonNode n : a) {
      out.add(new ObligationEvent(Json.enumOf(ObligationEvent.Type.class, req(n, "type")),
          readObligation(req(n, "obligation")), instant(n, "at"), duration(n, "lateness")));
    }
    return out;
  }

  static ObjectNode hold(Encoding enc, EvidenceHold h) {
    ObjectNode n = F.objectNode();
    n.set("content", enc.id("content", h.content().value()));
    n.put("basis", enc.scrub(h.basis()));
    n.put("citation", h.citation());
    n.put("from", h.from().toString());
    n.put("until", h.until().toString());
    h.expiredAt().ifPresent(x -> n.put("expired_at", x.toString()));
    return n;
  }

  static EvidenceHold readHold(JsonNode n) {
    ContentId c = ContentId.of(pseudonym(req(n, "content")));
    String basis = text(n, "basis");
    return new EvidenceHold(EvidenceHold.idOf(c, basis), c, basis, text(n, "citation"), instant(n, "from"),
        instant(n, "until"), optInstant(n, "expired_at"));
  }
}

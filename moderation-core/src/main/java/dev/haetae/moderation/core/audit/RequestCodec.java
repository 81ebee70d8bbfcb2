package dev.haetae.moderation.core.audit;

import static dev.haetae.moderation.core.audit.Encoding.F;
import static dev.haetae.moderation.core.audit.Json.optText;
import static dev.haetae.moderation.core.audit.Json.pseudonym;
import static dev.haetae.moderation.core.audit.Json.readText;
import static dev.haetae.moderation.core.audit.Json.req;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haetae.moderation.api.AccountEvent;
import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.ActionConfirmation;
import dev.haetae.moderation.api.Appeal;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.Content;
import dev.haetae.moderation.api.ContentEvent;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.ContentKind;
import dev.haetae.moderation.api.DecisionId;
import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.Jurisdiction;
import dev.haetae.moderation.api.LegalNotice;
import dev.haetae.moderation.api.Md5;
import dev.haetae.moderation.api.MeasureExpiry;
import dev.haetae.moderation.api.ModerationRequest;
import dev.haetae.moderation.api.NoticeSender;
import dev.haetae.moderation.api.Pdq;
import dev.haetae.moderation.api.PdqHash;
import dev.haetae.moderation.api.ReporterId;
import dev.haetae.moderation.api.ReporterSanction;
import dev.haetae.moderation.api.ReviewOutcome;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.Sha256;
import dev.haetae.moderation.api.Surface;
import dev.haetae.moderation.api.Target;
import dev.haetae.moderation.api.UserReport;
import dev.haetae.moderation.api.Verdict;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** Requests, targets, content and fingerprints in a record: written pseudonymized, read back. Stateless. */
final class RequestCodec {
  private RequestCodec() {}

  /**
   * The ids a request names, collected before anything is written so that text can be scrubbed.
   *
   * @return true (every request names some)
   */
  static boolean collectIds(Encoding enc, ModerationRequest r) {
    return switch (r.requestKind()) {
      case CONTENT -> {
        ContentEvent c = (ContentEvent) r;
        enc.collect("content", c.content().id().value());
        enc.collect("account", c.account().value());
        c.room().ifPresent(x -> enc.collect("room", x.value()));
        c.forwardedFrom().ifPresent(x -> enc.collect("content", x.value()));
        yield true;
      }
      case REPORT -> {
        UserReport u = (UserReport) r;
        enc.collect("reporter", u.reporter().value());
        collectTarget(enc, u.target());
        yield true;
      }
      case NOTICE -> {
        LegalNotice n = (LegalNotice) r;
        enc.collect("notice", n.noticeId());
        enc.collect("content", n.content().value());
        yield true;
      }
      case REVIEW -> {
        collectTarget(enc, ((ReviewOutcome) r).target());
        ((ReviewOutcome) r).reviewer().ifPresent(v -> enc.collect("reviewer", v));
        yield true;
      }
      case APPEAL -> {
        Appeal a = (Appeal) r;
        enc.collect("appeal", a.appealId());
        enc.collect("content", a.content().value());
        enc.collect("account", a.appellant().value());
        yield true;
      }
      case ACCOUNT -> {
        AccountEvent a = (AccountEvent) r;
        enc.collect("account", a.account().value());
        a.rooms().forEach(j -> enc.collect("room", j.room().value()));
        yield true;
      }
      case CONFIRMATION -> true; // names a decision id only, which is not personal
      case EXPIRY -> {
        enc.collect("content", ((MeasureExpiry) r).content().value());
        yield true;
      }
      case SANCTION -> {
        ReporterSanction x = (ReporterSanction) r;
        enc.collect("reporter", x.reporter().value());
        x.reviewer().ifPresent(v -> enc.collect("reviewer", v));
        yield true;
      }
    };
  }

  static void collectTarget(Encoding enc, Target t) {
    enc.collect(t.kind(), t.id());
  }

  static ObjectNode target(Encoding enc, Target t) {
    ObjectNode n = F.objectNode();
    n.put("kind", t.kind());
    n.set("id", enc.id(t.kind(), t.id()));
    return n;
  }

  static ObjectNode write(Encoding enc, ModerationRequest r) {
    ObjectNode n = F.objectNode();
    n.put("type", r.type());
    boolean unused = switch (r.requestKind()) {
      case CONTENT -> {
        ContentEvent c = (ContentEvent) r;
        n.put("action", c.action().name().toLowerCase(Locale.ROOT));
        n.set("content", content(enc, c.content()));
        n.set("account", enc.id("account", c.account().value()));
        c.room().ifPresent(x -> n.set("room", enc.id("room", x.value())));
        c.forwardedFrom().ifPresent(x -> n.set("forwarded_from", enc.id("content", x.value())));
        n.put("protect", c.protect());
        yield true;
      }
      case REPORT -> {
        UserReport u = (UserReport) r;
        n.set("reporter", enc.id("reporter", u.reporter().value()));
        n.set("target", target(enc, u.target()));
        n.put("category", u.category().wireName());
        u.text().ifPresent(t -> n.set("text", enc.text("report.text", t)));
        if (u.firstParty()) {
          n.put("first_party", true);
        }
        yield true;
      }
      case NOTICE -> {
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
        yield true;
      }
      case REVIEW -> {
        ReviewOutcome o = (ReviewOutcome) r;
        n.set("target", target(enc, o.target()));
        n.put("verdict", o.verdict().wireName());
        o.category().ifPresent(c -> n.put("category", c.wireName()));
        o.note().ifPresent(t -> n.set("note", enc.text("review.note", t)));
        o.reviewer().ifPresent(v -> n.set("reviewer", enc.id("reviewer", v)));
        yield true;
      }
      case APPEAL -> {
        Appeal a = (Appeal) r;
        n.set("appeal_id", enc.id("appeal", a.appealId()));
        n.put("decision", a.decision().value());
        n.set("content", enc.id("content", a.content().value()));
        n.set("appellant", enc.id("account", a.appellant().value()));
        n.put("informed_at", a.informedAt().toString());
        a.reason().ifPresent(t -> n.set("reason", enc.text("appeal.reason", t)));
        yield true;
      }
      case ACCOUNT -> {
        AccountEvent a = (AccountEvent) r;
        n.set("account", enc.id("account", a.account().value()));
        n.put("created_at", a.createdAt().toString());
        n.put("trusted_flagger", a.trustedFlagger());
        a.organisation().ifPresent(t -> n.set("organisation", enc.text("account.organisation", t)));
        if (!a.rooms().isEmpty()) {
          ArrayNode rooms = n.putArray("rooms");
          for (AccountEvent.RoomJoin j : a.rooms()) {
            ObjectNode x = rooms.addObject();
            x.set("room", enc.id("room", j.room().value()));
            x.put("joined_at", j.joinedAt().toString());
          }
        }
        yield true;
      }
      case CONFIRMATION -> {
        ActionConfirmation c = (ActionConfirmation) r;
        n.put("decision", c.decision().value());
        n.put("action", c.action().wireName());
        n.put("outcome", c.outcome().wireName());
        n.put("at", c.at().toString());
        c.detail().ifPresent(t -> n.set("detail", enc.text("confirmation.detail", t)));
        c.recipient().ifPresent(x -> n.put("recipient", x.name().toLowerCase(java.util.Locale.ROOT)));
        yield true;
      }
      case EXPIRY -> {
        MeasureExpiry x = (MeasureExpiry) r;
        n.set("content", enc.id("content", x.content().value()));
        n.put("measure", x.measure().value());
        yield true;
      }
      case SANCTION -> {
        ReporterSanction x = (ReporterSanction) r;
        n.put("step", x.step().wireName());
        n.set("reporter", enc.id("reporter", x.reporter().value()));
        n.put("decision", x.decision().value());
        x.reviewer().ifPresent(v -> n.set("reviewer", enc.id("reviewer", v)));
        x.note().ifPresent(t -> n.set("note", enc.text("sanction.note", t)));
        yield true;
      }
    };
    return n;
  }

  private static ObjectNode content(Encoding enc, Content c) {
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
    n.set("fingerprints", fingerprints(c.fingerprints()));
    c.text().ifPresent(t -> n.set("text", enc.text("content.text", t)));
    return n;
  }

  static ObjectNode fingerprints(Fingerprints f) {
    ObjectNode fp = F.objectNode();
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
    return fp;
  }

  static Fingerprints readFingerprints(JsonNode fp) {
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
    return f;
  }

  static Target readTarget(JsonNode n) {
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
        throw new Json.FormatException("unknown target kind '" + kind + "'", null);
    }
  }

  /**
   * The free-text fields of a request that were masked when it was written: a policy that read one
   * cannot be replayed from the record.
   */
  static List<String> maskedFields(JsonNode n) {
    List<String> out = new ArrayList<>(0);
    String type = req(n, "type").asText();
    switch (type) {
      case "content":
        if (Json.masked(req(n, "content"), "text")) {
          out.add("content.text");
        }
        break;
      case "report":
        if (Json.masked(n, "text")) {
          out.add("report.text");
        }
        break;
      case "review":
        if (Json.masked(n, "note")) {
          out.add("review.note");
        }
        break;
      case "appeal":
        if (Json.masked(n, "reason")) {
          out.add("appeal.reason");
        }
        break;
      case "sanction":
        if (Json.masked(n, "note")) {
          out.add("sanction.note");
        }
        break;
      case "confirmation":
        if (Json.masked(n, "detail")) {
          out.add("confirmation.detail");
        }
        break;
      default:
        break;
    }
    return out;
  }

  static ModerationRequest read(JsonNode n) {
    String type = req(n, "type").asText();
    switch (type) {
      case "content": {
        JsonNode c = req(n, "content");
        Fingerprints f = readFingerprints(req(c, "fingerprints"));
        Set<Jurisdiction> js = new LinkedHashSet<>();
        for (JsonNode j : req(c, "jurisdictions")) {
          js.add(Jurisdiction.of(j.asText()));
        }
        Content content = new Content(ContentId.of(pseudonym(req(c, "id"))), ContentKind.fromWire(req(c, "kind").asText()),
            Surface.fromWire(req(c, "surface").asText()), js, f, optText(c, "text"));
        return new ContentEvent(Json.enumOf(ContentEvent.Action.class, req(n, "action")), content,
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
            optText(n, "note"), n.has("reviewer") ? Optional.of(pseudonym(n.get("reviewer"))) : Optional.empty());
      case "appeal":
        return new Appeal(pseudonym(req(n, "appeal_id")), DecisionId.of(req(n, "decision").asText()),
            ContentId.of(pseudonym(req(n, "content"))), AccountId.of(pseudonym(req(n, "appellant"))),
            Instant.parse(req(n, "informed_at").asText()), optText(n, "reason"));
      case "account": {
        List<AccountEvent.RoomJoin> rooms = new ArrayList<>();
        if (n.has("rooms")) {
          for (JsonNode j : n.get("rooms")) {
            rooms.add(new AccountEvent.RoomJoin(RoomId.of(pseudonym(req(j, "room"))), Json.instant(j, "joined_at")));
          }
        }
        return new AccountEvent(AccountId.of(pseudonym(req(n, "account"))), Instant.parse(req(n, "created_at").asText()),
            req(n, "trusted_flagger").asBoolean(), optText(n, "organisation"), rooms);
      }
      case "confirmation":
        return new ActionConfirmation(DecisionId.of(req(n, "decision").asText()),
            Json.enumOf(Action.Kind.class, req(n, "action")),
            Json.enumOf(ActionConfirmation.Outcome.class, req(n, "outcome")), Json.instant(n, "at"),
            optText(n, "detail"), n.has("recipient") // absent before 0.3's recipient: every notice
                ? Optional.of(Json.enumOf(Action.Recipient.class, n.get("recipient"))) : Optional.empty());
      case "expiry":
        return new MeasureExpiry(ContentId.of(pseudonym(req(n, "content"))), DecisionId.of(req(n, "measure").asText()));
      case "sanction":
        return new ReporterSanction(ReporterSanction.Step.fromWire(req(n, "step").asText()),
            ReporterId.of(pseudonym(req(n, "reporter"))), DecisionId.of(req(n, "decision").asText()),
            n.has("reviewer") ? Optional.of(pseudonym(n.get("reviewer"))) : Optional.empty(), optText(n, "note"));
      default:
        throw new Json.FormatException("unknown request type '" + type + "'", null);
    }
  }
}

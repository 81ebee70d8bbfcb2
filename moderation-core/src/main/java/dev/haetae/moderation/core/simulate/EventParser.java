package dev.haetae.moderation.core.simulate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.haetae.moderation.api.AccountEvent;
import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Appeal;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.Content;
import dev.haetae.moderation.api.ContentBytes;
import dev.haetae.moderation.api.ContentEvent;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.ContentKind;
import dev.haetae.moderation.api.DecisionId;
import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.InvalidRequestException;
import dev.haetae.moderation.api.Jurisdiction;
import dev.haetae.moderation.api.LegalNotice;
import dev.haetae.moderation.api.Limits;
import dev.haetae.moderation.api.MatchType;
import dev.haetae.moderation.api.Md5;
import dev.haetae.moderation.api.NoticeSender;
import dev.haetae.moderation.api.Pdq;
import dev.haetae.moderation.api.PdqHash;
import dev.haetae.moderation.api.ReporterId;
import dev.haetae.moderation.api.ReviewOutcome;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.Sha256;
import dev.haetae.moderation.api.Surface;
import dev.haetae.moderation.api.Target;
import dev.haetae.moderation.api.UserReport;
import dev.haetae.moderation.api.Verdict;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Parses event-stream lines (the format in the simulation guide) into {@link StreamEvent}s. */
final class EventParser {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path baseDir;
  private final Limits limits;

  EventParser(Path baseDir, Limits limits) {
    this.baseDir = baseDir;
    this.limits = limits;
  }

  StreamEvent parse(int line, String text) {
    JsonNode n;
    try {
      n = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new EventStreamException(line, "line", "is not valid JSON: " + e.getOriginalMessage());
    }
    if (n == null || !n.isObject()) {
      throw new EventStreamException(line, "line", "must be a JSON object");
    }
    String type = str(line, n, "type");
    Instant at = instant(line, n, "at");
    try {
      switch (type) {
        case "account":
          return new StreamEvent.Request(line, at, new AccountEvent(AccountId.of(str(line, n, "account")),
              n.has("created") ? instant(line, n, "created") : at, n.path("trusted_flagger").asBoolean(false),
              optStr(n, "organisation"), rooms(line, n, at)));
        case "content":
          return new StreamEvent.Request(line, at, content(line, n));
        case "report":
          return new StreamEvent.Request(line, at, new UserReport(ReporterId.of(str(line, n, "reporter")),
              target(line, n), Category.fromWire(str(line, n, "category")), optStr(n, "text"),
              bool(line, n, "self")));
        case "notice":
          return new StreamEvent.Request(line, at, notice(line, n, at));
        case "review":
          return new StreamEvent.Request(line, at, new ReviewOutcome(target(line, n),
              Verdict.fromWire(str(line, n, "verdict")),
              n.has("category") ? Optional.of(Category.fromWire(str(line, n, "category"))) : Optional.empty(),
              optStr(n, "note")));
        case "appeal":
          return new StreamEvent.Request(line, at, new Appeal(
              n.has("appeal_id") ? str(line, n, "appeal_id") : "appeal-line-" + line,
              DecisionId.of(n.has("decision") ? str(line, n, "decision") : "unknown"),
              ContentId.of(str(line, n, "content")), AccountId.of(str(line, n, "account")),
              n.has("informed_at") ? instant(line, n, "informed_at") : at, optStr(n, "reason")));
        case "tick":
          return new StreamEvent.Tick(line, at);
        case "bank":
          return bank(line, n, at);
        default:
          throw new EventStreamException(line, "type", "has unknown value '" + type
              + "' (allowed: account, content, report, notice, review, appeal, tick, bank)");
      }
    } catch (EventStreamException e) {
      throw e;
    } catch (InvalidRequestException e) {
      throw new EventStreamException(line, e.field(), e.getMessage().substring(e.field().length()).trim());
    } catch (IllegalArgumentException e) {
      throw new EventStreamException(line, type, e.getMessage());
    }
  }

  /** An optional boolean field: absent or null is false; anything but {@code true} or {@code false} fails. */
  private static boolean bool(int line, JsonNode n, String field) {
    JsonNode v = n.path(field);
    if (v.isMissingNode() || v.isNull()) {
      return false;
    }
    if (!v.isBoolean()) {
      throw new EventStreamException(line, field, "must be true or false");
    }
    return v.asBoolean();
  }

  /**
   * Optional {@code rooms} of an account event: room ids joined at the event's time, or objects
   * {@code {"room":"r1","joined":"<instant>"}}.
   */
  private static java.util.List<AccountEvent.RoomJoin> rooms(int line, JsonNode n, Instant at) {
    JsonNode rooms = n.path("rooms");
    if (rooms.isMissingNode() || rooms.isNull()) {
      return java.util.List.of();
    }
    if (!rooms.isArray()) {
      throw new EventStreamException(line, "rooms", "must be an array of room ids or {\"room\",\"joined\"} objects");
    }
    java.util.List<AccountEvent.RoomJoin> out = new java.util.ArrayList<>();
    for (JsonNode r : rooms) {
      if (r.isTextual()) {
        out.add(new AccountEvent.RoomJoin(RoomId.of(r.asText()), at));
      } else if (r.isObject()) {
        out.add(new AccountEvent.RoomJoin(RoomId.of(str(line, r, "room")),
            r.has("joined") ? instant(line, r, "joined") : at));
      } else {
        throw new EventStreamException(line, "rooms", "must hold room ids or {\"room\",\"joined\"} objects");
      }
    }
    return out;
  }

  private ContentEvent content(int line, JsonNode n) {
    ContentKind kind = ContentKind.fromWire(str(line, n, "kind"));
    Surface surface = Surface.fromWire(str(line, n, "surface"));
    Fingerprints fp = Fingerprints.none();
    if (n.has("pdq")) {
      fp = fp.withPdq(new Pdq(PdqHash.fromHex(str(line, n, "pdq")),
          n.has("pdq_quality") ? n.get("pdq_quality").asInt() : Pdq.UNKNOWN_QUALITY, java.util.List.of()));
    }
    if (n.has("sha256")) {
      fp = fp.withSha256(Sha256.fromHex(str(line, n, "sha256")));
    }
    if (n.has("md5")) {
      fp = fp.withMd5(Md5.fromHex(str(line, n, "md5")));
    }
    Optional<ContentBytes> bytes = Optional.empty();
    if (n.has("file")) {
      Path f = baseDir.resolve(str(line, n, "file")).normalize();
      try {
        long size = Files.size(f);
        if (size > limits.maxContentBytes()) {
          throw new EventStreamException(line, "file", "is " + size + " bytes, over the limit of "
              + limits.maxContentBytes());
        }
        bytes = Optional.of(ContentBytes.copyOf(Files.readAllBytes(f)));
      } catch (IOException e) {
        throw new EventStreamException(line, "file", "cannot be read: " + f.getFileName() + " (" + e + ")");
      }
    }
    if (bytes.isEmpty() && fp.isEmpty()) {
      throw new EventStreamException(line, "content", "needs a 'file' or at least one of 'pdq', 'sha256', 'md5'");
    }
    Set<Jurisdiction> jurisdictions = new HashSet<>();
    for (JsonNode j : n.path("jurisdictions")) {
      jurisdictions.add(Jurisdiction.of(j.asText()));
    }
    Content c = new Content(ContentId.of(str(line, n, "content")), kind, surface, jurisdictions, fp,
        n.has("caption") ? optStr(n, "caption") : optStr(n, "text"));
    Optional<RoomId> room = n.has("room") ? Optional.of(RoomId.of(str(line, n, "room"))) : Optional.empty();
    ContentEvent.Action action = kind == ContentKind.PROFILE_PHOTO ? ContentEvent.Action.PROFILE_PHOTO_CHANGE
        : n.has("forwarded_from") ? ContentEvent.Action.FORWARD : ContentEvent.Action.UPLOAD;
    Optional<ContentId> from = n.has("forwarded_from") ? Optional.of(ContentId.of(str(line, n, "forwarded_from")))
        : Optional.empty();
    return new ContentEvent(action, c, AccountId.of(str(line, n, "account")), room, from,
        n.path("protect").asBoolean(false), bytes);
  }

  private LegalNotice notice(int line, JsonNode n, Instant at) {
    Map<String, String> fields = new LinkedHashMap<>();
    JsonNode f = n.path("fields");
    if (!f.isMissingNode() && !f.isObject()) {
      throw new EventStreamException(line, "fields", "must be an object of field name to text");
    }
    for (Map.Entry<String, JsonNode> e : f.properties()) {
      fields.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString());
    }
    String instrument = str(line, n, "instrument");
    String content = str(line, n, "content");
    String sender = str(line, n, "sender");
    String id = n.has("notice_id") ? str(line, n, "notice_id")
        : "n-" + digest(instrument + "\n" + content + "\n" + sender + "\n" + new java.util.TreeMap<>(fields));
    return new LegalNotice(id, instrument, ContentId.of(content), NoticeSender.fromWire(sender), fields,
        n.has("received_at") ? instant(line, n, "received_at") : at);
  }

  private StreamEvent bank(int line, JsonNode n, Instant at) {
    String op = str(line, n, "op");
    if (!op.equals("add") && !op.equals("withdraw")) {
      throw new EventStreamException(line, "op", "has unknown value '" + op + "' (allowed: add, withdraw)");
    }
    MatchType type;
    String hash;
    if (n.has("pdq")) {
      type = MatchType.PDQ;
      hash = PdqHash.fromHex(str(line, n, "pdq")).toHex();
    } else if (n.has("sha256")) {
      type = MatchType.SHA256;
      hash = Sha256.fromHex(str(line, n, "sha256")).toHex();
    } else if (n.has("md5")) {
      type = MatchType.MD5;
      hash = Md5.fromHex(str(line, n, "md5")).toHex();
    } else {
      throw new EventStreamException(line, "bank", "needs one of 'pdq', 'sha256', 'md5'");
    }
    Category category = n.has("category") ? Category.fromWire(str(line, n, "category")) : Category.OTHER;
    return new StreamEvent.Bank(line, at, op, str(line, n, "bank"), category, type, hash);
  }

  private static Target target(int line, JsonNode n) {
    if (n.has("content")) {
      return Target.content(ContentId.of(str(line, n, "content")));
    }
    if (n.has("account")) {
      return Target.account(AccountId.of(str(line, n, "account")));
    }
    if (n.has("room")) {
      return Target.room(RoomId.of(str(line, n, "room")));
    }
    throw new EventStreamException(line, "target", "needs one of 'content', 'account', 'room'");
  }

  private static String str(int line, JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      throw new EventStreamException(line, field, "is required");
    }
    if (!v.isTextual()) {
      throw new EventStreamException(line, field, "must be a string");
    }
    return v.asText();
  }

  private static Optional<String> optStr(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? Optional.empty() : Optional.of(v.asText());
  }

  private static Instant instant(int line, JsonNode n, String field) {
    String s = str(line, n, field);
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      throw new EventStreamException(line, field, "is not an ISO-8601 instant such as 2026-11-21T10:00:00Z: '" + s
          + "'");
    }
  }

  private static String digest(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < 8; i++) {
        sb.append(String.format("%02x", d[i]));
      }
      return sb.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

}

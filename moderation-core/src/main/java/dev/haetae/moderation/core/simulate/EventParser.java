package dev.haetae.moderation.core.simulate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.haetae.moderation.api.AccountEvent;
import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.ActionConfirmation;
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
import dev.haetae.moderation.api.TimeOutOfRangeException;
import dev.haetae.moderation.api.UserReport;
import dev.haetae.moderation.api.Verdict;
import dev.haetae.moderation.core.hash.ImageHasher;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Parses event-stream lines (the format in the simulation guide) into {@link StreamEvent}s,
 * strictly: one JSON object per line (a second value on the line is an error, and so is a repeated
 * key), every field of the type the format gives it (a number is not a boolean, a string not an
 * array; an integer out of range is an error, never wrapped or clamped), instants within
 * {@link TimeOutOfRangeException}'s range, and files read through {@link ConfinedFiles}. An image
 * named by {@code file} is fingerprinted here, as the engine would, so that one which cannot be
 * perceptually hashed is reported with its line (it still goes to the engine with its bytes).
 */
final class EventParser {
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private final ConfinedFiles files;
  private final ImageHasher hasher;

  EventParser(ConfinedFiles files, Limits limits) {
    this.files = files;
    this.hasher = ImageHasher.builder().limits(limits).build();
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
              n.has("created") ? instant(line, n, "created") : at, bool(line, n, "trusted_flagger"),
              optStr(line, n, "organisation"), rooms(line, n, at)));
        case "content":
          return content(line, at, n);
        case "report":
          return new StreamEvent.Request(line, at, new UserReport(ReporterId.of(str(line, n, "reporter")),
              target(line, n), Category.fromWire(str(line, n, "category")), optStr(line, n, "text"),
              bool(line, n, "self")));
        case "notice":
          return new StreamEvent.Request(line, at, notice(line, n, at));
        case "review":
          return new StreamEvent.Request(line, at, new ReviewOutcome(target(line, n),
              Verdict.fromWire(str(line, n, "verdict")),
              n.has("category") ? Optional.of(Category.fromWire(str(line, n, "category"))) : Optional.empty(),
              optStr(line, n, "note")));
        case "appeal":
          return new StreamEvent.Request(line, at, new Appeal(
              n.has("appeal_id") ? str(line, n, "appeal_id") : "appeal-line-" + line,
              DecisionId.of(n.has("decision") ? str(line, n, "decision") : "unknown"),
              ContentId.of(str(line, n, "content")), AccountId.of(str(line, n, "account")),
              n.has("informed_at") ? instant(line, n, "informed_at") : at, optStr(line, n, "reason")));
        case "tick":
          return new StreamEvent.Tick(line, at);
        case "confirmation":
          return confirmation(line, n, at);
        case "bank":
          return bank(line, n, at);
        default:
          throw new EventStreamException(line, "type", "has unknown value '" + type
              + "' (allowed: account, content, report, notice, review, appeal, tick, bank, confirmation)");
      }
    } catch (EventStreamException e) {
      throw e;
    } catch (InvalidRequestException e) {
      throw new EventStreamException(line, e.field(), e.getMessage().substring(e.field().length()).trim());
    } catch (IllegalArgumentException e) {
      throw new EventStreamException(line, type, e.getMessage());
    }
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

  private StreamEvent.Request content(int line, Instant at, JsonNode n) {
    ContentKind kind = ContentKind.fromWire(str(line, n, "kind"));
    Surface surface = Surface.fromWire(str(line, n, "surface"));
    Fingerprints fp = Fingerprints.none();
    if (n.has("pdq")) {
      fp = fp.withPdq(new Pdq(PdqHash.fromHex(str(line, n, "pdq")),
          n.has("pdq_quality") ? integer(line, n, "pdq_quality", 0, 100) : Pdq.UNKNOWN_QUALITY,
          java.util.List.of()));
    } else if (n.has("pdq_quality")) {
      throw new EventStreamException(line, "pdq_quality", "is given without 'pdq'");
    }
    if (n.has("sha256")) {
      fp = fp.withSha256(Sha256.fromHex(str(line, n, "sha256")));
    }
    if (n.has("md5")) {
      fp = fp.withMd5(Md5.fromHex(str(line, n, "md5")));
    }
    Optional<ContentBytes> bytes = Optional.empty();
    Optional<String> fileProblem = Optional.empty();
    if (n.has("file")) {
      String name = str(line, n, "file");
      byte[] read = files.read(line, name);
      boolean image = kind == ContentKind.IMAGE || kind == ContentKind.PROFILE_PHOTO;
      if (image && fp.pdq().isEmpty()) {
        // as the engine would; on failure the engine gets the bytes, records why and sends the
        // upload to review, and the simulator reports the file
        try {
          Fingerprints computed = hasher.fingerprint(read);
          fp = new Fingerprints(fp.sha256().or(computed::sha256), fp.md5().or(computed::md5), computed.pdq());
        } catch (InvalidRequestException e) {
          fileProblem = Optional.of("'" + name + "' could not be perceptually hashed (" + e.getMessage()
              + "); matched by its exact digests");
          bytes = Optional.of(ContentBytes.copyOf(read));
        }
      } else {
        bytes = Optional.of(ContentBytes.copyOf(read));
      }
    }
    if (bytes.isEmpty() && fp.isEmpty()) {
      throw new EventStreamException(line, "content", "needs a 'file' or at least one of 'pdq', 'sha256', 'md5'");
    }
    Set<Jurisdiction> jurisdictions = new HashSet<>();
    for (String j : strings(line, n, "jurisdictions")) {
      jurisdictions.add(Jurisdiction.of(j));
    }
    Content c = new Content(ContentId.of(str(line, n, "content")), kind, surface, jurisdictions, fp,
        n.has("caption") ? optStr(line, n, "caption") : optStr(line, n, "text"));
    Optional<RoomId> room = n.has("room") ? Optional.of(RoomId.of(str(line, n, "room"))) : Optional.empty();
    ContentEvent.Action action = kind == ContentKind.PROFILE_PHOTO ? ContentEvent.Action.PROFILE_PHOTO_CHANGE
        : n.has("forwarded_from") ? ContentEvent.Action.FORWARD : ContentEvent.Action.UPLOAD;
    Optional<ContentId> from = n.has("forwarded_from") ? Optional.of(ContentId.of(str(line, n, "forwarded_from")))
        : Optional.empty();
    return new StreamEvent.Request(line, at, new ContentEvent(action, c, AccountId.of(str(line, n, "account")),
        room, from, bool(line, n, "protect"), bytes), fileProblem);
  }

  private LegalNotice notice(int line, JsonNode n, Instant at) {
    Map<String, String> fields = new LinkedHashMap<>();
    JsonNode f = n.path("fields");
    if (!f.isMissingNode() && !f.isObject()) {
      throw new EventStreamException(line, "fields", "must be an object of field name to text");
    }
    for (Map.Entry<String, JsonNode> e : f.properties()) {
      if (!e.getValue().isTextual()) {
        throw new EventStreamException(line, "fields." + e.getKey(), "must be a string, got " + kind(e.getValue()));
      }
      fields.put(e.getKey(), e.getValue().asText());
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

  /**
   * A {@code confirmation}: exactly one of {@code of_line} (an earlier line's decision) and
   * {@code decision} (an id); {@code action}; {@code outcome} ({@code carried_out}, the default, or
   * {@code failed}); {@code delay} (an ISO-8601 duration from that line's time, only with
   * {@code of_line}) or {@code action_at} (an instant not after {@code at}); {@code detail};
   * {@code recipient} (for {@code notify_user}).
   */
  private static StreamEvent.Confirm confirmation(int line, JsonNode n, Instant at) {
    boolean byLine = n.has("of_line") && !n.get("of_line").isNull();
    boolean byId = n.has("decision") && !n.get("decision").isNull();
    if (byLine == byId) {
      throw new EventStreamException(line, "of_line", "needs exactly one of 'of_line' (an earlier line whose"
          + " decision it confirms) and 'decision' (a decision id)");
    }
    Optional<Integer> ofLine = byLine ? Optional.of(integer(line, n, "of_line", 1, line - 1 < 1 ? 1 : line - 1))
        : Optional.empty();
    if (byLine && ofLine.get() >= line) {
      throw new EventStreamException(line, "of_line", "must name an earlier line, got " + ofLine.get());
    }
    String actionWire = str(line, n, "action");
    dev.haetae.moderation.api.Action.Kind action = null;
    for (dev.haetae.moderation.api.Action.Kind k : dev.haetae.moderation.api.Action.Kind.values()) {
      if (k.wireName().equals(actionWire)) {
        action = k;
      }
    }
    if (action == null) {
      throw new EventStreamException(line, "action", "has unknown value '" + actionWire + "' (allowed: "
          + java.util.Arrays.stream(dev.haetae.moderation.api.Action.Kind.values())
              .map(dev.haetae.moderation.api.Action.Kind::wireName).collect(java.util.stream.Collectors.joining(", "))
          + ")");
    }
    ActionConfirmation.Outcome outcome = n.has("outcome")
        ? ActionConfirmation.Outcome.fromWire(str(line, n, "outcome")) : ActionConfirmation.Outcome.CARRIED_OUT;
    Optional<java.time.Duration> delay = Optional.empty();
    if (n.has("delay") && !n.get("delay").isNull()) {
      if (!byLine) {
        throw new EventStreamException(line, "delay", "needs 'of_line': it counts from that line's time");
      }
      String d = str(line, n, "delay");
      try {
        delay = Optional.of(java.time.Duration.parse(d));
      } catch (DateTimeParseException e) {
        throw new EventStreamException(line, "delay", "is not an ISO-8601 duration such as PT2H: '" + d + "'");
      }
      if (delay.get().isNegative()) {
        throw new EventStreamException(line, "delay", "must not be negative, got " + d);
      }
    }
    Optional<Instant> actionAt = Optional.empty();
    if (n.has("action_at") && !n.get("action_at").isNull()) {
      if (delay.isPresent()) {
        throw new EventStreamException(line, "action_at", "cannot be given with 'delay'");
      }
      actionAt = Optional.of(instant(line, n, "action_at"));
      if (actionAt.get().isAfter(at)) {
        throw new EventStreamException(line, "action_at", "is " + actionAt.get() + ", after the event's own 'at' "
            + at + " (the host confirms what it already did)");
      }
    }
    return new StreamEvent.Confirm(line, at, ofLine, byId ? Optional.of(str(line, n, "decision")) : Optional.empty(),
        action, outcome, delay, actionAt, optStr(line, n, "detail"), recipient(line, n));
  }

  /** The optional {@code recipient} of a confirmation: {@code uploader}, {@code reporters}, ... */
  private static Optional<dev.haetae.moderation.api.Action.Recipient> recipient(int line, JsonNode n) {
    Optional<String> wire = optStr(line, n, "recipient");
    if (wire.isEmpty()) {
      return Optional.empty();
    }
    for (dev.haetae.moderation.api.Action.Recipient r : dev.haetae.moderation.api.Action.Recipient.values()) {
      if (r.name().toLowerCase(java.util.Locale.ROOT).equals(wire.get())) {
        return Optional.of(r);
      }
    }
    throw new EventStreamException(line, "recipient", "has unknown value '" + wire.get()
        + "' (allowed: uploader, reporters, notice_sender, photo_owner)");
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
      throw new EventStreamException(line, field, "must be a string, got " + kind(v));
    }
    return v.asText();
  }

  private static Optional<String> optStr(int line, JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? Optional.empty() : Optional.of(str(line, n, field));
  }

  /** An optional boolean, false when absent: only JSON {@code true} and {@code false} are booleans. */
  private static boolean bool(int line, JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return false;
    }
    if (!v.isBoolean()) {
      throw new EventStreamException(line, field, "must be true or false, got " + kind(v));
    }
    return v.booleanValue();
  }

  private static int integer(int line, JsonNode n, String field, int min, int max) {
    JsonNode v = n.get(field);
    if (v == null || !v.isIntegralNumber()) {
      throw new EventStreamException(line, field, "must be an integer from " + min + " to " + max + ", got "
          + kind(v));
    }
    if (!v.canConvertToLong() || v.longValue() < min || v.longValue() > max) {
      throw new EventStreamException(line, field, "must be an integer from " + min + " to " + max + ", got "
          + v.asText());
    }
    return v.intValue();
  }

  /** An optional array of strings, empty when absent. */
  private static java.util.List<String> strings(int line, JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return java.util.List.of();
    }
    if (!v.isArray()) {
      throw new EventStreamException(line, field, "must be an array of strings, got " + kind(v));
    }
    java.util.List<String> out = new java.util.ArrayList<>(v.size());
    for (JsonNode e : v) {
      if (!e.isTextual()) {
        throw new EventStreamException(line, field, "must hold strings only, got " + kind(e));
      }
      out.add(e.asText());
    }
    return out;
  }

  private static String kind(JsonNode v) {
    if (v == null || v.isNull()) {
      return "null";
    }
    if (v.isTextual()) {
      return "a string";
    }
    if (v.isNumber()) {
      return "the number " + v.asText();
    }
    if (v.isBoolean()) {
      return v.asText();
    }
    return v.isArray() ? "an array" : "an object";
  }

  private static Instant instant(int line, JsonNode n, String field) {
    String s = str(line, n, field);
    Instant t;
    try {
      t = Instant.parse(s);
    } catch (DateTimeParseException e) {
      throw new EventStreamException(line, field, "is not an ISO-8601 instant such as 2026-11-21T10:00:00Z: '" + s
          + "'");
    }
    if (t.isBefore(TimeOutOfRangeException.EARLIEST) || !t.isBefore(TimeOutOfRangeException.LATEST)) {
      throw new EventStreamException(line, field, "is " + t + ", outside the supported range "
          + TimeOutOfRangeException.EARLIEST + " to " + TimeOutOfRangeException.LATEST + " (exclusive)");
    }
    return t;
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

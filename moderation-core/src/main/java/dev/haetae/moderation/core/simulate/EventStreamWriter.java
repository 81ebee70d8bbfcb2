package dev.haetae.moderation.core.simulate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haetae.moderation.api.AccountEvent;
import dev.haetae.moderation.api.Appeal;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.Content;
import dev.haetae.moderation.api.ContentEvent;
import dev.haetae.moderation.api.Jurisdiction;
import dev.haetae.moderation.api.LegalNotice;
import dev.haetae.moderation.api.MatchType;
import dev.haetae.moderation.api.ModerationRequest;
import dev.haetae.moderation.api.ReviewOutcome;
import dev.haetae.moderation.api.UserReport;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Writes requests, bank changes and clock ticks as an event stream in the format the
 * {@link Simulator} reads (see the simulation guide), so that a host, a test or the example
 * messenger can record traffic and replay it with {@code haetae simulate}. Content bytes are never
 * written: they are replaced by their SHA-256 and MD5 (the engine would compute the same), and the
 * PDQ hash when the host supplied one.
 *
 * <p>Events must be written in time order; the writer does not reorder them. Not thread-safe.
 *
 * @since 0.1
 */
public final class EventStreamWriter implements Closeable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Writer out;
  private long written;

  private EventStreamWriter(Writer out) {
    this.out = out;
  }

  /**
   * A writer to a new (or truncated) UTF-8 file.
   *
   * @param file the file; not null
   * @return the writer; close it
   * @throws UncheckedIOException when the file cannot be opened
   */
  public static EventStreamWriter to(Path file) {
    try {
      return new EventStreamWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open " + file, e);
    }
  }

  /**
   * A writer to a character stream.
   *
   * @param out the stream; not null; closed by {@link #close()}
   * @return the writer
   */
  public static EventStreamWriter of(Writer out) {
    return new EventStreamWriter(out instanceof BufferedWriter ? out : new BufferedWriter(out));
  }

  /**
   * Writes one request as the event the simulator turns back into an equal request.
   *
   * @param at when it happened; not null
   * @param request the request; not null
   * @throws UncheckedIOException when writing fails
   */
  public void request(Instant at, ModerationRequest request) {
    Objects.requireNonNull(request, "request");
    ObjectNode o = JSON.createObjectNode();
    o.put("type", request.type());
    o.put("at", at.toString());
    if (request instanceof ContentEvent) {
      content(o, (ContentEvent) request);
    } else if (request instanceof UserReport) {
      UserReport r = (UserReport) request;
      o.put("reporter", r.reporter().value());
      o.put(r.target().kind(), r.target().id());
      o.put("category", r.category().wireName());
      r.text().ifPresent(t -> o.put("text", t));
      if (r.firstParty()) {
        o.put("self", true);
      }
    } else if (request instanceof LegalNotice) {
      LegalNotice n = (LegalNotice) request;
      o.put("notice_id", n.noticeId());
      o.put("instrument", n.instrument());
      o.put("content", n.content().value());
      o.put("sender", n.sender().wireName());
      ObjectNode f = o.putObject("fields");
      new TreeMap<>(n.fields()).forEach(f::put);
      o.put("received_at", n.receivedAt().toString());
    } else if (request instanceof ReviewOutcome) {
      ReviewOutcome r = (ReviewOutcome) request;
      o.put(r.target().kind(), r.target().id());
      o.put("verdict", r.verdict().wireName());
      r.category().ifPresent(c -> o.put("category", c.wireName()));
      r.note().ifPresent(t -> o.put("note", t));
    } else if (request instanceof Appeal) {
      Appeal a = (Appeal) request;
      o.put("appeal_id", a.appealId());
      o.put("decision", a.decision().value());
      o.put("content", a.content().value());
      o.put("account", a.appellant().value());
      o.put("informed_at", a.informedAt().toString());
      a.reason().ifPresent(t -> o.put("reason", t));
    } else if (request instanceof AccountEvent) {
      AccountEvent a = (AccountEvent) request;
      o.put("account", a.account().value());
      o.put("created", a.createdAt().toString());
      o.put("trusted_flagger", a.trustedFlagger());
      a.organisation().ifPresent(t -> o.put("organisation", t));
    } else if (request instanceof dev.haetae.moderation.api.ActionConfirmation) {
      dev.haetae.moderation.api.ActionConfirmation c = (dev.haetae.moderation.api.ActionConfirmation) request;
      o.put("decision", c.decision().value());
      o.put("action", c.action().wireName());
      o.put("outcome", c.outcome().wireName());
      if (!c.at().equals(at)) {
        o.put("action_at", c.at().toString());
      }
      c.detail().ifPresent(t -> o.put("detail", t));
      c.recipient().ifPresent(r -> o.put("recipient", r.name().toLowerCase(java.util.Locale.ROOT)));
    } else {
      throw new IllegalArgumentException("no event form for " + request.getClass().getName());
    }
    line(o);
  }

  /**
   * Writes a bank change.
   *
   * @param at when; not null
   * @param op {@code add} or {@code withdraw}; not null
   * @param bank the bank id; not null
   * @param category the bank's category; not null
   * @param type the hash type; not null
   * @param hex the hash; not null
   * @throws UncheckedIOException when writing fails
   */
  public void bank(Instant at, String op, String bank, Category category, MatchType type, String hex) {
    ObjectNode o = JSON.createObjectNode();
    o.put("type", "bank");
    o.put("at", at.toString());
    o.put("op", op);
    o.put("bank", bank);
    o.put("category", category.wireName());
    o.put(type.wireName(), hex);
    line(o);
  }

  /**
   * Writes a clock tick (the engine's {@code tick()} at that instant).
   *
   * @param at when; not null
   * @throws UncheckedIOException when writing fails
   */
  public void tick(Instant at) {
    ObjectNode o = JSON.createObjectNode();
    o.put("type", "tick");
    o.put("at", at.toString());
    line(o);
  }

  /**
   * How many events were written.
   *
   * @return the count
   */
  public long written() {
    return written;
  }

  /**
   * Flushes and closes the underlying stream.
   *
   * @throws UncheckedIOException when closing fails
   */
  @Override
  public void close() {
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void content(ObjectNode o, ContentEvent e) {
    Content c = e.content();
    o.put("content", c.id().value());
    o.put("account", e.account().value());
    e.room().ifPresent(r -> o.put("room", r.value()));
    o.put("surface", c.surface().wireName());
    o.put("kind", c.kind().wireName());
    c.fingerprints().pdq().ifPresent(p -> {
      o.put("pdq", p.hash().toHex());
      if (p.quality() >= 0) {
        o.put("pdq_quality", p.quality());
      }
    });
    if (c.fingerprints().sha256().isPresent()) {
      o.put("sha256", c.fingerprints().sha256().get().toHex());
    }
    if (c.fingerprints().md5().isPresent()) {
      o.put("md5", c.fingerprints().md5().get().toHex());
    }
    e.bytes().ifPresent(b -> {
      byte[] bytes = b.toByteArray();
      if (!o.has("sha256")) {
        o.put("sha256", digest("SHA-256", bytes));
      }
      if (!o.has("md5")) {
        o.put("md5", digest("MD5", bytes));
      }
    });
    c.text().ifPresent(t -> o.put("text", t));
    if (!c.jurisdictions().isEmpty()) {
      ArrayNode j = o.putArray("jurisdictions");
      new TreeSet<>(c.jurisdictions().stream().map(Jurisdiction::code).toList()).forEach(j::add);
    }
    e.forwardedFrom().ifPresent(f -> o.put("forwarded_from", f.value()));
    if (e.protect()) {
      o.put("protect", true);
    }
  }

  private void line(ObjectNode o) {
    try {
      out.write(o.toString());
      out.write('\n');
      written++;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String digest(String algorithm, byte[] bytes) {
    try {
      byte[] d = MessageDigest.getInstance(algorithm).digest(bytes);
      StringBuilder sb = new StringBuilder(d.length * 2);
      for (byte x : d) {
        sb.append(Character.forDigit((x >> 4) & 15, 16)).append(Character.forDigit(x & 15, 16));
      }
      return sb.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is required by every JDK", e);
    }
  }

}

package dev.haetae.moderation.core.banks;

import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.spi.HashBankSource.Entry.State;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * NCMEC hash sharing, v2: {@code GET <base>/v2/entries?from=<checkpoint>&to=<now>}, then each page's
 * {@code paging/next} path (relative to {@code base}) until a page has none; the checkpoint is the
 * {@code to} time in epoch seconds (the API does not return entries in time order, so only a
 * completed sync may advance it). NCMEC deletes by entry id: the source remembers which hashes it
 * delivered under each id and turns {@code deletedImage}/{@code deletedVideo} into deletions of
 * them; an update of an id deletes the hashes the id no longer carries.
 */
final class NcmecSource extends PagedSource {
  private final Clock clock;
  /** NCMEC entry id to the {type, value} pairs delivered under it. */
  private final Map<String, List<String[]>> byId = new HashMap<>();

  NcmecSource(String bankId, Category category, URI base, HttpPages http, Clock clock) {
    super(bankId, category, base, http);
    this.clock = clock;
  }

  @Override
  synchronized String sync(Optional<String> from, Sink sink) {
    long start = from.map(NcmecSource::seconds).orElse(0L);
    Instant to = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    String path = "v2/entries?from=" + encode(Instant.ofEpochSecond(start).toString()) + "&to=" + encode(to.toString());
    for (int page = 1; page <= MAX_PAGES; page++) {
      int n = page;
      Grouper g = new Grouper(sink, n);
      NcmecFormat.Page p = http.get(resolve(base, path), r -> NcmecFormat.read(r, g));
      g.flush();
      if (p.next().isEmpty()) {
        return Long.toString(to.getEpochSecond());
      }
      String next = p.next().get();
      if (!next.startsWith("/") || next.startsWith("//") || next.contains("://")) {
        throw new IllegalStateException("NCMEC paging/next must be a path on the same server, got '"
            + ListRecord.printable(next) + "'");
      }
      if (next.equals("/" + path) || next.equals(path)) {
        throw new IllegalStateException("NCMEC returned the same page as its next page");
      }
      path = next;
    }
    throw new IllegalStateException("NCMEC sync stopped after " + MAX_PAGES + " pages");
  }

  private static long seconds(String checkpoint) {
    try {
      return Long.parseLong(checkpoint.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("NCMEC checkpoint must be epoch seconds, got '"
          + ListRecord.printable(checkpoint) + "'", e);
    }
  }

  /** Collects the records of one entry (same id and line) and applies them as a whole. */
  private final class Grouper implements RecordSink {
    private final Sink sink;
    private final RecordSink problems;
    private String id;
    private long line = -1;
    private final List<ListRecord> current = new ArrayList<>();

    Grouper(Sink sink, int page) {
      this.sink = sink;
      this.problems = forward(sink, page);
    }

    @Override
    public void accept(ListRecord r) {
      String rid = r.sourceId().orElse(null);
      if (rid == null) {
        flush();
        emit(r, sink);
        return;
      }
      if (!rid.equals(id) || r.line() != line) {
        flush();
        id = rid;
        line = r.line();
      }
      current.add(r);
    }

    @Override
    public void problem(long l, ProblemKind kind, String message) {
      flush();
      problems.problem(l, kind, message);
    }

    void flush() {
      if (current.isEmpty()) {
        return;
      }
      List<String[]> old = byId.getOrDefault(id, List.of());
      if (current.get(0).deletesById()) {
        for (String[] o : old) {
          emit(new ListRecord(o[0], o[1], State.DELETED, current.get(0).addedAt(), Optional.of(id), Optional.of(id),
              OptionalInt.empty(), line), sink);
        }
        byId.remove(id);
      } else {
        Set<String> now = new LinkedHashSet<>();
        List<String[]> keep = new ArrayList<>();
        for (ListRecord r : current) {
          if (now.add(r.signalType() + '\u0000' + r.value()) && keep.size() < 64) {
            keep.add(new String[] {r.signalType(), r.value()});
          }
        }
        for (String[] o : old) {
          if (!now.contains(o[0] + '\u0000' + o[1])) {
            emit(new ListRecord(o[0], o[1], State.DELETED, Optional.empty(), Optional.of(id), Optional.of(id),
                OptionalInt.empty(), line), sink);
          }
        }
        for (ListRecord r : current) {
          emit(r, sink);
        }
        byId.put(id, keep);
      }
      current.clear();
    }
  }
}

package dev.haetae.moderation.core.hash;

import dev.haetae.moderation.api.spi.HashBankSource.Entry.State;
import dev.haetae.moderation.api.spi.HashBankSource.ForeignEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The entries of one bank whose signal types Haetae does not match, and the programme ids under
 * which the bank received hashes (for deletions by id). Kept beside the bank, never matched: the
 * seam where a host matcher for such types reads them. Thread-safe (every method synchronised;
 * imports are rare next to matching, which never touches this).
 */
final class ForeignEntries {
  /** type NUL value to entry, sorted so exports are stable. */
  private final Map<String, ForeignEntry> entries = new TreeMap<>();
  /** programme id to the keys ({@code type NUL value}) received under it. */
  private final Map<String, List<String>> ids = new java.util.HashMap<>();

  static String key(String type, String value) {
    return type + '\u0000' + value;
  }

  /** The held entry, or null. */
  synchronized ForeignEntry get(String type, String value) {
    return entries.get(key(type, value));
  }

  /** Applies a state; returns the previous entry (null when none). Deleted entries leave. */
  synchronized ForeignEntry put(String type, String value, State state, Optional<Instant> addedAt, Optional<String> caseId) {
    String k = key(type, value);
    if (state == State.DELETED) {
      return entries.remove(k);
    }
    ForeignEntry old = entries.get(k);
    Optional<String> cid = caseId.isPresent() ? caseId : old == null ? Optional.empty() : old.caseId();
    Optional<Instant> at = addedAt.isPresent() ? addedAt : old == null ? Optional.empty() : old.addedAt();
    if (state == State.WITHDRAWN && old == null) {
      return null; // withdrawing what was never held changes nothing
    }
    entries.put(k, new ForeignEntry(type, value, state, at, cid));
    return old;
  }

  synchronized List<ForeignEntry> all() {
    return List.copyOf(entries.values());
  }

  synchronized long activeCount() {
    return entries.values().stream().filter(e -> e.state() == State.ACTIVE).count();
  }

  /** Remembers that the bank received {@code type}/{@code value} under a programme id. */
  synchronized void remember(String id, String type, String value) {
    List<String> keys = ids.computeIfAbsent(id, k -> new ArrayList<>(2));
    String k = key(type, value);
    if (!keys.contains(k) && keys.size() < 64) {
      keys.add(k);
    }
  }

  /** Forgets a programme id and returns the {type, value} pairs received under it. */
  synchronized List<String[]> forget(String id) {
    List<String> keys = ids.remove(id);
    List<String[]> out = new ArrayList<>();
    if (keys != null) {
      for (String k : keys) {
        int nul = k.indexOf('\u0000');
        out.add(new String[] {k.substring(0, nul), k.substring(nul + 1)});
      }
    }
    return out;
  }
}

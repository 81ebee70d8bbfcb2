package dev.haetae.moderation.core.banks;

import dev.haetae.moderation.api.Category;
import java.net.URI;
import java.time.Clock;
import java.util.Optional;

/**
 * ThreatExchange {@code threat_updates} of one privacy group:
 * {@code GET <base>/<group>/threat_updates?start_time=<checkpoint>&stop_time=<now>&limit=500&fields=...},
 * then each page's {@code paging.next} (which must stay on the base's server); the checkpoint is
 * {@code stop_time}. {@code should_delete} updates delete the hash.
 */
final class ThreatExchangeSource extends PagedSource {
  static final String FIELDS = "id,indicator,type,last_updated,should_delete,descriptors{status,added_on,owner{id}}";

  private final String group;
  private final Clock clock;

  ThreatExchangeSource(String bankId, Category category, URI base, String group, HttpPages http, Clock clock) {
    super(bankId, category, base, http);
    if (!group.matches("[0-9A-Za-z_-]{1,64}")) {
      throw new IllegalArgumentException("privacy group id must be 1-64 letters, digits, '_' or '-', got '"
          + ListRecord.printable(group) + "'");
    }
    this.group = group;
    this.clock = clock;
  }

  @Override
  String sync(Optional<String> from, Sink sink) {
    long start;
    try {
      start = from.map(s -> Long.parseLong(s.strip())).orElse(0L);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("ThreatExchange checkpoint must be epoch seconds, got '"
          + ListRecord.printable(from.get()) + "'", e);
    }
    long stop = clock.instant().getEpochSecond();
    URI uri = resolve(base, group + "/threat_updates?start_time=" + start + "&stop_time=" + stop + "&limit=500&fields="
        + encode(FIELDS));
    for (int page = 1; page <= MAX_PAGES; page++) {
      int n = page;
      ThreatExchangeFormat.Page p = http.get(uri, r -> ThreatExchangeFormat.read(r, forward(sink, n)));
      if (p.next().isEmpty()) {
        return Long.toString(stop);
      }
      URI next;
      try {
        next = URI.create(p.next().get());
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException("ThreatExchange paging.next is not a URL", e);
      }
      if (!sameServer(base, next)) {
        throw new IllegalStateException("ThreatExchange paging.next leaves " + HttpPages.where(base) + ": "
            + HttpPages.where(next));
      }
      if (next.equals(uri)) {
        throw new IllegalStateException("ThreatExchange returned the same page as its next page");
      }
      uri = next;
    }
    throw new IllegalStateException("ThreatExchange sync stopped after " + MAX_PAGES + " pages");
  }

  private static boolean sameServer(URI a, URI b) {
    return a.getScheme() != null && a.getScheme().equalsIgnoreCase(b.getScheme())
        && a.getAuthority() != null && a.getAuthority().equalsIgnoreCase(b.getAuthority());
  }
}

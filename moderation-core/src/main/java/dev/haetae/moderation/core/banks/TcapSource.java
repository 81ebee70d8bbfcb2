package dev.haetae.moderation.core.banks;

import dev.haetae.moderation.api.Category;
import java.net.URI;
import java.util.Optional;

/**
 * Tech Against Terrorism's hash list, v2: {@code GET <base>/api/hash-list/v2/all?order=asc&after=<checkpoint>},
 * repeated with each page's {@code checkpoint} ({@code "<updated_on>,<id>"} of its last entry)
 * while the page has a {@code next}. Deleted entries remove their hash.
 */
final class TcapSource extends PagedSource {
  TcapSource(String bankId, Category category, URI base, HttpPages http) {
    super(bankId, category, base, http);
  }

  @Override
  String sync(Optional<String> from, Sink sink) {
    if (from.isPresent() && !TcapFormat.validCheckpoint(from.get())) {
      throw new IllegalArgumentException("TCAP checkpoint must be \"<seconds>,<id>\", got '"
          + ListRecord.printable(from.get()) + "'");
    }
    String after = from.orElse("");
    for (int page = 1; page <= MAX_PAGES; page++) {
      int n = page;
      TcapFormat.Page p = http.get(resolve(base, "api/hash-list/v2/all?order=asc&after=" + encode(after)),
          r -> TcapFormat.read(r, forward(sink, n)));
      String next = p.checkpoint().orElse(after);
      if (p.next().isEmpty()) {
        return next.isEmpty() ? "0,0" : next;
      }
      if (next.equals(after)) {
        throw new IllegalStateException("TCAP page " + page + " has a next page but the same checkpoint '" + after + "'");
      }
      after = next;
    }
    throw new IllegalStateException("TCAP sync stopped after " + MAX_PAGES + " pages");
  }
}

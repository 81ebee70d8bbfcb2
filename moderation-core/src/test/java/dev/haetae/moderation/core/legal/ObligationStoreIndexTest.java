package dev.haetae.moderation.core.legal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.Duty;
import dev.haetae.moderation.api.spi.ObligationRecord;
import dev.haetae.moderation.core.store.InMemoryObligationStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The indexed {@code due} of the embedded store agrees with a linear scan, under random updates. */
class ObligationStoreIndexTest {
  private static final Instant T = Instant.parse("2026-11-21T00:00:00Z");

  @Test
  void dueAgreesWithALinearScan() {
    for (long seed = 1; seed <= 5; seed++) {
      Random rnd = new Random(seed);
      InMemoryObligationStore store = new InMemoryObligationStore();
      Map<String, ObligationRecord> model = new HashMap<>();
      for (int step = 0; step < 4000; step++) {
        String id = "o" + rnd.nextInt(600);
        ObligationRecord cur = model.get(id);
        Instant next = T.plusSeconds(rnd.nextInt(10_000));
        ObligationRecord.Status status = ObligationRecord.Status.values()[rnd.nextInt(4)];
        if (cur == null) {
          ObligationRecord o = record(id, next, ObligationRecord.Status.OPEN);
          assertEquals(o, store.open(o));
          model.put(id, o);
        } else if (rnd.nextBoolean()) {
          assertEquals(cur, store.open(record(id, next, status)), "open is idempotent by id");
        } else {
          ObligationRecord o = record(id, next, status);
          store.update(o);
          model.put(id, o);
        }
        if (step % 97 == 0) {
          Instant now = T.plusSeconds(rnd.nextInt(11_000));
          int max = 1 + rnd.nextInt(50);
          List<ObligationRecord> expected = new ArrayList<>();
          for (ObligationRecord o : model.values()) {
            if (o.isOpen() && !o.nextCheck().isAfter(now)) {
              expected.add(o);
            }
          }
          expected.sort(Comparator.comparing(ObligationRecord::nextCheck).thenComparing(ObligationRecord::id));
          assertEquals(expected.subList(0, Math.min(max, expected.size())), store.due(now, max), "seed " + seed);
        }
      }
    }
  }

  private static ObligationRecord record(String id, Instant next, ObligationRecord.Status status) {
    return new ObligationRecord(id, "EU-TCO-3", "TCO", Category.TERRORISM, ContentId.of("c-" + id), T,
        T.plus(Duration.ofHours(3)), List.of(Duty.REMOVE), Duration.ZERO, status, next, 0, Optional.empty());
  }
}

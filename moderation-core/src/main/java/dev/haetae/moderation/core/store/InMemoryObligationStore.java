package dev.haetae.moderation.core.store;

import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.spi.ObligationRecord;
import dev.haetae.moderation.api.spi.ObligationStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.function.UnaryOperator;

/**
 * The embedded default {@link ObligationStore}: obligations in a hash map, with a skip list ordered
 * by next check time so that {@link #due} costs in proportion to what is due, not to all that is
 * open.
 *
 * <p>Thread-safe.
 *
 * @since 0.1
 */
public final class InMemoryObligationStore implements ObligationStore {
  private record Key(Instant at, String id) {}

  private static final Comparator<Key> ORDER = Comparator.comparing(Key::at).thenComparing(Key::id);

  private final ConcurrentHashMap<String, ObligationRecord> byId = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<ContentId, List<String>> byContent = new ConcurrentHashMap<>();
  private final ConcurrentSkipListSet<Key> schedule = new ConcurrentSkipListSet<>(ORDER);

  /** Creates an empty store. */
  public InMemoryObligationStore() {}

  @Override
  public ObligationRecord open(ObligationRecord o) {
    ObligationRecord[] result = new ObligationRecord[1];
    byId.compute(o.id(), (k, cur) -> {
      if (cur != null) {
        result[0] = cur;
        return cur;
      }
      result[0] = o;
      byContent.merge(o.content(), List.of(o.id()), (a, b) -> {
        List<String> n = new ArrayList<>(a);
        n.addAll(b);
        return List.copyOf(n);
      });
      if (o.isOpen()) {
        schedule.add(new Key(o.nextCheck(), o.id()));
      }
      return o;
    });
    return result[0];
  }

  @Override
  public Optional<ObligationRecord> find(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  @Override
  public List<ObligationRecord> openFor(ContentId content) {
    List<ObligationRecord> out = new ArrayList<>();
    for (String id : byContent.getOrDefault(content, List.of())) {
      ObligationRecord o = byId.get(id);
      if (o != null && o.isOpen()) {
        out.add(o);
      }
    }
    out.sort(Comparator.comparing(ObligationRecord::deadline));
    return out;
  }

  @Override
  public List<ObligationRecord> due(Instant now, int max) {
    List<ObligationRecord> out = new ArrayList<>();
    for (Key k : schedule) {
      if (k.at().isAfter(now) || out.size() >= max) {
        break;
      }
      ObligationRecord o = byId.get(k.id());
      if (o != null && o.isOpen() && o.nextCheck().equals(k.at())) {
        out.add(o);
      }
    }
    return out;
  }

  @Override
  public void update(ObligationRecord o) {
    byId.compute(o.id(), (k, cur) -> {
      if (cur == null) {
        throw new IllegalArgumentException("no obligation with id " + o.id());
      }
      schedule.remove(new Key(cur.nextCheck(), cur.id()));
      if (o.isOpen()) {
        schedule.add(new Key(o.nextCheck(), o.id()));
      }
      return o;
    });
  }

  /**
   * {@inheritDoc}
   *
   * <p>Atomic against every other change of the same obligation in this store (runs under the hash
   * map's per-key lock, so {@code change} is called exactly once).
   */
  @Override
  public ObligationRecord update(String id, UnaryOperator<ObligationRecord> change) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(change, "change");
    return byId.compute(id, (k, cur) -> {
      if (cur == null) {
        throw new IllegalArgumentException("no obligation with id " + id);
      }
      ObligationRecord next = Objects.requireNonNull(change.apply(cur), "change returned null");
      if (!next.id().equals(id)) {
        throw new IllegalArgumentException("change returned obligation " + next.id() + " for " + id);
      }
      if (next.equals(cur)) {
        return cur;
      }
      schedule.remove(new Key(cur.nextCheck(), cur.id()));
      if (next.isOpen()) {
        schedule.add(new Key(next.nextCheck(), next.id()));
      }
      return next;
    });
  }

  @Override
  public List<ObligationRecord> all() {
    List<ObligationRecord> out = new ArrayList<>(byId.values());
    out.sort(Comparator.comparing(ObligationRecord::receivedAt).thenComparing(ObligationRecord::id));
    return out;
  }

  /**
   * The number of open obligations.
   *
   * @return the count
   */
  public int openCount() {
    int n = 0;
    for (Map.Entry<String, ObligationRecord> e : byId.entrySet()) {
      if (e.getValue().isOpen()) {
        n++;
      }
    }
    return n;
  }
}

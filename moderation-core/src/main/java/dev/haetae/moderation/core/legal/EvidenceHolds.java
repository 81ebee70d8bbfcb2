package dev.haetae.moderation.core.legal;

import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.spi.EvidenceHold;
import dev.haetae.moderation.api.spi.EvidenceHoldStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The embedded default {@link EvidenceHoldStore}, in memory: the evidence holds the engine tracks.
 * Each removal under a preservation duty (an instrument's {@code preserve_for}, or a decision's
 * {@code PreserveEvidence} action) places a hold on the content until the duty ends. The host asks {@link #mayDelete} before it deletes removed content
 * for good; Haetae never reports held evidence as deletable before every hold on it has ended, even
 * if the content was restored, re-removed or its obligations closed meanwhile.
 *
 * <p>Placing the same basis twice keeps the later end. Expiry is indexed by end time, so
 * {@link #expire} costs in proportion to the holds that end, not to all that are held.
 *
 * <p>Kept in memory: nothing survives a restart, and each process has its own. Deployments of many
 * instances plug a shared store into {@code ModerationEngineBuilder.evidenceHoldStore} instead
 * (e.g. the PostgreSQL one). Thread-safe: every method is synchronized on this object.
 *
 * @since 0.1
 */
public final class EvidenceHolds implements EvidenceHoldStore {
  private record Key(Instant until, String id) {}

  private final Map<String, EvidenceHold> byId = new HashMap<>();
  private final Map<ContentId, List<String>> byContent = new HashMap<>();
  private final TreeSet<Key> schedule = new TreeSet<>(Comparator.comparing(Key::until).thenComparing(Key::id));

  /** Creates an empty registry. */
  public EvidenceHolds() {}

  /**
   * Places (or extends) a hold.
   *
   * @param content the content; not null
   * @param basis what the duty comes from, e.g. an obligation id; not null
   * @param citation the legal ground; not null
   * @param from when the hold starts; not null
   * @param period how long it lasts; not null, positive
   * @return the hold as stored (for a basis already held, its end is the later of the two)
   * @throws IllegalArgumentException when {@code period} is not positive
   */
  @Override
  public synchronized EvidenceHold place(ContentId content, String basis, String citation, Instant from,
      Duration period) {
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(basis, "basis");
    Objects.requireNonNull(citation, "citation");
    Objects.requireNonNull(from, "from");
    if (period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("a hold needs a positive period, got " + period);
    }
    String id = EvidenceHold.idOf(content, basis);
    Instant until = from.plus(period);
    EvidenceHold cur = byId.get(id);
    if (cur != null && !until.isAfter(cur.until())) {
      return cur;
    }
    EvidenceHold h = new EvidenceHold(id, content, basis, citation, cur == null ? from : cur.from(), until,
        Optional.empty());
    if (cur == null) {
      byContent.computeIfAbsent(content, k -> new ArrayList<>(1)).add(id);
    } else {
      schedule.remove(new Key(cur.until(), id));
    }
    byId.put(id, h);
    schedule.add(new Key(until, id));
    return h;
  }

  /**
   * Marks the holds that end at or before {@code now} as expired.
   *
   * @param now the clock's instant; not null
   * @return the holds that expired with this call, earliest first; never null
   */
  @Override
  public synchronized List<EvidenceHold> expire(Instant now) {
    List<EvidenceHold> out = new ArrayList<>();
    while (!schedule.isEmpty() && !schedule.first().until().isAfter(now)) {
      Key k = schedule.pollFirst();
      EvidenceHold h = byId.get(k.id());
      EvidenceHold done = new EvidenceHold(h.id(), h.content(), h.basis(), h.citation(), h.from(), h.until(),
          Optional.of(now));
      byId.put(h.id(), done);
      out.add(done);
    }
    return out;
  }

  /**
   * Whether the host may now delete the content for good: true only when no hold on it is active at
   * {@code now} (whether or not {@link #expire} has run).
   *
   * @param content the content; not null
   * @param now the instant; not null
   * @return whether deleting it would break no preservation duty Haetae knows
   */
  @Override
  public synchronized boolean mayDelete(ContentId content, Instant now) {
    return heldUntil(content, now).isEmpty();
  }

  /**
   * When the last active hold on the content ends.
   *
   * @param content the content; not null
   * @param now the instant; not null
   * @return the latest end among holds active at {@code now}, or empty when none is
   */
  @Override
  public synchronized Optional<Instant> heldUntil(ContentId content, Instant now) {
    Instant max = null;
    for (String id : byContent.getOrDefault(content, List.of())) {
      EvidenceHold h = byId.get(id);
      if (h.activeAt(now) && (max == null || h.until().isAfter(max))) {
        max = h.until();
      }
    }
    return Optional.ofNullable(max);
  }

  /**
   * Every hold on one piece of content, active or expired.
   *
   * @param content the content; not null
   * @return the holds in the order placed; never null
   */
  @Override
  public synchronized List<EvidenceHold> on(ContentId content) {
    List<EvidenceHold> out = new ArrayList<>();
    for (String id : byContent.getOrDefault(content, List.of())) {
      out.add(byId.get(id));
    }
    return out;
  }

  /**
   * The holds active at an instant.
   *
   * @param now the instant; not null
   * @return the active holds, earliest end first; never null
   */
  @Override
  public synchronized List<EvidenceHold> active(Instant now) {
    List<EvidenceHold> out = new ArrayList<>();
    for (Key k : schedule.tailSet(new Key(now, "\uffff"), false)) {
      out.add(byId.get(k.id()));
    }
    return out;
  }

  /**
   * Every hold ever placed, for audits.
   *
   * @return a snapshot, ordered by start then id; never null
   */
  @Override
  public synchronized List<EvidenceHold> all() {
    List<EvidenceHold> out = new ArrayList<>(byId.values());
    out.sort(Comparator.comparing(EvidenceHold::from).thenComparing(EvidenceHold::id));
    return out;
  }
}

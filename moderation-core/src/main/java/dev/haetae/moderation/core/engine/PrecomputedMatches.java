package dev.haetae.moderation.core.engine;

import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.ExternalHit;
import dev.haetae.moderation.api.ExternalProvenance;
import dev.haetae.moderation.api.InvalidRequestException;
import dev.haetae.moderation.api.LimitExceededException;
import dev.haetae.moderation.api.ModerationRequest;
import dev.haetae.moderation.api.spi.ExternalMatcher;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An {@link ExternalMatcher} that answers from hits the host computed beforehand, off the hot path:
 * a video hashed and matched when it was uploaded, a vendor's API answered asynchronously, a batch
 * run of a certified filter. The host {@link #put}s a content's hits (and the provenance they were
 * computed with) before it asks the engine to evaluate the content; the engine's call then only
 * looks them up, so it stays far inside any budget. A content with nothing put has no hits.
 *
 * <p>The hits of a content stay until the host {@link #remove}s them (after the decision is made),
 * so that a retried evaluation sees them again. At most {@code capacity} contents are held: a put
 * beyond is refused, never dropped silently.
 *
 * <p>Thread-safe.
 *
 * @since 0.2
 */
public final class PrecomputedMatches implements ExternalMatcher {
  private final String id;
  private final Set<String> types;
  private final int capacity;
  private final Duration budget;
  private final AtomicReference<ExternalProvenance> provenance;
  private final Map<ContentId, List<ExternalHit>> hits = new ConcurrentHashMap<>();

  private PrecomputedMatches(String id, Set<String> types, ExternalProvenance provenance, int capacity) {
    this.id = ExternalHitChecks.matcherId(id);
    this.types = Set.copyOf(Objects.requireNonNull(types, "types"));
    if (this.types.isEmpty()) {
      throw new IllegalArgumentException("types must name at least one signal type");
    }
    for (String t : this.types) {
      ExternalHitChecks.type(t);
    }
    this.provenance = new AtomicReference<>(Objects.requireNonNull(provenance, "provenance"));
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
    }
    this.capacity = capacity;
    this.budget = Duration.ofMillis(100);
  }

  /**
   * A matcher answering from precomputed hits.
   *
   * @param id the matcher's id; not null, 1 to 256 characters
   * @param types the signal types its hits have; not null, not empty, each a valid type token
   * @param provenance who computed the hits and against which list version; not null
   * @param capacity how many contents' hits it holds at most; at least 1
   * @return the matcher; never null
   * @throws NullPointerException when an argument is null
   * @throws IllegalArgumentException when {@code types} is empty or {@code capacity} below 1
   * @throws InvalidRequestException when the id or a type is invalid
   */
  public static PrecomputedMatches of(String id, Set<String> types, ExternalProvenance provenance, int capacity) {
    return new PrecomputedMatches(id, types, provenance, capacity);
  }

  /**
   * Holds a content's hits, replacing any held for it, and records the provenance they were
   * computed with (a new list version applies to later calls).
   *
   * @param content the content the hits are about; not null
   * @param contentHits the hits; not null, no null element, each of one of this matcher's types
   * @param computedWith the provenance of the computation; not null
   * @throws NullPointerException when an argument or element is null
   * @throws InvalidRequestException when a hit's signal type is not one of this matcher's
   * @throws LimitExceededException when {@code capacity} contents are already held
   */
  public void put(ContentId content, List<ExternalHit> contentHits, ExternalProvenance computedWith) {
    Objects.requireNonNull(content, "content");
    List<ExternalHit> copy = List.copyOf(contentHits);
    Objects.requireNonNull(computedWith, "computedWith");
    for (ExternalHit h : copy) {
      if (!types.contains(h.signalType())) {
        throw new InvalidRequestException("external_hit.signal_type", "'" + h.signalType()
            + "' is not one of matcher " + id + "'s types " + new java.util.TreeSet<>(types));
      }
    }
    synchronized (hits) {
      if (!hits.containsKey(content) && hits.size() >= capacity) {
        throw new LimitExceededException("precomputed_matches." + id, capacity, hits.size() + 1L);
      }
      hits.put(content, copy);
      provenance.set(computedWith);
    }
  }

  /**
   * Forgets a content's hits.
   *
   * @param content the content; not null
   * @return whether hits were held for it
   */
  public boolean remove(ContentId content) {
    return hits.remove(Objects.requireNonNull(content, "content")) != null;
  }

  /**
   * How many contents' hits are held.
   *
   * @return the count, at least 0
   */
  public int size() {
    return hits.size();
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public Set<String> signalTypes() {
    return types;
  }

  @Override
  public ExternalProvenance provenance() {
    return provenance.get();
  }

  @Override
  public List<ExternalHit> match(ModerationRequest request, Instant now) {
    Optional<ContentId> c = request.contentId();
    return c.isEmpty() ? List.of() : hits.getOrDefault(c.get(), List.of());
  }

  @Override
  public Duration timeBudget() {
    return budget;
  }
}

package dev.haetae.moderation.api.spi;

import dev.haetae.moderation.api.ContentId;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Where open legal obligations and their clocks are kept. The embedded default keeps them in
 * memory, indexed by next check time, so that processing due obligations costs in proportion to
 * what is due.
 *
 * <p><b>Thread safety.</b> All methods may be called concurrently, also from several processes
 * sharing one store. {@link #open} is idempotent by id (of two instances opening the same id at
 * once, exactly one stores its obligation); {@link #update(String, UnaryOperator)} is atomic per
 * obligation (no lost updates: an instance's escalation can never overwrite another's fulfilment).
 * The engine changes obligations only through {@link #update(String, UnaryOperator)}.
 *
 * <p><b>Failures.</b> A store kept outside the process throws {@link
 * dev.haetae.moderation.api.StoreUnavailableException} when it cannot be read or written; nothing
 * was changed then.
 *
 * @since 0.1
 */
public interface ObligationStore {

  /**
   * Stores a new obligation, or returns the existing one with the same id.
   *
   * @param obligation the obligation; never null
   * @return the argument itself (the same reference) when this call stored it; otherwise the
   *     obligation already stored with that id
   */
  ObligationRecord open(ObligationRecord obligation);

  /**
   * One obligation by id.
   *
   * @param id the id; never null
   * @return the obligation, if stored
   */
  Optional<ObligationRecord> find(String id);

  /**
   * The open (or breached) obligations on one piece of content.
   *
   * @param content the content; never null
   * @return the obligations, earliest deadline first; never null
   */
  List<ObligationRecord> openFor(ContentId content);

  /**
   * Open obligations whose {@link ObligationRecord#nextCheck() next check} is at or before
   * {@code now}, earliest first.
   *
   * @param now the instant; never null
   * @param max at most this many
   * @return the due obligations; never null
   */
  List<ObligationRecord> due(Instant now, int max);

  /**
   * Replaces a stored obligation (same id), whatever its current state. Blind: a change computed
   * from a state read earlier can overwrite a concurrent change; use {@link #update(String,
   * UnaryOperator)} to change an obligation from its current state.
   *
   * @param obligation the new state; never null
   * @throws IllegalArgumentException when no obligation has that id
   */
  void update(ObligationRecord obligation);

  /**
   * Atomically reads, changes and writes one obligation: {@code change} gets the current state and
   * returns the new one, and no other change of that obligation (by any caller, in any process
   * sharing the store) comes between the read and the write.
   *
   * <p>The default implementation serializes the callers of this method on the store object and
   * is atomic only within one process and only against other calls of this method; stores that
   * several processes share, or whose {@link #update(ObligationRecord)} is called concurrently,
   * must override it.
   *
   * @param id the obligation's id; never null
   * @param change maps the current state to the new one with the same id, or returns its argument to
   *     leave the obligation unchanged; must be side-effect free (it may be called more than once
   *     under contention; the state written is the one returned by the last call); never null
   * @return the obligation as stored when the call returns; never null
   * @throws IllegalArgumentException when no obligation has that id, or {@code change} returns one
   *     with another id
   * @throws NullPointerException when an argument is null or {@code change} returns null
   * @since 0.1
   */
  default ObligationRecord update(String id, UnaryOperator<ObligationRecord> change) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(change, "change");
    synchronized (this) {
      ObligationRecord cur = find(id).orElseThrow(() -> new IllegalArgumentException("no obligation with id " + id));
      ObligationRecord next = Objects.requireNonNull(change.apply(cur), "change returned null");
      if (!next.id().equals(id)) {
        throw new IllegalArgumentException("change returned obligation " + next.id() + " for " + id);
      }
      if (!next.equals(cur)) {
        update(next);
      }
      return next;
    }
  }

  /**
   * All obligations, open or not, for reports and compliance figures.
   *
   * @return a snapshot; never null
   */
  List<ObligationRecord> all();
}

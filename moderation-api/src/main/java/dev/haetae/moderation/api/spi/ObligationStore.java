package dev.haetae.moderation.api.spi;

import dev.haetae.moderation.api.ContentId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where open legal obligations and their clocks are kept. The embedded default keeps them in
 * memory, indexed by next check time, so that processing due obligations costs in proportion to
 * what is due.
 *
 * <p><b>Thread safety.</b> All methods may be called concurrently; {@link #open} is idempotent by
 * id and {@link #update} is atomic per obligation.
 *
 * @since 0.1
 */
public interface ObligationStore {

  /**
   * Stores a new obligation, or returns the existing one with the same id.
   *
   * @param obligation the obligation; never null
   * @return the stored obligation (the existing one for a duplicate id)
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
   * Replaces a stored obligation (same id).
   *
   * @param obligation the new state; never null
   * @throws IllegalArgumentException when no obligation has that id
   */
  void update(ObligationRecord obligation);

  /**
   * All obligations, open or not, for reports and compliance figures.
   *
   * @return a snapshot; never null
   */
  List<ObligationRecord> all();
}

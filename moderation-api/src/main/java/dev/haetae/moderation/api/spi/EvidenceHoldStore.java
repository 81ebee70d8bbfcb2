package dev.haetae.moderation.api.spi;

import dev.haetae.moderation.api.ContentId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where evidence holds are kept: each removal under a preservation duty (an instrument's {@code
 * preserve_for}, or a decision's {@code PreserveEvidence} action) places a hold on the content until
 * the duty ends, and the host asks {@link #mayDelete} before it deletes removed content for good.
 * The embedded default keeps holds in memory; a deployment of many instances plugs in a shared store
 * (e.g. PostgreSQL), so that a hold placed by one instance binds them all and survives restarts.
 *
 * <p><b>The rules every store keeps.</b> A hold is identified by its content and basis ({@link
 * EvidenceHold#idOf}). A hold only ever gets longer: placing the same basis again keeps the later
 * end (and the first start); placing it with an end no later than the stored one changes nothing.
 * Content is never reported deletable while any hold on it is active ({@code now} before its {@link
 * EvidenceHold#until() end}), whether or not {@link #expire} has run.
 *
 * <p><b>Thread safety.</b> All methods may be called concurrently, also from several processes
 * sharing one store. {@link #place} is atomic per hold id (two instances placing the same basis at
 * once keep the later end; neither shortens the other's hold). {@link #expire} hands each ended hold
 * to exactly one caller, even when several instances tick at once.
 *
 * <p><b>Failures.</b> A store kept outside the process throws {@link
 * dev.haetae.moderation.api.StoreUnavailableException} when it cannot be read or written; nothing
 * was changed then.
 *
 * @since 0.1
 */
public interface EvidenceHoldStore {

  /**
   * Places (or extends) a hold.
   *
   * @param content the content; not null
   * @param basis what the duty comes from, e.g. an obligation id or {@code decision:<id>}; not null
   * @param citation the legal ground; not null
   * @param from when the hold starts; not null
   * @param period how long it lasts; not null, positive
   * @return the hold as stored (for a basis already held, its end is the later of the two and its
   *     start the first one; a placement that extends the hold also sets its citation, one that
   *     does not changes nothing); never null
   * @throws IllegalArgumentException when {@code period} is not positive
   * @throws NullPointerException when an argument is null
   */
  EvidenceHold place(ContentId content, String basis, String citation, Instant from, Duration period);

  /**
   * The holds that {@link #expire} would end at {@code now}: not yet expired, and ended by {@code
   * now}. Reads only; the engine logs them before it expires them. The default filters {@link
   * #all()}; stores with many holds override it with an indexed query.
   *
   * @param now the instant; not null
   * @return the holds, in any order; never null
   * @throws dev.haetae.moderation.api.StoreUnavailableException when a shared store cannot be reached
   * @since 0.2
   */
  default List<EvidenceHold> due(Instant now) {
    List<EvidenceHold> out = new java.util.ArrayList<>();
    for (EvidenceHold h : all()) {
      if (h.expiredAt().isEmpty() && !h.until().isAfter(now)) {
        out.add(h);
      }
    }
    return out;
  }

  /**
   * Marks the holds that end at or before {@code now} and are not yet marked as expired, with
   * {@code expiredAt = now}. Each such hold is returned by exactly one call, across all callers.
   * A hold extended after it expired is active again and expires again at its new end.
   *
   * @param now the clock's instant; not null
   * @return the holds that expired with this call, earliest end first; never null
   * @throws NullPointerException when {@code now} is null
   */
  List<EvidenceHold> expire(Instant now);

  /**
   * Whether the host may now delete the content for good: true only when no hold on it is active at
   * {@code now} (whether or not {@link #expire} has run).
   *
   * @param content the content; not null
   * @param now the instant; not null
   * @return whether deleting it would break no preservation duty the store knows
   * @throws NullPointerException when an argument is null
   */
  default boolean mayDelete(ContentId content, Instant now) {
    return heldUntil(content, now).isEmpty();
  }

  /**
   * When the last active hold on the content ends.
   *
   * @param content the content; not null
   * @param now the instant; not null
   * @return the latest end among holds active at {@code now}, or empty when none is; never null
   * @throws NullPointerException when an argument is null
   */
  Optional<Instant> heldUntil(ContentId content, Instant now);

  /**
   * Every hold on one piece of content, active or expired.
   *
   * @param content the content; not null
   * @return the holds in the order first placed; never null
   * @throws NullPointerException when {@code content} is null
   */
  List<EvidenceHold> on(ContentId content);

  /**
   * The holds active at an instant (ending after it) that {@link #expire} has not marked.
   *
   * @param now the instant; not null
   * @return the active holds, earliest end first (then by id); never null
   * @throws NullPointerException when {@code now} is null
   */
  List<EvidenceHold> active(Instant now);

  /**
   * Every hold ever placed, for audits. Costs in proportion to all holds: not a hot-path call.
   *
   * @return a snapshot, ordered by start then id; never null
   */
  List<EvidenceHold> all();
}

package dev.haetae.moderation.core.audit;

import dev.haetae.moderation.api.DecisionLogException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Somewhere outside the log directory that keeps the log's signed checkpoints, so that cutting
 * records off the end of a log, or putting back an older copy of it, is seen even by someone who
 * holds no signing key: the anchor still knows a later checkpoint than the log can show.
 *
 * <p>A log writer given an anchor ({@link DecisionLogs.Builder#checkpointAnchor}) hands it every
 * checkpoint after writing it to the log; {@link AuditLog#verify(AuditLog.Verification,
 * ProgressListener)} given the same anchor checks that the log still holds the record of the
 * anchor's latest checkpoint, with the same hash; a writer refuses to open a log that ends before
 * it. Put the anchor where whoever can write the log directory cannot: another volume, another
 * host, another account. {@link CheckpointAnchors#file(java.nio.file.Path)} keeps it in a file; a
 * PostgreSQL anchor is not written yet.
 *
 * <p>Implementations must be thread-safe; {@link #anchor} returns only when the checkpoint is
 * durable.
 *
 * @since 0.2
 */
public interface CheckpointAnchor {

  /**
   * A signed checkpoint as anchored: the record it covers and the signature over it.
   *
   * @param log the log's identity: the hash of its first record; not null
   * @param seq the record's sequence number, 0 or more
   * @param hash the record's hash (64 lower-case hex); not null
   * @param kid the signing key's id; not null
   * @param signature the Base64 Ed25519 signature; not null
   * @param at when the writer made the checkpoint; not null
   * @param every the writer's bound on records between checkpoints, 1 or more
   * @param interval the writer's bound on the time a record waits for a checkpoint; not null; zero
   *     when the writer has none
   * @since 0.2
   */
  record Checkpoint(String log, long seq, String hash, String kid, String signature, Instant at, int every,
      Duration interval) {
    /**
     * Validates.
     *
     * @param log the log component, as described on the record
     * @param seq the seq component, as described on the record
     * @param hash the hash component, as described on the record
     * @param kid the kid component, as described on the record
     * @param signature the signature component, as described on the record
     * @param at the at component, as described on the record
     * @param every the every component, as described on the record
     * @param interval the interval component, as described on the record
     * @throws NullPointerException when a component is null
     * @throws IllegalArgumentException when {@code seq} is negative or {@code every} below 1
     */
    public Checkpoint {
      Objects.requireNonNull(log, "log");
      Objects.requireNonNull(hash, "hash");
      Objects.requireNonNull(kid, "kid");
      Objects.requireNonNull(signature, "signature");
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(interval, "interval");
      if (seq < 0 || every < 1) {
        throw new IllegalArgumentException("seq must be 0 or more and every 1 or more, got " + seq + ", " + every);
      }
    }
  }

  /**
   * Keeps a checkpoint, durably, before returning.
   *
   * @param checkpoint the checkpoint; not null
   * @throws DecisionLogException when it cannot be kept
   */
  void anchor(Checkpoint checkpoint);

  /**
   * The latest checkpoint kept for a log.
   *
   * @param log the log's identity (the hash of its first record); not null
   * @return the checkpoint with the highest sequence number; empty when none was kept
   * @throws DecisionLogException when the anchor cannot be read
   */
  Optional<Checkpoint> latest(String log);
}

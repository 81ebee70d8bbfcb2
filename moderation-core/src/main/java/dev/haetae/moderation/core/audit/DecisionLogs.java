package dev.haetae.moderation.core.audit;

import dev.haetae.moderation.api.DecisionLogException;
import dev.haetae.moderation.api.spi.DecisionLog;
import dev.haetae.moderation.api.spi.Pseudonymizer;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Factory of the default, file-backed {@link DecisionLog}.
 *
 * <pre>{@code
 * DecisionLog log = DecisionLogs.directory(Path.of("log"))
 *     .pseudonymizer(Pseudonymizers.hmacSha256("k2026", key))
 *     .build();
 * }</pre>
 *
 * <p>The log is a directory of append-only JSON Lines segments ({@code segment-<first seq>.jsonl})
 * whose records form a SHA-256 hash chain, plus {@code checkpoints.jsonl} (Ed25519-signed
 * checkpoints, at most {@code checkpointEvery} records and {@code checkpointInterval} apart),
 * {@code keys.jsonl} (the checkpoint public keys) and {@code recoveries.jsonl} (torn tails
 * truncated on reopening after a crash). The format is described in the audit guide.
 *
 * <p>The returned log's {@link DecisionLog#append} is thread-safe, returns only when the record is
 * on disk ({@code fsync}), and batches concurrent appends into one write and one fsync (group
 * commit). It writes people, rooms, content, notices and appeals only as keyed pseudonyms, and
 * masks free text unless told to keep it.
 *
 * @since 0.1
 */
public final class DecisionLogs {
  private DecisionLogs() {}

  /**
   * Starts configuring a log in a directory. The directory is created if missing; an existing log
   * there is continued (after truncating a torn tail, see {@link Builder#build()}).
   *
   * @param dir the directory; not null
   * @return a new builder; not thread-safe
   * @throws NullPointerException when {@code dir} is null
   */
  public static Builder directory(Path dir) {
    return new Builder(Objects.requireNonNull(dir, "dir"));
  }

  /** The most pseudonyms a directory log remembers (about 4 MB): see {@link Pseudonymizers#cached}. */
  static final int PSEUDONYMS_KEPT = 16_384;

  /**
   * Configures a directory log. Not thread-safe; build once and share the log.
   *
   * @since 0.1
   */
  public static final class Builder {
    private final Path dir;
    private Pseudonymizer pseudonymizer;
    private final Set<String> keep = new LinkedHashSet<>();
    private long segmentBytes = 64L << 20;
    private int checkpointEvery = 1000;
    private int maxBatch = 1024;
    private String signingKid;
    private KeyPair signingKeys;
    private boolean fsync = true;
    private Duration checkpointInterval = Duration.ofMinutes(1);
    private Clock clock = Clock.systemUTC();
    private CheckpointAnchor anchor;

    private Builder(Path dir) {
      this.dir = dir;
    }

    /**
     * The pseudonymizer for every id written. Default: {@link Pseudonymizers#ephemeral()}, whose
     * pseudonyms cannot be linked across restarts (see there).
     *
     * @param value the pseudonymizer; not null
     * @return this builder
     * @throws NullPointerException when {@code value} is null
     */
    public Builder pseudonymizer(Pseudonymizer value) {
      this.pseudonymizer = Objects.requireNonNull(value, "pseudonymizer");
      return this;
    }

    /**
     * Keeps one free-text field in the log instead of masking it. By default every free-text field
     * is masked: replaced by its length and a keyed hash, so an auditor can see that two texts are
     * equal without reading them. Keep a field only when policies read it (otherwise replay of
     * those policies shows divergence) and the host's privacy assessment allows it. Raw ids found
     * in kept text are still replaced by their pseudonyms.
     *
     * @param field one of {@code content.text}, {@code report.text}, {@code review.note},
     *     {@code appeal.reason}, {@code notice.fields}, {@code account.organisation}, {@code
     *     confirmation.detail}, {@code sanction.note}; not null
     * @return this builder
     * @throws IllegalArgumentException when the field is not one of those
     */
    public Builder keepText(String field) {
      if (!RecordCodec.TEXT_FIELDS.contains(field)) {
        throw new IllegalArgumentException("unknown free-text field '" + field + "'; allowed: "
            + new java.util.TreeSet<>(RecordCodec.TEXT_FIELDS));
      }
      keep.add(field);
      return this;
    }

    /**
     * The size after which a segment is closed and the next one started. Default 64 MiB.
     *
     * @param bytes at least 4096
     * @return this builder
     * @throws IllegalArgumentException when smaller than 4096
     */
    public Builder segmentBytes(long bytes) {
      if (bytes < 4096) {
        throw new IllegalArgumentException("segmentBytes must be at least 4096, got " + bytes);
      }
      this.segmentBytes = bytes;
      return this;
    }

    /**
     * How many records between two signed checkpoints: a checkpoint is written after the batch
     * that brings the records since the last one to this many, so a crash leaves at most this many
     * plus one batch ({@link #maxBatch}) unsigned. A final checkpoint is also written on
     * {@link DecisionLog#close()}. Default 1000.
     *
     * @param records at least 1
     * @return this builder
     * @throws IllegalArgumentException when smaller than 1
     */
    public Builder checkpointEvery(int records) {
      if (records < 1) {
        throw new IllegalArgumentException("checkpointEvery must be at least 1, got " + records);
      }
      this.checkpointEvery = records;
      return this;
    }

    /**
     * The most records written with one fsync. Default 1024; 1 disables group commit (one fsync
     * per record, for comparison in benchmarks).
     *
     * @param records at least 1
     * @return this builder
     * @throws IllegalArgumentException when smaller than 1
     */
    public Builder maxBatch(int records) {
      if (records < 1) {
        throw new IllegalArgumentException("maxBatch must be at least 1, got " + records);
      }
      this.maxBatch = records;
      return this;
    }

    /**
     * The Ed25519 key pair that signs checkpoints. Its public key is written to {@code keys.jsonl};
     * give the public key to auditors separately so that {@code verify} can trust it. Default: a
     * fresh key pair per opened log whose private key is never stored; its signatures then prove
     * that the checkpoints were made by the process that wrote the log, but an auditor can only
     * trust them as far as they trust the {@code keys.jsonl} file.
     *
     * @param keyId the key's id; not null, 1..64 characters of {@code [A-Za-z0-9._-]}
     * @param keys an Ed25519 key pair; not null
     * @return this builder
     * @throws IllegalArgumentException when the key id is malformed or the keys are not Ed25519
     */
    public Builder signingKey(String keyId, KeyPair keys) {
      Objects.requireNonNull(keyId, "keyId");
      Objects.requireNonNull(keys, "keys");
      if (!keyId.matches("[A-Za-z0-9._-]{1,64}")) {
        throw new IllegalArgumentException("keyId must be 1..64 characters of [A-Za-z0-9._-], got '" + keyId + "'");
      }
      String alg = keys.getPrivate().getAlgorithm();
      if (!"Ed25519".equals(alg) && !"EdDSA".equals(alg)) {
        throw new IllegalArgumentException("checkpoint keys must be Ed25519, got " + alg);
      }
      this.signingKid = keyId;
      this.signingKeys = keys;
      return this;
    }

    /**
     * The longest a durable record waits for a signed checkpoint: one is written when a record has
     * waited half of it, at the next batch or from a timer thread of the log (so a quiet log is
     * signed too). Both bounds, this and {@link #checkpointEvery}, are signed into every
     * checkpoint, and a verification with trusted keys fails records older than this interval that
     * no trusted checkpoint covers. Default one minute; {@link Duration#ZERO} turns the time bound
     * (and the timer) off.
     *
     * @param value zero, or at least one second; not null
     * @return this builder
     * @throws IllegalArgumentException when negative or between zero and one second
     */
    public Builder checkpointInterval(Duration value) {
      Objects.requireNonNull(value, "checkpointInterval");
      if (value.isNegative() || (!value.isZero() && value.compareTo(Duration.ofSeconds(1)) < 0)) {
        throw new IllegalArgumentException("checkpointInterval must be zero or at least 1 s, got " + value);
      }
      this.checkpointInterval = value;
      return this;
    }

    /**
     * The clock checkpoints are timed and stamped by. Default the system's UTC clock.
     *
     * @param value the clock; not null
     * @return this builder
     */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /**
     * Where every checkpoint is also kept, outside the log directory, so that truncating the log or
     * putting back an older copy of it is seen (see {@link CheckpointAnchor}). On opening, a log
     * that ends before the anchor's latest checkpoint, or disagrees with it, is refused with a
     * {@link DamagedLogException}. A checkpoint the anchor fails to keep is logged and the log goes
     * on (the next checkpoint is anchored again). Default: none.
     *
     * @param value the anchor; not null
     * @return this builder
     */
    public Builder checkpointAnchor(CheckpointAnchor value) {
      this.anchor = Objects.requireNonNull(value, "checkpointAnchor");
      return this;
    }

    /**
     * Whether to fsync. Default true. Turning it off breaks the durability contract and is meant
     * only for tests and for measuring what fsync costs.
     *
     * @param value whether to fsync
     * @return this builder
     */
    public Builder fsync(boolean value) {
      this.fsync = value;
      return this;
    }

    /**
     * Opens the log. When the directory holds a log already, appending continues after its last
     * complete record: a torn, unsigned tail (the incomplete end of a batch that was being written
     * when the process died, after the last checkpoint) is recorded in {@code recoveries.jsonl},
     * then truncated and logged as a warning; any other damage makes this method fail rather than
     * append after it (see {@link DamagedLogException}).
     *
     * @return the log; thread-safe; close it when done
     * @throws DamagedLogException when the log is damaged other than by a torn, unsigned tail,
     *     records covered by a checkpoint are missing, or it ends before its anchor's latest
     *     checkpoint
     * @throws DecisionLogException when the directory cannot be used, or a recovery cannot be
     *     recorded (then nothing was truncated)
     */
    public EngineLog build() {
      Pseudonymizer p = pseudonymizer != null ? pseudonymizer : Pseudonymizers.ephemeral();
      String kid = signingKid;
      KeyPair keys = signingKeys;
      if (keys == null) {
        try {
          keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
          throw new DecisionLogException("Ed25519 is not available in this JDK", e);
        }
        byte[] id = new byte[6];
        new SecureRandom().nextBytes(id);
        kid = "ckpt-" + HexFormat.of().formatHex(id);
      }
      PrivateKey priv = keys.getPrivate();
      PublicKey pub = keys.getPublic();
      return new DirectoryDecisionLog(dir, new RecordCodec(Pseudonymizers.cached(p, PSEUDONYMS_KEPT), keep), segmentBytes, checkpointEvery, maxBatch, kid,
          priv, pub, fsync, clock, checkpointInterval, anchor);
    }
  }
}

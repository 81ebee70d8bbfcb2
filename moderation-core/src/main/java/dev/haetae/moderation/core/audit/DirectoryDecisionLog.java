package dev.haetae.moderation.core.audit;

import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.DecisionLogException;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.ObligationEvent;
import dev.haetae.moderation.core.effect.Effect;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file-backed decision log: segments of JSON Lines in one directory, a SHA-256 hash chain,
 * group commit (one thread writes and fsyncs the batch that accumulated while the previous fsync
 * ran; the others wait), size-based rotation, and Ed25519-signed checkpoints at a bounded interval:
 * after a batch that brings the records since the last checkpoint to {@code checkpointEvery}, and,
 * when a record has waited half of {@code checkpointInterval}, at the next batch or from a timer
 * (so a quiet log is signed too); each checkpoint is also handed to the {@link CheckpointAnchor},
 * if any.
 *
 * <p>It is an {@link EngineLog}: decision records carry their effects and obligation events, event
 * records are written beside them, and each decision appended with its effects also gets an entry
 * in the {@link FileOutbox outbox}, written and forced in the same batch, before the records.
 *
 * <p>Thread-safe. {@link #append} returns only after its record and every earlier one are on disk.
 */
final class DirectoryDecisionLog implements EngineLog {
  private static final Logger LOG = LoggerFactory.getLogger(DirectoryDecisionLog.class);

  private final Path dir;
  private final RecordCodec codec;
  private final long segmentBytes;
  private final int checkpointEvery;
  private final int maxBatch;
  private final String signingKid;
  private final PrivateKey signingKey;
  private final boolean fsync;
  private final Clock clock;
  private final Duration checkpointInterval;
  private final CheckpointAnchor anchor;
  private final ScheduledExecutorService timer;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition done = lock.newCondition();
  private final MessageDigest md = Frames.sha256();
  // guarded by lock
  private long nextSeq;
  private String prevHash;
  private final ArrayDeque<Item> pending = new ArrayDeque<>();
  private final List<Long> doneQueue = new ArrayList<>();
  private final FileOutbox outbox;
  private long durableSeq; // highest seq on disk, -1 when none
  private boolean flushing;
  private DecisionLogException failure;
  private boolean closed;
  // touched only by the flushing thread (flushing == true) or by close() after the last flush
  private FileChannel segment;
  private long segmentSize;
  private long lastCheckpointSeq;
  private String lastHash;
  /** When the oldest record no checkpoint covers became durable (by the clock), or null. */
  private Instant uncheckpointedSince;
  /** The hash of record 0: the log's identity for the anchor; null until it is written. */
  private String logId;
  private final FileChannel checkpoints;
  // statistics, written by the flusher, read (racily, for display) by toString
  private volatile long batches;
  private volatile long batchedRecords;

  DirectoryDecisionLog(Path dir, RecordCodec codec, long segmentBytes, int checkpointEvery, int maxBatch,
      String signingKid, PrivateKey signingKey, java.security.PublicKey signingPublic, boolean fsync, Clock clock,
      Duration checkpointInterval, CheckpointAnchor anchor) {
    this.dir = dir;
    this.codec = codec;
    this.segmentBytes = segmentBytes;
    this.checkpointEvery = checkpointEvery;
    this.maxBatch = maxBatch;
    this.signingKid = signingKid;
    this.signingKey = signingKey;
    this.fsync = fsync;
    this.clock = clock;
    this.checkpointInterval = checkpointInterval;
    this.anchor = anchor;
    try {
      Files.createDirectories(dir);
      LogRecovery.Tail tail = LogRecovery.recover(dir, anchor);
      this.nextSeq = tail.nextSeq;
      this.prevHash = tail.lastHash;
      this.lastHash = tail.lastHash;
      this.durableSeq = tail.nextSeq - 1;
      this.lastCheckpointSeq = tail.lastCheckpointSeq;
      this.logId = tail.logId;
      if (durableSeq > lastCheckpointSeq) {
        // a tail left unsigned by a crash waits from now, like any new record
        this.uncheckpointedSince = clock.instant();
      }
      if (tail.openSegment != null) {
        this.segment = FileChannel.open(tail.openSegment, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        this.segmentSize = segment.size();
      }
      if (!tail.keyIds.contains(signingKid)) {
        appendDurably(dir.resolve(Checkpoints.KEYS), Checkpoints.keyLine(signingKid, signingPublic));
      }
      this.checkpoints = FileChannel.open(dir.resolve(Checkpoints.FILE), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE, StandardOpenOption.APPEND);
      this.outbox = new FileOutbox(dir, tail.nextSeq, fsync);
      syncDir();
    } catch (IOException e) {
      throw new DecisionLogException("cannot open decision log in " + dir + ": " + e.getMessage(), e);
    }
    if (checkpointInterval.isZero()) {
      this.timer = null;
    } else {
      this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "haetae-log-checkpoint " + dir.getFileName());
        t.setDaemon(true);
        return t;
      });
      long period = Math.max(1, checkpointInterval.toMillis() / 4);
      timer.scheduleWithFixedDelay(this::checkpointIfDue, period, period, TimeUnit.MILLISECONDS);
    }
  }

  /** Whether the records no checkpoint covers have waited long enough to be signed now. */
  private boolean checkpointDue(Instant now) {
    return !checkpointInterval.isZero() && uncheckpointedSince != null
        && !now.isBefore(uncheckpointedSince.plus(checkpointInterval.dividedBy(2)));
  }

  /**
   * Signs the durable records no checkpoint covers when they have waited half the checkpoint
   * interval: what the timer runs, so that a quiet log is signed too. Waits for no flush: a flush in
   * progress checkpoints by itself when due.
   */
  void checkpointIfDue() {
    lock.lock();
    try {
      if (closed || failure != null || flushing || durableSeq <= lastCheckpointSeq
          || !checkpointDue(clock.instant())) {
        return;
      }
      flushing = true; // the checkpoint file is written by the flushing thread only
      long seq = durableSeq;
      String hash = lastHash;
      lock.unlock();
      try {
        checkpoint(seq, hash);
      } catch (IOException | RuntimeException e) {
        LOG.warn("decision log {}: timed checkpoint of seq {} failed: {}", dir, seq, e.toString());
      } finally {
        lock.lock();
        flushing = false;
        done.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  private void appendDurably(Path file, byte[] line) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND)) {
      writeFully(ch, ByteBuffer.wrap(line));
      if (fsync) {
        ch.force(true);
      }
    }
  }

  private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      ch.write(b);
    }
  }

  private void syncDir() throws IOException {
    if (!fsync) {
      return;
    }
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      // some file systems cannot fsync a directory; the files themselves are still forced
      LOG.debug("cannot fsync directory {}: {}", dir, e.toString());
    }
  }

  /** A framed record waiting to be written, with its outbox payload when it has one. */
  private static final class Item {
    final byte[] line;
    final long seq;
    final byte[] outbox;

    Item(byte[] line, long seq, byte[] outbox) {
      this.line = line;
      this.seq = seq;
      this.outbox = outbox;
    }
  }

  @Override
  public long append(Evidence evidence, Decision decision) {
    if (evidence == null || decision == null) {
      throw new NullPointerException(evidence == null ? "evidence" : "decision");
    }
    return append(encode(evidence, decision, List.of(), List.of()), null, "decision " + decision.id());
  }

  @Override
  public long append(Evidence evidence, Decision decision, List<Effect> effects, List<ObligationEvent> events) {
    if (evidence == null || decision == null || effects == null || events == null) {
      throw new NullPointerException("evidence, decision, effects and events are required");
    }
    byte[] inner = encode(evidence, decision, effects, events);
    byte[] raw = FileOutbox.encode(evidence, decision, effects, events);
    return append(inner, raw, "decision " + decision.id());
  }

  @Override
  public long append(LogEvent event) {
    if (event == null) {
      throw new NullPointerException("event");
    }
    byte[] inner;
    try {
      inner = strip(Frames.JSON.writeValueAsBytes(codec.encode(event)));
    } catch (IOException | RuntimeException e) {
      throw new DecisionLogException("cannot serialise " + event.kind().wireName() + " event: " + e, e);
    }
    return append(inner, null, event.kind().wireName() + " event");
  }

  private byte[] encode(Evidence evidence, Decision decision, List<Effect> effects, List<ObligationEvent> events) {
    try {
      return strip(Frames.JSON.writeValueAsBytes(codec.encode(evidence, decision, effects, events)));
    } catch (IOException | RuntimeException e) {
      throw new DecisionLogException("cannot serialise decision " + decision.id() + ": " + e, e);
    }
  }

  private static byte[] strip(byte[] json) {
    return java.util.Arrays.copyOfRange(json, 1, json.length - 1);
  }

  private long append(byte[] inner, byte[] raw, String what) {
    lock.lock();
    try {
      if (closed) {
        throw new DecisionLogException("decision log " + dir + " is closed", null);
      }
      if (failure != null) {
        throw new DecisionLogException("decision log " + dir + " failed earlier: " + failure.getMessage(), failure);
      }
      long seq = nextSeq++;
      Frames.Framed f = Frames.frame(seq, prevHash, inner, md);
      prevHash = f.hash;
      pending.add(new Item(f.line, seq, raw == null ? null : FileOutbox.entryLine(seq, raw)));
      awaitDurable(seq);
      return seq;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public List<Pending> pending() {
    lock.lock();
    try {
      List<Pending> all = outbox.pending();
      if (!doneQueue.isEmpty()) {
        all = new ArrayList<>(all);
        all.removeIf(p -> doneQueue.contains(p.seq()));
      }
      return all;
    } catch (IOException | RuntimeException e) {
      throw new DecisionLogException("cannot read the outbox of " + dir + ": " + e, e);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void done(long seq) {
    lock.lock();
    try {
      if (!closed && failure == null) {
        doneQueue.add(seq);
      }
    } finally {
      lock.unlock();
    }
  }

  /** Waits (lock held) until seq is durable, flushing as the leader when nobody else is. */
  private void awaitDurable(long seq) {
    boolean interrupted = false;
    try {
      while (durableSeq < seq) {
        if (failure != null) {
          throw new DecisionLogException("record " + seq + " not durable: " + failure.getMessage(), failure);
        }
        if (!flushing) {
          flushing = true;
          int n = Math.min(maxBatch, pending.size());
          List<Item> batch = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            batch.add(pending.poll());
          }
          List<Long> dones = new ArrayList<>(doneQueue);
          doneQueue.clear();
          long first = durableSeq + 1;
          String batchLastHash = null;
          lock.unlock();
          DecisionLogException failed = null;
          try {
            batchLastHash = flush(batch, first, dones);
          } catch (IOException | RuntimeException e) {
            failed = new DecisionLogException("cannot write records " + first + ".." + (first + n - 1) + " to "
                + currentSegmentName(first) + ": " + e, e);
          } finally {
            lock.lock();
          }
          flushing = false;
          if (failed != null) {
            failure = failed;
            LOG.error("decision log failed; no further decisions can be recorded", failed);
          } else {
            durableSeq = first + n - 1;
            lastHash = batchLastHash;
          }
          done.signalAll();
        } else {
          try {
            done.await();
          } catch (InterruptedException e) {
            interrupted = true; // durability first: keep waiting, restore the flag afterwards
          }
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private String currentSegmentName(long first) {
    return segment == null ? Frames.segmentName(first) : "the current segment";
  }

  /** Writes and forces one batch; called by the single flushing thread without the lock. */
  private String flush(List<Item> batch, long first, List<Long> dones) throws IOException {
    // the outbox first: a record on disk without its outbox entry could not be carried out after a crash
    List<Long> seqs = new ArrayList<>(0);
    List<byte[]> entries = new ArrayList<>(0);
    for (Item i : batch) {
      if (i.outbox != null) {
        seqs.add(i.seq);
        entries.add(i.outbox);
      }
    }
    outbox.write(seqs, entries, dones);
    if (segment == null) {
      Path p = dir.resolve(Frames.segmentName(first));
      segment = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      segmentSize = 0;
      syncDir();
    }
    int total = 0;
    for (Item b : batch) {
      total += b.line.length;
    }
    ByteBuffer buf = ByteBuffer.allocate(total);
    for (Item b : batch) {
      buf.put(b.line);
    }
    buf.flip();
    writeFully(segment, buf);
    if (fsync) {
      segment.force(false);
    }
    segmentSize += total;
    batches++;
    batchedRecords += batch.size();
    byte[] lastLine = batch.get(batch.size() - 1).line;
    String hash = new String(lastLine, lastLine.length - 1 - 2 - 64, 64, StandardCharsets.US_ASCII);
    long last = first + batch.size() - 1;
    if (first == 0) {
      byte[] l0 = batch.get(0).line;
      logId = new String(l0, l0.length - 1 - 2 - 64, 64, StandardCharsets.US_ASCII);
    }
    Instant now = clock.instant();
    if (uncheckpointedSince == null) {
      uncheckpointedSince = now;
    }
    if (last - lastCheckpointSeq >= checkpointEvery || checkpointDue(now)) {
      checkpoint(last, hash);
    }
    if (segmentSize >= segmentBytes) {
      segment.close();
      segment = null;
    }
    return hash;
  }

  /**
   * Writes and forces a checkpoint of record {@code seq}, then anchors it; called by the single
   * flushing thread (or by close). A failing anchor does not stop the log: it is logged, and the
   * next checkpoint is anchored again.
   */
  private void checkpoint(long seq, String hash) throws IOException {
    CheckpointAnchor.Checkpoint c = Checkpoints.sign(logId == null ? hash : logId, seq, hash, signingKid,
        signingKey, clock.instant(), checkpointEvery + maxBatch, checkpointInterval);
    writeFully(checkpoints, ByteBuffer.wrap(Checkpoints.line(c)));
    if (fsync) {
      checkpoints.force(false);
    }
    lastCheckpointSeq = seq;
    uncheckpointedSince = null;
    if (anchor != null) {
      try {
        anchor.anchor(c);
      } catch (RuntimeException e) {
        LOG.warn("decision log {}: checkpoint of seq {} not anchored in {}: {}", dir, seq, anchor, e.toString());
      }
    }
  }

  @Override
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      if (timer != null) {
        timer.shutdownNow();
      }
      // records already sequenced by appends that are still waiting must reach the disk first
      if (failure == null && nextSeq - 1 > durableSeq) {
        try {
          awaitDurable(nextSeq - 1);
        } catch (DecisionLogException e) {
          LOG.warn("decision log {}: pending records failed while closing: {}", dir, e.getMessage());
        }
      }
      while (flushing) {
        done.awaitUninterruptibly();
      }
      try {
        if (failure == null && durableSeq >= 0 && durableSeq > lastCheckpointSeq) {
          checkpoint(durableSeq, lastHash);
        }
      } catch (IOException e) {
        throw new DecisionLogException("cannot write the final checkpoint of " + dir + ": " + e, e);
      } finally {
        try {
          if (failure == null && !doneQueue.isEmpty()) {
            outbox.write(List.of(), List.of(), new ArrayList<>(doneQueue));
            doneQueue.clear();
          }
          outbox.close();
          if (segment != null) {
            segment.close();
          }
          checkpoints.close();
        } catch (IOException e) {
          LOG.warn("closing decision log {}: {}", dir, e.toString());
        }
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    return "DirectoryDecisionLog[" + dir + ", " + batchedRecords + " records in " + batches + " fsync'ed batches]";
  }
}

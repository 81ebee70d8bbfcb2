package dev.haetae.moderation.core.audit;

import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.DecisionLogException;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.ObligationEvent;
import dev.haetae.moderation.core.effect.Effect;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
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
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file-backed decision log: segments of JSON Lines in one directory, a SHA-256 hash chain,
 * group commit (one thread writes and fsyncs the batch that accumulated while the previous fsync
 * ran; the others park), size-based rotation, and Ed25519-signed checkpoints at a bounded interval:
 * after a batch that brings the records since the last checkpoint to {@code checkpointEvery}, and,
 * when a record has waited half of {@code checkpointInterval}, at the next batch or from a timer
 * (so a quiet log is signed too); each checkpoint is also handed to the {@link CheckpointAnchor},
 * if any. Appending threads encode their records themselves and hold the lock only to take a
 * sequence number and join the queue; the flushing thread frames and hashes the batch straight into
 * a reused direct buffer, and when records are still queued after its fsync it hands the flushing
 * baton to the oldest one's thread and wakes only the threads whose records it wrote.
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
  // guarded by lock
  private long nextSeq;
  private final ArrayDeque<Item> pending = new ArrayDeque<>();
  /** Sequence numbers marked done since the last batch. */
  private long[] doneSeqs = new long[64];
  private int doneCount;
  private final FileOutbox outbox;
  private long durableSeq; // highest seq on disk, -1 when none
  /** The flushing baton: held by the one thread writing a batch (or handed to the next). */
  private boolean flushing;
  private DecisionLogException failure;
  private boolean closed;
  // touched only by the flushing thread (flushing == true) or by close() after the last flush
  private FileChannel segment;
  private long segmentSize;
  private final MessageDigest md = Frames.sha256();
  private final byte[] head = new byte[Frames.FRAME_OVERHEAD];
  private ByteBuffer buffer;
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
  /** Told of every batch written; see {@link #observe}. */
  private volatile dev.haetae.moderation.api.observe.EngineListener listener =
      dev.haetae.moderation.api.observe.EngineListener.NONE;

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
        // appends that queued meanwhile found the baton taken and park until it is handed to them
        Item next = passBaton();
        if (next != null) {
          next.state = Item.LEAD;
          LockSupport.unpark(next.waiter);
        }
        done.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Called (lock held) by the thread giving up the flushing baton: returns the oldest queued record,
   * whose thread the caller must hand the baton to (flushing stays true), or drops the baton and
   * returns null when nothing is queued or the log has failed.
   */
  private Item passBaton() {
    if (failure == null && !pending.isEmpty()) {
      return pending.peek();
    }
    flushing = false;
    return null;
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

  /**
   * A record waiting to be written: its payload, its outbox entry when it has one, and the thread
   * that waits for it. Its state is set by the thread that holds the flushing baton; the waiting
   * thread reads it after each wake-up.
   */
  private static final class Item {
    static final int WAITING = 0;
    static final int DURABLE = 1;
    static final int FAILED = 2;
    /** The flushing baton was handed to this item's thread. */
    static final int LEAD = 3;

    final byte[] payload;
    final byte[] outbox;
    final Thread waiter;
    long seq;
    volatile int state;

    Item(byte[] payload, byte[] outbox, Thread waiter) {
      this.payload = payload;
      this.outbox = outbox;
      this.waiter = waiter;
    }
  }

  @Override
  public long append(Evidence evidence, Decision decision) {
    if (evidence == null || decision == null) {
      throw new NullPointerException(evidence == null ? "evidence" : "decision");
    }
    return append(encode(evidence, decision, List.of(), List.of()), null);
  }

  @Override
  public long append(Evidence evidence, Decision decision, List<Effect> effects, List<ObligationEvent> events) {
    if (evidence == null || decision == null || effects == null || events == null) {
      throw new NullPointerException("evidence, decision, effects and events are required");
    }
    byte[] inner = encode(evidence, decision, effects, events);
    byte[] raw = FileOutbox.encode(evidence, decision, effects, events);
    return append(inner, raw);
  }

  @Override
  public long append(LogEvent event) {
    if (event == null) {
      throw new NullPointerException("event");
    }
    byte[] inner;
    try {
      inner = JsonBytes.members(codec.encode(event));
    } catch (IOException | RuntimeException e) {
      throw new DecisionLogException("cannot serialise " + event.kind().wireName() + " event: " + e, e);
    }
    return append(inner, null);
  }

  private byte[] encode(Evidence evidence, Decision decision, List<Effect> effects, List<ObligationEvent> events) {
    try {
      return JsonBytes.members(codec.encode(evidence, decision, effects, events));
    } catch (IOException | RuntimeException e) {
      throw new DecisionLogException("cannot serialise decision " + decision.id() + ": " + e, e);
    }
  }

  /**
   * Queues an encoded record and waits until it is durable. The record is framed (its sequence
   * number and chain hash) by the thread that writes it: the lock is held here only to take a
   * sequence number and join the queue. The first thread to find nobody flushing takes the flushing
   * baton; the others park until the batch holding their record is forced, and are woken one by one
   * (no thundering herd on a condition).
   */
  private long append(byte[] inner, byte[] raw) {
    Item item = new Item(inner, raw, Thread.currentThread());
    boolean lead;
    lock.lock();
    try {
      if (closed) {
        throw new DecisionLogException("decision log " + dir + " is closed", null);
      }
      if (failure != null) {
        throw new DecisionLogException("decision log " + dir + " failed earlier: " + failure.getMessage(), failure);
      }
      item.seq = nextSeq++;
      pending.add(item);
      lead = !flushing;
      if (lead) {
        flushing = true;
      }
    } finally {
      lock.unlock();
    }
    awaitDurable(item, lead);
    return item.seq;
  }

  @Override
  public List<Pending> pending() {
    lock.lock();
    try {
      List<Pending> all = outbox.pending();
      if (doneCount > 0) {
        java.util.Set<Long> marked = new java.util.HashSet<>();
        for (int i = 0; i < doneCount; i++) {
          marked.add(doneSeqs[i]);
        }
        all = new ArrayList<>(all);
        all.removeIf(p -> marked.contains(p.seq()));
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
        if (doneCount == doneSeqs.length) {
          doneSeqs = java.util.Arrays.copyOf(doneSeqs, 2 * doneCount);
        }
        doneSeqs[doneCount++] = seq;
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits (lock not held) until the item is durable, flushing batches whenever this thread holds the
   * baton ({@code lead}, or handed over by the previous flusher).
   */
  private void awaitDurable(Item item, boolean lead) {
    boolean interrupted = false;
    try {
      while (true) {
        if (lead) {
          lead = false;
          flushBatch();
          continue;
        }
        int s = item.state;
        if (s == Item.DURABLE) {
          return;
        }
        if (s == Item.FAILED) {
          DecisionLogException f = failureSeen();
          throw new DecisionLogException("record " + item.seq + " not durable: " + f.getMessage(), f);
        }
        if (s == Item.LEAD) {
          item.state = Item.WAITING;
          lead = true;
          continue;
        }
        LockSupport.park(this);
        if (Thread.interrupted()) {
          interrupted = true; // durability first: keep waiting, restore the flag afterwards
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private DecisionLogException failureSeen() {
    lock.lock();
    try {
      return failure;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Writes and forces one batch from the head of the queue; called by the thread holding the
   * flushing baton, without the lock. Afterwards hands the baton to the thread of the oldest record
   * still queued (or drops it when there is none), then wakes the threads whose records it wrote.
   */
  private void flushBatch() {
    List<Item> batch;
    long[] dones;
    long first;
    lock.lock();
    try {
      int n = Math.min(maxBatch, pending.size());
      batch = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        batch.add(pending.poll());
      }
      dones = java.util.Arrays.copyOf(doneSeqs, doneCount);
      doneCount = 0;
      first = durableSeq + 1;
    } finally {
      lock.unlock();
    }
    DecisionLogException failed = null;
    String batchLastHash = null;
    dev.haetae.moderation.api.observe.EngineListener told = listener;
    boolean observed = told != dev.haetae.moderation.api.observe.EngineListener.NONE;
    long started = observed ? System.nanoTime() : 0;
    if (!batch.isEmpty() || dones.length > 0) {
      try {
        batchLastHash = flush(batch, first, dones);
      } catch (IOException | RuntimeException e) {
        failed = new DecisionLogException("cannot write records " + first + ".." + (first + batch.size() - 1)
            + " to " + currentSegmentName(first) + ": " + e, e);
      }
    }
    Item next = null;
    List<Item> failedToo = List.of();
    lock.lock();
    try {
      if (failed != null) {
        failure = failed;
        LOG.error("decision log failed; no further decisions can be recorded", failed);
        failedToo = new ArrayList<>(pending);
        pending.clear();
      } else if (!batch.isEmpty()) {
        durableSeq = first + batch.size() - 1;
        lastHash = batchLastHash;
      }
      next = passBaton();
      done.signalAll(); // close() waits for the baton to be dropped
    } finally {
      lock.unlock();
    }
    Thread me = Thread.currentThread();
    if (next != null) {
      next.state = Item.LEAD;
      LockSupport.unpark(next.waiter);
    }
    int outcome = failed == null ? Item.DURABLE : Item.FAILED;
    for (Item i : batch) {
      i.state = outcome;
      if (i.waiter != me) {
        LockSupport.unpark(i.waiter);
      }
    }
    for (Item i : failedToo) {
      i.state = Item.FAILED;
      LockSupport.unpark(i.waiter);
    }
    if (observed && failed == null && !batch.isEmpty()) {
      // after the waiters were woken: the listener delays only this thread, and never fails its append
      try {
        told.logBatchWritten(new dev.haetae.moderation.api.observe.LogBatch("file", batch.size(),
            Math.max(0, System.nanoTime() - started)));
      } catch (RuntimeException e) {
        LOG.debug("log listener {} failed", told, e);
      }
    }
  }

  @Override
  public void observe(dev.haetae.moderation.api.observe.EngineListener value) {
    listener = java.util.Objects.requireNonNull(value, "listener");
  }

  private String currentSegmentName(long first) {
    return segment == null ? Frames.segmentName(first) : "the current segment";
  }

  /**
   * Writes and forces one batch: the outbox entries (and done marks) first, then the records,
   * framed and hashed here in sequence order straight into a direct buffer. Called by the single
   * flushing thread without the lock.
   *
   * @return the hash of the batch's last record (the chain's tip), or the tip before it when the
   *     batch holds only done marks
   */
  private String flush(List<Item> batch, long first, long[] dones) throws IOException {
    // the outbox first: a record on disk without its outbox entry could not be carried out after a crash
    List<Long> seqs = new ArrayList<>(batch.size());
    List<byte[]> entries = new ArrayList<>(batch.size());
    for (Item i : batch) {
      if (i.outbox != null) {
        seqs.add(i.seq);
        entries.add(i.outbox);
      }
    }
    outbox.write(seqs, entries, dones);
    if (batch.isEmpty()) {
      return lastHash;
    }
    if (segment == null) {
      Path p = dir.resolve(Frames.segmentName(first));
      segment = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      segmentSize = 0;
      syncDir();
    }
    long total = 0;
    for (Item b : batch) {
      total += b.payload.length + Frames.FRAME_OVERHEAD;
    }
    ByteBuffer buf = Frames.room(buffer, total, "a batch");
    buffer = buf.capacity() <= Frames.KEEP_BUFFER ? buf : null;
    String hash = lastHash;
    for (Item b : batch) {
      hash = Frames.frameInto(buf, b.seq, hash, b.payload, head, md);
      if (b.seq == 0) {
        logId = hash; // the hash of record 0 identifies the log to the anchor
      }
    }
    buf.flip();
    int written = buf.remaining();
    writeFully(segment, buf);
    if (fsync) {
      segment.force(false);
    }
    segmentSize += written;
    batches++;
    batchedRecords += batch.size();
    long last = first + batch.size() - 1;
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
      // records already sequenced by appends that are still waiting must reach the disk first: their
      // threads hold the flushing baton or are handed it
      while (flushing || (failure == null && !pending.isEmpty())) {
        if (flushing) {
          done.awaitUninterruptibly();
        } else {
          flushing = true; // not expected (the baton is handed on while records wait), but never wait forever
          lock.unlock();
          try {
            flushBatch();
          } finally {
            lock.lock();
          }
        }
      }
      if (failure != null && nextSeq - 1 > durableSeq) {
        LOG.warn("decision log {}: records {}..{} failed while closing: {}", dir, durableSeq + 1, nextSeq - 1,
            failure.getMessage());
      }
      try {
        if (failure == null && durableSeq >= 0 && durableSeq > lastCheckpointSeq) {
          checkpoint(durableSeq, lastHash);
        }
      } catch (IOException e) {
        throw new DecisionLogException("cannot write the final checkpoint of " + dir + ": " + e, e);
      } finally {
        try {
          if (failure == null && doneCount > 0) {
            outbox.write(List.of(), List.of(), java.util.Arrays.copyOf(doneSeqs, doneCount));
            doneCount = 0;
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

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
 * pipelined group commit, size-based rotation, and Ed25519-signed checkpoints at a bounded interval:
 * after a fsync that brings the records since the last checkpoint to {@code checkpointEvery}, and,
 * when a record has waited half of {@code checkpointInterval}, at the next fsync or from a timer
 * (so a quiet log is signed too); each checkpoint is also handed to the {@link CheckpointAnchor},
 * if any. Appending threads encode their records themselves and hold the lock only to take a
 * sequence number and join the queue.
 *
 * <p>Two batons pass between the appending threads. The thread holding the <em>write baton</em>
 * frames and hashes the queued records straight into a reused direct buffer and writes them, then
 * hands the baton to the oldest queued record's thread; the thread holding the <em>sync baton</em>
 * forces the segment, which covers every record written before the fsync started, checkpoints
 * when due, acknowledges those records, and hands the baton to the thread of the oldest record
 * written meanwhile. So the next batch is written (and its outbox entries forced) while the
 * previous one's fsync runs: at most two batches, and at most {@code maxBatch} records, are
 * written and not yet forced. Each wakes only the threads whose records it handled.
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
  /** Half of {@code checkpointInterval}: computed once, as every fsync asks whether it has passed. */
  private final Duration halfInterval;

  /**
   * How segments are written and forced: the file system, or a test's model of what a crash would
   * keep (see {@link #segmentIo}). Called by one thread at a time per operation kind: writes by the
   * write baton's holder, forces by the sync baton's, possibly at the same time.
   */
  interface SegmentIo {
    /** Writes all of {@code b} to segment {@code path}, open as {@code ch} for appending. */
    void write(Path path, FileChannel ch, ByteBuffer b) throws IOException;

    /** Forces segment {@code path}: afterwards every byte written before the call began is durable. */
    void force(Path path, FileChannel ch) throws IOException;
  }

  private volatile SegmentIo io;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition done = lock.newCondition();
  // guarded by lock
  private long nextSeq;
  /** Records queued, not yet written. */
  private final ArrayDeque<Item> pending = new ArrayDeque<>();
  /** Records written to the segment, not yet forced: whenever it is not empty, the sync baton is held. */
  private final ArrayDeque<Item> written = new ArrayDeque<>();
  /** The last sequence number of each written batch not yet forced, oldest first (at most two). */
  private final ArrayDeque<Long> unforcedBatches = new ArrayDeque<>();
  /**
   * Guards the done marks below, apart from {@link #lock}: each engine-path append marks its
   * decision done right after it returns, and taking the log's lock for that would double the
   * appending threads' contention on it. Taken after {@link #lock} when both are needed.
   */
  private final Object doneLock = new Object();
  /** Sequence numbers marked done since the last batch; guarded by doneLock. */
  private long[] doneSeqs = new long[64];
  private int doneCount;
  /** Set, under doneLock, once the log is closed or failed: marks are dropped from then on. */
  private boolean doneRefused;
  private final FileOutbox outbox;
  private long writtenSeq; // highest seq written to the segment, -1 when none
  private String writtenHash; // its hash: the chain's tip
  private FileChannel writtenSegment; // the segment holding the records written and not yet forced
  private Path writtenSegmentPath;
  private long durableSeq; // highest seq forced, -1 when none
  private String durableHash; // its hash
  /** The write baton: held by the one thread writing a batch (or handed to the next). */
  private boolean flushing;
  /** The sync baton: held by the one thread forcing the segment or writing a checkpoint (or handed on). */
  private boolean syncing;
  private DecisionLogException failure;
  private boolean closed;
  // touched only by the thread holding the write baton (or by close() after the last flush)
  private FileChannel segment;
  private Path segmentPath;
  private long segmentSize;
  private final MessageDigest md = Frames.sha256();
  private final byte[] head = new byte[Frames.FRAME_OVERHEAD];
  private ByteBuffer buffer;
  private String lastHash; // the chain's tip as framed
  // touched only by the thread holding the sync baton (or by close() after the last sync)
  private long lastCheckpointSeq;
  /** When the oldest record no checkpoint covers became durable (by the clock), or null. */
  private Instant uncheckpointedSince;
  /** The hash of record 0: the log's identity for the anchor; null until it is written. */
  private volatile String logId;
  private final FileChannel checkpoints;
  // statistics, written by the writer, read (racily, for display) by toString
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
    this.halfInterval = checkpointInterval.dividedBy(2);
    this.anchor = anchor;
    this.io = new SegmentIo() {
      @Override
      public void write(Path path, FileChannel ch, ByteBuffer b) throws IOException {
        writeFully(ch, b);
      }

      @Override
      public void force(Path path, FileChannel ch) throws IOException {
        if (fsync) {
          ch.force(false);
        }
      }
    };
    try {
      Files.createDirectories(dir);
      LogRecovery.Tail tail = LogRecovery.recover(dir, anchor);
      this.nextSeq = tail.nextSeq;
      this.lastHash = tail.lastHash;
      this.durableSeq = tail.nextSeq - 1;
      this.durableHash = tail.lastHash;
      this.writtenSeq = durableSeq;
      this.writtenHash = tail.lastHash;
      this.lastCheckpointSeq = tail.lastCheckpointSeq;
      this.logId = tail.logId;
      if (durableSeq > lastCheckpointSeq) {
        // a tail left unsigned by a crash waits from now, like any new record
        this.uncheckpointedSince = clock.instant();
      }
      if (tail.openSegment != null) {
        this.segment = FileChannel.open(tail.openSegment, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        this.segmentPath = tail.openSegment;
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
        && !now.isBefore(uncheckpointedSince.plus(halfInterval));
  }

  /**
   * Signs the durable records no checkpoint covers when they have waited half the checkpoint
   * interval: what the timer runs, so that a quiet log is signed too. Waits for no sync: a sync in
   * progress checkpoints by itself when due.
   */
  void checkpointIfDue() {
    lock.lock();
    try {
      if (closed || failure != null || syncing || durableSeq <= lastCheckpointSeq
          || !checkpointDue(clock.instant())) {
        return;
      }
      syncing = true; // the checkpoint file is written by the thread holding the sync baton only
      long seq = durableSeq;
      String hash = durableHash;
      lock.unlock();
      try {
        checkpoint(seq, hash);
      } catch (IOException | RuntimeException e) {
        LOG.warn("decision log {}: timed checkpoint of seq {} failed: {}", dir, seq, e.toString());
      } finally {
        lock.lock();
        // records written meanwhile found the sync baton taken and wait until it is handed to them
        Item next = passSyncBaton();
        if (next != null) {
          next.state = Item.SYNC; // under the lock: a writer closing a full segment waits for it on the condition
        }
        done.signalAll();
        if (next != null) {
          LockSupport.unpark(next.waiter);
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Called (lock held) by the thread giving up the write baton: returns the oldest queued record,
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

  /**
   * Called (lock held) by the thread giving up the sync baton: returns the oldest written record
   * not yet forced, whose thread the caller must hand the baton to (syncing stays true), or drops
   * the baton and returns null when every written record is forced.
   */
  private Item passSyncBaton() {
    if (!written.isEmpty()) {
      return written.peek();
    }
    syncing = false;
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
   * A record waiting to be written and forced: its payload, its outbox entry when it has one, and
   * the thread that waits for it. While it is queued its state is set by the thread holding the
   * write baton, once written by the thread holding the sync baton; the waiting thread reads it
   * after each wake-up.
   */
  private static final class Item {
    static final int WAITING = 0;
    static final int DURABLE = 1;
    static final int FAILED = 2;
    /** The write baton was handed to this item's thread. */
    static final int LEAD = 3;
    /** The sync baton was handed to this item's thread. */
    static final int SYNC = 4;

    final byte[] payload;
    final byte[] outbox;
    final Thread waiter;
    long seq;
    /** When its batch's write started ({@link System#nanoTime}), for the listener. */
    long started;
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
   * sequence number and join the queue. The first thread to find nobody writing takes the write
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
      java.util.Set<Long> marked = new java.util.HashSet<>();
      synchronized (doneLock) {
        for (int i = 0; i < doneCount; i++) {
          marked.add(doneSeqs[i]);
        }
      }
      if (!marked.isEmpty()) {
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
    synchronized (doneLock) {
      if (!doneRefused) {
        if (doneCount == doneSeqs.length) {
          doneSeqs = java.util.Arrays.copyOf(doneSeqs, 2 * doneCount);
        }
        doneSeqs[doneCount++] = seq;
      }
    }
  }

  /** The done marks since the last call, oldest first, and forgets them. */
  private long[] takeDones() {
    synchronized (doneLock) {
      long[] d = java.util.Arrays.copyOf(doneSeqs, doneCount);
      doneCount = 0;
      return d;
    }
  }

  /** From now on done marks are dropped (the log is closed or failed): they could never be written. */
  private void refuseDones() {
    synchronized (doneLock) {
      doneRefused = true;
      doneCount = 0;
    }
  }

  /**
   * Waits (lock not held) until the item is durable, writing batches whenever this thread holds the
   * write baton ({@code lead}, or handed over by the previous writer) and forcing them whenever it
   * is handed the sync baton.
   */
  private void awaitDurable(Item item, boolean lead) {
    boolean interrupted = false;
    try {
      while (true) {
        if (lead) {
          lead = false;
          flushBatch(item);
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
        if (s == Item.SYNC) {
          item.state = Item.WAITING;
          syncRound();
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
   * Writes one batch from the head of the queue, without forcing it; called by the thread holding
   * the write baton, without the lock. At most two written batches wait for their fsync: while two
   * do (or {@code maxBatch} records), it waits for the older one's fsync, so that the batch it
   * writes is as large as the callers make it. Afterwards it hands the write baton to the thread of
   * the oldest record still queued (or drops it), and takes the sync baton when nobody holds it, to
   * force what it wrote while the next batch is being written. A batch that fills the segment is
   * forced before the segment is closed, and the write baton is kept until then.
   *
   * @param mine the record of the calling thread, or null (close)
   */
  private void flushBatch(Item mine) {
    List<Item> batch;
    long[] dones;
    long first;
    lock.lock();
    try {
      while (failure == null && (unforcedBatches.size() >= 2 || writtenSeq - durableSeq >= maxBatch)) {
        done.awaitUninterruptibly(); // whoever forces them signals; the sync baton is held meanwhile
      }
      if (failure != null) { // the log failed while this thread waited or was handed the baton
        List<Item> failedToo = new ArrayList<>(pending);
        pending.clear();
        flushing = false;
        done.signalAll();
        lock.unlock();
        try {
          wake(failedToo, Item.FAILED, null);
        } finally {
          lock.lock();
        }
        return;
      }
      int n = (int) Math.min(pending.size(), maxBatch - (writtenSeq - durableSeq));
      batch = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        batch.add(pending.poll());
      }
      dones = takeDones();
      first = writtenSeq + 1;
    } finally {
      lock.unlock();
    }
    long started = System.nanoTime();
    for (Item i : batch) {
      i.started = started;
    }
    DecisionLogException failed = null;
    String batchLastHash = lastHash;
    if (!batch.isEmpty() || dones.length > 0) {
      try {
        batchLastHash = flush(batch, first, dones);
      } catch (IOException | RuntimeException e) {
        failed = new DecisionLogException("cannot write records " + first + ".." + (first + batch.size() - 1)
            + " to " + currentSegmentName(first) + ": " + e, e);
      }
    }
    Item next = null;
    boolean sync = false;
    boolean rotate = false;
    List<Item> failedToo = List.of();
    lock.lock();
    try {
      if (failed != null || failure != null) {
        if (failure == null) {
          failure = failed;
          refuseDones();
          LOG.error("decision log failed; no further decisions can be recorded", failed);
        }
        failedToo = new ArrayList<>(batch);
        failedToo.addAll(pending);
        pending.clear();
        batch = List.of();
      } else if (!batch.isEmpty()) {
        writtenSeq = first + batch.size() - 1;
        writtenHash = batchLastHash;
        writtenSegment = segment;
        writtenSegmentPath = segmentPath;
        written.addAll(batch);
        unforcedBatches.add(writtenSeq);
        rotate = segmentSize >= segmentBytes;
      }
      if (!rotate) {
        next = passBaton();
      }
      if (!written.isEmpty() && !syncing) {
        syncing = true;
        sync = true;
      }
      done.signalAll(); // close() waits for the batons to be dropped
    } finally {
      lock.unlock();
    }
    if (next != null) {
      next.state = Item.LEAD;
      LockSupport.unpark(next.waiter);
    }
    wake(failedToo, Item.FAILED, null);
    if (sync) {
      syncRound();
    }
    if (rotate) {
      closeFullSegment(mine);
    }
  }

  /** Sets the items' state and unparks their threads, except {@code me}. */
  private static void wake(List<Item> items, int state, Thread me) {
    for (Item i : items) {
      i.state = state;
      if (i.waiter != me) {
        LockSupport.unpark(i.waiter);
      }
    }
  }

  /**
   * Forces the records written so far, then checkpoints them when due; called by the thread
   * holding the sync baton, without the lock. Only records whose write had finished before the
   * fsync started are acknowledged. Afterwards hands the sync baton to the thread of the oldest
   * record written meanwhile (or drops it), then wakes the threads whose records it forced.
   */
  private void syncRound() {
    long target;
    long from;
    String hash;
    FileChannel ch;
    Path chPath;
    lock.lock();
    try {
      target = writtenSeq;
      from = durableSeq;
      hash = writtenHash;
      ch = writtenSegment;
      chPath = writtenSegmentPath;
    } finally {
      lock.unlock();
    }
    DecisionLogException failed = null;
    try {
      if (target > from) {
        io.force(chPath, ch);
        Instant now = clock.instant();
        if (uncheckpointedSince == null) {
          uncheckpointedSince = now;
        }
        if (target - lastCheckpointSeq >= checkpointEvery || checkpointDue(now)) {
          checkpoint(target, hash);
        }
      }
    } catch (IOException | RuntimeException e) {
      failed = new DecisionLogException("cannot force records " + (from + 1) + ".." + target + ": " + e, e);
    }
    List<Item> forced = new ArrayList<>();
    List<Item> failedToo = List.of();
    Item next;
    dev.haetae.moderation.api.observe.EngineListener told = listener;
    lock.lock();
    try {
      if (failed != null) {
        if (failure == null) {
          failure = failed;
          refuseDones();
          LOG.error("decision log failed; no further decisions can be recorded", failed);
        }
        failedToo = new ArrayList<>(written);
        written.clear();
        unforcedBatches.clear();
        if (!flushing) { // else the writer fails the queue when it next takes the lock
          failedToo.addAll(pending);
          pending.clear();
        }
      } else {
        durableSeq = target;
        durableHash = hash;
        while (!written.isEmpty() && written.peek().seq <= target) {
          forced.add(written.poll());
        }
        while (!unforcedBatches.isEmpty() && unforcedBatches.peek() <= target) {
          unforcedBatches.poll();
        }
      }
      next = passSyncBaton();
      if (next != null) {
        next.state = Item.SYNC; // under the lock: a writer closing a full segment waits for it on the condition
      }
      done.signalAll(); // a writer waiting for room, a rotation, or close()
    } finally {
      lock.unlock();
    }
    if (next != null) {
      LockSupport.unpark(next.waiter);
    }
    wake(failedToo, Item.FAILED, null);
    wake(forced, Item.DURABLE, Thread.currentThread());
    if (told != dev.haetae.moderation.api.observe.EngineListener.NONE && !forced.isEmpty()) {
      // after the waiters were woken: the listener delays only this thread, and never fails its append
      try {
        told.logBatchWritten(new dev.haetae.moderation.api.observe.LogBatch("file", forced.size(),
            Math.max(0, System.nanoTime() - forced.get(0).started)));
      } catch (RuntimeException e) {
        LOG.debug("log listener {} failed", told, e);
      }
    }
  }

  /**
   * Called by the writer, still holding the write baton, after a batch filled the segment: waits
   * until every written record is forced (by this thread's sync round or another's), closes the
   * segment (the next batch opens a new one), and hands the write baton on. Its own record may be
   * among the written ones, and the sync baton handed to it meanwhile: then it runs the sync round.
   */
  private void closeFullSegment(Item mine) {
    Item next;
    lock.lock();
    try {
      while (syncing) { // the sync baton is held while written records wait for their fsync
        if (mine != null && mine.state == Item.SYNC) {
          mine.state = Item.WAITING;
          lock.unlock();
          try {
            syncRound();
          } finally {
            lock.lock();
          }
        } else {
          done.awaitUninterruptibly();
        }
      }
      try {
        segment.close();
      } catch (IOException e) {
        LOG.warn("decision log {}: closing a full segment: {}", dir, e.toString());
      }
      segment = null;
      segmentPath = null;
      writtenSegment = null;
      writtenSegmentPath = null;
      next = passBaton();
      done.signalAll();
    } finally {
      lock.unlock();
    }
    if (next != null) {
      next.state = Item.LEAD;
      LockSupport.unpark(next.waiter);
    }
  }

  /** Replaces how segments are written and forced; for tests, before the first append. */
  void segmentIo(SegmentIo value) {
    io = java.util.Objects.requireNonNull(value, "io");
  }

  @Override
  public void observe(dev.haetae.moderation.api.observe.EngineListener value) {
    listener = java.util.Objects.requireNonNull(value, "listener");
  }

  private String currentSegmentName(long first) {
    return segment == null ? Frames.segmentName(first) : "the current segment";
  }

  /**
   * Writes one batch: the outbox entries (and done marks) first, forced, then the records, framed
   * and hashed here in sequence order straight into a direct buffer, not forced (the sync round
   * forces them). Called by the single thread holding the write baton, without the lock.
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
      segmentPath = p;
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
    io.write(segmentPath, segment, buf);
    segmentSize += written;
    batches++;
    batchedRecords += batch.size();
    lastHash = hash;
    return hash;
  }

  /**
   * Writes and forces a checkpoint of record {@code seq}, then anchors it; called by the single
   * thread holding the sync baton (or by close). A failing anchor does not stop the log: it is logged, and the
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
      // threads hold the write or sync baton or are handed it
      while (flushing || syncing || (failure == null && !pending.isEmpty())) {
        if (flushing || syncing) {
          done.awaitUninterruptibly();
        } else {
          flushing = true; // not expected (the baton is handed on while records wait), but never wait forever
          lock.unlock();
          try {
            flushBatch(null);
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
          checkpoint(durableSeq, durableHash);
        }
      } catch (IOException e) {
        throw new DecisionLogException("cannot write the final checkpoint of " + dir + ": " + e, e);
      } finally {
        try {
          long[] dones = failure == null ? takeDones() : new long[0];
          refuseDones();
          if (dones.length > 0) {
            outbox.write(List.of(), List.of(), dones);
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

package dev.haetae.moderation.core.engine;

import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.DecisionLogException;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.spi.DecisionLog;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** A decision log that keeps records in memory and can be told to fail. */
final class RecordingLog implements DecisionLog {
  record Entry(long seq, Evidence evidence, Decision decision) {}

  final List<Entry> entries = new CopyOnWriteArrayList<>();
  final List<String> events;
  private final AtomicLong seq = new AtomicLong();
  volatile boolean fail;

  RecordingLog(List<String> events) {
    this.events = events;
  }

  @Override
  public long append(Evidence evidence, Decision decision) {
    if (fail) {
      throw new DecisionLogException("disk full (simulated)", null);
    }
    long s = seq.getAndIncrement();
    entries.add(new Entry(s, evidence, decision));
    events.add("log:" + decision.id().value());
    return s;
  }

  @Override
  public void close() {}
}

package dev.haetae.moderation.core.hash;

/**
 * Feedback and match-rate state of one entry; created on its first match or feedback only, so a
 * bank of millions of entries holds a handful of these. Thread-safe (all methods synchronized; the
 * match path reaches here only for actual matches, which are rare).
 */
final class EntryStats {
  private static final double ALPHA = 0.3;

  private long confirmed;
  private long deconfirmed;
  private long matches;
  private boolean quarantined;
  private long window = Long.MIN_VALUE;
  private long inWindow;
  private double baseline;
  private boolean seenWindow;

  synchronized void feedback(boolean confirm) {
    if (confirm) {
      confirmed++;
    } else {
      deconfirmed++;
    }
  }

  synchronized long confirmed() {
    return confirmed;
  }

  synchronized long deconfirmed() {
    return deconfirmed;
  }

  synchronized long matches() {
    return matches;
  }

  synchronized boolean quarantined() {
    return quarantined;
  }

  /**
   * Counts one match at {@code nowMillis}.
   *
   * @return the baseline when this match starts a flood (the entry is now quarantined), else -1
   */
  synchronized double recordMatch(long nowMillis, FloodPolicy policy) {
    matches++;
    long w = Math.floorDiv(nowMillis, policy.window().toMillis());
    if (w != window) {
      if (seenWindow) {
        long gap = Math.max(0, w - window - 1);
        baseline = (1 - ALPHA) * baseline + ALPHA * inWindow;
        baseline *= Math.pow(1 - ALPHA, Math.min(gap, 1000));
      }
      seenWindow = true;
      window = w;
      inWindow = 0;
    }
    inWindow++;
    if (!quarantined && policy.enabled() && inWindow >= policy.minMatches()
        && inWindow > policy.factor() * baseline) {
      quarantined = true;
      return baseline;
    }
    return -1;
  }

  synchronized long inWindow() {
    return inWindow;
  }

  /** Lifts the quarantine; the current rate becomes the baseline so it does not trip again at once. */
  synchronized boolean restore() {
    if (!quarantined) {
      return false;
    }
    quarantined = false;
    baseline = Math.max(baseline, inWindow);
    return true;
  }

  /** Writes the entry's counts, quarantine and flood window, for {@link #read}. */
  synchronized void write(SnapshotIo.Out out) throws java.io.IOException {
    out.writeLong(confirmed);
    out.writeLong(deconfirmed);
    out.writeLong(matches);
    out.writeBoolean(quarantined);
    out.writeLong(window);
    out.writeLong(inWindow);
    out.writeDouble(baseline);
    out.writeBoolean(seenWindow);
  }

  /** Reads what {@link #write} wrote. */
  static EntryStats read(SnapshotIo.In in) throws java.io.IOException {
    EntryStats s = new EntryStats();
    s.confirmed = in.readLong();
    s.deconfirmed = in.readLong();
    s.matches = in.readLong();
    s.quarantined = in.readBoolean();
    s.window = in.readLong();
    s.inWindow = in.readLong();
    s.baseline = in.readDouble();
    s.seenWindow = in.readBoolean();
    if (s.confirmed < 0 || s.deconfirmed < 0 || s.matches < 0 || s.inWindow < 0 || !(s.baseline >= 0)) {
      throw in.corrupt("entry statistics out of range");
    }
    return s;
  }
}

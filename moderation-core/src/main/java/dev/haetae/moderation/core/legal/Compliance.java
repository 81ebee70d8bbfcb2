package dev.haetae.moderation.core.legal;

import dev.haetae.moderation.api.spi.ObligationRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Deadline compliance figures per instrument: how many obligations were opened, are still open,
 * were fulfilled, closed without action or breached, and the distribution of time to action (receipt
 * to fulfilment). Computed from a snapshot of obligations; immutable and thread-safe.
 *
 * <p>An obligation counts as breached when its deadline passed before it was done: it is in state
 * {@code BREACHED}, or was fulfilled after its deadline, or is still open past its deadline at the
 * report's instant (the clock may not have ticked yet).
 *
 * @since 0.1
 */
public final class Compliance {
  private final Instant at;
  private final Map<String, Figures> byInstrument;

  private Compliance(Instant at, Map<String, Figures> byInstrument) {
    this.at = at;
    this.byInstrument = java.util.Collections.unmodifiableMap(byInstrument);
  }

  /**
   * The figures of one instrument.
   *
   * @param instrument the instrument id; not null
   * @param opened obligations opened
   * @param open still open (including breached and not yet done)
   * @param fulfilled done
   * @param closed closed without action (e.g. the content was already gone)
   * @param breached deadline passed before done
   * @param timeToAction receipt-to-fulfilment durations of the fulfilled obligations, ascending; not
   *     null
   * @since 0.1
   */
  public record Figures(String instrument, int opened, int open, int fulfilled, int closed, int breached,
      List<Duration> timeToAction) {
    /**
     * Validates and copies.
     *
     * @throws NullPointerException when a reference component is null
     */
    public Figures {
      Objects.requireNonNull(instrument, "instrument");
      timeToAction = List.copyOf(timeToAction);
    }

    /**
     * A percentile of time to action, by the nearest-rank method.
     *
     * @param p the percentile, in (0, 100]
     * @return the duration, or zero when nothing was fulfilled
     * @throws IllegalArgumentException when {@code p} is out of range
     */
    public Duration percentile(double p) {
      if (!(p > 0 && p <= 100)) {
        throw new IllegalArgumentException("percentile must be in (0, 100], got " + p);
      }
      if (timeToAction.isEmpty()) {
        return Duration.ZERO;
      }
      int rank = (int) Math.ceil(p / 100.0 * timeToAction.size());
      return timeToAction.get(Math.max(0, rank - 1));
    }

    /**
     * The share of opened obligations that were breached.
     *
     * @return the breach rate in [0, 1], 0 when nothing was opened
     */
    public double breachRate() {
      return opened == 0 ? 0 : (double) breached / opened;
    }
  }

  /**
   * Computes the figures.
   *
   * @param obligations the obligations, e.g. {@code ObligationStore.all()}; not null
   * @param at the instant of the report; not null
   * @return the figures; never null
   */
  public static Compliance of(Collection<ObligationRecord> obligations, Instant at) {
    Objects.requireNonNull(at, "at");
    Map<String, int[]> counts = new TreeMap<>();
    Map<String, List<Duration>> times = new TreeMap<>();
    for (ObligationRecord o : obligations) {
      int[] c = counts.computeIfAbsent(o.instrument(), k -> new int[5]);
      times.computeIfAbsent(o.instrument(), k -> new ArrayList<>());
      c[0]++;
      boolean breached;
      switch (o.status()) {
        case FULFILLED:
          c[2]++;
          Instant done = o.closedAt().orElse(o.receivedAt());
          times.get(o.instrument()).add(Duration.between(o.receivedAt(), done));
          breached = done.isAfter(o.deadline());
          break;
        case CLOSED:
          c[3]++;
          breached = false;
          break;
        case BREACHED:
          c[1]++;
          breached = true;
          break;
        default:
          c[1]++;
          breached = at.isAfter(o.deadline());
          break;
      }
      if (breached) {
        c[4]++;
      }
    }
    Map<String, Figures> out = new TreeMap<>();
    for (Map.Entry<String, int[]> e : counts.entrySet()) {
      int[] c = e.getValue();
      List<Duration> t = times.get(e.getKey());
      t.sort(null);
      out.put(e.getKey(), new Figures(e.getKey(), c[0], c[1], c[2], c[3], c[4], t));
    }
    return new Compliance(at, out);
  }

  /**
   * When the figures were computed.
   *
   * @return the instant; never null
   */
  public Instant at() {
    return at;
  }

  /**
   * The figures by instrument id.
   *
   * @return an unmodifiable sorted map; never null
   */
  public Map<String, Figures> byInstrument() {
    return byInstrument;
  }
}

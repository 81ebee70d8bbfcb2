package dev.haetae.moderation.core.audit;

import dev.haetae.moderation.api.ObligationEvent;
import dev.haetae.moderation.core.legal.Instrument;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a retention duty allows to go from a directory decision log, worked out once. The log is
 * append-only and hash-chained, so only whole segments at its head can go, and only those past every
 * applicable instrument's minimum retention: the retention period is the longest minimum of the
 * instruments given (and of a floor the host sets), and a segment is removable only when every
 * record in it is older than {@code now} minus that period.
 *
 * <p>Besides age, the removable prefix stops before the first segment that is the log's last (open)
 * segment, that holds a record of an obligation still open at the end of the log (opened and not
 * fulfilled or closed), or that holds the configuration record in force for the first record kept
 * (so replay of what stays can still rebuild its policies).
 *
 * <p>{@link #plan} reads the log and changes nothing; {@link #prune} removes what a plan allows,
 * after writing a signed prune record that {@link AuditLog#verify} accepts and reports.
 *
 * <p>The minimum retention of an instrument is {@link #minimumOf(Instrument)}: the longer of its
 * evidence preservation period ({@link Instrument#preserveFor()}) and the records it requires to be
 * kept ({@link Instrument#retainRecordsFor()}, e.g. Korea's three years). Stateless and thread-safe.
 *
 * @since 0.2
 */
public final class Retention {

  private Retention() {}

  /** A duration as ISO-8601 days when it is whole days ({@code P1096D}), else as {@link Duration#toString()}. */
  static String text(Duration d) {
    return d.toSeconds() % 86_400 == 0 && d.getNano() == 0 ? "P" + d.toDays() + "D" : d.toString();
  }

  /**
   * An instrument's minimum retention: the longer of its preservation period and the period its
   * records must be kept ({@link Instrument#retainRecordsFor()}). A calendar period is taken at its
   * longest (a year as 365 days plus a leap day for every four years begun, a month as 31 days), so
   * nothing an instrument still requires is ever removed: three years are {@code P1096D}.
   *
   * @param instrument the instrument; not null
   * @return the minimum, zero or more; never null
   */
  public static Duration minimumOf(Instrument instrument) {
    Objects.requireNonNull(instrument, "instrument");
    java.time.Period p = instrument.retainRecordsFor();
    long years = p.getYears();
    Duration records = Duration.ofDays(years * 365 + (years + 3) / 4 + p.getMonths() * 31L + p.getDays());
    Duration preserve = instrument.preserveFor();
    return preserve.compareTo(records) > 0 ? preserve : records;
  }

  /**
   * A whole segment at the head of the log.
   *
   * @param name the segment file's name; not null
   * @param firstSeq its first record's sequence number
   * @param lastSeq its last record's sequence number
   * @param firstHash its first record's hash (hex); not null
   * @param lastHash its last record's hash (hex), the chain link the first kept record names; not null
   * @param newest the latest time of its records; not null
   * @since 0.2
   */
  public record Segment(String name, long firstSeq, long lastSeq, String firstHash, String lastHash, Instant newest) {
    /**
     * Validates.
     *
     * @param name as described on the record
     * @param firstSeq as described on the record
     * @param lastSeq as described on the record
     * @param firstHash as described on the record
     * @param lastHash as described on the record
     * @param newest as described on the record
     * @throws NullPointerException when a component is null
     * @throws IllegalArgumentException when the sequence numbers are out of order
     */
    public Segment {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(firstHash, "firstHash");
      Objects.requireNonNull(lastHash, "lastHash");
      Objects.requireNonNull(newest, "newest");
      if (firstSeq < 0 || lastSeq < firstSeq) {
        throw new IllegalArgumentException("segment " + name + ": seq " + firstSeq + ".." + lastSeq);
      }
    }
  }

  /**
   * The plan for a log at an instant.
   *
   * @param period the retention period applied: the longest minimum; never null
   * @param rule how the period was worked out, e.g. {@code "max(KR-TBA-22-5 P1096D, US-18-2258A
   *     P366D, floor P0D) = P1096D"} (whole days as {@code PnD}); never null
   * @param cutoff {@code now} minus the period: every record of a removable segment is older; never null
   * @param removable the segments that may go, from the head, in order; never null
   * @param keptBecause why the next segment stays (too young, an open obligation, the configuration
   *     in force, the open segment), or empty text for an empty log; never null
   * @since 0.2
   */
  public record Plan(Duration period, String rule, Instant cutoff, List<Segment> removable, String keptBecause) {
    /**
     * Validates and copies.
     *
     * @param period as described on the record
     * @param rule as described on the record
     * @param cutoff as described on the record
     * @param removable as described on the record
     * @param keptBecause as described on the record
     * @throws NullPointerException when a component is null
     */
    public Plan {
      Objects.requireNonNull(period, "period");
      Objects.requireNonNull(rule, "rule");
      Objects.requireNonNull(cutoff, "cutoff");
      removable = List.copyOf(removable);
      Objects.requireNonNull(keptBecause, "keptBecause");
    }
  }

  /**
   * Plans which head segments of a log may be removed at {@code now}.
   *
   * @param log the log; not null
   * @param instruments every instrument that applies to the log's records (e.g. all of the host's
   *     jurisdiction profiles); not null
   * @param floor the host's own minimum, zero or more; not null
   * @param now the instant to plan at (from the host's clock); not null
   * @param progress told of bytes read; not null
   * @return the plan; never null
   * @throws IllegalArgumentException when {@code floor} is negative
   * @throws dev.haetae.moderation.api.DecisionLogException when the log cannot be read
   */
  public static Plan plan(AuditLog log, Collection<Instrument> instruments, Duration floor, Instant now,
      ProgressListener progress) {
    Objects.requireNonNull(log, "log");
    Objects.requireNonNull(instruments, "instruments");
    Objects.requireNonNull(floor, "floor");
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(progress, "progress");
    if (floor.isNegative()) {
      throw new IllegalArgumentException("floor must be zero or more, got " + floor);
    }
    Duration period = floor;
    StringBuilder rule = new StringBuilder("max(");
    Map<String, Duration> byInstrument = new TreeMap<>();
    for (Instrument i : instruments) {
      byInstrument.put(i.id(), minimumOf(i));
    }
    for (Map.Entry<String, Duration> e : byInstrument.entrySet()) {
      rule.append(e.getKey()).append(' ').append(text(e.getValue())).append(", ");
      if (e.getValue().compareTo(period) > 0) {
        period = e.getValue();
      }
    }
    rule.append("floor ").append(text(floor)).append(") = ").append(text(period));
    Instant cutoff = now.minus(period);

    // one pass: per segment its range and newest time; open obligations' first seq; configuration seqs
    Map<String, long[]> ranges = new LinkedHashMap<>();
    Map<String, String[]> hashes = new HashMap<>();
    Map<String, Instant> newest = new HashMap<>();
    Map<String, Long> obligationFirst = new HashMap<>();
    Map<String, Boolean> obligationOpen = new HashMap<>();
    List<Long> configurations = new ArrayList<>();
    for (Iterator<LogEntry> it = log.entries(progress); it.hasNext(); ) {
      LogEntry e = it.next();
      Instant at;
      List<ObligationEvent> events;
      if (e instanceof LoggedRecord r) {
        at = r.decision().at();
        events = r.obligationEvents();
      } else {
        LogEvent ev = ((LoggedEvent) e).event();
        at = ev.at();
        events = ev instanceof LogEvent.Tick t ? t.obligations() : List.of();
        if (ev instanceof LogEvent.Configuration) {
          configurations.add(e.seq());
        }
      }
      long[] range = ranges.computeIfAbsent(e.segment(), k -> new long[] {e.seq(), e.seq()});
      range[1] = e.seq();
      String[] h = hashes.computeIfAbsent(e.segment(), k -> new String[] {e.hash(), e.hash()});
      h[1] = e.hash();
      newest.merge(e.segment(), at, (a, b) -> a.isAfter(b) ? a : b);
      for (ObligationEvent oe : events) {
        obligationFirst.putIfAbsent(oe.obligation().id(), e.seq());
        obligationOpen.put(oe.obligation().id(), oe.obligation().isOpen());
      }
    }
    long firstOpenObligation = Long.MAX_VALUE;
    for (Map.Entry<String, Boolean> o : obligationOpen.entrySet()) {
      if (o.getValue()) {
        firstOpenObligation = Math.min(firstOpenObligation, obligationFirst.get(o.getKey()));
      }
    }
    List<String> names = new ArrayList<>(ranges.keySet());
    List<Segment> removable = new ArrayList<>();
    String kept = "";
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      long[] r = ranges.get(name);
      if (i == names.size() - 1) {
        kept = name + " is the log's last segment, still open for appends";
        break;
      }
      if (!newest.get(name).isBefore(cutoff)) {
        kept = name + " holds a record of " + newest.get(name) + ", not older than the cutoff " + cutoff;
        break;
      }
      if (firstOpenObligation <= r[1]) {
        kept = name + " holds a record of an obligation still open (seq " + firstOpenObligation + ")";
        break;
      }
      removable.add(new Segment(name, r[0], r[1], hashes.get(name)[0], hashes.get(name)[1], newest.get(name)));
    }
    // keep the configuration in force for the first record kept
    if (!removable.isEmpty()) {
      long firstKept = removable.get(removable.size() - 1).lastSeq() + 1;
      long inForce = -1;
      for (long c : configurations) {
        if (c < firstKept) {
          inForce = c;
        }
      }
      int cut = removable.size();
      for (int i = 0; i < removable.size(); i++) {
        if (inForce >= removable.get(i).firstSeq() && inForce <= removable.get(i).lastSeq()) {
          cut = i;
          kept = removable.get(i).name() + " holds the configuration record in force (seq " + inForce
              + ") for the records kept";
          break;
        }
      }
      removable = new ArrayList<>(removable.subList(0, cut));
    }
    return new Plan(period, rule.toString(), cutoff, removable, kept);
  }

  /**
   * Removes the segments of a plan from a directory log that no writer has open: first appends to
   * the log's {@code prunes.jsonl} a prune record signed with {@code keys} (log identity, range,
   * first and last hashes, segment names, rule, cutoff, time), forced to disk, and adds the public
   * key to {@code keys.jsonl} when it is not there; then deletes the segments. A crash between the
   * two leaves segments the record names; readers and {@code verify} skip them, and a later prune
   * deletes them.
   *
   * @param log the log the plan was made on; not null
   * @param plan the plan; not null
   * @param kid the signing key's id, e.g. the log writer's checkpoint key id; not null
   * @param keys an Ed25519 key pair; not null
   * @param at the prune's time (from the host's clock); not null
   * @return the number of segments removed
   * @throws IllegalStateException when the log's head no longer matches the plan (re-plan)
   * @throws dev.haetae.moderation.api.DecisionLogException when the files cannot be written or deleted
   */
  public static int prune(AuditLog log, Plan plan, String kid, java.security.KeyPair keys, Instant at) {
    Objects.requireNonNull(log, "log");
    Objects.requireNonNull(plan, "plan");
    Objects.requireNonNull(kid, "kid");
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(at, "at");
    if (plan.removable().isEmpty()) {
      return 0;
    }
    java.nio.file.Path dir = log.directory();
    List<String> present = log.segments();
    for (int i = 0; i < plan.removable().size(); i++) {
      if (i >= present.size() || !present.get(i).equals(plan.removable().get(i).name())) {
        throw new IllegalStateException("the log's head is no longer the plan's (" + present + "): plan again");
      }
    }
    Prunes.Prune last = Prunes.last(dir);
    Segment first = plan.removable().get(0);
    Segment end = plan.removable().get(plan.removable().size() - 1);
    if ((last == null && first.firstSeq() != 0) || (last != null && first.firstSeq() != last.to() + 1)) {
      throw new IllegalStateException("the plan starts at seq " + first.firstSeq() + ", not where the log's head is");
    }
    String identity = last == null ? first.firstHash() : last.log();
    List<String> names = plan.removable().stream().map(Segment::name).toList();
    Prunes.Prune signed = Prunes.sign(new Prunes.Prune(identity, first.firstSeq(), end.lastSeq(), first.firstHash(),
        end.lastHash(), names, plan.rule(), plan.cutoff(), at, kid, ""), kid, keys.getPrivate());
    try {
      if (!log.loggedKeys().containsKey(kid)) {
        append(dir.resolve(Checkpoints.KEYS), Checkpoints.keyLine(kid, keys.getPublic()));
      }
      append(dir.resolve(Prunes.FILE), Prunes.line(signed));
      for (String n : names) {
        java.nio.file.Files.deleteIfExists(dir.resolve(n));
      }
      try (java.nio.channels.FileChannel d = java.nio.channels.FileChannel.open(dir,
          java.nio.file.StandardOpenOption.READ)) {
        d.force(true);
      } catch (java.io.IOException e) {
        // some file systems cannot fsync a directory
      }
    } catch (java.io.IOException e) {
      throw new dev.haetae.moderation.api.DecisionLogException("cannot prune " + dir + ": " + e.getMessage(), e);
    }
    return names.size();
  }

  private static void append(java.nio.file.Path file, byte[] line) throws java.io.IOException {
    try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file,
        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE,
        java.nio.file.StandardOpenOption.APPEND)) {
      java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(line);
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.force(true);
    }
  }
}

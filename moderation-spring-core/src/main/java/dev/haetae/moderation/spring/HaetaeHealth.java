package dev.haetae.moderation.spring;

import dev.haetae.moderation.api.spi.ObligationRecord;
import dev.haetae.moderation.core.engine.ModerationEngine;
import dev.haetae.moderation.core.hash.Bank;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The engine's health, as a framework's health endpoint shows it: UP when the decision log is
 * writable, the stores are reachable, every configured bank is loaded and no legal obligation is
 * overdue; DOWN, with the reason in {@link #details()}, otherwise.
 *
 * @param up whether every check passed
 * @param details one entry per check ({@code log}, {@code stores}, {@code banks}, {@code
 *     obligations}), its finding as text; not null; copied, in that order
 * @since 0.2
 */
public record HaetaeHealth(boolean up, Map<String, String> details) {
  /**
   * Copies the details, keeping their order.
   *
   * @throws NullPointerException when {@code details} is null
   */
  public HaetaeHealth {
    details = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(details, "details")));
  }

  /**
   * Checks an engine built from a set-up (or a host's own engine beside it).
   *
   * <ul>
   *   <li>{@code log}: the file log's directory takes and gives back a probe file; a log in
   *       PostgreSQL is checked with the stores; a log the host supplied is not checked.
   *   <li>{@code stores}: PostgreSQL answers a connection within two seconds (in-memory stores
   *       always pass).
   *   <li>{@code banks}: every bank of {@code haetae.banks} is in the engine and not empty.
   *   <li>{@code obligations}: no obligation is breached, or open past its deadline by the set-up's
   *       clock. This reads every obligation the store holds: a report-sized call, meant for a
   *       health endpoint polled every few seconds, not for the hot path.
   * </ul>
   *
   * <p>A check that throws is reported DOWN with the exception's class and message; nothing escapes.
   *
   * @param engine the engine; not null
   * @param setup the set-up the properties describe; not null
   * @return the health; never null
   * @throws NullPointerException when an argument is null
   */
  public static HaetaeHealth check(ModerationEngine engine, HaetaeSetup setup) {
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(setup, "setup");
    Map<String, String> details = new LinkedHashMap<>();
    boolean up = true;
    up &= run(details, "log", () -> log(engine, setup));
    up &= run(details, "stores", () -> stores(setup));
    up &= run(details, "banks", () -> banks(engine, setup));
    up &= run(details, "obligations", () -> obligations(engine, setup.clock().instant()));
    return new HaetaeHealth(up, details);
  }

  /** A check's finding: whether it passed, and what it found. */
  private record Finding(boolean ok, String text) {}

  private interface Check {
    Finding run() throws IOException;
  }

  private static boolean run(Map<String, String> details, String name, Check check) {
    Finding f;
    try {
      f = check.run();
    } catch (IOException | RuntimeException e) {
      f = new Finding(false, e.getClass().getSimpleName() + ": " + e.getMessage());
    }
    details.put(name, f.text());
    return f.ok();
  }

  private static Finding log(ModerationEngine engine, HaetaeSetup setup) {
    Optional<Path> dir = engine.logDirectory();
    if (dir.isPresent()) {
      Path d = dir.get();
      if (!Files.isDirectory(d)) {
        return new Finding(false, "not writable: " + d + " is not a directory");
      }
      try {
        Path probe = Files.createTempFile(d, ".haetae-health-", ".probe");
        Files.delete(probe);
      } catch (IOException | SecurityException e) {
        return new Finding(false, "not writable: " + d + " (" + e.getClass().getSimpleName() + ")");
      }
      return new Finding(true, "writable: " + d);
    }
    if (setup.shard().isPresent()) {
      return new Finding(true, "PostgreSQL shard " + setup.shard().get() + " (checked with the stores)");
    }
    return new Finding(true, "supplied by the host (not checked)");
  }

  private static Finding stores(HaetaeSetup setup) {
    if (!setup.usesPostgres()) {
      return new Finding(true, "in memory");
    }
    Optional<String> why = setup.postgresUnreachable();
    return why.isEmpty() ? new Finding(true, "PostgreSQL reachable")
        : new Finding(false, "PostgreSQL unreachable: " + why.get());
  }

  private static Finding banks(ModerationEngine engine, HaetaeSetup setup) {
    StringBuilder sb = new StringBuilder();
    boolean ok = true;
    for (String id : setup.bankIds()) {
      Optional<Bank> bank = engine.banks().find(id);
      long size = bank.map(Bank::size).orElse(-1L);
      if (size <= 0) {
        ok = false;
      }
      sb.append(sb.length() == 0 ? "" : ", ").append(id).append('=')
          .append(size < 0 ? "missing" : size == 0 ? "empty" : Long.toString(size));
    }
    if (setup.bankIds().isEmpty()) {
      return new Finding(true, "none configured");
    }
    return new Finding(ok, (ok ? "loaded: " : "not loaded: ") + sb);
  }

  private static Finding obligations(ModerationEngine engine, Instant now) {
    List<ObligationRecord> all = engine.obligations();
    int overdue = 0;
    ObligationRecord first = null;
    for (ObligationRecord o : all) {
      boolean late = o.status() == ObligationRecord.Status.BREACHED
          || (o.status() == ObligationRecord.Status.OPEN && o.deadline().isBefore(now));
      if (late) {
        overdue++;
        if (first == null || o.deadline().isBefore(first.deadline())) {
          first = o;
        }
      }
    }
    if (overdue == 0) {
      return new Finding(true, "none overdue");
    }
    return new Finding(false, overdue + " overdue; earliest " + first.id() + " (" + first.instrument() + "), due "
        + first.deadline());
  }
}

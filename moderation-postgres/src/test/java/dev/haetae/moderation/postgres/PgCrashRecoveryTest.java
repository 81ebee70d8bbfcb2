package dev.haetae.moderation.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.ReporterId;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.Target;
import dev.haetae.moderation.api.spi.ActionExecutor;
import dev.haetae.moderation.core.audit.EngineLog;
import dev.haetae.moderation.core.audit.LogEvent;
import dev.haetae.moderation.core.audit.LoggedEvent;
import dev.haetae.moderation.core.audit.LoggedRecord;
import dev.haetae.moderation.core.engine.ModerationEngine;
import dev.haetae.moderation.core.engine.Stores;
import dev.haetae.moderation.core.simulate.SettableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A child JVM runs the crash script on PostgreSQL (every store and the engine's memory in one
 * schema, the decisions in one log shard) and is killed ({@code Runtime.halt}, as a {@code kill -9})
 * right after one decision has committed to the shard, before any of its effects: an engine started
 * on the same shard carries the decision out from the shard's outbox, and the schema ends exactly as
 * in a schema where the same requests ran without a crash; a second start changes nothing more.
 * The requests cut short: an upload matching a bank (its copies banked for the fleet), a notice (an
 * obligation, and identical copies banked), a review (a strike), an appeal (an obligation and its
 * link) and a protected profile photo.
 */
@RequiresPostgres
class PgCrashRecoveryTest {

  @ParameterizedTest(name = "killed after decision {0}")
  @ValueSource(ints = {4, 6, 7, 8, 9})
  void aDecisionCommittedBeforeACrashIsCarriedOutOnceOnRestart(int m) throws Exception {
    String crashed = PgTestServer.freshSchema("crash");
    String control = PgTestServer.freshSchema("crashctl");
    try {
      Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
          System.getProperty("java.class.path"), PgCrashScript.class.getName(), crashed, Integer.toString(m))
          .redirectErrorStream(true).start();
      String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the child finishes");
      assertEquals(137, child.exitValue(), "the child halted after decision " + m + ": " + output);

      SettableClock clock = new SettableClock(PgCrashScript.T0.plus(Duration.ofHours(1)));
      List<Decision> delivered = new CopyOnWriteArrayList<>();
      String recovered;
      try (HaetaePostgres pg = PgTestServer.open("crash", crashed)) {
        try (EngineLog log = PgCrashScript.log(pg)) {
          assertEquals(1, log.pending().size(), "decision " + m + " is pending in the shard's outbox");
        }
        LoggedRecord last = lastDecision(pg);
        try (EngineLog log = PgCrashScript.log(pg);
            ModerationEngine restarted = PgCrashScript.engine(clock, log, pg.stores(), (r, d) -> delivered.add(d))) {
          assertEquals(1, delivered.size(), "delivered again, once");
          assertEquals(last.decision().id(), delivered.get(0).id());
          assertTrue(restarted.recover().isEmpty(), "nothing left once recovered");
        }
        recovered = state(pg);
        try (EngineLog log = PgCrashScript.log(pg);
            ModerationEngine again = PgCrashScript.engine(clock, log, pg.stores(), (r, d) -> delivered.add(d))) {
          assertEquals(1, delivered.size(), "nothing left to deliver");
          assertTrue(again.recover().isEmpty());
          assertTrue(log.pending().isEmpty());
        }
        assertEquals(recovered, state(pg), "a second start changes nothing");
        List<String> kinds = new ArrayList<>();
        pg.decisionLogShard(PgCrashScript.SHARD).forEachEntry(x -> {
          if (x instanceof LoggedEvent) {
            LogEvent ev = ((LoggedEvent) x).event();
            kinds.add(ev.kind().wireName() + (ev instanceof LogEvent.Delivery
                ? ":" + ((LogEvent.Delivery) ev).outcome() : ""));
          }
        });
        assertTrue(kinds.contains("delivery:redelivered") && kinds.contains("recovery"), kinds.toString());
      }

      // what the schema holds when nothing crashed
      try (HaetaePostgres pg = PgTestServer.open("crashctl", control)) {
        SettableClock clock2 = new SettableClock(PgCrashScript.T0);
        try (EngineLog log = PgCrashScript.log(pg);
            ModerationEngine e = PgCrashScript.engine(clock2, log, pg.stores(), ActionExecutor.NONE)) {
          PgCrashScript.run(e, clock2, m);
        }
        assertEquals(state(pg), recovered, "each effect applied exactly once");
      }
    } finally {
      PgTestServer.drop(crashed);
      PgTestServer.drop(control);
    }
  }

  private static LoggedRecord lastDecision(HaetaePostgres pg) {
    LoggedRecord[] last = {null};
    pg.decisionLogShard(PgCrashScript.SHARD).forEach(r -> last[0] = r);
    return last[0];
  }

  /** What the schema's stores and memory hold, decision ids (random per engine) and write times left out. */
  static String state(HaetaePostgres pg) throws SQLException {
    Stores s = pg.stores();
    Instant later = PgCrashScript.T0.plus(Duration.ofDays(1));
    StringBuilder sb = new StringBuilder();
    sb.append(s.obligations().all()).append('\n').append(s.holds().all()).append('\n');
    for (String a : List.of("u1", "u9", "u5", "rep1")) {
      sb.append(a).append(':').append(s.strikes().live(AccountId.of(a), later)).append(' ')
          .append(s.reputation().reporter(ReporterId.of(a))).append('\n');
    }
    for (String c : List.of("c1", "c9", "p1")) {
      sb.append(c).append(' ').append(s.reputation().reports(Target.content(ContentId.of(c)))).append(' ')
          .append(s.memory().content(ContentId.of(c))).append('\n');
    }
    for (String r : List.of("r1", "r9")) {
      sb.append(r).append(':').append(s.memory().roomMatches(RoomId.of(r), PgCrashScript.T0.minusSeconds(1)))
          .append('\n');
    }
    sb.append(rows(pg, "SELECT content, account, instrument, category, restrictive, strike_at, at"
        + " FROM haetae_decision_memos ORDER BY at, content"));
    sb.append(rows(pg, "SELECT obligation, appeal_id, content FROM haetae_appeal_links ORDER BY obligation"));
    sb.append(rows(pg, "SELECT bank_id, type, hash, state FROM hash_bank_entry ORDER BY bank_id, type, hash"));
    sb.append(rows(pg, "SELECT owner, photo, hash FROM haetae_protected_photos ORDER BY owner, photo"));
    sb.append(rows(pg, "SELECT count(*) FROM decision_log_outbox"));
    return sb.toString().replaceAll("[0-9a-f]{8}-\\d+", "D");
  }

  private static String rows(HaetaePostgres pg, String sql) throws SQLException {
    StringBuilder sb = new StringBuilder();
    try (Connection c = pg.dataSource().getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      ResultSetMetaData md = rs.getMetaData();
      while (rs.next()) {
        for (int i = 1; i <= md.getColumnCount(); i++) {
          sb.append(rs.getString(i)).append(i < md.getColumnCount() ? "|" : "\n");
        }
      }
    }
    return sb.append("--\n").toString();
  }
}

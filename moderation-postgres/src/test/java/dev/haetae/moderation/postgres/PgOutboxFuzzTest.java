package dev.haetae.moderation.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.AccountEvent;
import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.DecisionId;
import dev.haetae.moderation.api.DecisionLogException;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.core.audit.EngineLog;
import dev.haetae.moderation.core.effect.Effect;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The outbox rows a shard's writer reads back at start-up are an input like any other: a row
 * damaged in the database (seeded mutations of a real entry: flipped bytes, cuts, insertions,
 * swapped JSON values) makes {@code pending()} return the entry or throw {@link
 * DecisionLogException} naming the sequence number; nothing else comes out. Runs {@code
 * haetae.fuzz.cases} mutations (default 300; the {@code long-fuzz} profile runs 20,000).
 */
@RequiresPostgres
class PgOutboxFuzzTest {
  private static final int CASES = Integer.getInteger("haetae.fuzz.cases", 300);
  private static final Instant T = Instant.parse("2026-11-21T10:00:00Z");
  private static HaetaePostgres pg;

  @BeforeAll
  static void open() {
    pg = PgTestServer.open("outbox");
  }

  @AfterAll
  static void close() {
    if (pg != null) {
      String schema = pg.schema();
      pg.close();
      PgTestServer.drop(schema);
    }
  }

  @Test
  void damagedOutboxRowsGiveTheEntryOrADecisionLogException() throws Exception {
    try (EngineLog log = pg.decisionLog("fuzz", LogRequests.KEY)) {
      Evidence evidence = new Evidence(T, new AccountEvent(AccountId.of("u1"), T.minusSeconds(86_400), false,
          Optional.empty()), List.of(), Map.of());
      Decision decision = new Decision(DecisionId.of("d1"), T, List.of(new Action.Allow()), List.of(),
          Optional.empty(), List.of(), List.of(), List.of());
      long seq = log.append(evidence, decision, List.of(new Effect.AccountFacts((AccountEvent) evidence.request(), decision.id(), T)),
          List.of());
      byte[] original = entry(seq);
      long seed = 0x0b0b;
      Random rnd = new Random(seed);
      int read = 0;
      int refused = 0;
      for (int i = 0; i < CASES; i++) {
        byte[] damaged = mutate(original, rnd);
        setEntry(seq, damaged);
        try {
          List<EngineLog.Pending> pending = log.pending();
          assertEquals(1, pending.size());
          assertNotNull(pending.get(0).decision());
          read++;
        } catch (DecisionLogException e) {
          assertTrue(e.getMessage().contains(Long.toString(seq)), "the message names the entry: " + e.getMessage());
          refused++;
        } catch (RuntimeException e) {
          throw new AssertionError("seed " + seed + " case " + i + ": " + e + " for "
              + new String(damaged, StandardCharsets.UTF_8), e);
        }
      }
      setEntry(seq, original);
      assertEquals(decision, log.pending().get(0).decision(), "the intact entry reads back");
      assertTrue(refused > 0, "the mutations damaged some entries: " + read + " read, " + refused + " refused");
    }
  }

  private static byte[] mutate(byte[] in, Random rnd) {
    byte[] b = in.clone();
    switch (rnd.nextInt(5)) {
      case 0 -> {
        for (int k = 1 + rnd.nextInt(4); k > 0; k--) {
          b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
        }
        return b;
      }
      case 1 -> {
        return Arrays.copyOf(b, rnd.nextInt(b.length));
      }
      case 2 -> {
        int at = rnd.nextInt(b.length);
        byte[] out = new byte[b.length + 1];
        System.arraycopy(b, 0, out, 0, at);
        String junk = "{}[]\",:0x\u00ff";
        out[at] = (byte) junk.charAt(rnd.nextInt(junk.length()));
        System.arraycopy(b, at, out, at + 1, b.length - at);
        return out;
      }
      case 3 -> {
        String s = new String(b, StandardCharsets.UTF_8);
        String[] swaps = {"\"u1\"", "null", "true", "1e999", "\"\"", "[]", "{}", "-1"};
        int from = s.indexOf(':', rnd.nextInt(s.length()));
        if (from < 0) {
          return b;
        }
        int to = from + 1;
        while (to < s.length() && ",}]".indexOf(s.charAt(to)) < 0) {
          to++;
        }
        return (s.substring(0, from + 1) + swaps[rnd.nextInt(swaps.length)] + s.substring(to))
            .getBytes(StandardCharsets.UTF_8);
      }
      default -> {
        byte[] g = new byte[rnd.nextInt(64)];
        rnd.nextBytes(g);
        return g;
      }
    }
  }

  private static byte[] entry(long seq) throws Exception {
    try (Connection c = pg.dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT entry FROM decision_log_outbox WHERE shard = 'fuzz' AND seq = ?")) {
      ps.setLong(1, seq);
      try (ResultSet rs = ps.executeQuery()) {
        assertTrue(rs.next());
        return rs.getBytes(1);
      }
    }
  }

  private static void setEntry(long seq, byte[] entry) throws Exception {
    try (Connection c = pg.dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement("UPDATE decision_log_outbox SET entry = ? WHERE shard = 'fuzz' AND seq = ?")) {
      ps.setBytes(1, entry);
      ps.setLong(2, seq);
      assertEquals(1, ps.executeUpdate());
    }
  }
}

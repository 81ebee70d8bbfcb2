package dev.haetae.moderation.core.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.DecisionId;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.ExternalHit;
import dev.haetae.moderation.api.ExternalProvenance;
import dev.haetae.moderation.api.InvalidRequestException;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.core.decide.Decider;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded property test over the hit records an external matcher may return, and over their logged
 * form. Every combination of hostile components (null, blank, over-long, control characters,
 * upper-case or punctuated types, NaN, infinities, negative scores) either builds a hit, a provenance
 * and an evidence signal whose components satisfy the documented rules and which survive the
 * decision log unchanged, or is refused with an {@link InvalidRequestException} naming an {@code
 * external_...} field: never accepted silently, never another exception. Mutated logged forms are
 * read back as the same signal or refused as a malformed record. Strings stay under a few thousand
 * characters, so memory is bounded. Quick by default ({@value #QUICK_CASES} cases); the {@code
 * long-fuzz} profile sets {@code haetae.fuzz.cases}. A failure names the seed and case.
 */
class ExternalHitFuzzTest {
  private static final long SEED = Long.getLong("haetae.fuzz.seed", 0x20A_E7L);
  static final int QUICK_CASES = 1000;
  private static final int CASES = Integer.getInteger("haetae.fuzz.cases", QUICK_CASES);

  private static final String[] TEXTS = {"kcsc_feature", "vpdq", "tmk_pdqf", "a", "KCSC", "kcsc feature", "_x",
      "x\u0000y", "", " ", "\t", "line\nbreak", "\u00e9t\u00e9", "\ud55c\uad6d", "list-1", "F-000123",
      "x".repeat(64), "x".repeat(65), "y".repeat(256), "y".repeat(257), "z".repeat(3000), "\u2028", "\uFEFF",
      "a.b+c-d", "-a", null};
  private static final double[] NUMBERS = {0, 0.5, 1, 31, 100, 1e300, -0.0, -1, Double.NaN, Double.POSITIVE_INFINITY,
      Double.NEGATIVE_INFINITY, Double.MIN_VALUE, Double.MAX_VALUE};

  @Test
  void hostileHitsAreBuiltValidOrRefusedByNameAndSurviveTheLog() {
    Random r = new Random(SEED);
    Fixtures fx = new Fixtures(20);
    RecordCodec codec = new RecordCodec(Pseudonymizers.hmacSha256("k1", new byte[32]), RecordCodec.TEXT_FIELDS);
    int accepted = 0;
    int refused = 0;
    for (int i = 0; i < CASES; i++) {
      String where = "seed " + SEED + " case " + i;
      Signal.ExternalMatch m;
      try {
        m = randomMatch(r);
      } catch (InvalidRequestException e) {
        assertTrue(e.field().startsWith("external_"), where + ": " + e.getMessage());
        refused++;
        continue;
      } catch (RuntimeException | Error e) {
        fail(where + ": unexpected " + e, e);
        return;
      }
      accepted++;
      checkValid(m, where);
      Evidence base = fx.evidence();
      List<Signal> signals = new ArrayList<>(base.signals());
      signals.add(m);
      Evidence e = new Evidence(base.now(), base.request(), signals, base.versions());
      Decision d = Decider.decide(DecisionId.of("d-" + i), e, List.of(), List.of());
      ObjectNode n = codec.encode(e, d);
      Evidence back = RecordCodec.readEvidence(n.get("evidence"));
      List<Signal.ExternalMatch> read = back.signals(Signal.ExternalMatch.class);
      assertEquals(List.of(m), read, where);
      mutateAndRead(r, n, m, where);
    }
    assertTrue(accepted > CASES / 20 && refused > CASES / 20, "both sides exercised: " + accepted + " accepted, "
        + refused + " refused");
  }

  private static Signal.ExternalMatch randomMatch(Random r) {
    ExternalProvenance p = new ExternalProvenance(text(r), text(r), text(r),
        r.nextInt(4) == 0 ? null : r.nextBoolean() ? Optional.empty() : Optional.ofNullable(text(r)), text(r));
    ExternalHit h = new ExternalHit(text(r), text(r), text(r), number(r),
        r.nextInt(20) == 0 ? null : ExternalHit.Measure.values()[r.nextInt(2)], number(r),
        r.nextInt(20) == 0 ? null : Category.values()[r.nextInt(Category.values().length)]);
    return new Signal.ExternalMatch(text(r), p, h);
  }

  /** Mostly valid values, so that accepted records are common; hostile ones a third of the time. */
  private static String text(Random r) {
    return r.nextInt(3) == 0 ? TEXTS[r.nextInt(TEXTS.length)] : TEXTS[r.nextInt(3)];
  }

  private static double number(Random r) {
    return r.nextInt(3) == 0 ? NUMBERS[r.nextInt(NUMBERS.length)] : r.nextDouble() * 100;
  }

  private static void checkValid(Signal.ExternalMatch m, String where) {
    ExternalHit h = m.hit();
    assertTrue(h.signalType().matches("[a-z0-9][a-z0-9_.+-]{0,63}"), where);
    for (String s : List.of(h.list(), h.entry(), m.matcher(), m.provenance().vendor(), m.provenance().product(),
        m.provenance().version(), m.provenance().listVersion(), m.provenance().certification().orElse("c"))) {
      assertTrue(!s.isBlank() && s.length() <= 256 && s.chars().noneMatch(Character::isISOControl), where + ": " + s);
    }
    assertTrue(Double.isFinite(h.score()) && h.score() >= 0 && Double.isFinite(h.threshold())
        && h.threshold() >= 0, where);
  }

  /**
   * One mutation of the logged signal: a field removed, or set to another type or a hostile value.
   * Reading it back gives a valid signal or refuses the record as malformed.
   */
  private static void mutateAndRead(Random r, ObjectNode record, Signal.ExternalMatch original, String where) {
    ObjectNode copy = record.deepCopy();
    ArrayNode signals = (ArrayNode) copy.get("evidence").get("signals");
    ObjectNode s = null;
    for (JsonNode x : signals) {
      if ("external_match".equals(x.path("type").asText())) {
        s = (ObjectNode) x;
      }
    }
    assertTrue(s != null, where);
    ObjectNode target = r.nextInt(3) == 0 ? (ObjectNode) s.get("provenance") : s;
    List<String> names = new ArrayList<>();
    target.fieldNames().forEachRemaining(names::add);
    String name = names.get(r.nextInt(names.size()));
    JsonNodeFactory f = JsonNodeFactory.instance;
    switch (r.nextInt(6)) {
      case 0 -> target.remove(name);
      case 1 -> target.set(name, f.nullNode());
      case 2 -> target.set(name, f.numberNode(-r.nextInt(1000)));
      case 3 -> target.set(name, f.textNode(TEXTS[r.nextInt(TEXTS.length - 1)]));
      case 4 -> target.set(name, f.objectNode());
      default -> target.set(name, f.booleanNode(r.nextBoolean()));
    }
    try {
      Evidence back = RecordCodec.readEvidence(copy.get("evidence"));
      for (Signal.ExternalMatch m : back.signals(Signal.ExternalMatch.class)) {
        checkValid(m, where + " (mutated " + name + ")");
      }
    } catch (Json.FormatException e) {
      // refused as malformed: the documented outcome
    } catch (RuntimeException | Error e) {
      fail(where + " (mutated " + name + "): unexpected " + e, e);
    }
  }
}

package dev.haetae.moderation.api.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.DecisionId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EngineListenerTest {
  private static final Decision ALLOW = new Decision(DecisionId.of("d1"), Instant.EPOCH, List.of(new Action.Allow()),
      List.of(), Optional.empty(), List.of(), List.of(), List.of());

  @Test
  void anEvaluationCopiesItsTimesAndRefusesBadOnes() {
    long[] nanos = new long[Stage.values().length];
    nanos[Stage.LOG.ordinal()] = 700;
    nanos[Stage.GATHER.ordinal()] = 300;
    Evaluation e = new Evaluation("content", ALLOW, nanos);
    nanos[Stage.LOG.ordinal()] = 1;
    assertEquals(700, e.nanos(Stage.LOG));
    assertEquals(1000, e.totalNanos());
    assertThrows(IllegalArgumentException.class, () -> new Evaluation("content", ALLOW, new long[3]));
    long[] negative = new long[Stage.values().length];
    negative[0] = -1;
    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
        () -> new Evaluation("content", ALLOW, negative));
    assertEquals("stageNanos[validate] is negative: -1", ex.getMessage());
    assertThrows(NullPointerException.class, () -> new Evaluation(null, ALLOW, nanos));
    assertThrows(IllegalArgumentException.class, () -> new BankChange("host", "b", -1));
  }

  @Test
  void aCompositeCallsEveryListenerAndRethrowsTheFirstFailure() {
    List<String> calls = new ArrayList<>();
    EngineListener first = new EngineListener() {
      @Override
      public void bankChanged(BankChange change) {
        calls.add("first");
        throw new IllegalStateException("first");
      }
    };
    EngineListener second = new EngineListener() {
      @Override
      public void bankChanged(BankChange change) {
        calls.add("second");
        throw new IllegalArgumentException("second");
      }
    };
    EngineListener third = new EngineListener() {
      @Override
      public void bankChanged(BankChange change) {
        calls.add("third");
      }
    };
    EngineListener all = EngineListener.composite(List.of(first, second, third));
    IllegalStateException thrown = assertThrows(IllegalStateException.class,
        () -> all.bankChanged(new BankChange("host", "b", 1)));
    assertEquals(List.of("first", "second", "third"), calls);
    assertEquals("second", thrown.getSuppressed()[0].getMessage());
    assertSame(EngineListener.NONE, EngineListener.composite(List.of()));
    assertSame(third, EngineListener.composite(List.of(third)));
    assertThrows(NullPointerException.class, () -> EngineListener.composite(null));
  }
}

package dev.haetae.moderation.api.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

  /** A method added to the listener and forgotten in the composite would be lost with two listeners. */
  @Test
  void theCompositeForwardsEveryListenerMethod() throws Exception {
    for (java.lang.reflect.Method m : EngineListener.class.getDeclaredMethods()) {
      if (java.lang.reflect.Modifier.isStatic(m.getModifiers())) {
        continue;
      }
      java.lang.reflect.Method own = CompositeListener.class.getDeclaredMethod(m.getName(), m.getParameterTypes());
      assertEquals(CompositeListener.class, own.getDeclaringClass(), m.getName());
    }
  }

  @Test
  void logBatchesAndFollowerLagsRefuseImpossibleValues() {
    assertEquals(3, new LogBatch("file", 3, 0).records());
    assertThrows(IllegalArgumentException.class, () -> new LogBatch("file", 0, 1));
    assertThrows(IllegalArgumentException.class, () -> new LogBatch("file", 1, -1));
    assertThrows(NullPointerException.class, () -> new LogBatch(null, 1, 1));
    java.time.Instant t = java.time.Instant.EPOCH;
    assertEquals(4, new FollowerLag("b", -1, 3, t).behind());
    assertEquals(0, new FollowerLag("b", 3, 3, t).behind());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new FollowerLag("b", 5, 4, t));
    assertTrue(e.getMessage().contains("newest (4) is below applied (5)"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new FollowerLag("b", -2, 4, t));
    assertThrows(NullPointerException.class, () -> new FollowerLag("b", 1, 4, null));
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

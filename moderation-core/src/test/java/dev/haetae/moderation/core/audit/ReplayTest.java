package dev.haetae.moderation.core.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.Outcome;
import dev.haetae.moderation.api.PolicyId;
import dev.haetae.moderation.api.Priority;
import dev.haetae.moderation.api.Reason;
import dev.haetae.moderation.api.spi.Policy;
import dev.haetae.moderation.core.policy.PolicyPack;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayTest {

  /** Breaks purity: reads the clock. */
  static final class ClockReadingPolicy implements Policy {
    @Override
    public PolicyId id() {
      return PolicyId.of("reads-clock", "1");
    }

    @Override
    public Outcome evaluate(Evidence evidence) {
      return Outcome.of(List.of(Action.QueueForReview.of(Priority.LOW)),
          List.of(Reason.note(id(), "clock", "evaluated at " + System.nanoTime())));
    }
  }

  /** Breaks purity: uses randomness. */
  static final class RandomPolicy implements Policy {
    private final Random random = new Random();

    @Override
    public PolicyId id() {
      return PolicyId.of("coin-flip", "1");
    }

    @Override
    public Outcome evaluate(Evidence evidence) {
      return Outcome.of(List.of(Action.QueueForReview.of(Priority.values()[random.nextInt(4)])),
          List.of(Reason.note(id(), "coin", "flip " + random.nextLong())));
    }
  }

  @Test
  void anEngineLogReplaysIdenticallyWithTheSamePolicyVersions(@TempDir Path dir) {
    EngineLogs.write(dir, 400, 1);
    AuditLog log = AuditLog.open(dir);
    assertTrue(log.verify().ok());
    ReplayReport r = Replayer.of(PolicyPack.defaults()).replay(log, ProgressListener.NONE);
    assertEquals(400, r.records());
    assertTrue(r.allIdentical(), r.findings().isEmpty() ? r.toString() : r.findings().get(0).toString());
    // the log exercised restrictive decisions, not only allows
    long[] restrictive = {0};
    log.forEach(ProgressListener.NONE, rec -> restrictive[0] += rec.decision().restrictive() ? 1 : 0);
    assertTrue(restrictive[0] > 10, "restrictive decisions: " + restrictive[0]);
  }

  @Test
  void clockAndRandomnessShowUpAsDivergence(@TempDir Path dir) {
    EngineLogs.write(dir, 50, 2, new ClockReadingPolicy(), new RandomPolicy());
    List<Policy> available = new ArrayList<>(PolicyPack.defaults());
    available.add(new ClockReadingPolicy());
    available.add(new RandomPolicy());
    ReplayReport r = Replayer.of(available).replay(AuditLog.open(dir), ProgressListener.NONE);
    assertEquals(50, r.records());
    assertEquals(50, r.diverged(), r.toString());
    ReplayReport.Finding f = r.findings().get(0);
    assertTrue(f.replayed().isPresent());
    assertTrue(f.differences().stream().anyMatch(d -> d.startsWith("reasons:")), f.differences().toString());
  }

  @Test
  void aMissingPolicyVersionIsNotReplayableNeverGuessed(@TempDir Path dir) {
    EngineLogs.write(dir, 30, 3, new ClockReadingPolicy());
    // the registry has the defaults but a different version of the extra policy
    List<Policy> available = new ArrayList<>(PolicyPack.defaults());
    available.add(new Policy() {
      @Override
      public PolicyId id() {
        return PolicyId.of("reads-clock", "2");
      }

      @Override
      public Outcome evaluate(Evidence evidence) {
        return Outcome.none();
      }
    });
    ReplayReport r = Replayer.of(available).replay(AuditLog.open(dir), ProgressListener.NONE);
    assertEquals(30, r.notReplayable());
    assertEquals(List.of(PolicyId.of("reads-clock", "1")), r.findings().get(0).missing());
    assertTrue(r.findings().get(0).replayed().isEmpty());
  }

  @Test
  void backtestSummarisesWhatACandidateSetWouldChange(@TempDir Path dir) {
    EngineLogs.write(dir, 300, 4);
    Policy removeAll = new Policy() {
      @Override
      public PolicyId id() {
        return PolicyId.of("remove-everything", "1");
      }

      @Override
      public Outcome evaluate(Evidence evidence) {
        return Outcome.of(List.of(new Action.Remove()), List.of(Reason.of(id(), "all", "everything goes",
            dev.haetae.moderation.api.Category.SPAM, dev.haetae.moderation.api.LegalGround.terms("ToS 1", "test"))));
      }
    };
    AuditLog log = AuditLog.open(dir);
    BacktestReport same = Backtest.run(log, PolicyPack.defaults(), ProgressListener.NONE);
    assertEquals(0, same.changed(), same.toString());
    BacktestReport b = Backtest.run(log, List.of(removeAll), ProgressListener.NONE);
    assertEquals(300, b.records());
    assertEquals(300, b.restrictiveAfter());
    assertTrue(b.changed() > 0 && b.newlyRestricted() > 0, b.toString());
    assertTrue(b.transitions().keySet().stream().allMatch(t -> t.endsWith("-> remove")), b.transitions().toString());
  }
}

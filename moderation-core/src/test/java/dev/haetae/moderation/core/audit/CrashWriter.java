package dev.haetae.moderation.core.audit;

import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.spi.DecisionLog;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Child-process writer for {@link CrashSafetyTest}: appends from several threads forever and prints
 * {@code ack <seq> <decision id>} after each append returns (i.e. after the record is durable).
 */
final class CrashWriter {
  private CrashWriter() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int threads = Integer.parseInt(args[1]);
    long seed = Long.parseLong(args[2]);
    PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false, "UTF-8");
    DecisionLog log = DecisionLogs.directory(dir).pseudonymizer(DirectoryDecisionLogTest.P).segmentBytes(16 * 1024)
        .checkpointEvery(25).build();
    for (int t = 0; t < threads; t++) {
      Fixtures fx = new Fixtures(seed + t);
      Thread th = new Thread(() -> {
        while (true) {
          Evidence e;
          Decision d;
          synchronized (fx) {
            e = fx.evidence();
            d = new Decision(dev.haetae.moderation.api.DecisionId.of("t" + Thread.currentThread().getName() + "-"
                + System.identityHashCode(e)), e.now(), fx.decision(e).actions(), java.util.List.of(),
                java.util.Optional.empty(), java.util.List.of(), java.util.List.of(), java.util.List.of());
          }
          long seq = log.append(e, d);
          synchronized (out) {
            out.println("ack " + seq + " " + d.id().value());
            out.flush();
          }
        }
      }, Integer.toString(t));
      th.start();
    }
    Thread.currentThread().join();
  }
}

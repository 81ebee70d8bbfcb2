package dev.haetae.moderation.core.audit;

import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.DecisionLogException;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.spi.DecisionLog;
import dev.haetae.moderation.api.spi.Pseudonymizer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * Factories of decision logs.
 *
 * @since 0.1
 */
public final class DecisionLogs {
  private DecisionLogs() {}

  /**
   * A builder of a file log in a directory.
   *
   * @param dir the directory, created if missing; not null
   * @return a builder
   */
  public static Builder directory(Path dir) {
    return new Builder(Objects.requireNonNull(dir, "dir"));
  }

  /**
   * Builder of a directory log; not thread-safe.
   *
   * @since 0.1
   */
  public static final class Builder {
    private final Path dir;
    private Pseudonymizer pseudonymizer;

    private Builder(Path dir) {
      this.dir = dir;
    }

    /**
     * The pseudonymizer for ids; default {@link Pseudonymizers#ephemeral()}.
     *
     * @param value the pseudonymizer; not null
     * @return this builder
     */
    public Builder pseudonymizer(Pseudonymizer value) {
      this.pseudonymizer = Objects.requireNonNull(value, "value");
      return this;
    }

    /**
     * Opens the log.
     *
     * @return the log
     * @throws DecisionLogException when the directory cannot be created or opened
     */
    public DecisionLog build() {
      Pseudonymizer p = pseudonymizer == null ? Pseudonymizers.ephemeral() : pseudonymizer;
      try {
        Files.createDirectories(dir);
        FileChannel ch = FileChannel.open(dir.resolve("decisions.jsonl"), StandardOpenOption.CREATE,
            StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        return new DecisionLog() {
          private long seq;

          @Override
          public synchronized long append(Evidence evidence, Decision decision) {
            StringBuilder sb = new StringBuilder();
            sb.append("{\"seq\":").append(seq).append(",\"id\":\"").append(decision.id().value())
                .append("\",\"content\":\"")
                .append(evidence.request().contentId().map(c -> p.keyId() + ":" + p.pseudonymize("content",
                    c.value())).orElse("")).append("\",\"actions\":[");
            for (int i = 0; i < decision.actions().size(); i++) {
              Action a = decision.actions().get(i);
              sb.append(i == 0 ? "" : ",").append('"').append(a.name()).append('"');
            }
            sb.append("]}\n");
            try {
              ByteBuffer buf = ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8));
              while (buf.hasRemaining()) {
                ch.write(buf);
              }
              ch.force(false);
            } catch (IOException e) {
              throw new DecisionLogException("cannot append decision " + decision.id() + " to " + dir, e);
            }
            return seq++;
          }

          @Override
          public synchronized void close() {
            try {
              ch.close();
            } catch (IOException e) {
              throw new DecisionLogException("cannot close decision log in " + dir, e);
            }
          }
        };
      } catch (IOException e) {
        throw new DecisionLogException("cannot open decision log in " + dir, e);
      }
    }
  }
}

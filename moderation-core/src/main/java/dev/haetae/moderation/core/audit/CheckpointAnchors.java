package dev.haetae.moderation.core.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haetae.moderation.api.DecisionLogException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@link CheckpointAnchor}s Haetae ships.
 *
 * @since 0.2
 */
public final class CheckpointAnchors {
  private CheckpointAnchors() {}

  /**
   * An anchor in one append-only JSON Lines file, one checkpoint per line (with the log it belongs
   * to, so several logs may share the file), forced to disk before {@link CheckpointAnchor#anchor}
   * returns. Keep the file outside the log directory, on storage whoever can rewrite the log cannot
   * write. A torn last line (a crash while appending) and malformed lines are skipped when reading;
   * an anchored checkpoint is only trusted once its signature verifies, so a line forged into the
   * file shows up as a bad anchor, not as a valid one. Thread-safe within one process.
   *
   * @param file the anchor file; created when missing; its directory must exist; not null
   * @return the anchor; never null
   * @throws NullPointerException when {@code file} is null
   */
  public static CheckpointAnchor file(Path file) {
    return new FileAnchor(Objects.requireNonNull(file, "file"));
  }

  private static final class FileAnchor implements CheckpointAnchor {
    private final Path file;

    FileAnchor(Path file) {
      this.file = file;
    }

    @Override
    public synchronized void anchor(Checkpoint c) {
      Objects.requireNonNull(c, "checkpoint");
      ObjectNode n = Frames.JSON.createObjectNode();
      n.put("log", c.log());
      n.put("seq", c.seq());
      n.put("hash", c.hash());
      n.put("kid", c.kid());
      n.put("alg", "Ed25519");
      n.put("sig", c.signature());
      n.put("at", c.at().toString());
      n.put("every", c.every());
      n.put("interval", c.interval().toString());
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.APPEND)) {
        ByteBuffer b = ByteBuffer.wrap((Frames.JSON.writeValueAsString(n) + "\n").getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
          ch.write(b);
        }
        ch.force(true);
      } catch (IOException e) {
        throw new DecisionLogException("cannot anchor checkpoint " + c.seq() + " in " + file + ": " + e, e);
      }
    }

    @Override
    public synchronized Optional<Checkpoint> latest(String log) {
      Objects.requireNonNull(log, "log");
      if (!Files.exists(file)) {
        return Optional.empty();
      }
      Checkpoint best = null;
      try {
        for (JsonNode n : LogRecovery.readJsonLines(file, false)) {
          Checkpoint c = parse(n);
          if (c != null && c.log().equals(log) && (best == null || c.seq() > best.seq())) {
            best = c;
          }
        }
      } catch (IOException e) {
        throw new DecisionLogException("cannot read the checkpoint anchor " + file + ": " + e, e);
      }
      return Optional.ofNullable(best);
    }

    private static Checkpoint parse(JsonNode n) {
      try {
        return new Checkpoint(n.get("log").asText(), n.get("seq").asLong(), n.get("hash").asText(),
            n.get("kid").asText(), n.get("sig").asText(), Instant.parse(n.get("at").asText()), n.get("every").asInt(),
            Duration.parse(n.get("interval").asText()));
      } catch (RuntimeException e) {
        return null; // malformed: not a checkpoint this anchor can vouch for
      }
    }

    @Override
    public String toString() {
      return "CheckpointAnchors.file(" + file + ")";
    }
  }
}

package dev.haetae.moderation.core.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.DecisionLogException;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.spi.DecisionLog;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordFormatTest {

  @Test
  void framedRecordsAreByteForByteWhatTheDirectoryLogWrites(@TempDir Path dir) throws Exception {
    Fixtures fx = new Fixtures(11);
    List<Evidence> evs = new ArrayList<>();
    List<Decision> des = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      Evidence e = fx.evidence();
      evs.add(e);
      des.add(fx.decision(e));
    }
    Path written = dir.resolve("written");
    try (DecisionLog log = DecisionLogs.directory(written).pseudonymizer(DirectoryDecisionLogTest.P)
        .keepText("report.text").build()) {
      for (int i = 0; i < evs.size(); i++) {
        log.append(evs.get(i), des.get(i));
      }
    }
    RecordFormat format = RecordFormat.of(DirectoryDecisionLogTest.P, Set.of("report.text"));
    ByteArrayOutputStream framed = new ByteArrayOutputStream();
    String prev = RecordFormat.GENESIS;
    for (int i = 0; i < evs.size(); i++) {
      RecordFormat.Frame f = RecordFormat.frame(i, prev, format.payload(evs.get(i), des.get(i)));
      framed.write(f.line());
      framed.write('\n');
      prev = f.hash();
    }
    assertArrayEquals(Files.readAllBytes(written.resolve(RecordFormat.segmentName(0))), framed.toByteArray());
  }

  @Test
  void linesWrittenToASegmentFileVerifyAndReadBackThroughAuditLog(@TempDir Path dir) throws Exception {
    Fixtures fx = new Fixtures(12);
    RecordFormat format = RecordFormat.of(DirectoryDecisionLogTest.P, Set.of());
    ByteArrayOutputStream seg = new ByteArrayOutputStream();
    String prev = RecordFormat.GENESIS;
    List<Decision> decoded = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      Evidence e = fx.evidence();
      Decision d = fx.decision(e);
      RecordFormat.Frame f = RecordFormat.frame(i, prev, format.payload(e, d));
      RecordFormat.Frame checked = RecordFormat.check(f.line());
      assertEquals(i, checked.seq());
      assertEquals(prev, checked.prev());
      assertEquals(f.hash(), checked.hash());
      LoggedRecord r = RecordFormat.decode(checked, "shard:test", i + 1);
      assertEquals(d.id(), r.decision().id());
      assertEquals("shard:test line " + (i + 1) + " (seq " + i + ")", r.location());
      decoded.add(r.decision());
      seg.write(f.line());
      seg.write('\n');
      prev = f.hash();
    }
    Files.write(dir.resolve(RecordFormat.segmentName(0)), seg.toByteArray());
    AuditLog audit = AuditLog.open(dir);
    VerificationReport v = audit.verify();
    assertTrue(v.ok(), v.toString());
    assertEquals(25, v.records());
    List<Decision> read = new ArrayList<>();
    audit.forEach(ProgressListener.NONE, r -> read.add(r.decision()));
    assertEquals(decoded, read); // ids read back as their pseudonyms, the same either way
  }

  @Test
  void aChangedByteIsRefusedByCheck() {
    Fixtures fx = new Fixtures(13);
    Evidence e = fx.evidence();
    byte[] line = RecordFormat.frame(0, RecordFormat.GENESIS,
        RecordFormat.of(DirectoryDecisionLogTest.P, Set.of()).payload(e, fx.decision(e))).line();
    byte[] tampered = Arrays.copyOf(line, line.length);
    tampered[line.length / 2] ^= 1;
    DecisionLogException x = assertThrows(DecisionLogException.class, () -> RecordFormat.check(tampered));
    assertTrue(x.getMessage().contains("hash mismatch") || x.getMessage().contains("malformed"), x.getMessage());
  }

  @Test
  void argumentsAreChecked() {
    assertThrows(IllegalArgumentException.class, () -> RecordFormat.of(DirectoryDecisionLogTest.P, Set.of("nope")));
    assertThrows(IllegalArgumentException.class, () -> RecordFormat.frame(-1, RecordFormat.GENESIS, new byte[0]));
    assertThrows(IllegalArgumentException.class, () -> RecordFormat.frame(0, "ABC", new byte[0]));
    assertThrows(IllegalArgumentException.class, () -> RecordFormat.frame(0, "G".repeat(64), new byte[0]));
  }
}

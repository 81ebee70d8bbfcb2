package dev.haetae.moderation.core.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.DecisionLogException;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.core.simulate.SettableClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an adversarial probe found in the file log, one test each: a log rewritten without the key,
 * its checkpoints emptied or cut, passed {@code verify --trusted-keys}; an appended forged record
 * too; reopening a damaged log truncated signed records and reused their sequence numbers; a
 * recovery on a full disk went unrecorded. The seeded damage property test is {@link
 * LogDamagePropertyTest}.
 */
class LogIntegrityTest {
  private static final Instant T0 = Fixtures.T0;

  static KeyPair keys() throws Exception {
    return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
  }

  /** A log of {@code n} records (times T0 + 60 s each), checkpointed every 10, at most 5 a batch. */
  static DecisionLogs.Builder builder(Path dir, KeyPair kp) {
    return DecisionLogs.directory(dir).pseudonymizer(DirectoryDecisionLogTest.P).signingKey("auditor-key", kp)
        .checkpointEvery(10).maxBatch(5).checkpointInterval(Duration.ZERO);
  }

  static void write(Path dir, KeyPair kp, int n, long seed) {
    try (EngineLog log = builder(dir, kp).build()) {
      DirectoryDecisionLogTest.write(log, new Fixtures(seed), n);
    }
  }

  static Path segment(Path dir) {
    return dir.resolve(Frames.segmentName(0));
  }

  /**
   * What an attacker without the key can do: change record {@code from} with {@code change} and
   * recompute the hash chain from there to the end (one segment).
   */
  static void rewrite(Path dir, long from, UnaryOperator<String> change) throws IOException {
    List<String> lines = Files.readAllLines(segment(dir), StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder();
    String prev = Frames.GENESIS;
    java.security.MessageDigest md = Frames.sha256();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (i < from) {
        out.append(line).append('\n');
        prev = line.substring(line.length() - 66, line.length() - 2);
        continue;
      }
      String head = "{\"seq\":" + i + ",\"prev\":\"" + line.substring(16 + String.valueOf(i).length(),
          16 + String.valueOf(i).length() + 64) + "\",";
      String inner = line.substring(head.length(), line.length() - Frames.SUFFIX_LEN);
      if (i == from) {
        inner = change.apply(inner);
      }
      Frames.Framed f = Frames.frame(i, prev, inner.getBytes(StandardCharsets.UTF_8), md);
      out.append(new String(f.line, StandardCharsets.UTF_8));
      prev = f.hash;
    }
    Files.writeString(segment(dir), out.toString(), StandardCharsets.UTF_8);
  }

  /** Keeps the checkpoint lines whose seq passes {@code keep}. */
  static void keepCheckpoints(Path dir, java.util.function.LongPredicate keep) throws IOException {
    Path f = dir.resolve(Checkpoints.FILE);
    List<String> kept = new ArrayList<>();
    for (String l : Files.readAllLines(f)) {
      if (keep.test(Frames.JSON.readTree(l).get("seq").asLong())) {
        kept.add(l);
      }
    }
    Files.write(f, kept);
  }

  static long firstRecordWith(Path dir, String text) throws IOException {
    List<String> lines = Files.readAllLines(segment(dir));
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(text)) {
        return i;
      }
    }
    throw new AssertionError("no record with " + text);
  }

  private static final UnaryOperator<String> REMOVAL_TO_ALLOW =
      s -> s.replaceFirst("\"action\":\"remove\"", "\"action\":\"allow\"");

  @Test
  void aRewrittenLogWithItsCheckpointsEmptiedFailsTrustedVerification(@TempDir Path dir) throws Exception {
    KeyPair kp = keys();
    write(dir, kp, 60, 1);
    Map<String, PublicKey> trusted = Map.of("auditor-key", kp.getPublic());
    long removal = firstRecordWith(dir, "\"action\":\"remove\"");
    rewrite(dir, removal, REMOVAL_TO_ALLOW);
    Files.write(dir.resolve(Checkpoints.FILE), new byte[0]);
    AuditLog.Verification asOfTheLastRecord = AuditLog.Verification.trusting(trusted).asOf(T0.plusSeconds(60 * 59));
    VerificationReport r = AuditLog.open(dir).verify(asOfTheLastRecord, ProgressListener.NONE);
    VerificationReport.Problem p = r.firstProblem().orElseThrow(() -> new AssertionError(r.toString()));
    assertEquals(VerificationReport.Kind.UNSIGNED_TAIL, p.kind(), p.toString());
    assertEquals(0, p.seq());
    // with no trusted checkpoint left, the default bounds apply: 2024 records, one minute
    assertTrue(p.message().contains("is older than the writer's checkpoint interval of PT1M"), p.message());
    assertEquals(60, r.uncheckpointed());
    // without trusted keys nothing can tell: the note says how much the chain alone vouches for
    VerificationReport own = AuditLog.open(dir).verify();
    assertTrue(own.ok() && own.uncheckpointed() == 60, own.toString());
  }

  @Test
  void aRewrittenLogWithItsLaterCheckpointsCutFailsTrustedVerification(@TempDir Path dir) throws Exception {
    KeyPair kp = keys();
    write(dir, kp, 60, 2);
    long removal = firstRecordWith(dir, "\"action\":\"remove\"");
    rewrite(dir, removal, REMOVAL_TO_ALLOW);
    keepCheckpoints(dir, seq -> seq < removal);
    VerificationReport r = AuditLog.open(dir).verify(AuditLog.Verification.trusting(Map.of("auditor-key",
        kp.getPublic())).asOf(T0.plusSeconds(60 * 59)), ProgressListener.NONE);
    VerificationReport.Problem p = r.firstProblem().orElseThrow(() -> new AssertionError(r.toString()));
    assertEquals(VerificationReport.Kind.UNSIGNED_TAIL, p.kind(), p.toString());
    assertTrue(p.seq() <= removal, p + " (rewritten: " + removal + ")");
  }

  @Test
  void aYoungUnsignedTailIsReportedWithItsCountAndAnOldOneFails(@TempDir Path dir) throws Exception {
    KeyPair kp = keys();
    SettableClock clock = new SettableClock(T0);
    try (EngineLog log = builder(dir, kp).checkpointEvery(1000).checkpointInterval(Duration.ofMinutes(10))
        .clock(clock).build()) {
      DirectoryDecisionLogTest.write(log, new Fixtures(3), 12);
      // a forged record appended behind the writer's back is indistinguishable until checkpointed
    }
    // the writer closed cleanly; cut the final checkpoint as a crash would have left it
    keepCheckpoints(dir, seq -> false);
    Map<String, PublicKey> trusted = Map.of("auditor-key", kp.getPublic());
    AuditLog.Verification young = AuditLog.Verification.trusting(trusted).tailBounds(100, Duration.ofMinutes(10))
        .asOf(T0.plusSeconds(60));
    VerificationReport ok = AuditLog.open(dir).verify(young, ProgressListener.NONE);
    assertTrue(ok.ok(), ok.toString());
    assertEquals(12, ok.uncheckpointed());
    assertTrue(ok.notes().stream().anyMatch(n -> n.startsWith("12 record(s) after the start of the log")),
        ok.notes().toString());
    VerificationReport old = AuditLog.open(dir).verify(young.asOf(T0.plus(Duration.ofMinutes(11))),
        ProgressListener.NONE);
    VerificationReport.Problem p = old.firstProblem().orElseThrow(() -> new AssertionError(old.toString()));
    assertEquals(VerificationReport.Kind.UNSIGNED_TAIL, p.kind());
    assertTrue(p.message().contains("older than the writer's checkpoint interval of PT10M"), p.message());
  }

  @Test
  void theWriterSignsAQuietTailWithinHalfItsIntervalAndSignsItsBoundsIn(@TempDir Path dir) throws Exception {
    KeyPair kp = keys();
    SettableClock clock = new SettableClock(T0);
    try (EngineLog log = builder(dir, kp).checkpointEvery(1000).checkpointInterval(Duration.ofMinutes(10))
        .clock(clock).build()) {
      DirectoryDecisionLog writer = (DirectoryDecisionLog) log;
      DirectoryDecisionLogTest.write(log, new Fixtures(4), 3);
      clock.set(T0.plus(Duration.ofMinutes(4)));
      writer.checkpointIfDue();
      assertEquals(0, Files.readAllLines(dir.resolve(Checkpoints.FILE)).size(), "not yet due");
      clock.set(T0.plus(Duration.ofMinutes(5)));
      writer.checkpointIfDue();
      List<String> cps = Files.readAllLines(dir.resolve(Checkpoints.FILE));
      assertEquals(1, cps.size());
      var cp = Frames.JSON.readTree(cps.get(0));
      assertEquals(2, cp.get("seq").asLong());
      assertEquals(2, cp.get("v").asInt());
      assertEquals(T0.plus(Duration.ofMinutes(5)).toString(), cp.get("at").asText());
      assertEquals(1005, cp.get("every").asInt(), "checkpointEvery plus one batch");
      assertEquals("PT10M", cp.get("interval").asText());
      writer.checkpointIfDue();
      assertEquals(1, Files.readAllLines(dir.resolve(Checkpoints.FILE)).size(), "nothing new to sign");
      // the next batch after a record has waited half the interval is signed at once
      DirectoryDecisionLogTest.write(log, new Fixtures(5), 1);
      clock.set(T0.plus(Duration.ofMinutes(11)));
      DirectoryDecisionLogTest.write(log, new Fixtures(6), 1);
      assertEquals(2, Files.readAllLines(dir.resolve(Checkpoints.FILE)).size());
    }
    VerificationReport r = AuditLog.open(dir).verify(AuditLog.Verification.trusting(Map.of("auditor-key",
        kp.getPublic())).asOf(T0.plus(Duration.ofDays(365))), ProgressListener.NONE);
    assertTrue(r.ok(), r.toString());
    assertEquals(0, r.uncheckpointed());
  }

  @Test
  void anAnchorShowsTruncationRollbackAndRewritingAndTheWriterRefusesSuchALog(@TempDir Path tmp) throws Exception {
    KeyPair kp = keys();
    Path dir = tmp.resolve("log");
    Path anchorFile = Files.createDirectories(tmp.resolve("elsewhere")).resolve("anchor.jsonl");
    CheckpointAnchor anchor = CheckpointAnchors.file(anchorFile);
    try (EngineLog log = builder(dir, kp).checkpointAnchor(anchor).build()) {
      DirectoryDecisionLogTest.write(log, new Fixtures(7), 10);
    }
    Path copy = tmp.resolve("copy");
    copyDir(dir, copy);
    try (EngineLog log = builder(dir, kp).checkpointAnchor(anchor).build()) {
      DirectoryDecisionLogTest.write(log, new Fixtures(8), 20);
    }
    AuditLog.Verification withAnchor = AuditLog.Verification.ownKeys().anchor(anchor);
    assertTrue(AuditLog.open(dir).verify(withAnchor, ProgressListener.NONE).ok());
    // rollback: the older copy put back; it verifies on its own, but not against the anchor
    assertTrue(AuditLog.open(copy).verify().ok());
    VerificationReport rolledBack = AuditLog.open(copy).verify(withAnchor, ProgressListener.NONE);
    assertEquals(VerificationReport.Kind.ANCHOR_BEYOND_END, rolledBack.firstProblem().orElseThrow().kind(),
        rolledBack.toString());
    DamagedLogException refused = assertThrows(DamagedLogException.class,
        () -> builder(copy, kp).checkpointAnchor(anchor).build());
    assertTrue(refused.getMessage().contains("its checkpoint anchor holds a checkpoint of seq 29"),
        refused.getMessage());
    // truncation: the last records and their checkpoints cut off (a log written in one session)
    Path one = tmp.resolve("one");
    CheckpointAnchor anchor2 = CheckpointAnchors.file(tmp.resolve("elsewhere").resolve("anchor2.jsonl"));
    try (EngineLog log = builder(one, kp).checkpointAnchor(anchor2).build()) {
      DirectoryDecisionLogTest.write(log, new Fixtures(9), 30);
    }
    AuditLog.Verification withAnchor2 = AuditLog.Verification.ownKeys().anchor(anchor2);
    Path cut = tmp.resolve("cut");
    copyDir(one, cut);
    List<String> lines = Files.readAllLines(segment(cut));
    Files.write(segment(cut), lines.subList(0, 25));
    keepCheckpoints(cut, seq -> seq < 25);
    assertTrue(AuditLog.open(cut).verify().ok(), "without the anchor a clean cut looks fine");
    assertEquals(VerificationReport.Kind.ANCHOR_BEYOND_END,
        AuditLog.open(cut).verify(withAnchor2, ProgressListener.NONE).firstProblem().orElseThrow().kind());
    // rewriting: the record the anchor holds no longer has its hash
    rewrite(one, 3, s -> s.replaceFirst("\"at\":\"2026", "\"at\":\"2027"));
    keepCheckpoints(one, seq -> seq < 3);
    VerificationReport rewritten = AuditLog.open(one).verify(withAnchor2, ProgressListener.NONE);
    VerificationReport.Problem p = rewritten.firstProblem().orElseThrow(() -> new AssertionError(rewritten));
    assertEquals(VerificationReport.Kind.ANCHOR_MISMATCH, p.kind());
    assertEquals(29, p.seq());
    assertThrows(DamagedLogException.class, () -> builder(one, kp).checkpointAnchor(anchor2).build());
    // a checkpoint forged into the anchor without the key does not verify
    String forged = Files.readAllLines(anchorFile).get(0).replaceFirst("\"seq\":\\d+", "\"seq\":40");
    Files.writeString(anchorFile, forged + "\n", StandardOpenOption.APPEND);
    assertEquals(VerificationReport.Kind.BAD_ANCHOR,
        AuditLog.open(copy).verify(withAnchor, ProgressListener.NONE).firstProblem().orElseThrow().kind());
  }

  static void copyDir(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> s = Files.list(from)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Files.copy(p, to.resolve(p.getFileName()));
      }
    }
  }

  // --- reopening a damaged log ------------------------------------------------------------------

  @Test
  void aFlippedByteInTheLastCheckpointedRecordRefusesToOpenAndChangesNothing(@TempDir Path dir) throws Exception {
    KeyPair kp = keys();
    write(dir, kp, 20, 9); // the final checkpoint covers record 19
    byte[] before = Files.readAllBytes(segment(dir));
    byte[] damaged = before.clone();
    damaged[damaged.length - 100] ^= 1;
    Files.write(segment(dir), damaged);
    DamagedLogException e = assertThrows(DamagedLogException.class, () -> builder(dir, kp).build());
    assertEquals(19, e.seq());
    assertArrayEquals(damaged, Files.readAllBytes(segment(dir)), "nothing truncated");
    assertTrue(!Files.exists(dir.resolve(Checkpoints.RECOVERIES)));
  }

  @Test
  void aDamagedCompleteLastRecordIsNotATornWriteEvenUnsigned(@TempDir Path dir) throws Exception {
    KeyPair kp = keys();
    write(dir, kp, 20, 10);
    keepCheckpoints(dir, seq -> seq < 19); // record 19 is unsigned
    byte[] b = Files.readAllBytes(segment(dir));
    b[b.length - 100] ^= 1;
    Files.write(segment(dir), b);
    DamagedLogException e = assertThrows(DamagedLogException.class, () -> builder(dir, kp).build());
    assertTrue(e.getMessage().contains("in a complete line (not a torn write)"), e.getMessage());
  }

  @Test
  void deletedSegmentsWithTheirCheckpointsKeptRefuseToOpen(@TempDir Path dir) throws Exception {
    KeyPair kp = keys();
    try (EngineLog log = builder(dir, kp).segmentBytes(4096).build()) {
      DirectoryDecisionLogTest.write(log, new Fixtures(11), 60);
    }
    List<Path> segs = LogRecovery.segments(dir);
    assertTrue(segs.size() >= 3, segs.toString());
    Files.delete(segs.get(segs.size() - 1));
    DamagedLogException e = assertThrows(DamagedLogException.class, () -> builder(dir, kp).build());
    assertTrue(e.getMessage().contains("records or segments were removed"), e.getMessage());
    assertEquals(segs.size() - 1, LogRecovery.segments(dir).size(), "nothing deleted or truncated");
  }

  @Test
  void aTornUnsignedTailIsRecordedThenTruncatedAndOnlyThat(@TempDir Path dir) throws Exception {
    KeyPair kp = keys();
    write(dir, kp, 10, 12);
    Path seg = segment(dir);
    byte[] clean = Files.readAllBytes(seg);
    // a zero-filled page and an incomplete line: what a crash during a write leaves
    byte[] torn = new byte[clean.length + 300];
    System.arraycopy(clean, 0, torn, 0, clean.length);
    torn[clean.length + 99] = '\n';
    System.arraycopy("{\"seq\":10,\"prev\":\"".getBytes(StandardCharsets.US_ASCII), 0, torn, clean.length + 100, 18);
    Files.write(seg, torn);
    try (EngineLog log = builder(dir, kp).build()) {
      Evidence e = new Fixtures(13).evidence();
      assertEquals(10, log.append(e, new Fixtures(13).decision(e)));
    }
    VerificationReport r = AuditLog.open(dir).verify();
    assertTrue(r.ok(), r.toString());
    assertEquals(1, r.recoveries().size());
    assertEquals(300, r.recoveries().get(0).droppedBytes());
  }

  @Test
  void aTornTailACheckpointCoversIsRefused(@TempDir Path dir) throws Exception {
    KeyPair kp = keys();
    write(dir, kp, 10, 14);
    byte[] b = Files.readAllBytes(segment(dir));
    Files.write(segment(dir), java.util.Arrays.copyOf(b, b.length - 30)); // cut into signed record 9
    DamagedLogException e = assertThrows(DamagedLogException.class, () -> builder(dir, kp).build());
    assertEquals(9, e.seq());
    assertTrue(e.getMessage().contains("which a signed checkpoint covers"), e.getMessage());
  }

  @Test
  void aRecoveryThatCannotBeRecordedTruncatesNothing(@TempDir Path dir) throws Exception {
    KeyPair kp = keys();
    write(dir, kp, 10, 15);
    Files.write(segment(dir), "{\"seq\":10,\"prev\":\"ab".getBytes(StandardCharsets.US_ASCII),
        StandardOpenOption.APPEND);
    byte[] torn = Files.readAllBytes(segment(dir));
    // recoveries.jsonl cannot be written (as on a full disk): a directory stands in its place
    Files.createDirectory(dir.resolve(Checkpoints.RECOVERIES));
    DecisionLogException e = assertThrows(DecisionLogException.class, () -> builder(dir, kp).build());
    assertTrue(e.getMessage().contains("cannot record the recovery"), e.getMessage());
    assertArrayEquals(torn, Files.readAllBytes(segment(dir)), "nothing truncated without its record");
    Files.delete(dir.resolve(Checkpoints.RECOVERIES));
    try (EngineLog log = builder(dir, kp).build()) {
      assertTrue(log != null);
    }
    assertEquals(1, AuditLog.open(dir).verify().recoveries().size(), "recorded once space is back");
  }

  @Test
  void versionOneCheckpointsStillVerify(@TempDir Path dir) throws Exception {
    KeyPair kp = keys();
    write(dir, kp, 5, 16);
    String last = Files.readAllLines(segment(dir)).get(4);
    String hash = last.substring(last.length() - 66, last.length() - 2);
    // what a writer before version 2 wrote: no time, no bounds
    java.security.Signature sig = java.security.Signature.getInstance("Ed25519");
    sig.initSign(kp.getPrivate());
    sig.update(Checkpoints.message(4, hash));
    Files.writeString(dir.resolve(Checkpoints.FILE), "{\"seq\":4,\"hash\":\"" + hash
        + "\",\"kid\":\"auditor-key\",\"alg\":\"Ed25519\",\"sig\":\""
        + java.util.Base64.getEncoder().encodeToString(sig.sign()) + "\"}\n");
    VerificationReport r = AuditLog.open(dir).verify(AuditLog.Verification.trusting(Map.of("auditor-key",
        kp.getPublic())).asOf(T0), ProgressListener.NONE);
    assertTrue(r.ok() && r.checkpoints() == 1, r.toString());
  }
}

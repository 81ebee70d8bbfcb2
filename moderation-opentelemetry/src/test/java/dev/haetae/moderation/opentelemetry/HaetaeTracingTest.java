package dev.haetae.moderation.opentelemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ContentEvent;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.ContentKind;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.InvalidRequestException;
import dev.haetae.moderation.api.Outcome;
import dev.haetae.moderation.api.PolicyId;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.Surface;
import dev.haetae.moderation.api.observe.Stage;
import dev.haetae.moderation.api.spi.Policy;
import dev.haetae.moderation.core.audit.LogEvent;
import dev.haetae.moderation.core.engine.ModerationEngine;
import dev.haetae.moderation.core.engine.PolicyIsolation;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 17: one span per evaluation, a child per stage, the decision's attributes and nothing personal. */
class HaetaeTracingTest {
  static final byte[] BANKED = "a banked picture".getBytes(StandardCharsets.UTF_8);

  InMemorySpanExporter exporter;
  SdkTracerProvider provider;
  HaetaeTracing tracing;

  @BeforeEach
  void open() {
    exporter = InMemorySpanExporter.create();
    provider = SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
    tracing = HaetaeTracing.create(provider.get(HaetaeTracing.SCOPE), Clock.systemUTC());
  }

  @AfterEach
  void close() {
    provider.close();
  }

  static Policy broken() {
    return new Policy() {
      @Override
      public PolicyId id() {
        return PolicyId.of("broken", "3");
      }

      @Override
      public Outcome evaluate(Evidence evidence) {
        throw new IllegalStateException("boom");
      }
    };
  }

  ModerationEngine engine(Path dir) {
    ModerationEngine engine = ModerationEngine.builder().logDirectory(dir).policyIsolation(PolicyIsolation.INLINE)
        .serviceLoader(false, null).policies(broken()).listener(tracing).build();
    String sha = HexFormat.of().formatHex(sha256(BANKED));
    engine.changeBanks("host", List.of(new LogEvent.BankEntryChange("add", "victims", "sha256", sha, Category.NCII,
        "a victim's submission")));
    return engine;
  }

  static byte[] sha256(byte[] b) {
    try {
      return java.security.MessageDigest.getInstance("SHA-256").digest(b);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  static ContentEvent upload(String content, String account, String room, byte[] bytes) {
    return ContentEvent.upload(ContentId.of(content), AccountId.of(account), RoomId.of(room), Surface.GROUP,
        ContentKind.FILE, bytes);
  }

  static List<SpanData> childrenOf(List<SpanData> spans, SpanData parent) {
    return spans.stream().filter(s -> s.getParentSpanId().equals(parent.getSpanId())).collect(Collectors.toList());
  }

  @Test
  void anEvaluationIsASpanWithOneChildPerStageUnderTheHostsSpan(@TempDir Path dir) {
    Decision d;
    Span request = provider.get("host").spanBuilder("POST /upload").startSpan();
    try (ModerationEngine engine = engine(dir)) {
      Scope scope = request.makeCurrent();
      try {
        d = engine.evaluate(upload("c-7731", "acct-4242", "room-99", BANKED));
      } finally {
        scope.close();
      }
      assertEquals(0, engine.listenerFailures());
    } finally {
      request.end();
    }
    assertTrue(d.has(Action.Remove.class), d.toString());
    List<SpanData> spans = exporter.getFinishedSpanItems();
    List<SpanData> roots = spans.stream().filter(s -> s.getName().equals("haetae.evaluate")).toList();
    assertEquals(1, roots.size(), spans.toString());
    SpanData root = roots.get(0);
    assertEquals(request.getSpanContext().getSpanId(), root.getParentSpanId(), "under the host's request span");
    assertEquals(request.getSpanContext().getTraceId(), root.getTraceId());
    assertEquals("content", root.getAttributes().get(HaetaeTracing.REQUEST));
    assertEquals(d.id().value(), root.getAttributes().get(HaetaeTracing.DECISION_ID));
    assertTrue(root.getAttributes().get(HaetaeTracing.ACTIONS).contains("remove"), root.getAttributes().toString());
    List<String> policies = root.getAttributes().get(HaetaeTracing.POLICIES);
    assertEquals(d.policies().size(), policies.size());
    assertTrue(policies.stream().anyMatch(p -> p.startsWith("broken@3#")), policies.toString());
    List<EventData> events = root.getEvents();
    assertEquals(1, events.size(), events.toString());
    assertEquals("haetae.policy.failed", events.get(0).getName());
    assertEquals("threw", events.get(0).getAttributes().get(HaetaeTracing.FAILURE_KIND));
    assertEquals(false, events.get(0).getAttributes().get(HaetaeTracing.SHADOW));

    List<SpanData> stages = childrenOf(spans, root);
    assertEquals(Stage.values().length, stages.size());
    stages.sort((a, b) -> Long.compare(a.getStartEpochNanos(), b.getStartEpochNanos()));
    long at = root.getStartEpochNanos();
    List<String> names = new ArrayList<>();
    for (SpanData s : stages) {
      assertEquals(at, s.getStartEpochNanos(), s.getName() + " starts where the previous stage ended");
      assertTrue(s.getEndEpochNanos() >= s.getStartEpochNanos());
      at = s.getEndEpochNanos();
      names.add(s.getName());
    }
    assertEquals(root.getEndEpochNanos(), at, "the stages fill the evaluation");
    List<String> expected = new ArrayList<>();
    for (Stage s : Stage.values()) {
      expected.add("haetae.stage." + s.tag());
    }
    // zero-length stages may share a start; compare as sets in that case, in order otherwise
    assertEquals(expected.stream().sorted().toList(), names.stream().sorted().toList());
    SpanData log = stages.stream().filter(s -> s.getName().equals("haetae.stage.log")).findFirst().orElseThrow();
    assertTrue(log.getEndEpochNanos() > log.getStartEpochNanos(), "the durable append takes time");
  }

  @Test
  void aFailedEvaluationIsAnErrorSpanNamingItsStage(@TempDir Path dir) {
    try (ModerationEngine engine = engine(dir)) {
      assertThrows(InvalidRequestException.class, () -> engine.evaluate(null));
    }
    List<SpanData> spans = exporter.getFinishedSpanItems();
    assertEquals(1, spans.size(), spans.toString());
    SpanData s = spans.get(0);
    assertEquals(StatusCode.ERROR, s.getStatus().getStatusCode());
    assertEquals("validate", s.getAttributes().get(HaetaeTracing.STAGE));
    assertEquals("InvalidRequestException", s.getAttributes().get(HaetaeTracing.EXCEPTION_TYPE));
    assertEquals("invalid", s.getAttributes().get(HaetaeTracing.REQUEST));
  }

  /**
   * Seeded: random content, account and room ids and bytes. No span, event or attribute carries any
   * of them, nor the content's hash; every evaluation gives exactly 1 + 8 spans.
   */
  @Test
  void noPersonalDataReachesATrace(@TempDir Path dir) {
    long seed = Long.getLong("haetae.fuzz.seed", 1717L);
    int cases = 60 * Integer.getInteger("haetae.fuzz.scale", 1); // -Plong-fuzz: 3,000
    Random rnd = new Random(seed);
    List<String> secrets = new ArrayList<>();
    try (ModerationEngine engine = engine(dir)) {
      for (int i = 0; i < cases; i++) {
        String content = "c" + Long.toHexString(rnd.nextLong());
        String account = "a" + Long.toHexString(rnd.nextLong());
        String room = "r" + Long.toHexString(rnd.nextLong());
        byte[] bytes = rnd.nextInt(4) == 0 ? BANKED : randomBytes(rnd);
        secrets.add(content);
        secrets.add(account);
        secrets.add(room);
        secrets.add(HexFormat.of().formatHex(sha256(bytes)));
        engine.evaluate(upload(content, account, room, bytes));
      }
      assertEquals(0, engine.listenerFailures(), "seed " + seed);
    }
    List<SpanData> spans = exporter.getFinishedSpanItems();
    assertEquals(cases * (1 + Stage.values().length), spans.size(), "seed " + seed);
    for (SpanData s : spans) {
      List<String> texts = new ArrayList<>();
      texts.add(s.getName());
      s.getAttributes().forEach((k, v) -> texts.add(String.valueOf(v)));
      for (EventData e : s.getEvents()) {
        texts.add(e.getName());
        e.getAttributes().forEach((k, v) -> texts.add(String.valueOf(v)));
      }
      for (String t : texts) {
        for (String secret : secrets) {
          assertFalse(t.contains(secret), "seed " + seed + ": span " + s.getName() + " carries " + secret);
        }
      }
    }
  }

  static byte[] randomBytes(Random rnd) {
    byte[] b = new byte[1 + rnd.nextInt(64)];
    rnd.nextBytes(b);
    return b;
  }

  @Test
  void creationChecksItsArguments() {
    assertThrows(NullPointerException.class, () -> HaetaeTracing.create(null));
    assertThrows(NullPointerException.class, () -> HaetaeTracing.create(provider.get("x"), null));
    assertThrows(NullPointerException.class, () -> HaetaeTracing.create(null, Clock.systemUTC()));
  }
}

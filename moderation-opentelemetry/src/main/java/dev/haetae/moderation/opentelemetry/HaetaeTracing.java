package dev.haetae.moderation.opentelemetry;

import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.PolicyFailure;
import dev.haetae.moderation.api.PolicyId;
import dev.haetae.moderation.api.ShadowOutcome;
import dev.haetae.moderation.api.observe.EngineListener;
import dev.haetae.moderation.api.observe.Evaluation;
import dev.haetae.moderation.api.observe.EvaluationFailure;
import dev.haetae.moderation.api.observe.Stage;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * An {@link EngineListener} that records each evaluation as an OpenTelemetry span, {@code
 * haetae.evaluate}, with one child span per {@link Stage} ({@code haetae.stage.fingerprint}, {@code
 * haetae.stage.log}, ...), and each failed evaluation as a span with an error status.
 *
 * <pre>{@code
 * HaetaeTracing tracing = HaetaeTracing.create(openTelemetry);   // the host's SDK, or GlobalOpenTelemetry.get()
 * ModerationEngine engine = ModerationEngine.builder().listener(tracing).build();
 * }</pre>
 *
 * <p><b>Spans after the fact.</b> The engine tells a listener about an evaluation once it is over
 * (see {@link EngineListener}): the spans are recorded then, with explicit timestamps. The
 * evaluation span ends when the listener is called and starts the evaluation's total time before;
 * the stage spans follow each other from that start, each as long as its stage took. The parent is
 * the span current on the evaluating thread (the host's request span, if it has one), so the
 * engine's spans sit under the host's trace. Because they are created afterwards, no span is
 * current while the engine runs: a host's own spans inside a policy or the action executor are not
 * children of these.
 *
 * <p><b>Attributes, and what is never recorded.</b> {@code haetae.request} (the request type),
 * {@code haetae.decision.id}, {@code haetae.actions} (action kinds, e.g. {@code remove}), {@code
 * haetae.policies} (each policy's {@code name@version#configHash}), and an event {@code
 * haetae.policy.failed} per policy failure (policy, kind, shadow). Content, content hashes,
 * account, room and reporter ids, reasons' texts and notices are never recorded: traces leave the
 * platform's control more easily than its decision log.
 *
 * <p><b>Thread safety.</b> Thread-safe; the engine calls it on its working threads.
 *
 * @since 0.2
 */
public final class HaetaeTracing implements EngineListener {

  /** The instrumentation scope the tracer is named after. */
  public static final String SCOPE = "dev.haetae.moderation";

  /** The request type ({@code content}, {@code report}, {@code notice}, ...). */
  public static final AttributeKey<String> REQUEST = AttributeKey.stringKey("haetae.request");
  /** The decision's id, to find its record in the decision log. */
  public static final AttributeKey<String> DECISION_ID = AttributeKey.stringKey("haetae.decision.id");
  /** The kinds of the decision's actions, in order. */
  public static final AttributeKey<List<String>> ACTIONS = AttributeKey.stringArrayKey("haetae.actions");
  /** The policies that decided, as {@code name@version#configHash}. */
  public static final AttributeKey<List<String>> POLICIES = AttributeKey.stringArrayKey("haetae.policies");
  /** On a failed evaluation's span: the stage that threw. */
  public static final AttributeKey<String> STAGE = AttributeKey.stringKey("haetae.stage");
  /** On a failed evaluation's span: the exception's simple class name. */
  public static final AttributeKey<String> EXCEPTION_TYPE = AttributeKey.stringKey("exception.type");
  /** On a {@code haetae.policy.failed} event: the policy, as {@code name@version#configHash}. */
  public static final AttributeKey<String> POLICY = AttributeKey.stringKey("haetae.policy");
  /** On a {@code haetae.policy.failed} event: the failure's kind ({@code threw}, {@code timed_out}, ...). */
  public static final AttributeKey<String> FAILURE_KIND = AttributeKey.stringKey("haetae.failure.kind");
  /** On a {@code haetae.policy.failed} event: whether the policy runs in shadow mode. */
  public static final AttributeKey<Boolean> SHADOW = AttributeKey.booleanKey("haetae.shadow");

  private static final Stage[] STAGES = Stage.values();
  private static final String[] STAGE_NAMES = new String[STAGES.length];

  static {
    for (Stage s : STAGES) {
      STAGE_NAMES[s.ordinal()] = "haetae.stage." + s.tag();
    }
  }

  private final Tracer tracer;
  private final Clock clock;

  private HaetaeTracing(Tracer tracer, Clock clock) {
    this.tracer = tracer;
    this.clock = clock;
  }

  /**
   * A listener recording through the given OpenTelemetry instance's tracer (scope {@link #SCOPE}),
   * ending spans at the system clock's now.
   *
   * @param openTelemetry the host's instance; not null
   * @return a new listener; never null
   * @throws NullPointerException when {@code openTelemetry} is null
   */
  public static HaetaeTracing create(OpenTelemetry openTelemetry) {
    return create(Objects.requireNonNull(openTelemetry, "openTelemetry").getTracer(SCOPE), Clock.systemUTC());
  }

  /**
   * A listener recording through the given tracer, ending spans at the given clock's now (give the
   * clock the tracer's SDK uses when it is not the system clock).
   *
   * @param tracer the tracer; not null
   * @param clock the clock read when an evaluation is reported; not null
   * @return a new listener; never null
   * @throws NullPointerException when an argument is null
   */
  public static HaetaeTracing create(Tracer tracer, Clock clock) {
    return new HaetaeTracing(Objects.requireNonNull(tracer, "tracer"), Objects.requireNonNull(clock, "clock"));
  }

  @Override
  public void evaluated(Evaluation evaluation) {
    long end = epochNanos(clock.instant());
    long start = end - evaluation.totalNanos();
    Decision d = evaluation.decision();
    List<String> actions = new ArrayList<>(d.actions().size());
    for (Action a : d.actions()) {
      actions.add(a.actionKind().wireName());
    }
    List<String> policies = new ArrayList<>(d.policies().size());
    for (PolicyId p : d.policies()) {
      policies.add(p.toString());
    }
    Span span = tracer.spanBuilder("haetae.evaluate").setSpanKind(SpanKind.INTERNAL)
        .setStartTimestamp(start, TimeUnit.NANOSECONDS)
        .setAttribute(REQUEST, evaluation.requestType())
        .setAttribute(DECISION_ID, d.id().value())
        .setAttribute(ACTIONS, actions)
        .setAttribute(POLICIES, policies)
        .startSpan();
    Context parent = Context.current().with(span);
    long at = start;
    for (Stage s : STAGES) {
      long took = evaluation.nanos(s);
      tracer.spanBuilder(STAGE_NAMES[s.ordinal()]).setParent(parent).setSpanKind(SpanKind.INTERNAL)
          .setStartTimestamp(at, TimeUnit.NANOSECONDS).startSpan().end(at + took, TimeUnit.NANOSECONDS);
      at += took;
    }
    for (PolicyFailure f : d.failures()) {
      span.addEvent("haetae.policy.failed", failure(f, false), end, TimeUnit.NANOSECONDS);
    }
    for (ShadowOutcome s : d.shadow()) {
      if (s.failure().isPresent()) {
        span.addEvent("haetae.policy.failed", failure(s.failure().get(), true), end, TimeUnit.NANOSECONDS);
      }
    }
    span.end(end, TimeUnit.NANOSECONDS);
  }

  @Override
  public void evaluationFailed(EvaluationFailure failure) {
    tracer.spanBuilder("haetae.evaluate").setSpanKind(SpanKind.INTERNAL)
        .setAttribute(REQUEST, failure.requestType())
        .setAttribute(STAGE, failure.stage().tag())
        .setAttribute(EXCEPTION_TYPE, failure.exception())
        .startSpan()
        .setStatus(StatusCode.ERROR, failure.exception() + " in stage " + failure.stage().tag())
        .end();
  }

  private static Attributes failure(PolicyFailure f, boolean shadow) {
    return Attributes.of(POLICY, f.policy().toString(), FAILURE_KIND, f.kind().name().toLowerCase(Locale.ROOT),
        SHADOW, shadow);
  }

  private static long epochNanos(Instant t) {
    return TimeUnit.SECONDS.toNanos(t.getEpochSecond()) + t.getNano();
  }

  @Override
  public String toString() {
    return "HaetaeTracing[" + tracer + "]";
  }
}

package dev.haetae.moderation.core.simulate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.InvalidRequestException;
import dev.haetae.moderation.api.Limits;
import dev.haetae.moderation.api.ModerationRequest;
import dev.haetae.moderation.api.ObligationEvent;
import dev.haetae.moderation.api.Reason;
import dev.haetae.moderation.api.ShadowOutcome;
import dev.haetae.moderation.api.UserReport;
import dev.haetae.moderation.core.audit.LogEvent;
import dev.haetae.moderation.core.engine.ModerationEngine;
import dev.haetae.moderation.core.engine.ModerationEngineBuilder;
import dev.haetae.moderation.core.policy.PolicyConfig;
import dev.haetae.moderation.core.policy.ShadowComparison;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Drives an event stream (JSON Lines: content events, reports, notices, reviews, appeals, account
 * facts, clock ticks and bank changes; see the simulation guide) through a real engine on embedded
 * defaults, and prints one JSON line per decision and per obligation event.
 *
 * <p>The engine's clock is the stream's: each event is evaluated at its {@code at}. An event
 * earlier than the one before it is an error. A malformed line (not JSON, a field of the wrong type
 * or out of range, invalid UTF-8, longer than {@link Limits#maxEventLineBytes()}, a {@code file} that
 * is not a regular file inside the stream's directory or {@link Builder#fileRoot the given root})
 * is reported as an {@link EventStreamException} message naming the line; with
 * {@link OnError#CONTINUE} the run goes on with the next line, with {@link OnError#STOP} it stops
 * there and returns its summary. An image {@code file} that cannot be perceptually hashed is not
 * an error: the engine decides on its exact digests (and sends it to review), and the file is
 * reported as a warning.
 *
 * <p>The stream is untrusted input, so every line given to the output and error sinks is one
 * line of text with control characters escaped (see {@link #printable(String)}): nothing in the
 * stream can move a terminal's cursor, change its colours or forge another line.
 *
 * <p>Not thread-safe: one simulator runs one stream at a time.
 *
 * @since 0.1
 */
public final class Simulator {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * What to do with a malformed line.
   *
   * @since 0.1
   */
  public enum OnError {
    /** Stop the run at the first malformed line (the default). */
    STOP,
    /** Report the line and go on with the next one. */
    CONTINUE
  }

  /**
   * The outcome of a run.
   *
   * @param lines lines read (including blank lines and errors)
   * @param decisions decisions made
   * @param actions how many decisions carried each action, by wire name
   * @param obligationEvents obligation events by type
   * @param errors the malformed lines' messages, in order
   * @param warnings what was processed but is worth a look (an image file that could not be
   *     perceptually hashed), in order
   * @param stoppedEarly whether the run stopped at an error
   * @param policyConfig the hash of the policy configuration the engine ran with
   * @param shadow counts of shadow comparisons by shadow policy and kind (see {@link ShadowComparison})
   * @param shadowReport the shadow comparison report, human-readable; empty without shadow policies
   * @since 0.1
   */
  public record Summary(int lines, int decisions, Map<String, Integer> actions, Map<String, Integer> obligationEvents,
      List<String> errors, List<String> warnings, boolean stoppedEarly, String policyConfig,
      Map<String, Map<String, Integer>> shadow, String shadowReport) {
    /**
     * Copies.
     *
     * @param lines the lines component, as described on the record
     * @param decisions the decisions component, as described on the record
     * @param actions the actions component, as described on the record
     * @param obligationEvents the obligationEvents component, as described on the record
     * @param errors the errors component, as described on the record
     * @param warnings the warnings component, as described on the record
     * @param stoppedEarly the stoppedEarly component, as described on the record
     * @param policyConfig the policyConfig component, as described on the record
     * @param shadow the shadow component, as described on the record
     * @param shadowReport the shadowReport component, as described on the record
     */
    public Summary {
      Objects.requireNonNull(policyConfig, "policyConfig");
      shadow = Map.copyOf(shadow);
      Objects.requireNonNull(shadowReport, "shadowReport");
      actions = Map.copyOf(actions);
      obligationEvents = Map.copyOf(obligationEvents);
      errors = List.copyOf(errors);
      warnings = List.copyOf(warnings);
    }

    /**
     * A human-readable summary.
     *
     * @return several lines of text; never null
     */
    public String describe() {
      return "lines: " + lines + "\ndecisions: " + decisions + "\nactions: " + new TreeMap<>(actions)
          + "\nobligation events: " + new TreeMap<>(obligationEvents) + "\nerrors: " + errors.size()
          + (stoppedEarly ? " (stopped at the first)" : "")
          + (warnings.isEmpty() ? "" : "\nwarnings: " + warnings.size() + " (images matched by exact digests only)")
          + "\npolicy configuration: " + policyConfig + "\n" + shadowReport;
    }
  }

  private final Consumer<ModerationEngineBuilder> configure;
  private final OnError onError;
  private final Consumer<String> out;
  private final Consumer<String> err;
  private final Limits limits;
  private final PolicyConfig policies;
  private final Path fileRoot;

  private Simulator(Builder b) {
    this.fileRoot = b.fileRoot;
    this.policies = b.policies;
    this.configure = b.configure;
    this.onError = b.onError;
    this.out = b.out;
    this.err = b.err;
    this.limits = b.limits;
  }

  /**
   * A builder: output to standard out, errors to standard error, stop at the first error.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Runs a scenario file (UTF-8); {@code file} paths inside it are relative to its directory.
   *
   * @param file the JSON Lines file; not null
   * @return the summary; never null
   * @throws UncheckedIOException when the file (or the file root) cannot be read
   */
  public Summary run(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      Path dir = file.toAbsolutePath().getParent();
      return run(StreamLines.of(in, limits.maxEventLineBytes()), dir == null ? Path.of(".") : dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read scenario " + file, e);
    }
  }

  /**
   * Runs a stream of characters (a line is then limited to {@link Limits#maxEventLineBytes()}
   * characters).
   *
   * @param reader the JSON Lines; not null; not closed
   * @param baseDir the directory {@code file} paths are relative to; not null
   * @return the summary; never null
   * @throws UncheckedIOException when the stream (or the file root) cannot be read
   */
  public Summary run(Reader reader, Path baseDir) {
    Objects.requireNonNull(reader, "reader");
    try {
      return run(StreamLines.of(reader, limits.maxEventLineBytes()), baseDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Summary run(StreamLines input, Path baseDir) throws IOException {
    Objects.requireNonNull(baseDir, "baseDir");
    Consumer<String> out = line -> this.out.accept(printable(line));
    Consumer<String> err = line -> this.err.accept(printable(line));
    Path root = fileRoot == null ? baseDir : fileRoot;
    ConfinedFiles files;
    try {
      files = new ConfinedFiles(baseDir, root, limits.maxContentBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot resolve the directory files are read from: " + root, e);
    }
    EventParser parser = new EventParser(files, limits);
    SettableClock clock = new SettableClock(Instant.EPOCH);
    int[] currentLine = {0};
    Map<String, Integer> obligationCounts = new TreeMap<>();
    ModerationEngineBuilder eb = ModerationEngine.builder();
    eb.policyConfig(policies);
    configure.accept(eb);
    ShadowComparison.Report shadowReport = new ShadowComparison.Report(3);
    eb.clock(clock).limits(limits).obligationListener(e -> {
      obligationCounts.merge(e.type().wireName(), 1, Integer::sum);
      out.accept(obligationLine(currentLine[0], e));
    });
    Map<String, Integer> actions = new TreeMap<>();
    List<String> errors = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    int lines = 0;
    int decisions = 0;
    boolean stopped = false;
    Instant last = null;
    Map<Integer, Decided> decided = decidedLines();
    try (ModerationEngine engine = eb.build()) {
      for (StreamLines.Line read; (read = input.next()) != null; ) {
        lines++;
        currentLine[0] = lines;
        String text = read.text();
        if (text != null && text.isBlank()) {
          continue;
        }
        try {
          if (text == null) {
            throw new EventStreamException(lines, "line", read.problem());
          }
          StreamEvent ev = parser.parse(lines, text);
          if (last != null && ev.at().isBefore(last)) {
            throw new EventStreamException(lines, "at", "is " + ev.at() + ", earlier than the previous event's "
                + last + " (events must be in time order)");
          }
          last = ev.at();
          clock.set(ev.at());
          if (ev instanceof StreamEvent.Confirm) {
            ev = confirmation((StreamEvent.Confirm) ev, decided);
          }
          if (ev instanceof StreamEvent.Tick) {
            engine.tick();
          } else if (ev instanceof StreamEvent.Bank) {
            StreamEvent.Bank b = (StreamEvent.Bank) ev;
            engine.changeBanks("stream line " + lines, List.of(new LogEvent.BankEntryChange(
                b.op().equals("add") ? "add" : "withdraw", b.bank(), b.type().wireName(), b.hash(), b.category(),
                "event stream")));
          } else {
            StreamEvent.Request request = (StreamEvent.Request) ev;
            ModerationRequest req = request.request();
            Decision d = engine.evaluate(req);
            if (request.fileProblem().isPresent()) {
              String w = "line " + lines + ": file " + request.fileProblem().get();
              warnings.add(w);
              err.accept("warning: " + w);
            }
            decisions++;
            decided.put(lines, new Decided(d.id(), d.at()));
            for (Action a : d.actions()) {
              actions.merge(a.name(), 1, Integer::sum);
            }
            out.accept(decisionLine(lines, req, d));
            List<ShadowComparison.Difference> diffs = shadowReport.add(d, "line " + lines);
            for (int i = 0; i < d.shadow().size(); i++) {
              out.accept(shadowLine(lines, req, d, d.shadow().get(i), diffs.get(i)));
            }
          }
        } catch (EventStreamException e) {
          errors.add(e.getMessage());
          err.accept("error: " + e.getMessage());
          if (onError == OnError.STOP) {
            stopped = true;
            break;
          }
        } catch (InvalidRequestException e) {
          String msg = "line " + lines + ": " + e.getMessage();
          errors.add(msg);
          err.accept("error: " + msg);
          if (onError == OnError.STOP) {
            stopped = true;
            break;
          }
        }
      }
    }
    return new Summary(lines, decisions, actions, obligationCounts, errors, warnings, stopped, policies.hash(),
        shadowReport.counts(), shadowReport.describe());
  }

  /**
   * Text made safe to print as one line on a terminal: every control character (C0 but tab, so
   * also line feed and carriage return; DEL; C1), every bidirectional-text control, and the line
   * and paragraph separators become a unicode escape (a backslash, {@code u} and four hex digits). On a JSON
   * line such characters can only be inside strings, where the escape means the same, so the line
   * stays valid JSON with the same content.
   *
   * @param text the text; not null
   * @return the text, escaped where needed; never null
   */
  public static String printable(String text) {
    StringBuilder b = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean unsafe = (c < 0x20 && c != '\t') || (c >= 0x7f && c <= 0x9f) || (c >= 0x202a && c <= 0x202e)
          || (c >= 0x2066 && c <= 0x2069) || c == 0x200e || c == 0x200f || c == 0x061c || c == 0x2028
          || c == 0x2029;
      if (unsafe && b == null) {
        b = new StringBuilder(text.length() + 16).append(text, 0, i);
      }
      if (b != null) {
        if (unsafe) {
          b.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
        } else {
          b.append(c);
        }
      }
    }
    return b == null ? text : b.toString();
  }

  /** How many decided lines a stream's {@code confirmation} events can name by {@code of_line}. */
  static final int REMEMBERED_LINES = 65_536;

  /** A line's decision, for the confirmations that name the line. */
  private record Decided(dev.haetae.moderation.api.DecisionId id, Instant at) {}

  /** The last {@link #REMEMBERED_LINES} decided lines, so a long stream runs in bounded memory. */
  private static Map<Integer, Decided> decidedLines() {
    return new java.util.LinkedHashMap<>(1024, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Integer, Decided> eldest) {
        return size() > REMEMBERED_LINES;
      }
    };
  }

  /**
   * The request a {@code confirmation} event stands for: the decision of the line it names (which
   * must have given one, among the last {@link #REMEMBERED_LINES}) or the id it gives; carried out at
   * that line's time plus the delay, never after the event's own time.
   */
  private static StreamEvent.Request confirmation(StreamEvent.Confirm c, Map<Integer, Decided> decided) {
    dev.haetae.moderation.api.DecisionId id;
    Instant done = c.actionAt().orElse(c.at());
    if (c.ofLine().isPresent()) {
      Decided d = decided.get(c.ofLine().get());
      if (d == null) {
        throw new EventStreamException(c.line(), "of_line", "line " + c.ofLine().get() + " gave no decision"
            + " (or is older than the last " + REMEMBERED_LINES + " decided lines)");
      }
      id = d.id();
      if (c.delay().isPresent()) {
        if (c.delay().get().compareTo(java.time.Duration.between(d.at(), c.at())) > 0) {
          throw new EventStreamException(c.line(), "delay", "puts the action after the event's own 'at' " + c.at() + " (the host confirms what it already did)");
        }
        done = d.at().plus(c.delay().get());
      }
    } else {
      id = dev.haetae.moderation.api.DecisionId.of(c.decision().orElseThrow());
    }
    return new StreamEvent.Request(c.line(), c.at(),
        new dev.haetae.moderation.api.ActionConfirmation(id, c.action(), c.outcome(), done, c.detail(),
            c.recipient()));
  }

  static String decisionLine(int line, ModerationRequest req, Decision d) {
    ObjectNode o = JSON.createObjectNode();
    o.put("line", line);
    o.put("at", d.at().toString());
    o.put("type", req.type());
    subject(o, req);
    o.put("decision", d.id().value());
    o.set("actions", actions(d.actions()));
    ArrayNode reasons = o.putArray("reasons");
    for (Reason r : d.reasons()) {
      reasons.add(r.policy().name() + "/" + r.code() + ": " + r.explanation());
    }
    d.deadline().ifPresent(t -> o.put("deadline", t.toString()));
    if (!d.failures().isEmpty()) {
      ArrayNode f = o.putArray("failures");
      d.failures().forEach(x -> f.add(x.policy().name() + ": " + x.kind() + " " + x.message()));
    }
    o.put("shadow", false);
    return o.toString();
  }

  static String shadowLine(int line, ModerationRequest req, Decision d, ShadowOutcome s,
      ShadowComparison.Difference diff) {
    ObjectNode o = JSON.createObjectNode();
    o.put("line", line);
    o.put("at", d.at().toString());
    o.put("type", req.type());
    subject(o, req);
    o.put("policy", s.policy().toString());
    o.set("actions", actions(s.outcome().actions()));
    ArrayNode reasons = o.putArray("reasons");
    s.outcome().reasons().forEach(r -> reasons.add(r.policy().name() + "/" + r.code() + ": " + r.explanation()));
    s.failure().ifPresent(f -> o.put("failure", f.kind() + " " + f.message()));
    o.put("shadow", true);
    o.put("decision", d.id().value());
    o.put("differs", diff.differs());
    o.put("comparison", diff.kind().name().toLowerCase(java.util.Locale.ROOT));
    ArrayNode added = o.putArray("would_add");
    diff.added().forEach(added::add);
    return o.toString();
  }

  private static void subject(ObjectNode o, ModerationRequest req) {
    if (req.contentId().isPresent()) {
      o.put("content", req.contentId().get().value());
    } else if (req instanceof UserReport) {
      UserReport r = (UserReport) req;
      o.put(r.target().kind(), r.target().id());
    } else if (req instanceof dev.haetae.moderation.api.AccountEvent) {
      o.put("account", ((dev.haetae.moderation.api.AccountEvent) req).account().value());
    } else if (req instanceof dev.haetae.moderation.api.ReviewOutcome) {
      dev.haetae.moderation.api.ReviewOutcome r = (dev.haetae.moderation.api.ReviewOutcome) req;
      o.put(r.target().kind(), r.target().id());
    } else if (req instanceof dev.haetae.moderation.api.ActionConfirmation) {
      dev.haetae.moderation.api.ActionConfirmation c = (dev.haetae.moderation.api.ActionConfirmation) req;
      o.put("confirms", c.decision().value());
      o.put("confirmed_action", c.action().wireName());
      o.put("outcome", c.outcome().wireName());
      o.put("action_at", c.at().toString());
      c.recipient().ifPresent(r -> o.put("recipient", r.name().toLowerCase(java.util.Locale.ROOT)));
    }
  }

  private static ArrayNode actions(List<Action> list) {
    ArrayNode a = JSON.createArrayNode();
    for (Action x : list) {
      if (x instanceof Action.QueueForReview) {
        Action.QueueForReview q = (Action.QueueForReview) x;
        ObjectNode r = a.addObject();
        r.put("action", "review");
        r.put("priority", q.priority().wireName());
        r.put("lane", q.lane());
        if (q.score() != Action.QueueForReview.UNRANKED) {
          r.put("score", q.score());
        }
        if (q.brigadingSuspected()) {
          r.put("brigading", true);
        }
      } else {
        a.add(x.name());
      }
    }
    return a;
  }

  static String obligationLine(int line, ObligationEvent e) {
    ObjectNode o = JSON.createObjectNode();
    o.put("line", line);
    o.put("at", e.at().toString());
    o.put("obligation", e.type().wireName());
    o.put("id", e.obligation().id());
    o.put("instrument", e.obligation().instrument());
    o.put("content", e.obligation().content().value());
    o.put("deadline", e.obligation().deadline().toString());
    if (!e.lateness().isZero()) {
      o.put("lateness", e.lateness().toString());
    }
    return o.toString();
  }

  /**
   * Builder of a {@link Simulator}; not thread-safe.
   *
   * @since 0.1
   */
  public static final class Builder {
    private Consumer<ModerationEngineBuilder> configure = b -> { };
    private OnError onError = OnError.STOP;
    private Consumer<String> out = System.out::println;
    private Consumer<String> err = System.err::println;
    private Limits limits = Limits.defaults();
    private PolicyConfig policies = PolicyConfig.defaults();
    private Path fileRoot;

    private Builder() {}

    /**
     * The directory the stream's {@code file} paths must stay in (default: the stream's own
     * directory). Paths are still relative to the stream's directory; one that leads outside this
     * root (by {@code ..}, or through a symbolic link), or names anything but a regular file, is
     * a malformed line.
     *
     * @param value an existing directory; not null
     * @return this builder
     */
    public Builder fileRoot(Path value) {
      this.fileRoot = Objects.requireNonNull(value, "fileRoot");
      return this;
    }

    /**
     * The policy configuration: built-in policies and their parameters, extra and shadow policies.
     * Applied to the engine builder before {@link #engine}. Default {@link PolicyConfig#defaults()}.
     *
     * @param value the configuration; not null
     * @return this builder
     */
    public Builder policies(PolicyConfig value) {
      this.policies = Objects.requireNonNull(value, "policies");
      return this;
    }

    /**
     * Further engine configuration (policies, shadow policies, log directory, banks...). The
     * simulator sets the clock, limits and obligation listener itself.
     *
     * @param value called with the engine builder before the run; not null
     * @return this builder
     */
    public Builder engine(Consumer<ModerationEngineBuilder> value) {
      this.configure = Objects.requireNonNull(value, "engine");
      return this;
    }

    /**
     * What to do with a malformed line. Default {@link OnError#STOP}.
     *
     * @param value the mode; not null
     * @return this builder
     */
    public Builder onError(OnError value) {
      this.onError = Objects.requireNonNull(value, "onError");
      return this;
    }

    /**
     * Where decision and obligation lines go. Default: standard output.
     *
     * @param value the sink; not null
     * @return this builder
     */
    public Builder output(Consumer<String> value) {
      this.out = Objects.requireNonNull(value, "output");
      return this;
    }

    /**
     * Where error messages go. Default: standard error.
     *
     * @param value the sink; not null
     * @return this builder
     */
    public Builder errors(Consumer<String> value) {
      this.err = Objects.requireNonNull(value, "errors");
      return this;
    }

    /**
     * Input limits for the engine and for files the stream names. Default {@link Limits#defaults()}.
     *
     * @param value the limits; not null
     * @return this builder
     */
    public Builder limits(Limits value) {
      this.limits = Objects.requireNonNull(value, "limits");
      return this;
    }

    /**
     * Builds the simulator.
     *
     * @return the simulator
     */
    public Simulator build() {
      return new Simulator(this);
    }
  }
}

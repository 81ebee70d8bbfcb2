package dev.haetae.moderation.core.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haetae.moderation.api.ActionConfirmation;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.LegalNotice;
import dev.haetae.moderation.api.ModerationRequest;
import dev.haetae.moderation.api.ObligationEvent;
import dev.haetae.moderation.api.Reason;
import dev.haetae.moderation.api.ReviewOutcome;
import dev.haetae.moderation.api.UserReport;
import dev.haetae.moderation.api.spi.ObligationRecord;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the log says about one piece of content, read from the log alone: every decision about it in
 * order (the request and who made it, the actions, the reasons with their legal or contractual
 * grounds, the policy versions and the configuration in force), and each legal obligation it
 * opened with its deadline and when, or whether, it was met, and what the host confirmed it carried
 * out ({@link ActionConfirmation}). It answers an auditor's "why was X
 * removed, under which ground, who reported it, which policy version decided, was the deadline
 * met?" without reading the raw log.
 *
 * <p>Ids are as the log holds them: pseudonyms where the log pseudonymises, so a content is asked
 * for by its pseudonym (the host, which holds the key, can compute it). Immutable and thread-safe.
 *
 * @since 0.2
 */
public final class Explanation {
  private final String content;
  private final List<Step> steps;
  private final Map<String, Trail> obligations;
  private final Confirmations confirmations;
  private final Map<String, MeasureTrail> measures;

  private Explanation(String content, List<Step> steps, Map<String, Trail> obligations,
      Confirmations confirmations, Map<String, MeasureTrail> measures) {
    this.content = content;
    this.steps = List.copyOf(steps);
    this.obligations = obligations;
    this.confirmations = confirmations;
    this.measures = measures;
  }

  /** A temporary measure's history: the decision that took it and the one that ended it, if any. */
  private static final class MeasureTrail {
    Instant start;
    Instant until;
    dev.haetae.moderation.api.Action.EndMeasure.Ending ending;
    Instant endedAt;
    String endedBy;

    String describe() {
      String s = "from " + start + " until " + until + "; ";
      if (ending == null) {
        return s + "open";
      }
      String how = switch (ending) {
        case LIFTED -> "lifted at expiry";
        case RESTORED -> "restored";
        case UPHELD -> "removal upheld";
      };
      return s + how + " at " + endedAt + " (decision " + endedBy + ")";
    }
  }

  /** Records the temporary measures a decision takes or ends. */
  private static void measures(Decision d, Map<String, MeasureTrail> measures) {
    for (dev.haetae.moderation.api.Action a : d.actions()) {
      if (a instanceof dev.haetae.moderation.api.Action.TemporaryMeasure) {
        MeasureTrail m = measures.computeIfAbsent(d.id().value(), k -> new MeasureTrail());
        m.start = d.at();
        m.until = ((dev.haetae.moderation.api.Action.TemporaryMeasure) a).until();
      } else if (a instanceof dev.haetae.moderation.api.Action.EndMeasure) {
        dev.haetae.moderation.api.Action.EndMeasure e = (dev.haetae.moderation.api.Action.EndMeasure) a;
        MeasureTrail m = measures.get(e.measure().value());
        if (m != null && m.ending == null) {
          m.ending = e.ending();
          m.endedAt = d.at();
          m.endedBy = d.id().value();
        }
      }
    }
  }

  /** One logged decision about the content. */
  private record Step(long seq, Instant at, String decision, String request, String who, List<String> actions,
      boolean restricts, List<Reason> reasons, Optional<String> configHash, List<ObligationEvent> events) {}

  /** One obligation's history, from the events of decisions and ticks. */
  private static final class Trail {
    ObligationRecord opened;
    final List<ObligationEvent> events = new ArrayList<>();
    /** The decision whose record carried the obligation's FULFILLED event. */
    String fulfilledBy;
    /** Who waits for the notice, from the request that opened it. */
    Optional<dev.haetae.moderation.api.Action.Recipient> waiting = Optional.empty();

    /** The obligation as opened, or as first seen when its opening is not about this content. */
    ObligationRecord record() {
      return opened != null ? opened : events.get(0).obligation();
    }
  }

  /**
   * Explains the content a logged decision was about (all its decisions, not only this one).
   *
   * @param log the log; not null
   * @param decisionId a decision id as logged; not null
   * @param progress progress callback; not null
   * @return the explanation; never null
   * @throws IllegalArgumentException when the log holds no such decision, or it is about no content
   *     (an account event)
   * @throws dev.haetae.moderation.api.DecisionLogException when a record is damaged
   */
  public static Explanation ofDecision(AuditLog log, String decisionId, ProgressListener progress) {
    Objects.requireNonNull(decisionId, "decisionId");
    String[] content = {null};
    boolean[] found = {false};
    log.forEach(progress, rec -> {
      if (rec.decision().id().value().equals(decisionId)) {
        found[0] = true;
        content[0] = rec.evidence().request().contentId().map(ContentId::value).orElse(null);
      }
    });
    if (!found[0]) {
      throw new IllegalArgumentException("the log holds no decision " + decisionId);
    }
    if (content[0] == null) {
      throw new IllegalArgumentException("decision " + decisionId + " is about no content");
    }
    return ofContent(log, content[0], progress);
  }

  /**
   * Explains one piece of content.
   *
   * @param log the log; not null
   * @param contentId the content id as logged (its pseudonym where the log pseudonymises); not null
   * @param progress progress callback; not null
   * @return the explanation; never null
   * @throws IllegalArgumentException when the log holds no decision about that content
   * @throws dev.haetae.moderation.api.DecisionLogException when a record is damaged
   */
  public static Explanation ofContent(AuditLog log, String contentId, ProgressListener progress) {
    Objects.requireNonNull(contentId, "contentId");
    List<Step> steps = new ArrayList<>();
    Map<String, Trail> trails = new LinkedHashMap<>();
    List<Optional<String>> config = new ArrayList<>(List.of(Optional.empty()));
    Confirmations confirmations = new Confirmations();
    Map<String, MeasureTrail> measures = new LinkedHashMap<>();
    log.forEachEntry(progress, entry -> {
      if (entry instanceof LoggedEvent) {
        LogEvent e = ((LoggedEvent) entry).event();
        if (e instanceof LogEvent.Configuration) {
          config.set(0, ((LogEvent.Configuration) e).configHash());
        } else if (e instanceof LogEvent.Tick) {
          for (ObligationEvent o : ((LogEvent.Tick) e).obligations()) {
            Trail t = trails.get(o.obligation().id());
            if (t != null) {
              t.events.add(o);
            }
          }
        }
        return;
      }
      LoggedRecord rec = (LoggedRecord) entry;
      ModerationRequest request = rec.evidence().request();
      confirmations.collect(rec);
      boolean about = request.contentId().map(c -> c.value().equals(contentId)).orElse(false);
      for (ObligationEvent o : rec.obligationEvents()) {
        if (o.obligation().content().value().equals(contentId)) {
          about = true;
        }
      }
      if (!about) {
        return;
      }
      for (ObligationEvent o : rec.obligationEvents()) {
        Trail t = trails.computeIfAbsent(o.obligation().id(), k -> new Trail());
        if (o.type() == ObligationEvent.Type.OPENED) {
          t.opened = o.obligation();
          t.waiting = Confirmations.waiting(request);
        } else if (o.type() == ObligationEvent.Type.FULFILLED && t.fulfilledBy == null) {
          t.fulfilledBy = rec.decision().id().value();
        }
        t.events.add(o);
      }
      Decision d = rec.decision();
      measures(d, measures);
      steps.add(new Step(rec.seq(), d.at(), d.id().value(), describe(request), who(request),
          d.actions().stream().map(a -> a.actionKind().wireName()).toList(),
          d.actions().stream().anyMatch(a -> Confirmations.restricts(a.actionKind())), d.reasons(), config.get(0),
          rec.obligationEvents()));
    });
    if (steps.isEmpty()) {
      throw new IllegalArgumentException("the log holds no decision about content " + contentId);
    }
    return new Explanation(contentId, steps, trails, confirmations, measures);
  }

  /**
   * The log's stray confirmations ({@link StrayConfirmation}): confirmations of decisions the log
   * does not hold before them, or of actions their decision did not plan. They are logged like every
   * confirmation but carry nothing out, so no obligation counts them.
   *
   * @param log the log; not null
   * @param progress progress callback; not null
   * @return the first 1,000 stray confirmations in log order; never null
   * @throws dev.haetae.moderation.api.DecisionLogException when a record is damaged
   * @since 0.3
   */
  public static List<StrayConfirmation> strayConfirmations(AuditLog log, ProgressListener progress) {
    Confirmations confirmations = new Confirmations();
    log.forEach(progress, confirmations::collect);
    return confirmations.strays();
  }

  /**
   * Stray confirmations as a JSON array: each with {@code seq}, {@code decision} (the id it names),
   * {@code action}, {@code outcome}, {@code at}, {@code problem} ({@code unknown_decision} or
   * {@code action_not_planned}, also for a notice to a recipient the decision did not address), and
   * {@code detail} and {@code recipient} if any.
   *
   * @param strays the stray confirmations; not null
   * @return one JSON array; never null
   * @since 0.3
   */
  public static String strayConfirmationsJson(List<StrayConfirmation> strays) {
    ArrayNode a = Frames.JSON.createArrayNode();
    for (StrayConfirmation x : strays) {
      strayJson(a.addObject(), x);
    }
    try {
      return Frames.JSON.writeValueAsString(a);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void strayJson(ObjectNode n, StrayConfirmation x) {
    ActionConfirmation c = x.confirmation();
    n.put("seq", x.seq()).put("decision", c.decision().value()).put("action", c.action().wireName())
        .put("outcome", c.outcome().wireName()).put("at", c.at().toString()).put("problem", x.problem().wireName());
    c.detail().ifPresent(t -> n.put("detail", t));
    c.recipient().ifPresent(r -> n.put("recipient", r.name().toLowerCase(java.util.Locale.ROOT)));
  }

  private static String describe(ModerationRequest r) {
    if (r instanceof LegalNotice) {
      LegalNotice n = (LegalNotice) r;
      return "notice " + n.noticeId() + " under " + n.instrument();
    }
    if (r instanceof UserReport) {
      return "user report (" + ((UserReport) r).category().wireName() + ")";
    }
    if (r instanceof dev.haetae.moderation.api.MeasureExpiry) {
      return "expiry of the temporary measure of decision "
          + ((dev.haetae.moderation.api.MeasureExpiry) r).measure().value();
    }
    if (r instanceof ReviewOutcome) {
      ReviewOutcome v = (ReviewOutcome) r;
      return "review: " + v.verdict().wireName() + v.category().map(c -> " (" + c.wireName() + ")").orElse("");
    }
    return r.type();
  }

  private static String who(ModerationRequest r) {
    if (r instanceof LegalNotice) {
      return "sender " + ((LegalNotice) r).sender().wireName();
    }
    if (r instanceof UserReport) {
      UserReport u = (UserReport) r;
      return "reporter " + u.reporter().value() + (u.firstParty() ? " (about themselves)" : "");
    }
    if (r instanceof ReviewOutcome) {
      return "a moderator";
    }
    return "the engine";
  }

  /**
   * The content explained, as logged.
   *
   * @return the id; never null
   */
  public String content() {
    return content;
  }

  /**
   * The number of logged decisions about the content.
   *
   * @return at least 1
   */
  public int decisions() {
    return steps.size();
  }

  /**
   * A readable page: the decisions in order, then each temporary measure (start, expiry, how and
   * when it ended) and each obligation.
   *
   * @return the text; never null
   */
  public String toText() {
    StringBuilder sb = new StringBuilder("Content ").append(content).append(": ").append(steps.size())
        .append(" decision(s)\n");
    for (Step s : steps) {
      sb.append('\n').append(s.at).append("  decision ").append(s.decision).append(" (seq ").append(s.seq)
          .append(")\n");
      sb.append("  request:  ").append(s.request).append(", by ").append(s.who).append('\n');
      sb.append("  actions:  ").append(s.actions.isEmpty() ? "none" : String.join(", ", s.actions)).append('\n');
      for (Reason r : s.reasons) {
        sb.append("  why:      ").append(r.explanation()).append('\n');
        sb.append("            policy ").append(r.policy().name()).append('@').append(r.policy().version())
            .append(" (configuration ").append(r.policy().configHash()).append("), code ").append(r.code());
        r.category().ifPresent(c -> sb.append(", category ").append(c.wireName()));
        sb.append('\n');
        r.ground().ifPresent(g -> sb.append("            ground: ")
            .append(isLaw(g) ? "law, " : "terms of service, ").append(g.citation()).append('\n'));
      }
      s.configHash.ifPresent(h -> sb.append("  policies in force: configuration ").append(h).append('\n'));
      for (ActionConfirmation c : confirmations.of(s.decision)) {
        sb.append("  host:     ").append(Confirmations.describe(c)).append('\n');
      }
      if (s.restricts && confirmations.of(s.decision).isEmpty()) {
        sb.append("  host:     no confirmation recorded\n");
      }
      for (StrayConfirmation x : confirmations.strays()) {
        if (x.confirmation().decision().value().equals(s.decision)) {
          sb.append("  stray:    ").append(Confirmations.describe(x.confirmation()))
              .append(" (seq ").append(x.seq()).append("): not among this decision's actions, counts for nothing\n");
        }
      }
      for (ObligationEvent o : s.events) {
        sb.append("  obligation ").append(o.obligation().id()).append(": ").append(o.type().name().toLowerCase(java.util.Locale.ROOT))
            .append('\n');
      }
    }
    if (!measures.isEmpty()) {
      sb.append("\nTemporary measures\n");
      for (Map.Entry<String, MeasureTrail> e : measures.entrySet()) {
        sb.append("  decision ").append(e.getKey()).append(": temporary measure ").append(e.getValue().describe())
            .append('\n');
      }
    }
    if (!obligations.isEmpty()) {
      sb.append("\nObligations\n");
      for (Map.Entry<String, Trail> e : obligations.entrySet()) {
        Trail t = e.getValue();
        ObligationRecord o = t.record();
        sb.append("  ").append(e.getKey()).append(" (").append(o.instrument()).append(", ").append(o.citation())
            .append("): received ").append(o.receivedAt()).append(", deadline ").append(o.deadline()).append(", ")
            .append(outcome(t)).append('\n');
      }
    }
    return sb.toString();
  }

  private static boolean isLaw(dev.haetae.moderation.api.LegalGround g) {
    return g.kind() == dev.haetae.moderation.api.LegalGround.Kind.LAW;
  }

  /**
   * Met only when the host confirmed carrying out the restriction by the deadline; a decision in
   * time without that confirmation is stated as unconfirmed, neither met nor breached.
   */
  private String outcome(Trail t) {
    for (ObligationEvent e : t.events) {
      if (e.type() == ObligationEvent.Type.FULFILLED) {
        Instant deadline = t.record().deadline();
        java.util.List<dev.haetae.moderation.api.Duty> duties = t.record().duties();
        Optional<Instant> done = t.fulfilledBy == null ? Optional.empty()
            : confirmations.carriedOut(t.fulfilledBy, duties, t.waiting);
        if (done.isEmpty()) {
          return "decided at " + e.at() + (e.at().isAfter(deadline) ? " (after the deadline: breached)" : "")
              + ", unconfirmed: " + (t.fulfilledBy != null && confirmations.failed(t.fulfilledBy, duties, t.waiting)
              ? "the host reported the action failed" : "no host confirmation recorded");
        }
        return (done.get().isAfter(deadline) ? "breached: decided at " : "met: decided at ") + e.at()
            + (Confirmations.byNotice(duties) ? ", notice delivered at " : ", carried out at ") + done.get()
            + " (host confirmation)";
      }
      if (e.type() == ObligationEvent.Type.BREACHED) {
        return "breached (deadline passed at " + e.at() + ")";
      }
      if (e.type() == ObligationEvent.Type.CLOSED) {
        return "closed at " + e.at();
      }
    }
    return "open";
  }

  /**
   * The same as JSON: {@code content}, {@code decisions} (each with {@code seq}, {@code at},
   * {@code decision}, {@code request}, {@code by}, {@code actions}, {@code reasons},
   * {@code configuration}, {@code host_confirmations} (each with {@code action}, {@code outcome},
   * {@code at}, and {@code detail} and {@code recipient} if any), {@code stray_confirmations} (confirmations of actions the
   * decision did not plan, each as in {@link #strayConfirmationsJson}), {@code obligation_events}) and {@code obligations} (each
   * with {@code id}, {@code instrument}, {@code citation}, {@code received}, {@code deadline},
   * {@code outcome}: met only when the host confirmed carrying the restriction out by the deadline),
   * and {@code temporary_measures} (each with {@code decision}, {@code start}, {@code until},
   * {@code ending}: {@code open}, {@code lifted}, {@code restored} or {@code upheld}, and when ended
   * {@code ended_at} and {@code ended_by}).
   *
   * @return one JSON object; never null
   */
  public String toJson() {
    ObjectNode root = Frames.JSON.createObjectNode();
    root.put("content", content);
    ArrayNode ds = root.putArray("decisions");
    for (Step s : steps) {
      ObjectNode d = ds.addObject();
      d.put("seq", s.seq);
      d.put("at", s.at.toString());
      d.put("decision", s.decision);
      d.put("request", s.request);
      d.put("by", s.who);
      ArrayNode as = d.putArray("actions");
      s.actions.forEach(as::add);
      ArrayNode rs = d.putArray("reasons");
      for (Reason r : s.reasons) {
        ObjectNode rn = rs.addObject();
        rn.put("policy", r.policy().name() + "@" + r.policy().version());
        rn.put("policy_config", r.policy().configHash());
        rn.put("code", r.code());
        rn.put("explanation", r.explanation());
        r.category().ifPresent(c -> rn.put("category", c.wireName()));
        r.ground().ifPresent(g -> {
          rn.put("ground_kind", isLaw(g) ? "law" : "terms");
          rn.put("ground", g.citation());
        });
      }
      s.configHash.ifPresent(h -> d.put("configuration", h));
      ArrayNode hc = d.putArray("host_confirmations");
      for (ActionConfirmation c : confirmations.of(s.decision)) {
        ObjectNode cn = hc.addObject().put("action", c.action().wireName()).put("outcome", c.outcome().wireName())
            .put("at", c.at().toString());
        c.detail().ifPresent(x -> cn.put("detail", x));
        c.recipient().ifPresent(x -> cn.put("recipient", x.name().toLowerCase(java.util.Locale.ROOT)));
      }
      ArrayNode sc = d.putArray("stray_confirmations");
      for (StrayConfirmation x : confirmations.strays()) {
        if (x.confirmation().decision().value().equals(s.decision)) {
          strayJson(sc.addObject(), x);
        }
      }
      ArrayNode es = d.putArray("obligation_events");
      for (ObligationEvent o : s.events) {
        es.addObject().put("obligation", o.obligation().id()).put("event", o.type().name().toLowerCase(java.util.Locale.ROOT));
      }
    }
    ArrayNode ms = root.putArray("temporary_measures");
    for (Map.Entry<String, MeasureTrail> e : measures.entrySet()) {
      MeasureTrail m = e.getValue();
      ObjectNode mn = ms.addObject().put("decision", e.getKey()).put("start", m.start.toString())
          .put("until", m.until.toString()).put("ending", m.ending == null ? "open" : m.ending.wireName());
      if (m.ending != null) {
        mn.put("ended_at", m.endedAt.toString()).put("ended_by", m.endedBy);
      }
    }
    ArrayNode os = root.putArray("obligations");
    for (Map.Entry<String, Trail> e : obligations.entrySet()) {
      Trail t = e.getValue();
      ObligationRecord o = t.record();
      os.addObject().put("id", e.getKey()).put("instrument", o.instrument()).put("citation", o.citation())
          .put("received", o.receivedAt().toString()).put("deadline", o.deadline().toString())
          .put("outcome", outcome(t));
    }
    try {
      return Frames.JSON.writeValueAsString(root);
    } catch (JsonProcessingException x) {
      throw new UncheckedIOException(x);
    }
  }
}

package dev.haetae.moderation.api.spi;

import dev.haetae.moderation.api.ExternalHit;
import dev.haetae.moderation.api.ExternalProvenance;
import dev.haetae.moderation.api.FailMode;
import dev.haetae.moderation.api.ModerationRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A matcher Haetae cannot compute itself, plugged in by the host: a certified filter (in Korea, a
 * filter tested against the regulator's feature database), TMK+PDQF, a vPDQ matcher, a vendor's
 * matching API. It declares the signal types it matches and its provenance; its hits reach the
 * policies as {@link dev.haetae.moderation.api.Signal.ExternalMatch} evidence (signal type, list,
 * entry, score, category, provenance), and the decision log records them, so that an auditor's
 * replay reproduces the decision without calling the matcher.
 *
 * <p><b>When it is called.</b> On every content event (upload, forward, profile photo change),
 * together with the host's signal providers, under {@link #timeBudget()} on the engine's plugin
 * workers. A matcher that runs off the hot path (a video hasher, a slow vendor API) computes its
 * hits beforehand and answers from what it keeps (see {@code PrecomputedMatches} in the
 * core module).
 *
 * <p><b>Failure.</b> A matcher that throws (any exception or error short of out-of-memory), exceeds
 * its budget, returns null, a null hit, a hit of a signal type it did not declare, or a null or
 * invalid provenance contributes no hits; the failure is logged, recorded in the evidence's versions
 * ({@code matcher:<id>}) and in the decision's failures, and {@link #failMode()} applies (by default
 * {@link FailMode#REVIEW}: a filter the law requires must not fail open unseen). A matcher that keeps
 * timing out is tripped (not called for a cool-down), as signal providers are.
 *
 * <p><b>Thread safety.</b> Implementations must be safe for concurrent calls.
 *
 * <p>{@link #id()}, {@link #signalTypes()}, {@link #timeBudget()} and {@link #failMode()} are read
 * once, when the engine is built, which refuses a matcher whose answers are invalid; {@link
 * #provenance()} is read on every call, since the list it matches against changes.
 *
 * @since 0.2
 */
public interface ExternalMatcher {

  /**
   * A stable id, recorded with every hit and as the key {@code matcher:<id>} of the evidence's
   * versions. Read once.
   *
   * @return the id; never null or blank, at most 256 characters, unique among the engine's matchers
   */
  String id();

  /**
   * The signal types this matcher reports, lower-case tokens such as {@code kcsc_feature}, {@code
   * tmk_pdqf} or {@code vpdq}. A hit of another type is refused as invalid. Read once.
   *
   * @return the types; not null, not empty
   */
  Set<String> signalTypes();

  /**
   * Who made the matcher and which list it matches against now. Read on every call.
   *
   * @return the provenance; never null
   */
  ExternalProvenance provenance();

  /**
   * The hits for one content event.
   *
   * @param request the request (a content event; its bytes, if any, are already fingerprinted, so
   *     the content's fingerprints are on it); never null
   * @param now the instant of evaluation; never null
   * @return the hits, possibly empty; never null
   */
  List<ExternalHit> match(ModerationRequest request, Instant now);

  /**
   * How long one call of {@link #match} (with {@link #provenance()}) may take before the engine
   * gives up on it and decides without its hits.
   *
   * @return the budget; positive, at most one minute; default 500 milliseconds
   */
  default Duration timeBudget() {
    return Duration.ofMillis(500);
  }

  /**
   * What the decision does when this matcher fails: {@link FailMode#REVIEW} (the default) also
   * queues the content for review; {@link FailMode#IGNORE} decides without its hits.
   *
   * @return the fail mode; not null
   */
  default FailMode failMode() {
    return FailMode.REVIEW;
  }
}

package dev.haetae.moderation.core.reputation;

import dev.haetae.moderation.api.ReporterId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A reporter's standing at an instant, for reports to the host and to regulators (for trusted
 * flaggers, DSA Art. 22 asks that their accuracy be tracked): credibility, the decayed counts it
 * comes from, and misuse handling. Immutable and thread-safe.
 *
 * @param reporter the reporter; not null
 * @param credibility the Beta-mean credibility, in [0, 1]
 * @param confirmed reports confirmed by review, decayed to {@code at}; &gt;= 0
 * @param rejected reports rejected by review, decayed to {@code at}; &gt;= 0
 * @param trustedFlagger whether a registered trusted flagger
 * @param warnings misuse warnings given so far
 * @param suspendedUntil when report processing resumes, if suspended at {@code at}; not null
 * @param at the instant; not null
 * @param model the {@link ReputationModel#version() model version} used; not null
 * @since 0.1
 */
public record ReporterStanding(ReporterId reporter, double credibility, double confirmed, double rejected,
    boolean trustedFlagger, int warnings, Optional<Instant> suspendedUntil, Instant at, String model) {

  /**
   * Validates.
   *
   * @param reporter the reporter component, as described on the record
   * @param credibility the credibility component, as described on the record
   * @param confirmed the confirmed component, as described on the record
   * @param rejected the rejected component, as described on the record
   * @param trustedFlagger the trustedFlagger component, as described on the record
   * @param warnings the warnings component, as described on the record
   * @param suspendedUntil the suspendedUntil component, as described on the record
   * @param at the at component, as described on the record
   * @param model the model component, as described on the record
   * @throws NullPointerException when a reference component is null
   */
  public ReporterStanding {
    Objects.requireNonNull(reporter, "reporter");
    Objects.requireNonNull(suspendedUntil, "suspendedUntil");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(model, "model");
  }

  /**
   * The share of reviewed reports that were confirmed (decayed counts), the accuracy figure a
   * trusted-flagger report shows.
   *
   * @return in [0, 1], or empty when nothing was reviewed
   */
  public Optional<Double> accuracy() {
    double n = confirmed + rejected;
    return n > 0 ? Optional.of(confirmed / n) : Optional.empty();
  }
}

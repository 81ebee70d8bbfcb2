package dev.haetae.moderation.core.reputation;

import dev.haetae.moderation.api.Signal;
import java.util.Objects;

/**
 * What {@link ReputationModel#intake} worked out for a new report, before anything is stored: the
 * weighed reports on the target and the typed intake facts. Both go into the evidence; after the
 * decision is logged the engine hands the intake signal to {@link ReputationModel#file}. Immutable
 * and thread-safe.
 *
 * @param reports the weighed reports on the target, this one included; not null
 * @param signal the intake facts; not null
 * @since 0.1
 */
public record ReportIntake(Signal.Reports reports, Signal.ReportIntake signal) {

  /**
   * Validates.
   *
   * @param reports the reports component, as described on the record
   * @param signal the signal component, as described on the record
   * @throws NullPointerException when a component is null
   */
  public ReportIntake {
    Objects.requireNonNull(reports, "reports");
    Objects.requireNonNull(signal, "signal");
  }

  /**
   * Whether the same reporter had already reported the same target (the report counts once).
   *
   * @return the signal's {@code duplicate}
   */
  public boolean duplicate() {
    return signal.duplicate();
  }

  /**
   * Whether the report is weighed: false while the reporter's report processing is suspended.
   *
   * @return false for {@link Signal.ReportIntake.Misuse#SUSPENDED}
   */
  public boolean weighed() {
    return signal.misuse() != Signal.ReportIntake.Misuse.SUSPENDED;
  }
}

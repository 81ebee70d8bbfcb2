package dev.haetae.moderation.core.reputation;

/**
 * Where a reporter stands in misuse handling (DSA Art. 23; Korea's Network Act likewise lets a
 * service refuse notices from an abusive notifier after a warning) when they file a report, and
 * which step, if any, that report's decision takes. Steps are taken on the reporter's next report
 * after the condition is met, so that each step is a logged decision the reporter can be told
 * about and can appeal.
 *
 * @since 0.1
 */
public enum MisuseStep {
  /** Nothing to do: the report is weighed. */
  NONE,
  /**
   * Too many manifestly unfounded reports within the window and no recent warning: the reporter is
   * warned; this report is still weighed.
   */
  WARN,
  /**
   * Too many manifestly unfounded reports again within the warning's validity: report processing
   * is suspended for the configured period from now; this report is recorded, not weighed.
   */
  SUSPEND,
  /** The reporter is suspended: the report is recorded, not weighed. */
  SUSPENDED,
  /** The suspension period is over: processing is restored and this report is weighed. */
  RESTORE;

  /**
   * The step's wire name, as recorded in the report intake signal.
   *
   * @return lower case, e.g. {@code warn}; never null
   */
  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * Parses a wire name.
   *
   * @param wire the name; not null
   * @return the step
   * @throws IllegalArgumentException when unknown
   */
  public static MisuseStep fromWire(String wire) {
    return valueOf(wire.toUpperCase(java.util.Locale.ROOT));
  }

  /**
   * Whether a report taken at this step is weighed.
   *
   * @return false for {@link #SUSPEND} and {@link #SUSPENDED}
   */
  public boolean weighed() {
    return this != SUSPEND && this != SUSPENDED;
  }
}

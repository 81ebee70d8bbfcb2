package dev.haetae.moderation.api.observe;

import java.util.Locale;

/**
 * The stages of one evaluation, in the order the engine runs them.
 *
 * @since 0.2
 */
public enum Stage {
  /** The request is checked against the engine's limits. */
  VALIDATE,
  /** Content bytes are hashed (SHA-256, MD5, PDQ) when the host did not supply fingerprints. */
  FINGERPRINT,
  /** Signals are gathered (bank matches, reports, obligations, host providers) into the evidence. */
  GATHER,
  /** Every policy runs (shadow policies too) and the outcomes are combined into one decision. */
  DECIDE,
  /** The decision's plan (the state changes it implies) is derived. */
  PLAN,
  /** Evidence, decision and plan are appended to the decision log, durably. */
  LOG,
  /** The plan is applied to the stores. */
  APPLY,
  /** The decision is handed to the host's action executor. */
  DELIVER;

  /**
   * The stage's name as a metric tag value: the constant's name in lower case.
   *
   * @return the name; never null
   */
  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}

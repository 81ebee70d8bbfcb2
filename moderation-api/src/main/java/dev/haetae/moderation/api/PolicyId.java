package dev.haetae.moderation.api;

/**
 * Identifies one policy exactly: its name, its code version, and a hash of its configuration. A
 * decision records the id of every policy that took part, so that a replay can find the same
 * policy or say that it cannot. Immutable and thread-safe.
 *
 * @param name the policy's stable name, e.g. {@code "known-ncii"}; not blank
 * @param version the policy code's version; not blank
 * @param configHash a hash of the policy's configuration (e.g. SHA-256 hex of its canonical JSON),
 *     or {@code "-"} when it has none; not blank
 * @since 0.1
 */
public record PolicyId(String name, String version, String configHash) {

  /**
   * Validates.
   *
   * @param name the name component, as described on the record
   * @param version the version component, as described on the record
   * @param configHash the configHash component, as described on the record
   * @throws InvalidRequestException when a component is null or blank
   */
  public PolicyId {
    Ids.check("policy.name", name);
    Ids.check("policy.version", version);
    Ids.check("policy.configHash", configHash);
  }

  /**
   * A policy without configuration.
   *
   * @param name the name; not blank
   * @param version the version; not blank
   * @return the id
   */
  public static PolicyId of(String name, String version) {
    return new PolicyId(name, version, "-");
  }

  /** Returns {@code name@version#configHash}. */
  @Override
  public String toString() {
    return name + "@" + version + "#" + configHash;
  }
}

package dev.haetae.moderation.api;

/**
 * A legal jurisdiction by code: an ISO 3166-1 alpha-2 country code ({@code KR}, {@code US},
 * {@code AU}, {@code IN}, {@code UK}) or {@code EU} for European Union law. Immutable and
 * thread-safe.
 *
 * @param code two upper-case ASCII letters; not null
 * @since 0.1
 */
public record Jurisdiction(String code) {

  /**
   * Validates.
   *
   * @param code the code component, as described on the record
   * @throws InvalidRequestException when {@code code} is not two upper-case ASCII letters
   */
  public Jurisdiction {
    if (code == null || code.length() != 2
        || code.charAt(0) < 'A' || code.charAt(0) > 'Z'
        || code.charAt(1) < 'A' || code.charAt(1) > 'Z') {
      throw new InvalidRequestException("jurisdiction", "must be two upper-case letters, got '" + code + "'");
    }
  }

  /**
   * Creates a jurisdiction.
   *
   * @param code two upper-case letters, e.g. {@code "KR"}
   * @return the jurisdiction
   * @throws InvalidRequestException when the code is malformed
   */
  public static Jurisdiction of(String code) {
    return new Jurisdiction(code);
  }

  /** Returns the code. */
  @Override
  public String toString() {
    return code;
  }
}

package dev.haetae.moderation.api;

import java.util.Objects;

/**
 * Why a restrictive action is allowed: a provision of law, or a clause of the platform's terms of
 * service. Every restrictive action in a decision names one, so that the statement of reasons sent
 * to the user, and the export to a regulator, can cite it. Immutable and thread-safe.
 *
 * @param kind law or terms of service; not null
 * @param citation the provision, e.g. {@code "TAKE IT DOWN Act, sec. 3(a)"} or {@code "ToS 4.2
 *     (intimate imagery)"}; not null, not blank
 * @param explanation one sentence on why it applies; not null
 * @since 0.1
 */
public record LegalGround(Kind kind, String citation, String explanation) {

  /**
   * The two kinds of ground the DSA distinguishes.
   *
   * @since 0.1
   */
  public enum Kind {
    /** Illegal content under a provision of law. */
    LAW,
    /** Content incompatible with the platform's terms of service. */
    TERMS_OF_SERVICE
  }

  /**
   * Validates.
   *
   * @param kind the kind component, as described on the record
   * @param citation the citation component, as described on the record
   * @param explanation the explanation component, as described on the record
   * @throws InvalidRequestException when a component is null or the citation blank
   */
  public LegalGround {
    InvalidRequestException.requireNonNull("ground.kind", kind);
    Ids.check("ground.citation", citation);
    Objects.requireNonNull(explanation, "explanation");
  }

  /**
   * A ground in law.
   *
   * @param citation the provision; not blank
   * @param explanation why it applies; not null
   * @return the ground
   */
  public static LegalGround law(String citation, String explanation) {
    return new LegalGround(Kind.LAW, citation, explanation);
  }

  /**
   * A ground in the terms of service.
   *
   * @param clause the clause; not blank
   * @param explanation why it applies; not null
   * @return the ground
   */
  public static LegalGround terms(String clause, String explanation) {
    return new LegalGround(Kind.TERMS_OF_SERVICE, clause, explanation);
  }
}

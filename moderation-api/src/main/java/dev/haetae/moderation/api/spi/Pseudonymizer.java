package dev.haetae.moderation.api.spi;

/**
 * Turns the host's identifiers of people, rooms and content into keyed pseudonyms before anything
 * is written to the decision log, so that the log holds no raw identifiers. The default is
 * HMAC-SHA-256 with a secret key and a key id (so keys can rotate: every pseudonym records the key
 * id it was made with).
 *
 * <p><b>Contract.</b> Deterministic for a given key: the same kind and raw id always give the same
 * pseudonym (so an auditor can still see that two decisions concern the same account), and
 * without the key a pseudonym cannot be linked back to its id.
 *
 * <p><b>Thread safety.</b> Implementations must be safe for concurrent calls.
 *
 * @since 0.1
 */
public interface Pseudonymizer {

  /**
   * The id of the key in use, stored next to every pseudonym.
   *
   * @return the key id; never null
   */
  String keyId();

  /**
   * The pseudonym of one identifier.
   *
   * @param kind what the id names ({@code account}, {@code reporter}, {@code room},
   *     {@code content}, ...); keeps equal raw ids of different kinds apart; never null
   * @param rawId the host's id; never null
   * @return the pseudonym, URL-safe and without the key id; never null
   */
  String pseudonymize(String kind, String rawId);
}

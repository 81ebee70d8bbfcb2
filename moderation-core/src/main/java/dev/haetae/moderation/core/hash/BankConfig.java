package dev.haetae.moderation.core.hash;

import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.InvalidRequestException;
import dev.haetae.moderation.api.MatchType;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The configuration of one hash bank. Immutable and thread-safe; build with
 * {@link #builder(String, Category)}.
 *
 * @param id the bank's id: 1..64 characters of {@code [a-z0-9._-]}, e.g. {@code "stopncii"}
 * @param source where the entries come from, for people (a URL, a file name, "platform"); not null
 * @param category the harm the entries concern; not null
 * @param types the signal types the bank holds and matches; not null, not empty
 * @param pdqDistance the largest PDQ Hamming distance that matches, 0..128; default 31
 * @param minPdqQuality queries whose known PDQ quality is below this do not match this bank by PDQ
 *     (unknown quality always may), 0..100; default 0
 * @param enabled whether the bank matches at all; default true
 * @param disabledUntil the bank does not match before this instant, if set; not null
 * @param matchRatio the share of (entry, content) pairs matched during a staged rollout, 0..1;
 *     below 1 the chosen matches are review-only; the choice is a deterministic function of the
 *     entry and the content's fingerprint, never random; default 1
 * @param negativeBanks ids of allow-list banks whose entries suppress this bank's matches; not null
 * @param allowList true when this bank is an allow list: it never produces matches of its own and
 *     serves as another bank's negative bank; default false
 * @param flood the flood-quarantine policy; not null; default {@link FloodPolicy#defaults()}
 * @param pdqVariantDistance the largest PDQ distance at which a query variant of the content
 *     ({@link dev.haetae.moderation.api.Pdq#queryVariants()}: its turns, trimmed, softer, captionless
 *     forms) matches, 0..{@code pdqDistance}; or {@link #VARIANTS_AT_PDQ_DISTANCE} (-1, the default)
 *     for {@code pdqDistance} itself. The content's own hash always matches at {@code pdqDistance}.
 *     A smaller value makes the variants' search cheaper (see {@link #effectivePdqVariantDistance()})
 *     and lowers the chance that one of an image's twenty hashes meets an unrelated entry, at the
 *     cost of re-shares whose best variant lies farther; the banks guide gives the measurements.
 * @since 0.1
 */
public record BankConfig(String id, String source, Category category, Set<MatchType> types, int pdqDistance,
    int minPdqQuality, boolean enabled, Optional<Instant> disabledUntil, double matchRatio, List<String> negativeBanks,
    boolean allowList, FloodPolicy flood, int pdqVariantDistance) {

  private static final Pattern ID = Pattern.compile("[a-z0-9._-]{1,64}");

  /** The default PDQ distance, the threshold Meta recommends for PDQ. */
  public static final int DEFAULT_PDQ_DISTANCE = 31;

  /**
   * The {@code pdqVariantDistance} meaning "the bank's {@code pdqDistance}": query variants match
   * exactly as the content's own hash does (the default, and the behaviour before 0.5).
   *
   * @since 0.5
   */
  public static final int VARIANTS_AT_PDQ_DISTANCE = -1;

  /**
   * Validates and copies.
   *
   * @param id the id component, as described on the record
   * @param source the source component, as described on the record
   * @param category the category component, as described on the record
   * @param types the types component, as described on the record
   * @param pdqDistance the pdqDistance component, as described on the record
   * @param minPdqQuality the minPdqQuality component, as described on the record
   * @param enabled the enabled component, as described on the record
   * @param disabledUntil the disabledUntil component, as described on the record
   * @param matchRatio the matchRatio component, as described on the record
   * @param negativeBanks the negativeBanks component, as described on the record
   * @param allowList the allowList component, as described on the record
   * @param flood the flood component, as described on the record
   * @param pdqVariantDistance the pdqVariantDistance component, as described on the record
   * @throws InvalidRequestException naming the first invalid component
   */
  public BankConfig {
    checkId("bank.id", id);
    InvalidRequestException.requireNonNull("bank.source", source);
    InvalidRequestException.requireNonNull("bank.category", category);
    InvalidRequestException.requireNonNull("bank.types", types);
    if (types.isEmpty()) {
      throw new InvalidRequestException("bank.types", "must not be empty");
    }
    // an ordered set: the configuration's text (part of the bank's version digest) must not depend
    // on the per-process iteration order of Set.copyOf
    types = java.util.Collections.unmodifiableSet(EnumSet.copyOf(types));
    if (pdqDistance < 0 || pdqDistance > 128) {
      throw new InvalidRequestException("bank.pdqDistance", "must be 0..128, got " + pdqDistance);
    }
    if (minPdqQuality < 0 || minPdqQuality > 100) {
      throw new InvalidRequestException("bank.minPdqQuality", "must be 0..100, got " + minPdqQuality);
    }
    InvalidRequestException.requireNonNull("bank.disabledUntil", disabledUntil);
    if (!(matchRatio >= 0 && matchRatio <= 1)) {
      throw new InvalidRequestException("bank.matchRatio", "must be 0..1, got " + matchRatio);
    }
    InvalidRequestException.requireNonNull("bank.negativeBanks", negativeBanks);
    negativeBanks = List.copyOf(negativeBanks);
    for (String n : negativeBanks) {
      checkId("bank.negativeBanks", n);
      if (n.equals(id)) {
        throw new InvalidRequestException("bank.negativeBanks", "must not name the bank itself");
      }
    }
    InvalidRequestException.requireNonNull("bank.flood", flood);
    if (pdqVariantDistance != VARIANTS_AT_PDQ_DISTANCE && (pdqVariantDistance < 0 || pdqVariantDistance > pdqDistance)) {
      throw new InvalidRequestException("bank.pdqVariantDistance", "must be -1 (the PDQ distance) or 0.."
          + pdqDistance + " (at most the PDQ distance), got " + pdqVariantDistance);
    }
  }

  /**
   * The configuration as it was before {@code pdqVariantDistance} existed: the query variants match
   * at {@code pdqDistance}.
   *
   * @param id the id component, as described on the record
   * @param source the source component, as described on the record
   * @param category the category component, as described on the record
   * @param types the types component, as described on the record
   * @param pdqDistance the pdqDistance component, as described on the record
   * @param minPdqQuality the minPdqQuality component, as described on the record
   * @param enabled the enabled component, as described on the record
   * @param disabledUntil the disabledUntil component, as described on the record
   * @param matchRatio the matchRatio component, as described on the record
   * @param negativeBanks the negativeBanks component, as described on the record
   * @param allowList the allowList component, as described on the record
   * @param flood the flood component, as described on the record
   * @throws InvalidRequestException naming the first invalid component
   */
  public BankConfig(String id, String source, Category category, Set<MatchType> types, int pdqDistance,
      int minPdqQuality, boolean enabled, Optional<Instant> disabledUntil, double matchRatio, List<String> negativeBanks,
      boolean allowList, FloodPolicy flood) {
    this(id, source, category, types, pdqDistance, minPdqQuality, enabled, disabledUntil, matchRatio, negativeBanks,
        allowList, flood, VARIANTS_AT_PDQ_DISTANCE);
  }

  /**
   * The distance at which the query variants match: {@code pdqVariantDistance}, or
   * {@code pdqDistance} when it is {@link #VARIANTS_AT_PDQ_DISTANCE}.
   *
   * <p>What it costs: the PDQ index splits a hash into eleven parts and probes, in each part, every
   * key within {@code distance / 11} bits (one bit less in some parts), so the work falls in steps:
   * at 1M entries, distance 31 probes about 2,560 buckets, 24 about 950, 22 about 480, 21 and below
   * about 250, 10 and below eleven. A value between two steps costs as much as the step above.
   *
   * @return 0..{@code pdqDistance}
   * @since 0.5
   */
  public int effectivePdqVariantDistance() {
    return pdqVariantDistance == VARIANTS_AT_PDQ_DISTANCE ? pdqDistance : pdqVariantDistance;
  }

  /**
   * The text the bank's version digest is taken from: {@link #toString()}, without the variant
   * distance while it is unset, so that a bank configured as before 0.5 keeps the digest it had
   * (processes of two releases serving one bank report the same version).
   */
  String digestText() {
    String s = toString();
    String unset = ", pdqVariantDistance=" + VARIANTS_AT_PDQ_DISTANCE + "]";
    return pdqVariantDistance == VARIANTS_AT_PDQ_DISTANCE && s.endsWith(unset)
        ? s.substring(0, s.length() - unset.length()) + "]" : s;
  }

  static String checkId(String field, String id) {
    InvalidRequestException.requireNonNull(field, id);
    if (!ID.matcher(id).matches()) {
      throw new InvalidRequestException(field, "must be 1..64 characters of [a-z0-9._-], got '" + id + "'");
    }
    return id;
  }

  /**
   * Whether the bank matches at {@code now}.
   *
   * @param now the current instant; not null
   * @return true when enabled and not disabled until a later instant
   */
  public boolean activeAt(Instant now) {
    return enabled && (disabledUntil.isEmpty() || !now.isBefore(disabledUntil.get()));
  }

  /**
   * A builder with the defaults: every signal type, distance 31 (for the query variants too),
   * enabled, ratio 1, no negative banks, default flood policy, source {@code "local"}.
   *
   * @param id the bank id; validated by {@link Builder#build()}
   * @param category the category; not null
   * @return a new builder
   */
  public static Builder builder(String id, Category category) {
    return new Builder(id, category);
  }

  /**
   * A builder starting from this configuration.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    Builder b = new Builder(id, category);
    b.source = source;
    b.types = EnumSet.copyOf(types);
    b.pdqDistance = pdqDistance;
    b.minPdqQuality = minPdqQuality;
    b.enabled = enabled;
    b.disabledUntil = disabledUntil;
    b.matchRatio = matchRatio;
    b.negativeBanks = negativeBanks;
    b.allowList = allowList;
    b.flood = flood;
    b.pdqVariantDistance = pdqVariantDistance;
    return b;
  }

  /** Builds a {@link BankConfig}; not thread-safe. */
  public static final class Builder {
    private final String id;
    private Category category;
    private String source = "local";
    private Set<MatchType> types = EnumSet.allOf(MatchType.class);
    private int pdqDistance = DEFAULT_PDQ_DISTANCE;
    private int minPdqQuality;
    private boolean enabled = true;
    private Optional<Instant> disabledUntil = Optional.empty();
    private double matchRatio = 1;
    private List<String> negativeBanks = List.of();
    private boolean allowList;
    private FloodPolicy flood = FloodPolicy.defaults();
    private int pdqVariantDistance = VARIANTS_AT_PDQ_DISTANCE;

    private Builder(String id, Category category) {
      this.id = id;
      this.category = category;
    }

    /**
     * Sets the category.
     *
     * @param value not null
     * @return this builder
     */
    public Builder category(Category value) {
      category = value;
      return this;
    }

    /**
     * Sets the source description.
     *
     * @param value not null
     * @return this builder
     */
    public Builder source(String value) {
      source = value;
      return this;
    }

    /**
     * Sets the signal types.
     *
     * @param first a type; not null
     * @param more more types; not null
     * @return this builder
     */
    public Builder types(MatchType first, MatchType... more) {
      types = EnumSet.of(first, more);
      return this;
    }

    /**
     * Sets the PDQ distance.
     *
     * @param value 0..128
     * @return this builder
     */
    public Builder pdqDistance(int value) {
      pdqDistance = value;
      return this;
    }

    /**
     * Sets the distance at which the content's query variants match (its own hash matches at the
     * PDQ distance); see {@link BankConfig#effectivePdqVariantDistance()} for what it costs.
     *
     * @param value 0..the PDQ distance, or {@link BankConfig#VARIANTS_AT_PDQ_DISTANCE} for the PDQ
     *     distance (the default)
     * @return this builder
     * @since 0.5
     */
    public Builder pdqVariantDistance(int value) {
      pdqVariantDistance = value;
      return this;
    }

    /**
     * Sets the minimum PDQ quality of a query.
     *
     * @param value 0..100
     * @return this builder
     */
    public Builder minPdqQuality(int value) {
      minPdqQuality = value;
      return this;
    }

    /**
     * Enables or disables the bank.
     *
     * @param value whether it matches
     * @return this builder
     */
    public Builder enabled(boolean value) {
      enabled = value;
      return this;
    }

    /**
     * Disables the bank until an instant.
     *
     * @param value the instant, or null for none
     * @return this builder
     */
    public Builder disabledUntil(Instant value) {
      disabledUntil = Optional.ofNullable(value);
      return this;
    }

    /**
     * Sets the staged-rollout ratio.
     *
     * @param value 0..1
     * @return this builder
     */
    public Builder matchRatio(double value) {
      matchRatio = value;
      return this;
    }

    /**
     * Sets the negative (allow-list) banks.
     *
     * @param ids bank ids; not null
     * @return this builder
     */
    public Builder negativeBanks(String... ids) {
      negativeBanks = List.of(ids);
      return this;
    }

    /**
     * Makes the bank an allow list.
     *
     * @param value whether it is one
     * @return this builder
     */
    public Builder allowList(boolean value) {
      allowList = value;
      return this;
    }

    /**
     * Sets the flood policy.
     *
     * @param value not null
     * @return this builder
     */
    public Builder flood(FloodPolicy value) {
      flood = value;
      return this;
    }

    /**
     * Builds the configuration.
     *
     * @return the configuration
     * @throws InvalidRequestException naming the first invalid setting
     */
    public BankConfig build() {
      return new BankConfig(id, source, category, types, pdqDistance, minPdqQuality, enabled, disabledUntil,
          matchRatio, negativeBanks, allowList, flood, pdqVariantDistance);
    }
  }
}

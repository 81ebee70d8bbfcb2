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
 * @since 0.1
 */
public record BankConfig(String id, String source, Category category, Set<MatchType> types, int pdqDistance,
    int minPdqQuality, boolean enabled, Optional<Instant> disabledUntil, double matchRatio, List<String> negativeBanks,
    boolean allowList, FloodPolicy flood) {

  private static final Pattern ID = Pattern.compile("[a-z0-9._-]{1,64}");

  /** The default PDQ distance, the threshold Meta recommends for PDQ. */
  public static final int DEFAULT_PDQ_DISTANCE = 31;

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
   * A builder with the defaults: every signal type, distance 31, enabled, ratio 1, no negative
   * banks, default flood policy, source {@code "local"}.
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
          matchRatio, negativeBanks, allowList, flood);
    }
  }
}

package dev.haetae.moderation.core.audit;

import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.DecisionId;
import dev.haetae.moderation.api.ObligationEvent;
import dev.haetae.moderation.api.PolicyId;
import dev.haetae.moderation.api.spi.EvidenceHold;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A record of the decision log that is not a decision: something the engine changed or learnt
 * that a decision did not carry — the legal clock's escalations and breaches, the configuration
 * the engine decided under, a change of the hash banks, a delivery to the action executor that
 * failed or was repeated, a recovery. Together with the decision records they make the log the
 * whole account of what changed and when, so that the audit tools need nothing else. Immutable and
 * thread-safe.
 *
 * @since 0.2
 */
public sealed interface LogEvent {

  /**
   * The type of an event, one constant per record type.
   *
   * @since 0.2
   */
  enum Kind {
    /** {@link Tick}. */
    TICK,
    /** {@link Configuration}. */
    CONFIGURATION,
    /** {@link BankChange}. */
    BANK_CHANGE,
    /** {@link Delivery}. */
    DELIVERY,
    /** {@link Recovery}. */
    RECOVERY;

    /**
     * The wire name, e.g. {@code bank_change}.
     *
     * @return the lower-case name; never null
     */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * The event's type.
   *
   * @return the kind; never null
   */
  Kind kind();

  /**
   * When it happened, by the engine's clock.
   *
   * @return the instant; never null
   */
  Instant at();

  /**
   * The legal clock advanced: the escalations and breaches that became due, and the evidence holds
   * that ended.
   *
   * @param at the tick's instant; not null
   * @param obligations the escalation and breach events, in order; not null
   * @param expiredHolds the holds that ended; not null
   */
  record Tick(Instant at, List<ObligationEvent> obligations, List<EvidenceHold> expiredHolds) implements LogEvent {
    /**
     * Validates and copies.
     *
     * @param at the at component, as described on the record
     * @param obligations the obligations component, as described on the record
     * @param expiredHolds the expiredHolds component, as described on the record
     * @throws NullPointerException when a component or element is null
     */
    public Tick {
      Objects.requireNonNull(at, "at");
      obligations = List.copyOf(obligations);
      expiredHolds = List.copyOf(expiredHolds);
    }

    @Override
    public Kind kind() {
      return Kind.TICK;
    }
  }

  /**
   * The role of one policy in the engine's configuration.
   *
   * @param id the policy's id; not null
   * @param role {@code enforcing} or {@code shadow}; not null
   * @param source where it came from: {@code builtin}, {@code config} (an extra class named in the
   *     policy configuration), {@code host} (passed to the builder) or {@code service-loader}; not null
   * @param implementation the class that implements it; not null
   */
  record PolicyRole(PolicyId id, String role, String source, String implementation) {
    /**
     * Validates.
     *
     * @param id the id component, as described on the record
     * @param role the role component, as described on the record
     * @param source the source component, as described on the record
     * @param implementation the implementation component, as described on the record
     * @throws NullPointerException when a component is null
     */
    public PolicyRole {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(role, "role");
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(implementation, "implementation");
    }
  }

  /**
   * The configuration the engine decides under from this record on: written when an engine starts
   * (and whenever its configuration changes), so that replay can rebuild the exact policies without
   * the configuration file.
   *
   * @param at when it took effect; not null
   * @param policyConfig the effective policy configuration, canonical JSON (defaults included), if
   *     the engine was configured from one; not null
   * @param configHash the SHA-256 of {@code policyConfig}, if present; not null
   * @param policies every policy with its role, in evaluation order; not null
   * @param settings the engine's other settings that shape plans (strike periods, windows), by name;
   *     not null
   */
  record Configuration(Instant at, Optional<String> policyConfig, Optional<String> configHash,
      List<PolicyRole> policies, Map<String, String> settings) implements LogEvent {
    /**
     * Validates and copies.
     *
     * @param at the at component, as described on the record
     * @param policyConfig the policyConfig component, as described on the record
     * @param configHash the configHash component, as described on the record
     * @param policies the policies component, as described on the record
     * @param settings the settings component, as described on the record
     * @throws NullPointerException when a component or element is null
     */
    public Configuration {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(policyConfig, "policyConfig");
      Objects.requireNonNull(configHash, "configHash");
      policies = List.copyOf(policies);
      settings = Map.copyOf(settings);
    }

    @Override
    public Kind kind() {
      return Kind.CONFIGURATION;
    }
  }

  /**
   * One entry added to or taken out of a hash bank.
   *
   * @param op {@code add}, {@code change} (re-activated, or a new case id), {@code withdraw} or
   *     {@code delete}; not null
   * @param bank the bank's id; not null
   * @param type the hash's signal type: a {@link dev.haetae.moderation.api.MatchType} wire name
   *     ({@code pdq}, {@code md5}, {@code sha256}), or a type Haetae keeps but does not match (e.g.
   *     {@code photodna}); not null
   * @param hash the hash, hex; not null
   * @param category the entry's category; not null
   * @param reason why, e.g. the import it came from or the decision that banked it; not null
   */
  record BankEntryChange(String op, String bank, String type, String hash, Category category, String reason) {
    /**
     * Validates.
     *
     * @param op the op component, as described on the record
     * @param bank the bank component, as described on the record
     * @param type the type component, as described on the record
     * @param hash the hash component, as described on the record
     * @param category the category component, as described on the record
     * @param reason the reason component, as described on the record
     * @throws NullPointerException when a component is null
     */
    public BankEntryChange {
      Objects.requireNonNull(op, "op");
      Objects.requireNonNull(bank, "bank");
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(hash, "hash");
      Objects.requireNonNull(category, "category");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * Hash banks changed outside a decision (a host's addition, an import, a withdrawal).
   *
   * @param at when; not null
   * @param source who changed them, e.g. {@code host} or an import's name; not null
   * @param changes the entries changed; not null
   * @param versions each changed bank's version after the change; not null
   */
  record BankChange(Instant at, String source, List<BankEntryChange> changes, Map<String, String> versions)
      implements LogEvent {
    /**
     * Validates and copies.
     *
     * @param at the at component, as described on the record
     * @param source the source component, as described on the record
     * @param changes the changes component, as described on the record
     * @param versions the versions component, as described on the record
     * @throws NullPointerException when a component or element is null
     */
    public BankChange {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(source, "source");
      changes = List.copyOf(changes);
      versions = Map.copyOf(versions);
    }

    @Override
    public Kind kind() {
      return Kind.BANK_CHANGE;
    }
  }

  /**
   * A decision handed to the host's action executor outside the normal path: a delivery that
   * failed, or one repeated by recovery.
   *
   * @param at when; not null
   * @param decision the decision; not null
   * @param seq the decision's record in this log; 0 or more
   * @param outcome {@code failed} or {@code redelivered}; not null
   * @param detail what went wrong, if anything; not null
   */
  record Delivery(Instant at, DecisionId decision, long seq, String outcome, Optional<String> detail)
      implements LogEvent {
    /**
     * Validates.
     *
     * @param at the at component, as described on the record
     * @param decision the decision component, as described on the record
     * @param seq the seq component, as described on the record
     * @param outcome the outcome component, as described on the record
     * @param detail the detail component, as described on the record
     * @throws NullPointerException when a component is null
     */
    public Delivery {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(decision, "decision");
      Objects.requireNonNull(outcome, "outcome");
      Objects.requireNonNull(detail, "detail");
    }

    @Override
    public Kind kind() {
      return Kind.DELIVERY;
    }
  }

  /**
   * Decisions logged but not fully carried out before the engine stopped were carried out again.
   *
   * @param at when; not null
   * @param decisions the records recovered, by sequence number; not null
   * @param failed the records whose recovery failed (they stay pending); not null
   */
  record Recovery(Instant at, List<Long> decisions, List<Long> failed) implements LogEvent {
    /**
     * Validates and copies.
     *
     * @param at the at component, as described on the record
     * @param decisions the decisions component, as described on the record
     * @param failed the failed component, as described on the record
     * @throws NullPointerException when a component or element is null
     */
    public Recovery {
      Objects.requireNonNull(at, "at");
      decisions = List.copyOf(decisions);
      failed = List.copyOf(failed);
    }

    @Override
    public Kind kind() {
      return Kind.RECOVERY;
    }
  }
}

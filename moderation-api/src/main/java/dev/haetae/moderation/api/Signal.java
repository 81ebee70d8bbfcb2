package dev.haetae.moderation.api;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One fact the engine gathered before asking the policies: a hash-bank match, a summary of the
 * reports on a target, an open legal obligation, an account's standing, and so on. Signals are
 * recorded in the {@link Evidence} so that a decision can be replayed without asking any store
 * again. Immutable and thread-safe.
 *
 * @since 0.1
 */
public sealed interface Signal
    permits Signal.HashMatch, Signal.Reports, Signal.NoticeCheck, Signal.Obligation, Signal.AccountStanding,
        Signal.RoomActivity, Signal.ProfilePhotoMatch, Signal.Custom {

  /**
   * The signal's wire name, e.g. {@code hash_match}.
   *
   * @return the name; never null
   */
  String kind();

  /**
   * A match of the content's fingerprint against a hash-bank entry.
   *
   * @param bank the bank's id; not null
   * @param bankVersion the bank's version when matched
   * @param category the bank's (or entry's) category; not null
   * @param type which fingerprint matched; not null
   * @param entry the matched entry's hash (hex), the stable key of the entry; not null
   * @param distance the Hamming distance for PDQ, 0 for exact types
   * @param maxDistance the bank's configured PDQ distance (0 for exact types)
   * @param quality the query image's PDQ quality, or -1 when unknown or not PDQ
   * @param reviewOnly true when the entry is quarantined or the bank is in staged rollout, so the
   *     match may only send content to review
   * @since 0.1
   */
  record HashMatch(String bank, long bankVersion, Category category, MatchType type, String entry, int distance,
      int maxDistance, int quality, boolean reviewOnly) implements Signal {
    /**
     * Validates.
     *
     * @param bank the bank component, as described on the record
     * @param bankVersion the bankVersion component, as described on the record
     * @param category the category component, as described on the record
     * @param type the type component, as described on the record
     * @param entry the entry component, as described on the record
     * @param distance the distance component, as described on the record
     * @param maxDistance the maxDistance component, as described on the record
     * @param quality the quality component, as described on the record
     * @param reviewOnly the reviewOnly component, as described on the record
     * @throws NullPointerException when a reference component is null
     */
    public HashMatch {
      Objects.requireNonNull(bank, "bank");
      Objects.requireNonNull(category, "category");
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(entry, "entry");
    }

    @Override
    public String kind() {
      return "hash_match";
    }
  }

  /**
   * The weighed reports on one target, as the reputation model sees them.
   *
   * @param target the reported target; not null
   * @param category the most-weighted alleged category; not null
   * @param reports the number of distinct reports (one per reporter)
   * @param weight the combined weight, with diminishing returns and brigading collapse, 0..
   * @param trustedFlaggerReports how many came from trusted flaggers
   * @param maxReporterCredibility the highest credibility among the reporters, 0..1
   * @param brigadingSuspected whether the reports look like a coordinated wave
   * @param model the reputation model's id and version; not null
   * @since 0.1
   */
  record Reports(Target target, Category category, int reports, double weight, int trustedFlaggerReports,
      double maxReporterCredibility, boolean brigadingSuspected, String model) implements Signal {
    /**
     * Validates.
     *
     * @param target the target component, as described on the record
     * @param category the category component, as described on the record
     * @param reports the reports component, as described on the record
     * @param weight the weight component, as described on the record
     * @param trustedFlaggerReports the trustedFlaggerReports component, as described on the record
     * @param maxReporterCredibility the maxReporterCredibility component, as described on the record
     * @param brigadingSuspected the brigadingSuspected component, as described on the record
     * @param model the model component, as described on the record
     * @throws NullPointerException when a reference component is null
     */
    public Reports {
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(category, "category");
      Objects.requireNonNull(model, "model");
    }

    @Override
    public String kind() {
      return "reports";
    }
  }

  /**
   * The validation of a legal notice against its instrument.
   *
   * @param instrument the instrument id; not null
   * @param known whether the instrument is in the loaded jurisdiction profiles
   * @param missing what the notice lacks, in words the requester can act on; empty when valid;
   *     not null
   * @param duplicate whether the same notice was already received
   * @since 0.1
   */
  record NoticeCheck(String instrument, boolean known, List<String> missing, boolean duplicate) implements Signal {
    /**
     * Validates and copies.
     *
     * @param instrument the instrument component, as described on the record
     * @param known the known component, as described on the record
     * @param missing the missing component, as described on the record
     * @param duplicate the duplicate component, as described on the record
     * @throws NullPointerException when a reference component is null
     */
    public NoticeCheck {
      Objects.requireNonNull(instrument, "instrument");
      missing = List.copyOf(missing);
    }

    /**
     * Whether the notice is valid.
     *
     * @return true when the instrument is known and nothing is missing
     */
    public boolean valid() {
      return known && missing.isEmpty();
    }

    @Override
    public String kind() {
      return "notice_check";
    }
  }

  /**
   * An open legal obligation on the content.
   *
   * @param id the obligation's id; not null
   * @param instrument the instrument id; not null
   * @param citation the legal citation; not null
   * @param deadline when the duty must be done; not null
   * @param duties what must be done; not null
   * @param preserveFor how long removed content must be preserved, or zero; not null
   * @param category the harm the instrument concerns; not null
   * @since 0.1
   */
  record Obligation(String id, String instrument, String citation, Instant deadline, List<Duty> duties,
      Duration preserveFor, Category category) implements Signal {
    /**
     * Validates and copies.
     *
     * @param id the id component, as described on the record
     * @param instrument the instrument component, as described on the record
     * @param citation the citation component, as described on the record
     * @param deadline the deadline component, as described on the record
     * @param duties the duties component, as described on the record
     * @param preserveFor the preserveFor component, as described on the record
     * @param category the category component, as described on the record
     * @throws NullPointerException when a reference component is null
     */
    public Obligation {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(instrument, "instrument");
      Objects.requireNonNull(citation, "citation");
      Objects.requireNonNull(deadline, "deadline");
      duties = List.copyOf(duties);
      Objects.requireNonNull(preserveFor, "preserveFor");
      Objects.requireNonNull(category, "category");
    }

    @Override
    public String kind() {
      return "obligation";
    }
  }

  /**
   * The standing of the account that posted the content.
   *
   * @param account the account; not null
   * @param strikes live strikes (not yet expired)
   * @param suspended whether the account is currently suspended
   * @param accountAge how old the account is, if known; not null
   * @since 0.1
   */
  record AccountStanding(AccountId account, int strikes, boolean suspended, Optional<Duration> accountAge)
      implements Signal {
    /**
     * Validates.
     *
     * @param account the account component, as described on the record
     * @param strikes the strikes component, as described on the record
     * @param suspended the suspended component, as described on the record
     * @param accountAge the accountAge component, as described on the record
     * @throws NullPointerException when a reference component is null
     */
    public AccountStanding {
      Objects.requireNonNull(account, "account");
      Objects.requireNonNull(accountAge, "accountAge");
    }

    @Override
    public String kind() {
      return "account_standing";
    }
  }

  /**
   * Recent bank matches in the room the content was posted to.
   *
   * @param room the room; not null
   * @param matchesInWindow items that matched a bank in the room within the window, including this
   * @param window the window length; not null
   * @since 0.1
   */
  record RoomActivity(RoomId room, int matchesInWindow, Duration window) implements Signal {
    /**
     * Validates.
     *
     * @param room the room component, as described on the record
     * @param matchesInWindow the matchesInWindow component, as described on the record
     * @param window the window component, as described on the record
     * @throws NullPointerException when a reference component is null
     */
    public RoomActivity {
      Objects.requireNonNull(room, "room");
      Objects.requireNonNull(window, "window");
    }

    @Override
    public String kind() {
      return "room_activity";
    }
  }

  /**
   * The content is a near-duplicate of a profile photo its owner asked to protect.
   *
   * @param owner the photo's owner; not null
   * @param photo the protected photo; not null
   * @param distance the PDQ distance
   * @since 0.1
   */
  record ProfilePhotoMatch(AccountId owner, ContentId photo, int distance) implements Signal {
    /**
     * Validates.
     *
     * @param owner the owner component, as described on the record
     * @param photo the photo component, as described on the record
     * @param distance the distance component, as described on the record
     * @throws NullPointerException when a reference component is null
     */
    public ProfilePhotoMatch {
      Objects.requireNonNull(owner, "owner");
      Objects.requireNonNull(photo, "photo");
    }

    @Override
    public String kind() {
      return "profile_photo_match";
    }
  }

  /**
   * A signal from a host's {@code SignalProvider}: a named fact with string attributes.
   *
   * @param provider the provider's id; not null
   * @param name the signal's name; not null
   * @param attributes the facts; not null; copied
   * @since 0.1
   */
  record Custom(String provider, String name, Map<String, String> attributes) implements Signal {
    /**
     * Validates and copies.
     *
     * @param provider the provider component, as described on the record
     * @param name the name component, as described on the record
     * @param attributes the attributes component, as described on the record
     * @throws NullPointerException when a reference component is null
     */
    public Custom {
      Objects.requireNonNull(provider, "provider");
      Objects.requireNonNull(name, "name");
      attributes = Map.copyOf(attributes);
    }

    @Override
    public String kind() {
      return "custom";
    }
  }
}

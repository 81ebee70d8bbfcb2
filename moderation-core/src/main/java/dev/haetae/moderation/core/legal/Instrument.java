package dev.haetae.moderation.core.legal;

import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.Duty;
import dev.haetae.moderation.api.Jurisdiction;
import dev.haetae.moderation.api.NoticeSender;
import dev.haetae.moderation.api.Surface;
import java.time.Duration;
import java.time.Period;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One entry of a jurisdiction profile: a legal instrument that starts a clock when a valid notice
 * (or, for {@link Kind#APPEAL} entries, an appeal) arrives. Immutable and thread-safe.
 *
 * <p>Entries are normally loaded from a profile file by {@link JurisdictionProfiles}; the
 * constructor validates the same rules so that an entry built in code cannot be malformed either.
 *
 * @param id the stable id used in notices and event streams, e.g. {@code US-TAKE-IT-DOWN}; not null,
 *     not blank
 * @param kind whether notices or appeals open obligations under it; not null
 * @param jurisdiction where it applies; not null
 * @param citation the legal citation; not null, not blank
 * @param category the harm it concerns; not null
 * @param clockStarts what starts the clock, in words; not null, not blank
 * @param deadline the time allowed from receipt; not null, positive
 * @param internalTarget true when the law sets no hours ("without delay", "as soon as reasonably
 *     possible", "timely") and {@code deadline} is the platform's configurable internal target
 * @param duties what a valid notice obliges; not null, not empty
 * @param removeIdenticalCopies whether known identical copies must be removed too: on removal the
 *     item's fingerprints go to the platform's bank so re-uploads are blocked
 * @param preserveFor how long removed content must be preserved; not null, not negative, zero for
 *     none. Calendar periods in a profile file (P1Y, P6M) are converted to their longest length (a
 *     year 366 days, a month 31 days) so that a hold never ends early
 * @param retainRecordsFor how long the instrument requires the records of its notices or reports
 *     (the request, what was done, the answer) and the logs of the measures taken under it to be
 *     kept, e.g. P3Y for Korea's Art. 22-5 under the regulator's notice; {@link Period#ZERO} when
 *     the instrument sets no such duty; not null, not negative. A calendar period, as the law states
 *     it: a pruning of the decision log must keep every record an instrument still requires (since
 *     0.2)
 * @param senders who may send it; not null, not empty
 * @param surfaces where it applies; not null, not empty
 * @param requiredFields the fields a valid notice must carry, each with a description the requester
 *     can act on; not null; copied in order
 * @param notRequiredFor fields that are not required when the notice concerns one of the given
 *     categories (e.g. DSA Art. 16(2)(c): no name or email for child sexual abuse material); each key
 *     must be a required field; not null
 * @param appeal the id of the {@link Kind#APPEAL} entry that governs appeals against decisions
 *     under this one, if any; not null
 * @param appealWindow for appeal entries, how long after being informed a user may appeal; zero
 *     for notice entries; not null, not negative
 * @param notes what a user of the profile should know: how the law was read, what an internal
 *     target stands for, what could not be verified; not null
 * @param temporaryMeasureFor how long a temporary measure lasts when a valid notice under this
 *     instrument takes one instead of a removal (profile field {@code temporary_measure_for}, e.g.
 *     P30D for Korea's Network Act Art. 44-2(4)); {@link Duration#ZERO} when the instrument provides
 *     no temporary measure; not null, not negative (since 0.4)
 * @since 0.1
 */
public record Instrument(String id, Kind kind, Jurisdiction jurisdiction, String citation, Category category,
    String clockStarts, Duration deadline, boolean internalTarget, List<Duty> duties, boolean removeIdenticalCopies,
    Duration preserveFor, Period retainRecordsFor, Set<NoticeSender> senders, Set<Surface> surfaces, Map<String, String> requiredFields,
    Map<String, Set<Category>> notRequiredFor, Optional<String> appeal, Period appealWindow, String notes,
    Duration temporaryMeasureFor) {

  /**
   * What opens an obligation under an instrument.
   *
   * @since 0.1
   */
  public enum Kind {
    /** A legal notice, order or request about content. */
    NOTICE,
    /** A user's appeal (complaint) against a decision: the obligation is to review it. */
    APPEAL
  }

  /**
   * Validates and copies.
   *
   * @throws NullPointerException when a component is null
   * @throws IllegalArgumentException naming the problem when a text is blank, a duration negative,
   *     the deadline not positive, a list empty, an exemption names a field that is not required,
   *     or an appeal entry has no window
   */
  public Instrument {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(jurisdiction, "jurisdiction");
    Objects.requireNonNull(citation, "citation");
    Objects.requireNonNull(category, "category");
    Objects.requireNonNull(clockStarts, "clockStarts");
    Objects.requireNonNull(deadline, "deadline");
    Objects.requireNonNull(preserveFor, "preserveFor");
    Objects.requireNonNull(retainRecordsFor, "retainRecordsFor");
    Objects.requireNonNull(appeal, "appeal");
    Objects.requireNonNull(appealWindow, "appealWindow");
    Objects.requireNonNull(notes, "notes");
    Objects.requireNonNull(temporaryMeasureFor, "temporaryMeasureFor");
    if (temporaryMeasureFor.isNegative()) {
      throw new IllegalArgumentException("temporary_measure_for must not be negative, got " + temporaryMeasureFor);
    }
    if (!temporaryMeasureFor.isZero() && !(duties.contains(Duty.REMOVE) || duties.contains(Duty.DISABLE))) {
      throw new IllegalArgumentException("temporary_measure_for needs a remove or disable duty");
    }
    if (id.isBlank()) {
      throw new IllegalArgumentException("id must not be blank");
    }
    if (citation.isBlank()) {
      throw new IllegalArgumentException("citation must not be blank");
    }
    if (clockStarts.isBlank()) {
      throw new IllegalArgumentException("clock_starts must not be blank");
    }
    if (deadline.isNegative() || deadline.isZero()) {
      throw new IllegalArgumentException("deadline must be positive, got " + deadline);
    }
    if (preserveFor.isNegative()) {
      throw new IllegalArgumentException("preserve_for must not be negative, got " + preserveFor);
    }
    if (retainRecordsFor.isNegative()) {
      throw new IllegalArgumentException("retain_records_for must not be negative, got " + retainRecordsFor);
    }
    if (appealWindow.isNegative()) {
      throw new IllegalArgumentException("appeal_window must not be negative, got " + appealWindow);
    }
    if (kind == Kind.APPEAL && appealWindow.isZero()) {
      throw new IllegalArgumentException("an appeal entry needs a positive appeal_window");
    }
    duties = List.copyOf(duties);
    senders = Set.copyOf(senders);
    surfaces = Set.copyOf(surfaces);
    if (duties.isEmpty()) {
      throw new IllegalArgumentException("duties must not be empty");
    }
    if (senders.isEmpty()) {
      throw new IllegalArgumentException("senders must not be empty");
    }
    if (surfaces.isEmpty()) {
      throw new IllegalArgumentException("surfaces must not be empty");
    }
    Map<String, String> fields = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : requiredFields.entrySet()) {
      if (e.getKey().isBlank() || e.getValue() == null || e.getValue().isBlank()) {
        throw new IllegalArgumentException("required field '" + e.getKey() + "' needs a name and a description");
      }
      fields.put(e.getKey(), e.getValue());
    }
    requiredFields = java.util.Collections.unmodifiableMap(fields);
    Map<String, Set<Category>> exempt = new LinkedHashMap<>();
    for (Map.Entry<String, Set<Category>> e : notRequiredFor.entrySet()) {
      if (!fields.containsKey(e.getKey())) {
        throw new IllegalArgumentException("not_required_for names '" + e.getKey() + "', which is not a required field");
      }
      exempt.put(e.getKey(), Set.copyOf(e.getValue()));
    }
    notRequiredFor = java.util.Collections.unmodifiableMap(exempt);
  }

  /**
   * An instrument without a temporary measure ({@code temporaryMeasureFor} zero), as before 0.4.
   *
   * @param id see the record
   * @param kind see the record
   * @param jurisdiction see the record
   * @param citation see the record
   * @param category see the record
   * @param clockStarts see the record
   * @param deadline see the record
   * @param internalTarget see the record
   * @param duties see the record
   * @param removeIdenticalCopies see the record
   * @param preserveFor see the record
   * @param retainRecordsFor see the record
   * @param senders see the record
   * @param surfaces see the record
   * @param requiredFields see the record
   * @param notRequiredFor see the record
   * @param appeal see the record
   * @param appealWindow see the record
   * @param notes see the record
   * @throws NullPointerException when a reference argument is null
   * @throws IllegalArgumentException as the canonical constructor
   */
  public Instrument(String id, Kind kind, Jurisdiction jurisdiction, String citation, Category category,
      String clockStarts, Duration deadline, boolean internalTarget, List<Duty> duties, boolean removeIdenticalCopies,
      Duration preserveFor, Period retainRecordsFor, Set<NoticeSender> senders, Set<Surface> surfaces,
      Map<String, String> requiredFields, Map<String, Set<Category>> notRequiredFor, Optional<String> appeal,
      Period appealWindow, String notes) {
    this(id, kind, jurisdiction, citation, category, clockStarts, deadline, internalTarget, duties,
        removeIdenticalCopies, preserveFor, retainRecordsFor, senders, surfaces, requiredFields, notRequiredFor, appeal,
        appealWindow, notes, Duration.ZERO);
  }

  /**
   * Whether a valid notice under this instrument takes a temporary measure (access blocked until an
   * expiry) instead of a removal.
   *
   * @return true when {@link #temporaryMeasureFor()} is positive
   * @since 0.4
   */
  public boolean takesTemporaryMeasure() {
    return !temporaryMeasureFor.isZero();
  }

  /**
   * Whether a removal (or disabling of access) carries out this instrument's duties, as opposed to
   * a review verdict.
   *
   * @return true when the duties include {@link Duty#REMOVE} or {@link Duty#DISABLE}
   */
  public boolean fulfilledByRemoval() {
    return duties.contains(Duty.REMOVE) || duties.contains(Duty.DISABLE);
  }
}

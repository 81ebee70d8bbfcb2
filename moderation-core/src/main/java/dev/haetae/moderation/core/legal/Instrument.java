package dev.haetae.moderation.core.legal;

import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.Duty;
import dev.haetae.moderation.api.Jurisdiction;
import dev.haetae.moderation.api.NoticeSender;
import dev.haetae.moderation.api.Surface;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One entry of a jurisdiction profile: a legal instrument that starts a clock when a valid notice
 * arrives. Immutable and thread-safe.
 *
 * @param id the stable id used in notices and event streams, e.g. {@code US-TAKE-IT-DOWN}; not null
 * @param jurisdiction where it applies; not null
 * @param citation the legal citation; not null
 * @param category the harm it concerns; not null
 * @param clockStarts what starts the clock, in words; not null
 * @param deadline the time allowed from receipt; not null, not negative
 * @param internalTarget true when the law sets no hours ("without delay") and {@code deadline} is
 *     the platform's configurable internal target
 * @param duties what a valid notice obliges; not null
 * @param removeIdenticalCopies whether known identical copies must be removed too (their hashes
 *     go to the platform's bank)
 * @param preserveFor how long removed content must be preserved; not null, zero for none
 * @param senders who may send it; not null
 * @param surfaces where it applies; not null
 * @param requiredFields the fields a valid notice must carry, with a description of each for the
 *     requester; not null
 * @since 0.1
 */
public record Instrument(String id, Jurisdiction jurisdiction, String citation, Category category,
    String clockStarts, Duration deadline, boolean internalTarget, List<Duty> duties, boolean removeIdenticalCopies,
    Duration preserveFor, Set<NoticeSender> senders, Set<Surface> surfaces, Map<String, String> requiredFields) {

  /**
   * Validates and copies.
   *
   * @throws NullPointerException when a component is null
   * @throws IllegalArgumentException when a duration is negative
   */
  public Instrument {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(jurisdiction, "jurisdiction");
    Objects.requireNonNull(citation, "citation");
    Objects.requireNonNull(category, "category");
    Objects.requireNonNull(clockStarts, "clockStarts");
    Objects.requireNonNull(deadline, "deadline");
    if (deadline.isNegative() || preserveFor.isNegative()) {
      throw new IllegalArgumentException(id + ": durations must not be negative");
    }
    duties = List.copyOf(duties);
    senders = Set.copyOf(senders);
    surfaces = Set.copyOf(surfaces);
    requiredFields = Map.copyOf(requiredFields);
  }
}

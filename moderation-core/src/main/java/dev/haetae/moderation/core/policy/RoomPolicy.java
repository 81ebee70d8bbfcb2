package dev.haetae.moderation.core.policy;

import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ContentEvent;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.Outcome;
import dev.haetae.moderation.api.PolicyId;
import dev.haetae.moderation.api.Priority;
import dev.haetae.moderation.api.Reason;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.spi.Policy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Rooms: the abuse in the seed cases was organised in rooms of hundreds to thousands of members,
 * where removing items one by one never caught up. When an item matches a bank in a room where at
 * least {@code min_matches} items (this one included) matched within {@code window}, the
 * <em>room</em> is escalated: it goes to the {@code room} review lane (the host's team that can
 * close rooms and report their hosts), at {@code priority}; with {@code restrict_forwarding} the
 * item is also made unforwardable, so the room cannot be used as a distribution hub while it is
 * reviewed. Immutable and thread-safe.
 */
final class RoomPolicy implements Policy {
  static final String NAME = "room-escalation";

  private final PolicyId id;
  private final int minMatches;
  private final Duration window;
  private final boolean restrictForwarding;
  private final Priority priority;

  RoomPolicy(Params p) {
    this.minMatches = p.integer("min_matches", 3, 2, 1_000_000);
    this.window = p.duration("window", Duration.ofHours(24));
    this.restrictForwarding = p.bool("restrict_forwarding", true);
    this.priority = Priority.fromWire(p.choice("priority", "high", "normal", "high", "urgent"));
    p.requireNoUnknown();
    this.id = new PolicyId(NAME, "1", p.hash());
  }

  /** The window the engine counts room matches in. */
  Duration window() {
    return window;
  }

  @Override
  public PolicyId id() {
    return id;
  }

  @Override
  public Outcome evaluate(Evidence evidence) {
    if (!(evidence.request() instanceof ContentEvent)) {
      return Outcome.none();
    }
    for (Signal.RoomActivity r : evidence.signals(Signal.RoomActivity.class)) {
      if (r.matchesInWindow() < minMatches) {
        continue;
      }
      String facts = r.matchesInWindow() + " items in room " + r.room().value() + " matched a hash bank within "
          + r.window().toHours() + " hours (threshold " + minMatches + "); the room is escalated for review.";
      List<Action> actions = new ArrayList<>(2);
      actions.add(new Action.QueueForReview(priority, false, "room"));
      if (restrictForwarding) {
        actions.add(new Action.RestrictForwarding());
        return Outcome.of(actions, List.of(Reason.of(id, "room_escalation", facts, Category.OTHER, Grounds.room())));
      }
      return Outcome.of(actions, List.of(Reason.note(id, "room_escalation", facts)));
    }
    return Outcome.none();
  }
}

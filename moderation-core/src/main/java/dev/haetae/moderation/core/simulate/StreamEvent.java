package dev.haetae.moderation.core.simulate;

import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.MatchType;
import dev.haetae.moderation.api.ModerationRequest;
import java.time.Instant;

/** One parsed line of an event stream. */
sealed interface StreamEvent permits StreamEvent.Request, StreamEvent.Tick, StreamEvent.Bank, StreamEvent.Confirm {
  int line();

  Instant at();

  /**
   * A request for the engine; {@code fileProblem} says why the image its {@code file} names could
   * not be perceptually hashed, when it could not.
   */
  record Request(int line, Instant at, ModerationRequest request, java.util.Optional<String> fileProblem)
      implements StreamEvent {
    Request(int line, Instant at, ModerationRequest request) {
      this(line, at, request, java.util.Optional.empty());
    }
  }

  /** A clock advance: the engine's legal clocks tick to {@code at}. */
  record Tick(int line, Instant at) implements StreamEvent {}

  /** A hash bank change. */
  record Bank(int line, Instant at, String op, String bank, Category category, MatchType type, String hash)
      implements StreamEvent {}

  /**
   * The host's confirmation of an action: of the decision an earlier line gave ({@code ofLine}) or of
   * a decision named by id; carried out {@code delay} after that line's time, at {@code actionAt}, or at {@code at}.
   */
  record Confirm(int line, Instant at, java.util.Optional<Integer> ofLine, java.util.Optional<String> decision,
      dev.haetae.moderation.api.Action.Kind action, dev.haetae.moderation.api.ActionConfirmation.Outcome outcome,
      java.util.Optional<java.time.Duration> delay, java.util.Optional<Instant> actionAt,
      java.util.Optional<String> detail, java.util.Optional<dev.haetae.moderation.api.Action.Recipient> recipient)
      implements StreamEvent {}
}

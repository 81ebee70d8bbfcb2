package dev.haetae.moderation.core.simulate;

import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.MatchType;
import dev.haetae.moderation.api.ModerationRequest;
import java.time.Instant;

/** One parsed line of an event stream. */
sealed interface StreamEvent permits StreamEvent.Request, StreamEvent.Tick, StreamEvent.Bank {
  int line();

  Instant at();

  /** A request for the engine. */
  record Request(int line, Instant at, ModerationRequest request) implements StreamEvent {}

  /** A clock advance: the engine's legal clocks tick to {@code at}. */
  record Tick(int line, Instant at) implements StreamEvent {}

  /** A hash bank change. */
  record Bank(int line, Instant at, String op, String bank, Category category, MatchType type, String hash)
      implements StreamEvent {}
}

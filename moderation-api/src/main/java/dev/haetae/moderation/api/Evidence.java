package dev.haetae.moderation.api;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Everything the policies may look at for one decision, frozen: the request (without content
 * bytes), the signals gathered for it, the versions of every component that produced them, and the
 * instant of evaluation. Policies are pure functions of Evidence, which is what makes a decision
 * replayable. Immutable and thread-safe.
 *
 * @param now the instant of evaluation, from the engine's injected clock; policies must use this
 *     and never read a clock; not null
 * @param request the request, without content bytes; not null
 * @param signals the signals, in the order they were gathered; not null; copied
 * @param versions the version of each component that contributed (banks, reputation model,
 *     jurisdiction profiles, signal providers), by component name; not null; copied and sorted
 * @since 0.1
 */
public record Evidence(Instant now, ModerationRequest request, List<Signal> signals, Map<String, String> versions) {

  /**
   * Validates and copies.
   *
   * @param now the now component, as described on the record
   * @param request the request component, as described on the record
   * @param signals the signals component, as described on the record
   * @param versions the versions component, as described on the record
   * @throws NullPointerException when a component or element is null
   */
  public Evidence {
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(request, "request");
    if (request instanceof ContentEvent) {
      request = ((ContentEvent) request).withoutBytes();
    }
    signals = List.copyOf(signals);
    versions = java.util.Collections.unmodifiableMap(new TreeMap<>(versions));
  }

  /**
   * The signals of one type.
   *
   * @param <S> the signal type
   * @param type the signal record class, e.g. {@code Signal.HashMatch.class}; not null
   * @return the matching signals in order; never null
   */
  public <S extends Signal> List<S> signals(Class<S> type) {
    List<S> out = new ArrayList<>();
    for (Signal s : signals) {
      if (type.isInstance(s)) {
        out.add(type.cast(s));
      }
    }
    return out;
  }
}

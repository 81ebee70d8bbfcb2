package dev.haetae.moderation.core.engine;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The state of plugin isolation at one moment, from {@link ModerationEngine#pluginHealth()}: which
 * policies and signal providers are tripped for timing out, and how many worker threads calls that
 * ignored their interruption still hold. A health check alerts on {@link #tripped()} not being
 * empty and on {@link #stuckThreads()} nearing {@link #maxReplacements()}: past it, stuck threads
 * are no longer replaced. Immutable and thread-safe.
 *
 * @param tripped the tripped plugins, by name; not null; copied
 * @param stuckThreads worker threads held now by abandoned calls that have not returned
 * @param replacedThreads worker threads added in total to replace stuck ones
 * @param maxReplacements how many stuck threads are replaced at most at once
 * @param trips how many times a plugin was tripped in total
 * @since 0.2
 */
public record PluginHealth(List<Tripped> tripped, int stuckThreads, long replacedThreads, int maxReplacements,
    long trips) {

  /**
   * Validates and copies.
   *
   * @param tripped the tripped component, as described on the record
   * @param stuckThreads the stuckThreads component, as described on the record
   * @param replacedThreads the replacedThreads component, as described on the record
   * @param maxReplacements the maxReplacements component, as described on the record
   * @param trips the trips component, as described on the record
   * @throws NullPointerException when {@code tripped} or an element is null
   */
  public PluginHealth {
    tripped = List.copyOf(tripped);
  }

  /**
   * One tripped plugin.
   *
   * @param name the policy's id ({@code name@version#config}) or {@code provider:<id>}; not null
   * @param until when its cool-down ends, by the engine's clock; not null
   * @param probing whether the cool-down is over, so that its next call is a probe
   * @param trips how many times it was tripped
   * @since 0.2
   */
  public record Tripped(String name, Instant until, boolean probing, long trips) {
    /**
     * Validates.
     *
     * @param name the name component, as described on the record
     * @param until the until component, as described on the record
     * @param probing the probing component, as described on the record
     * @param trips the trips component, as described on the record
     * @throws NullPointerException when a reference component is null
     */
    public Tripped {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(until, "until");
    }
  }
}

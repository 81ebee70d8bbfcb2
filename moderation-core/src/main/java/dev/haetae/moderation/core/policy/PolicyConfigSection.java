package dev.haetae.moderation.core.policy;

import dev.haetae.moderation.api.spi.Policy;
import java.util.List;
import java.util.Objects;

/**
 * A section of the policy configuration that an optional module compiles into policies, such as the
 * {@code "rules"} section of {@code moderation-rules}. {@link PolicyConfig#parse(String, ClassLoader)}
 * finds implementations with {@link java.util.ServiceLoader} in the class loader it is given; a
 * configuration that has the section when no implementation is found is rejected, never ignored.
 *
 * <p>The section's policies join the configuration's own: the enforcing ones after the {@code extra}
 * classes, the shadow ones after the configured shadow policies. Its {@link Loaded#canonicalJson()}
 * becomes part of {@link PolicyConfig#canonicalJson()} (and so of the configuration hash), and must
 * load again to the same policies: that is how a replay rebuilds them from the log.
 *
 * <p>Implementations must be thread-safe and have a public no-argument constructor.
 *
 * @since 0.2
 */
public interface PolicyConfigSection {

  /**
   * The top-level key this implementation reads, e.g. {@code "rules"}.
   *
   * @return a key other than the configuration's own ({@code version}, {@code description},
   *     {@code policies}, {@code extra}, {@code shadow}); never null
   */
  String key();

  /**
   * Compiles the section.
   *
   * @param json the section's JSON value as text; not null
   * @return the policies and the canonical form; never null
   * @throws PolicyConfigException naming the place (a path starting with {@link #key()}) and the
   *     problem, for any invalid content
   */
  Loaded load(String json);

  /**
   * Compiles the section as it is written in the configuration document, so that a problem can be
   * reported at the document's line and column (the file's, for {@link PolicyConfig#load}).
   * {@link PolicyConfig} calls this one; the default ignores the position and calls
   * {@link #load(String)}.
   *
   * @param json the section's value exactly as written in the document; not null
   * @param line the 1-based line of the document where {@code json} starts
   * @param column the 1-based column (in UTF-16 characters) where {@code json} starts
   * @return the policies and the canonical form; never null
   * @throws PolicyConfigException as {@link #load(String)} does
   * @since 0.2
   */
  default Loaded load(String json, int line, int column) {
    return load(json);
  }

  /**
   * What a section compiles to.
   *
   * @param enforcing the policies that enforce, in order; not null
   * @param shadow the policies that only shadow, in order; not null
   * @param canonicalJson the section's canonical JSON value (loads to the same policies); not null
   * @since 0.2
   */
  record Loaded(List<Policy> enforcing, List<Policy> shadow, String canonicalJson) {
    /**
     * Validates and copies.
     *
     * @param enforcing as described on the record
     * @param shadow as described on the record
     * @param canonicalJson as described on the record
     * @throws NullPointerException when a component or element is null
     */
    public Loaded {
      enforcing = List.copyOf(enforcing);
      shadow = List.copyOf(shadow);
      Objects.requireNonNull(canonicalJson, "canonicalJson");
    }
  }
}

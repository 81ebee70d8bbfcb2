package dev.haetae.moderation.core.policy;

import dev.haetae.moderation.api.ConfigurationException;

/**
 * A policy configuration that cannot be used: malformed JSON, an unknown policy or parameter, a
 * value of the wrong type or out of range. The message names the exact place, as a path such as
 * {@code policies.repeat-offender.suspend_at}, and what was expected.
 *
 * @since 0.1
 */
public class PolicyConfigException extends ConfigurationException {
  private static final long serialVersionUID = 1L;

  /** The path of the offending value. */
  private final String path;

  /**
   * Creates the exception.
   *
   * @param path where in the configuration, e.g. {@code policies.csam.preserve}; not null
   * @param problem what is wrong, in words the author can act on; not null
   */
  public PolicyConfigException(String path, String problem) {
    super(path + ": " + problem);
    this.path = path;
  }

  /**
   * Creates the exception with a cause.
   *
   * @param path where in the configuration; not null
   * @param problem what is wrong; not null
   * @param cause the underlying error; may be null
   */
  public PolicyConfigException(String path, String problem, Throwable cause) {
    super(path + ": " + problem, cause);
    this.path = path;
  }

  /**
   * Where in the configuration the problem is.
   *
   * @return a dotted path such as {@code policies.known-ncii.certain_fraction}, or {@code $} for the
   *     whole document; never null
   */
  public String path() {
    return path;
  }
}

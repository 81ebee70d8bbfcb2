package dev.haetae.moderation.api;

/**
 * Thrown when Haetae is configured wrongly: an engine builder given contradictory settings, a
 * policy or jurisdiction profile file that does not validate, a hash bank that cannot be loaded.
 * The message names the setting or the file and line.
 *
 * @since 0.1
 */
public class ConfigurationException extends ModerationException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what is wrong and where; may be null
   */
  public ConfigurationException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message what is wrong and where; may be null
   * @param cause the underlying failure; may be null
   */
  public ConfigurationException(String message, Throwable cause) {
    super(message, cause);
  }
}

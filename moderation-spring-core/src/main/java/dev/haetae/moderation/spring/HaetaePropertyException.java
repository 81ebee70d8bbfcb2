package dev.haetae.moderation.spring;

import dev.haetae.moderation.api.ConfigurationException;
import java.util.Objects;

/**
 * A {@code haetae.*} property is missing, malformed or names something that cannot be used. The
 * message starts with the property's full name (e.g. {@code haetae.banks[1].file: no such file:
 * ...}); it never contains the pseudonym key or the PostgreSQL password.
 *
 * @since 0.2
 */
public class HaetaePropertyException extends ConfigurationException {
  private static final long serialVersionUID = 1L;

  /** The property's full name. */
  private final String property;

  /**
   * Creates the exception.
   *
   * @param property the property's full name, e.g. {@code haetae.log-directory}; not null
   * @param problem what is wrong with it; not null
   * @throws NullPointerException when an argument is null
   */
  public HaetaePropertyException(String property, String problem) {
    super(Objects.requireNonNull(property, "property") + ": " + Objects.requireNonNull(problem, "problem"));
    this.property = property;
  }

  /**
   * Creates the exception with its cause.
   *
   * @param property the property's full name; not null
   * @param problem what is wrong with it; not null
   * @param cause the underlying failure; may be null
   * @throws NullPointerException when {@code property} or {@code problem} is null
   */
  public HaetaePropertyException(String property, String problem, Throwable cause) {
    super(Objects.requireNonNull(property, "property") + ": " + Objects.requireNonNull(problem, "problem"), cause);
    this.property = property;
  }

  /**
   * The property's full name.
   *
   * @return e.g. {@code haetae.postgres.shard}; never null
   */
  public String property() {
    return property;
  }
}

package dev.haetae.moderation.cli;

import dev.haetae.moderation.postgres.HaetaePostgres;
import picocli.CommandLine.Option;

/**
 * The PostgreSQL login options the commands that open a database share ({@code --pg-user},
 * {@code --pg-password-env}, {@code --pg-schema}), as a picocli mixin; each command keeps its own
 * {@code --pg-url}, whose meaning differs. Not thread-safe (one per command invocation).
 */
final class PgLogin {

  @Option(names = "--pg-user", paramLabel = "USER", description = "the database user (default: the URL's or the"
      + " driver's)")
  String user;

  @Option(names = "--pg-password-env", paramLabel = "VAR", description = "the environment variable that holds the"
      + " database password (never on the command line)")
  String passwordEnv;

  @Option(names = "--pg-schema", paramLabel = "SCHEMA", defaultValue = "haetae",
      description = "the schema of Haetae's tables (default: ${DEFAULT-VALUE})")
  String schema;

  /** Whether a user or a password variable was given (they need a database URL). */
  boolean given() {
    return user != null || passwordEnv != null;
  }

  /**
   * Sets the credentials on {@code builder} when a user is given, with the password read from the
   * named environment variable.
   *
   * @return null, or the usage problem (the variable named is not set)
   */
  String applyTo(HaetaePostgres.Builder builder) {
    String password = null;
    if (passwordEnv != null) {
      password = System.getenv(passwordEnv);
      if (password == null) {
        return "the environment variable " + passwordEnv + " (--pg-password-env) is not set";
      }
    }
    if (user != null) {
      builder.credentials(user, password);
    }
    return null;
  }
}

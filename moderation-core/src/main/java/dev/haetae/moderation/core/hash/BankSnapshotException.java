package dev.haetae.moderation.core.hash;

import dev.haetae.moderation.api.ModerationException;

/**
 * Thrown when a bank snapshot cannot be read: truncated, corrupt (its checksum or its structure
 * disagrees), of an unknown format version, or of another bank. Nothing of the snapshot was
 * applied: the banks are as they were, and the host can load the bank from its source instead.
 *
 * @since 0.2
 */
public class BankSnapshotException extends ModerationException {
  private static final long serialVersionUID = 1L;

  private final String file;

  /**
   * Creates the exception.
   *
   * @param file the snapshot's name; not null
   * @param problem what is wrong; not null
   */
  public BankSnapshotException(String file, String problem) {
    super("bank snapshot " + file + ": " + problem + " (nothing was applied)");
    this.file = file;
  }

  /**
   * The snapshot's name, as given to the reader.
   *
   * @return the name; never null
   */
  public String file() {
    return file;
  }
}

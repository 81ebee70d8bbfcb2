package dev.haetae.moderation.core.banks;

/**
 * Receives what a hash-list reader finds, in input order: each well-formed record and each
 * problem. Readers call it from the reading thread only.
 *
 * @since 0.1
 */
public interface RecordSink {

  /**
   * Receives one well-formed record (its hash still to be validated for its type by the caller,
   * see {@link ListRecord#matchType}).
   *
   * @param record the record; never null
   */
  void accept(ListRecord record);

  /**
   * Receives a record that was skipped.
   *
   * @param line the 1-based line (or, for sources that have no lines, the record's position)
   * @param kind the class of the problem; never null
   * @param message what is wrong, naming the field; never null
   */
  void problem(long line, ProblemKind kind, String message);
}

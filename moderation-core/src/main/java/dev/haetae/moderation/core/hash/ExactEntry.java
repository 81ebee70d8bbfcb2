package dev.haetae.moderation.core.hash;

/** An exact-hash entry's mutable state; the state is volatile so readers see changes at once. */
final class ExactEntry {
  volatile byte state;
  final int addedAt;

  ExactEntry(byte state, int addedAt) {
    this.state = state;
    this.addedAt = addedAt;
  }
}

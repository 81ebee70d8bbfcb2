/**
 * The test kit: JUnit 5 contract tests for policy plugins and for store and decision-log adapters,
 * the scenario DSL, seeded evidence samples, and the adversarial harness of mass-reporting attacks.
 */
module dev.haetae.moderation.testkit {
  requires transitive dev.haetae.moderation.core;
  requires transitive org.junit.jupiter.api;
  requires com.fasterxml.jackson.databind;

  exports dev.haetae.moderation.testkit;
  exports dev.haetae.moderation.testkit.adversarial;
}

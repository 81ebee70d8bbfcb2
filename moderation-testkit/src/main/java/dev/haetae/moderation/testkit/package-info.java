/**
 * The Haetae plugin test kit: abstract JUnit 5 contract tests that plugin and adapter authors
 * extend ({@link dev.haetae.moderation.testkit.PolicyContract},
 * {@link dev.haetae.moderation.testkit.ReputationStoreContract},
 * {@link dev.haetae.moderation.testkit.ObligationStoreContract},
 * {@link dev.haetae.moderation.testkit.EvidenceHoldStoreContract},
 * {@link dev.haetae.moderation.testkit.DecisionLogContract}), seeded edge-case evidence
 * ({@link dev.haetae.moderation.testkit.EvidenceSamples}), a scenario DSL
 * ({@link dev.haetae.moderation.testkit.Scenario}), and an adversarial harness of mass-reporting
 * attacks ({@link dev.haetae.moderation.testkit.adversarial.AdversarialHarness}).
 */
package dev.haetae.moderation.testkit;

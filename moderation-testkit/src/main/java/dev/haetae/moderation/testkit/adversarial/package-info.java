/**
 * An adversarial harness for report intake: seeded generators of adaptive mass-reporting attacks
 * ({@link dev.haetae.moderation.testkit.adversarial.AttackFamily}), played against a real engine
 * with a host's configuration by {@link dev.haetae.moderation.testkit.adversarial.AdversarialHarness},
 * each checked against the property a robust system keeps
 * ({@link dev.haetae.moderation.testkit.adversarial.AttackResult}).
 */
package dev.haetae.moderation.testkit.adversarial;

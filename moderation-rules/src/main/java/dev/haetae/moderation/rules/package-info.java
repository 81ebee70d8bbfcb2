/**
 * Rules without Java: trust-and-safety rules written as typed Common Expression Language (CEL)
 * expressions in the policy configuration's {@code "rules"} section, compiled and type-checked when
 * the configuration loads, and run by the engine as policies with the same guarantees as Java
 * policies (recorded ids, versions and configuration hash; exact replay; isolation and time budget;
 * shadow mode). {@link dev.haetae.moderation.rules.EvidenceSchema} lists what a rule can read.
 */
package dev.haetae.moderation.rules;

/**
 * The decision log and the audit tools that read it back.
 *
 * <p>{@link dev.haetae.moderation.core.audit.DecisionLogs} writes an append-only, hash-chained,
 * fsync'ed log of JSON Lines segments with signed checkpoints; {@link
 * dev.haetae.moderation.core.audit.AuditLog} reads, verifies and iterates it; {@link
 * dev.haetae.moderation.core.audit.Replayer} re-runs recorded evidence through policies; {@link
 * dev.haetae.moderation.core.audit.StatementsOfReasons} exports DSA Transparency Database
 * statements; {@link dev.haetae.moderation.core.audit.ComplianceReport} renders an HTML report. The
 * format is documented in the audit guide ({@code src-docs/audit.md}).
 */
package dev.haetae.moderation.core.audit;

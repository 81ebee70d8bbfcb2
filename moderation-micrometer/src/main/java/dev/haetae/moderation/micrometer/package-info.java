/**
 * Haetae's engine in Micrometer: {@link dev.haetae.moderation.micrometer.HaetaeMetrics} is both the
 * engine's listener and a Micrometer {@code MeterBinder}. The guide {@code src-docs/metrics.md}
 * lists every metric with its tags.
 *
 * @since 0.2
 */
package dev.haetae.moderation.micrometer;

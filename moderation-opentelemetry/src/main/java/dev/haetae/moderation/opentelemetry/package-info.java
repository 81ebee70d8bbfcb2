/**
 * Haetae's engine in OpenTelemetry traces: {@link dev.haetae.moderation.opentelemetry.HaetaeTracing}
 * is an engine listener that records one span per evaluation with a child span per stage. Depends
 * on the OpenTelemetry API only; the host brings the SDK and its exporter.
 */
package dev.haetae.moderation.opentelemetry;

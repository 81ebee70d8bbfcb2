/** Benchmarks of the legal clocks: the cost of a tick with many open obligations. */
package dev.haetae.moderation.bench.legal;

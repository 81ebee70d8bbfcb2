/** JMH benchmarks of the engine's {@code evaluate()} end to end. */
package dev.haetae.moderation.bench.engine;

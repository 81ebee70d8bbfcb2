/** JMH benchmarks of Haetae; see the module's description for how to run them. */
package dev.haetae.moderation.bench;

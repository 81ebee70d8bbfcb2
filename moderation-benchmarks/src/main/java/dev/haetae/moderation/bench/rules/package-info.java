/** The cost of a CEL rule next to the equivalent Java policy. */
package dev.haetae.moderation.bench.rules;

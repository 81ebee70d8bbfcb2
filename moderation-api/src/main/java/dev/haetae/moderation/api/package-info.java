/**
 * The public model of Haetae: identities, content descriptors and fingerprints, the requests a
 * host hands to the engine, the {@link dev.haetae.moderation.api.Evidence} policies read, and the
 * {@link dev.haetae.moderation.api.Decision} the host executes. Everything here is an immutable
 * record or enum (or a sealed interface of them) and depends on the JDK only.
 *
 * <p>Malformed input is rejected at construction with an
 * {@link dev.haetae.moderation.api.InvalidRequestException} naming the field; every exception
 * Haetae throws on purpose is a {@link dev.haetae.moderation.api.ModerationException}.
 */
package dev.haetae.moderation.api;

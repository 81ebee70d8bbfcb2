/**
 * Video hashing and matching (vPDQ). {@link dev.haetae.moderation.video.VideoHasher} turns an MP4
 * into a {@link dev.haetae.moderation.video.VideoHash} (one PDQ hash per sampled frame), {@link
 * dev.haetae.moderation.video.VpdqFormat} reads and writes the upstream serialisations, and {@link
 * dev.haetae.moderation.video.VideoBank} matches query videos against banked ones with the vPDQ rule
 * ({@link dev.haetae.moderation.video.VpdqMatchRule}).
 *
 * @since 0.1
 */
package dev.haetae.moderation.video;

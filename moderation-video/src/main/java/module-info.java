/**
 * Video hashing and matching (vPDQ): frames decoded from MP4/H.264 under {@link
 * dev.haetae.moderation.video.VideoLimits}, a PDQ hash per sampled frame, the upstream text and JSON
 * forms, and clip matching of query videos against a bank of videos.
 */
@SuppressWarnings("requires-automatic") // JCodec is an automatic module
module dev.haetae.moderation.video {
  requires transitive dev.haetae.moderation.core;
  requires com.fasterxml.jackson.databind;
  requires jcodec;

  exports dev.haetae.moderation.video;
}

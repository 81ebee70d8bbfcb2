package dev.haetae.moderation.api;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A legal notice or order about one piece of content, under a named instrument (e.g.
 * {@code US-TAKE-IT-DOWN}, {@code EU-DSA-16}, {@code KR-TBA-22-5}). A valid notice opens an
 * obligation whose deadline runs from {@code receivedAt}. Immutable and thread-safe.
 *
 * <p>The notice's {@code fields} are the requester's statements (signature, identification,
 * location, good-faith statement, contact...). Which fields an instrument requires is part of its
 * jurisdiction profile; an invalid notice is answered with the precise list of what is missing.
 *
 * @param noticeId the host's id of this notice, used to make duplicates idempotent; not null, not
 *     blank
 * @param instrument the id of a jurisdiction profile entry; not null, not blank
 * @param content the content the notice is about; not null
 * @param sender who sent it; not null
 * @param fields the notice's fields by name; not null; copied
 * @param receivedAt when the platform received it: the clock starts here, even if the notice
 *     reaches Haetae later; not null
 * @since 0.1
 */
public record LegalNotice(
    String noticeId,
    String instrument,
    ContentId content,
    NoticeSender sender,
    Map<String, String> fields,
    Instant receivedAt)
    implements ModerationRequest {

  /**
   * Validates and copies.
   *
   * @param noticeId the noticeId component, as described on the record
   * @param instrument the instrument component, as described on the record
   * @param content the content component, as described on the record
   * @param sender the sender component, as described on the record
   * @param fields the fields component, as described on the record
   * @param receivedAt the receivedAt component, as described on the record
   * @throws InvalidRequestException naming the first null or blank component
   */
  public LegalNotice {
    Ids.check("notice.noticeId", noticeId);
    Ids.check("notice.instrument", instrument);
    InvalidRequestException.requireNonNull("notice.content", content);
    InvalidRequestException.requireNonNull("notice.sender", sender);
    InvalidRequestException.requireNonNull("notice.fields", fields);
    InvalidRequestException.requireNonNull("notice.receivedAt", receivedAt);
    for (Map.Entry<String, String> e : fields.entrySet()) {
      InvalidRequestException.requireNonNull("notice.fields key", e.getKey());
      InvalidRequestException.requireNonNull("notice.fields." + e.getKey(), e.getValue());
    }
    fields = Map.copyOf(fields);
  }

  @Override
  public Kind requestKind() {
    return Kind.NOTICE;
  }

  @Override
  public Optional<ContentId> contentId() {
    return Optional.of(content);
  }
}

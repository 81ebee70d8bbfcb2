package dev.haetae.moderation.core.engine;

import dev.haetae.moderation.api.AccountEvent;
import dev.haetae.moderation.api.ActionConfirmation;
import dev.haetae.moderation.api.Appeal;
import dev.haetae.moderation.api.ContentEvent;
import dev.haetae.moderation.api.InvalidRequestException;
import dev.haetae.moderation.api.LegalNotice;
import dev.haetae.moderation.api.LimitExceededException;
import dev.haetae.moderation.api.Limits;
import dev.haetae.moderation.api.ModerationRequest;
import dev.haetae.moderation.api.ReporterSanction;
import dev.haetae.moderation.api.ReviewOutcome;
import dev.haetae.moderation.api.TimeOutOfRangeException;
import dev.haetae.moderation.api.UserReport;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a request against the engine's {@link Limits}, and its instants against the supported
 * range ({@link TimeOutOfRangeException}), before anything is stored or logged.
 */
final class RequestValidator {
  private final Limits limits;

  RequestValidator(Limits limits) {
    this.limits = limits;
  }

  void check(ModerationRequest request) {
    if (request == null) {
      throw new InvalidRequestException("request", "must not be null");
    }
    if (request instanceof ContentEvent) {
      ContentEvent e = (ContentEvent) request;
      id("content_event.content.id", e.content().id().value());
      id("content_event.account", e.account().value());
      e.room().ifPresent(r -> id("content_event.room", r.value()));
      text("content_event.content.text", e.content().text());
      if (e.content().jurisdictions().size() > limits.maxListSize()) {
        throw new LimitExceededException("content_event.content.jurisdictions", limits.maxListSize(),
            e.content().jurisdictions().size());
      }
      if (e.bytes().isPresent() && e.bytes().get().size() > limits.maxContentBytes()) {
        throw new LimitExceededException("content_event.bytes", limits.maxContentBytes(), e.bytes().get().size());
      }
      if (e.bytes().isEmpty() && e.content().fingerprints().isEmpty()) {
        throw new InvalidRequestException("content_event",
            "has neither bytes nor fingerprints: the engine needs one of them to match the content");
      }
    } else if (request instanceof UserReport) {
      UserReport r = (UserReport) request;
      id("report.reporter", r.reporter().value());
      id("report.target", r.target().id());
      text("report.text", r.text());
    } else if (request instanceof LegalNotice) {
      LegalNotice n = (LegalNotice) request;
      id("notice.noticeId", n.noticeId());
      id("notice.content", n.content().value());
      if (n.fields().size() > limits.maxNoticeFields()) {
        throw new LimitExceededException("notice.fields", limits.maxNoticeFields(), n.fields().size());
      }
      for (Map.Entry<String, String> f : n.fields().entrySet()) {
        if (f.getKey().length() > limits.maxIdChars()) {
          throw new LimitExceededException("notice.fields (a field name)", limits.maxIdChars(), f.getKey().length());
        }
        if (f.getValue().length() > limits.maxNoticeFieldChars()) {
          throw new LimitExceededException("notice.fields." + f.getKey(), limits.maxNoticeFieldChars(),
              f.getValue().length());
        }
      }
      TimeOutOfRangeException.requireInRange("notice.receivedAt", n.receivedAt());
    } else if (request instanceof ReviewOutcome) {
      ReviewOutcome r = (ReviewOutcome) request;
      id("review.target", r.target().id());
      text("review.note", r.note());
    } else if (request instanceof Appeal) {
      Appeal a = (Appeal) request;
      id("appeal.appealId", a.appealId());
      id("appeal.appellant", a.appellant().value());
      text("appeal.reason", a.reason());
      TimeOutOfRangeException.requireInRange("appeal.informedAt", a.informedAt());
    } else if (request instanceof AccountEvent) {
      AccountEvent a = (AccountEvent) request;
      id("account.account", a.account().value());
      if (a.rooms().size() > limits.maxListSize()) {
        throw new LimitExceededException("account.rooms", limits.maxListSize(), a.rooms().size());
      }
      TimeOutOfRangeException.requireInRange("account.createdAt", a.createdAt());
      for (AccountEvent.RoomJoin j : a.rooms()) {
        id("account.rooms.room", j.room().value());
        TimeOutOfRangeException.requireInRange("account.rooms.joinedAt", j.joinedAt());
      }
      a.organisation().ifPresent(o -> id("account.organisation", o));
    } else if (request instanceof ActionConfirmation) {
      ActionConfirmation c = (ActionConfirmation) request;
      id("confirmation.decision", c.decision().value());
      text("confirmation.detail", c.detail());
      TimeOutOfRangeException.requireInRange("confirmation.at", c.at());
    } else if (request instanceof dev.haetae.moderation.api.MeasureExpiry) {
      dev.haetae.moderation.api.MeasureExpiry x = (dev.haetae.moderation.api.MeasureExpiry) request;
      id("expiry.content", x.content().value());
      id("expiry.measure", x.measure().value());
    } else if (request instanceof ReporterSanction) {
      ReporterSanction x = (ReporterSanction) request;
      id("sanction.reporter", x.reporter().value());
      id("sanction.decision", x.decision().value());
      x.reviewer().ifPresent(v -> id("sanction.reviewer", v));
      text("sanction.note", x.note());
    }
  }

  private void id(String field, String value) {
    if (value.length() > limits.maxIdChars()) {
      throw new LimitExceededException(field, limits.maxIdChars(), value.length());
    }
  }

  private void text(String field, Optional<String> value) {
    if (value.isPresent()) {
      limits.checkText(field, value.get());
    }
  }
}

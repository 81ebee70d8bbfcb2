package dev.haetae.moderation.core.banks;

import dev.haetae.moderation.api.Category;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * StopNCII's hash exchange: {@code GET <base>/FetchHashes?startTimestamp=<checkpoint>&pageSize=800}
 * and then {@code &nextPageToken=...} while {@code hasMoreRecords}; the checkpoint is the last
 * page's {@code nextSetTimestamp}. A record replaces whatever the bank held for its hash, so
 * withdrawals and deletions are honoured. Review feedback is queued (at most 10,000 items) and
 * sent as one {@code POST <base>/SubmitFeedback} at the start of the next sync; what fails to send
 * stays queued.
 */
final class StopNciiSource extends PagedSource {
  static final int PAGE_SIZE = 800;
  private static final int MAX_QUEUED = 10_000;

  private final BlockingQueue<StopNciiFormat.Feedback> feedback = new ArrayBlockingQueue<>(MAX_QUEUED);
  private final AtomicLong droppedFeedback = new AtomicLong();

  StopNciiSource(String bankId, Category category, URI base, HttpPages http) {
    super(bankId, category, base, http);
  }

  @Override
  public void feedback(String entryHash, boolean confirmed) {
    String type = entryHash.length() == 32 ? "VideoMD5" : "ImagePDQ";
    if (!feedback.offer(new StopNciiFormat.Feedback(type, entryHash, confirmed))) {
      droppedFeedback.incrementAndGet();
    }
  }

  /** How much feedback was dropped because the queue was full. */
  long droppedFeedback() {
    return droppedFeedback.get();
  }

  void sendFeedback() {
    List<StopNciiFormat.Feedback> batch = new ArrayList<>();
    feedback.drainTo(batch);
    if (batch.isEmpty()) {
      return;
    }
    StringWriter body = new StringWriter();
    try {
      StopNciiFormat.writeFeedback(batch, body);
      http.postJson(resolve(base, "SubmitFeedback"), body.toString(), r -> null);
    } catch (IOException | RuntimeException e) {
      for (StopNciiFormat.Feedback f : batch) {
        if (!feedback.offer(f)) {
          droppedFeedback.incrementAndGet();
        }
      }
      if (e instanceof IOException) {
        throw new UncheckedIOException((IOException) e);
      }
      throw (RuntimeException) e;
    }
  }

  @Override
  String sync(Optional<String> from, Sink sink) {
    sendFeedback();
    long start = from.map(StopNciiSource::seconds).orElse(0L);
    long checkpoint = start;
    String token = null;
    for (int page = 1; page <= MAX_PAGES; page++) {
      String q = "FetchHashes?startTimestamp=" + start + "&pageSize=" + PAGE_SIZE
          + (token == null ? "" : "&nextPageToken=" + encode(token));
      int n = page;
      StopNciiFormat.Page p = http.get(resolve(base, q), r -> StopNciiFormat.read(r, forward(sink, n)));
      if (p.nextSetTimestamp().isPresent()) {
        checkpoint = Math.max(checkpoint, p.nextSetTimestamp().get());
      }
      if (!p.hasMoreRecords()) {
        return Long.toString(checkpoint);
      }
      String next = p.nextPageToken().orElseThrow(() -> new IllegalStateException(
          "StopNCII page says hasMoreRecords but gives no nextPageToken"));
      if (next.equals(token)) {
        throw new IllegalStateException("StopNCII returned the same nextPageToken twice");
      }
      token = next;
    }
    throw new IllegalStateException("StopNCII sync stopped after " + MAX_PAGES + " pages");
  }

  private static long seconds(String checkpoint) {
    try {
      return Long.parseLong(checkpoint.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("StopNCII checkpoint must be epoch seconds, got '"
          + ListRecord.printable(checkpoint) + "'", e);
    }
  }
}

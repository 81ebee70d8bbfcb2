package dev.haetae.moderation.core.banks;

import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.spi.HashBankSource;
import java.net.URI;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The common part of the programme sources: a load is a sync from the beginning, the checkpoint
 * after it is kept for the first {@code changes} call, and records reach the bank through the
 * {@link HashBankSource.Sink} (foreign types and problems included).
 */
abstract class PagedSource implements HashBankSource {
  /** A bound on pages per sync, so that a server that always says "more" cannot loop us forever. */
  static final int MAX_PAGES = 1_000_000;

  private final String bankId;
  private final Category category;
  final HttpPages http;
  final URI base;
  private volatile Optional<String> afterLoad = Optional.empty();

  PagedSource(String bankId, Category category, URI base, HttpPages http) {
    this.bankId = bankId;
    this.category = category;
    this.base = base;
    this.http = http;
  }

  @Override
  public String bankId() {
    return bankId;
  }

  @Override
  public Category category() {
    return category;
  }

  @Override
  public void load(Consumer<Entry> sink) {
    load(sink instanceof Sink ? (Sink) sink : sink::accept);
  }

  @Override
  public void load(Sink sink) {
    afterLoad = Optional.of(sync(Optional.empty(), sink));
  }

  @Override
  public Optional<String> checkpointAfterLoad() {
    return afterLoad;
  }

  @Override
  public Optional<String> changes(Optional<String> checkpoint, Consumer<Entry> sink) {
    return changes(checkpoint, sink instanceof Sink ? (Sink) sink : sink::accept);
  }

  @Override
  public Optional<String> changes(Optional<String> checkpoint, Sink sink) {
    return Optional.of(sync(checkpoint, sink));
  }

  /** Fetches every page after {@code from} (empty: from the beginning) and returns the new checkpoint. */
  abstract String sync(Optional<String> from, Sink sink);

  /** Hands a record to the sink as an entry of Haetae's types or as a foreign entry. */
  static void emit(ListRecord r, Sink sink) {
    Optional<dev.haetae.moderation.api.MatchType> t = r.matchType();
    if (t.isPresent()) {
      sink.accept(new Entry(t.get(), r.value(), r.state(), r.addedAt(), r.caseId()));
    } else {
      sink.foreign(new ForeignEntry(r.signalType(), r.value(), r.state(), r.addedAt(), r.caseId()));
    }
  }

  /** A record sink that forwards to a source sink, naming the page in problems. */
  static RecordSink forward(Sink sink, int page) {
    return new RecordSink() {
      @Override
      public void accept(ListRecord record) {
        emit(record, sink);
      }

      @Override
      public void problem(long line, ProblemKind kind, String message) {
        sink.problem(line, "[" + kind.name().toLowerCase(java.util.Locale.ROOT) + "] page " + page + ", line " + line
            + ": " + message);
      }
    };
  }

  static String encode(String s) {
    return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
  }

  /** {@code base} with {@code path} appended (one slash between them). */
  static URI resolve(URI base, String pathAndQuery) {
    String b = base.toString();
    if (b.endsWith("/")) {
      b = b.substring(0, b.length() - 1);
    }
    return URI.create(b + (pathAndQuery.startsWith("/") ? "" : "/") + pathAndQuery);
  }
}

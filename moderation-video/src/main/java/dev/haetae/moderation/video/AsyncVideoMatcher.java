package dev.haetae.moderation.video;

import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.ExternalHit;
import dev.haetae.moderation.api.ExternalProvenance;
import dev.haetae.moderation.api.InvalidRequestException;
import dev.haetae.moderation.api.LimitExceededException;
import dev.haetae.moderation.core.engine.PrecomputedMatches;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Hashes and matches uploaded videos off the request thread, on an executor the host provides, and
 * leaves the hits where the engine's next evaluation of the upload finds them: a {@link
 * PrecomputedMatches} external matcher registered with the engine. The evaluation that follows
 * records the hits as {@code Signal.ExternalMatch} evidence in the decision log, so the log holds
 * the video match that decided, and a replay needs no decoder (the hashes are never re-computed).
 *
 * <p>The flow: on upload the host calls {@link #submit}, answers the request at once (the video
 * can be held back from others meanwhile), and when the returned future completes it evaluates
 * the upload again (the same content id) and, once decided, {@linkplain PrecomputedMatches#remove
 * removes} the content's hits. Hashing runs under the hasher's {@link VideoLimits}, whose decode
 * deadline bounds each job; at most {@link Builder#maxQueued(int)} jobs wait or run at once, and a
 * submit beyond is refused at once with a {@link LimitExceededException} ({@code video.queue}),
 * never queued without bound. A video that fails to hash completes its future exceptionally with
 * the hasher's exception ({@link dev.haetae.moderation.api.ContentDecodeException} or {@link
 * LimitExceededException}) and puts nothing.
 *
 * <p>Thread-safe. It owns no thread: the executor is the host's, and so is its shutdown.
 *
 * @since 0.1
 */
public final class AsyncVideoMatcher {
  private final VideoHasher hasher;
  private final Supplier<VideoBank> bank;
  private final String list;
  private final Category category;
  private final PrecomputedMatches matches;
  private final ExternalProvenance provenance;
  private final Executor executor;
  private final int maxQueued;
  private final AtomicInteger pending = new AtomicInteger();

  private AsyncVideoMatcher(Builder b) {
    this.hasher = b.hasher;
    this.bank = InvalidRequestException.requireNonNull("bank", b.bank);
    this.list = InvalidRequestException.requireNonNull("list", b.list);
    this.category = InvalidRequestException.requireNonNull("category", b.category);
    this.matches = InvalidRequestException.requireNonNull("matches", b.matches);
    this.provenance = InvalidRequestException.requireNonNull("provenance", b.provenance);
    this.executor = InvalidRequestException.requireNonNull("executor", b.executor);
    this.maxQueued = b.maxQueued;
  }

  /**
   * A builder with a query hasher ({@code insideBorder(true)}, one hash per second, default limits)
   * and 16 queued jobs at most; the bank, list, category, matches, provenance and executor must be
   * set.
   *
   * @return a new builder; never null
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Queues a video for hashing and matching.
   *
   * @param content the upload's content id, under which the hits are put; not null
   * @param video the MP4, GIF or WebP file; not null; not copied, so not to be changed afterwards
   * @return completes with the hits put for {@code content} (empty when nothing matched), or
   *     exceptionally with the hasher's exception; never null
   * @throws InvalidRequestException when an argument is null
   * @throws LimitExceededException ({@code video.queue}) when {@link Builder#maxQueued(int)} jobs
   *     are pending or the executor refuses the job
   */
  public CompletableFuture<List<ExternalHit>> submit(ContentId content, byte[] video) {
    InvalidRequestException.requireNonNull("content", content);
    InvalidRequestException.requireNonNull("video", video);
    int now = pending.incrementAndGet();
    if (now > maxQueued) {
      pending.decrementAndGet();
      throw new LimitExceededException("video.queue", maxQueued, now);
    }
    CompletableFuture<List<ExternalHit>> done = new CompletableFuture<>();
    try {
      executor.execute(() -> {
        try {
          VideoBank current = bank.get();
          List<ExternalHit> hits = VideoHits.of(current.match(hasher.hash(video)), current.rule(), list, category);
          matches.put(content, hits, provenance);
          done.complete(hits);
        } catch (RuntimeException | Error e) {
          done.completeExceptionally(e);
        } finally {
          pending.decrementAndGet();
        }
      });
    } catch (RejectedExecutionException e) {
      pending.decrementAndGet();
      throw new LimitExceededException("video.queue", maxQueued, now);
    }
    return done;
  }

  /**
   * How many jobs are queued or running.
   *
   * @return the count, 0 to {@link Builder#maxQueued(int)}
   */
  public int pending() {
    return pending.get();
  }

  /**
   * Mutable builder of {@link AsyncVideoMatcher}; not thread-safe.
   *
   * @since 0.1
   */
  public static final class Builder {
    private VideoHasher hasher = VideoHasher.builder().insideBorder(true).build();
    private Supplier<VideoBank> bank;
    private String list;
    private Category category;
    private PrecomputedMatches matches;
    private ExternalProvenance provenance;
    private Executor executor;
    private int maxQueued = 16;

    private Builder() {}

    /**
     * Sets the hasher, whose limits (and decode deadline) bound each job.
     *
     * @param hasher not null
     * @return this builder
     * @throws InvalidRequestException when null
     */
    public Builder hasher(VideoHasher hasher) {
      this.hasher = InvalidRequestException.requireNonNull("hasher", hasher);
      return this;
    }

    /**
     * Sets where the current bank comes from, asked once per job (so a rebuilt bank applies to
     * later jobs).
     *
     * @param bank not null; must not return null
     * @return this builder
     * @throws InvalidRequestException when null
     */
    public Builder bank(Supplier<VideoBank> bank) {
      this.bank = InvalidRequestException.requireNonNull("bank", bank);
      return this;
    }

    /**
     * Sets the banked list's id and the harm its videos concern, as the hits carry them.
     *
     * @param list the list id, 1 to 256 characters; not null
     * @param category not null
     * @return this builder
     * @throws InvalidRequestException when null
     */
    public Builder list(String list, Category category) {
      this.list = InvalidRequestException.requireNonNull("list", list);
      this.category = InvalidRequestException.requireNonNull("category", category);
      return this;
    }

    /**
     * Sets the matcher the hits are put into (registered with the engine) and the provenance put
     * with them.
     *
     * @param matches its signal types must include {@value VideoHits#SIGNAL_TYPE}; not null
     * @param provenance not null
     * @return this builder
     * @throws InvalidRequestException when null
     */
    public Builder matches(PrecomputedMatches matches, ExternalProvenance provenance) {
      this.matches = InvalidRequestException.requireNonNull("matches", matches);
      this.provenance = InvalidRequestException.requireNonNull("provenance", provenance);
      return this;
    }

    /**
     * Sets the executor jobs run on: the host's, with as many threads as it gives video hashing
     * (a pool of one or two threads fits most hosts; a job holds one decoded frame at a time).
     *
     * @param executor not null
     * @return this builder
     * @throws InvalidRequestException when null
     */
    public Builder executor(Executor executor) {
      this.executor = InvalidRequestException.requireNonNull("executor", executor);
      return this;
    }

    /**
     * Sets how many jobs may be queued or running at once.
     *
     * @param jobs at least 1; default 16
     * @return this builder
     * @throws InvalidRequestException when below 1
     */
    public Builder maxQueued(int jobs) {
      if (jobs < 1) {
        throw new InvalidRequestException("maxQueued", "must be at least 1, got " + jobs);
      }
      this.maxQueued = jobs;
      return this;
    }

    /**
     * Builds the matcher.
     *
     * @return the matcher; never null
     * @throws InvalidRequestException when the bank, list, category, matches, provenance or
     *     executor was not set
     */
    public AsyncVideoMatcher build() {
      return new AsyncVideoMatcher(this);
    }
  }
}

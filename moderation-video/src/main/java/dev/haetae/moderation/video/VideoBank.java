package dev.haetae.moderation.video;

import dev.haetae.moderation.api.InvalidRequestException;
import dev.haetae.moderation.api.PdqHash;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An immutable bank of videos, each a {@link VideoHash} under an id, matched against query videos
 * with the vPDQ rule at bank scale: every banked frame is indexed, keyed to its video; a query's
 * frames collect candidate videos from the index, and only those are compared.
 *
 * <p><b>Index.</b> Each 256-bit hash is cut into 32 bytes; two hashes within distance 31 agree in
 * at least one byte at the same position (pigeonhole), so looking up each byte of a query frame
 * finds every banked frame within 31 bits, and only those are compared bit by bit. A rule with a
 * distance above 31 compares every banked frame.
 *
 * <p><b>Query side.</b> A query frame matches when its hash, or one of its {@link
 * FrameHash#insideBorder()} hashes (letterbox bars trimmed, see {@link VideoHasher}), is within the
 * distance of a banked frame. Banked videos are matched as hashed.
 *
 * <p>Thread-safe; {@link #match(VideoHash)} allocates per call only.
 *
 * @since 0.1
 */
public final class VideoBank {
  private static final int CHUNKS = 32;

  private final VpdqMatchRule rule;
  private final String[] ids;
  /** Per video: its deduplicated, quality-filtered frames. */
  private final List<List<FrameHash>> frames;
  /** Every indexed frame: its video and its position in that video's list. */
  private final int[] frameVideo;
  private final int[] framePos;
  private final PdqHash[] frameHash;
  /** Per byte position, per byte value: the indexed frames holding it. */
  private final int[][][] buckets;

  private VideoBank(Builder b) {
    this.rule = b.rule;
    this.ids = b.videos.keySet().toArray(new String[0]);
    this.frames = new ArrayList<>();
    List<int[]> refs = new ArrayList<>();
    List<PdqHash> hashes = new ArrayList<>();
    for (int v = 0; v < ids.length; v++) {
      List<FrameHash> kept = usable(b.videos.get(ids[v]), rule.qualityFloor());
      frames.add(kept);
      for (int k = 0; k < kept.size(); k++) {
        refs.add(new int[] {v, k});
        hashes.add(kept.get(k).hash());
      }
    }
    int n = refs.size();
    frameVideo = new int[n];
    framePos = new int[n];
    frameHash = hashes.toArray(new PdqHash[0]);
    int[][] counts = new int[CHUNKS][256];
    for (int i = 0; i < n; i++) {
      frameVideo[i] = refs.get(i)[0];
      framePos[i] = refs.get(i)[1];
      for (int c = 0; c < CHUNKS; c++) {
        counts[c][chunk(frameHash[i], c)]++;
      }
    }
    buckets = new int[CHUNKS][256][];
    for (int c = 0; c < CHUNKS; c++) {
      for (int v = 0; v < 256; v++) {
        buckets[c][v] = new int[counts[c][v]];
        counts[c][v] = 0;
      }
    }
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < CHUNKS; c++) {
        int v = chunk(frameHash[i], c);
        buckets[c][v][counts[c][v]++] = i;
      }
    }
  }

  /**
   * A builder with {@link VpdqMatchRule#defaults()}.
   *
   * @return a new builder; never null
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The rule this bank matches with.
   *
   * @return the rule; never null
   */
  public VpdqMatchRule rule() {
    return rule;
  }

  /**
   * How many videos the bank holds.
   *
   * @return the count
   */
  public int size() {
    return ids.length;
  }

  /**
   * How many frames are indexed (deduplicated, quality-filtered, over all videos).
   *
   * @return the count
   */
  public int indexedFrames() {
    return frameHash.length;
  }

  /**
   * The banked videos that match a query video under this bank's rule, best first (query
   * percentage, then comparison percentage, then id).
   *
   * @param query the query's hash (with {@link FrameHash#insideBorder()} hashes when the hasher made
   *     them); not null
   * @return the matching videos; never null; empty when none
   * @throws InvalidRequestException when {@code query} is null
   */
  public List<VideoMatch> match(VideoHash query) {
    return compare(query).stream().filter(VideoMatch::matches).toList();
  }

  /**
   * Every banked video sharing at least one frame with the query, with both percentages and whether
   * the rule accepts them, best first: for reports of how much of a variant matched.
   *
   * @param query the query's hash; not null
   * @return the candidates; never null
   * @throws InvalidRequestException when {@code query} is null
   */
  public List<VideoMatch> compare(VideoHash query) {
    InvalidRequestException.requireNonNull("query", query);
    List<FrameHash> q = usable(query, rule.qualityFloor());
    // per candidate video: which query frames matched it, which of its frames were matched
    Map<Integer, BitSet> queryHits = new HashMap<>();
    Map<Integer, BitSet> bankHits = new HashMap<>();
    for (int qi = 0; qi < q.size(); qi++) {
      FrameHash f = q.get(qi);
      Set<PdqHash> probes = new LinkedHashSet<>();
      probes.add(f.hash());
      probes.addAll(f.insideBorder());
      for (PdqHash probe : probes) {
        for (int i : near(probe)) {
          queryHits.computeIfAbsent(frameVideo[i], k -> new BitSet()).set(qi);
          bankHits.computeIfAbsent(frameVideo[i], k -> new BitSet()).set(framePos[i]);
        }
      }
    }
    List<VideoMatch> out = new ArrayList<>();
    for (Map.Entry<Integer, BitSet> e : queryHits.entrySet()) {
      int v = e.getKey();
      List<FrameHash> banked = frames.get(v);
      BitSet qh = e.getValue();
      BitSet bh = bankHits.get(v);
      double qp = q.isEmpty() ? 0 : 100.0 * qh.cardinality() / q.size();
      double cp = banked.isEmpty() ? 0 : 100.0 * bh.cardinality() / banked.size();
      out.add(new VideoMatch(ids[v], qp, cp, rule.accepts(qp, cp), ranges(q, qh), ranges(banked, bh)));
    }
    out.sort(Comparator.comparingDouble(VideoMatch::queryPercent).reversed()
        .thenComparing(Comparator.comparingDouble(VideoMatch::comparisonPercent).reversed())
        .thenComparing(VideoMatch::videoId));
    return out;
  }

  /** The indexed frames within the rule's distance of {@code h}. */
  private int[] near(PdqHash h) {
    int d = rule.distance();
    if (d >= CHUNKS) {
      int[] all = new int[frameHash.length];
      int n = 0;
      for (int i = 0; i < frameHash.length; i++) {
        if (frameHash[i].distance(h) <= d) {
          all[n++] = i;
        }
      }
      return Arrays.copyOf(all, n);
    }
    BitSet seen = new BitSet();
    int[] out = new int[16];
    int n = 0;
    for (int c = 0; c < CHUNKS; c++) {
      for (int i : buckets[c][chunk(h, c)]) {
        if (seen.get(i)) {
          continue;
        }
        seen.set(i);
        if (frameHash[i].distance(h) <= d) {
          if (n == out.length) {
            out = Arrays.copyOf(out, 2 * n);
          }
          out[n++] = i;
        }
      }
    }
    return Arrays.copyOf(out, n);
  }

  private static int chunk(PdqHash h, int c) {
    return (int) (h.word(c / 8) >>> ((c % 8) * 8)) & 0xff;
  }

  /** Frames at or above the floor, first occurrence of each hash kept (upstream deduplicates). */
  private static List<FrameHash> usable(VideoHash v, int floor) {
    Set<PdqHash> seen = new java.util.HashSet<>();
    List<FrameHash> out = new ArrayList<>();
    for (FrameHash f : v.frames()) {
      if (f.quality() >= floor && seen.add(f.hash())) {
        out.add(f);
      }
    }
    return out;
  }

  /** Runs of consecutive set positions, as the time ranges of their frames. */
  private static List<TimeRange> ranges(List<FrameHash> list, BitSet hits) {
    List<TimeRange> out = new ArrayList<>();
    for (int i = hits.nextSetBit(0); i >= 0; ) {
      int end = hits.nextClearBit(i);
      out.add(new TimeRange(list.get(i).timestampSeconds(),
          Math.max(list.get(i).timestampSeconds(), list.get(end - 1).timestampSeconds())));
      i = hits.nextSetBit(end);
    }
    return out;
  }

  /**
   * Mutable builder of {@link VideoBank}; not thread-safe.
   *
   * @since 0.1
   */
  public static final class Builder {
    private VpdqMatchRule rule = VpdqMatchRule.defaults();
    private final Map<String, VideoHash> videos = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Sets the matching rule.
     *
     * @param rule not null
     * @return this builder
     * @throws InvalidRequestException when null
     */
    public Builder rule(VpdqMatchRule rule) {
      this.rule = InvalidRequestException.requireNonNull("rule", rule);
      return this;
    }

    /**
     * Adds a video.
     *
     * @param id the video's id, unique in the bank; not null, not blank
     * @param hash its vPDQ hash; not null
     * @return this builder
     * @throws InvalidRequestException when an argument is null, the id blank or already added
     */
    public Builder add(String id, VideoHash hash) {
      InvalidRequestException.requireNonNull("id", id);
      InvalidRequestException.requireNonNull("hash", hash);
      if (id.isBlank()) {
        throw new InvalidRequestException("id", "must not be blank");
      }
      if (videos.containsKey(id)) {
        throw new InvalidRequestException("id", "'" + id + "' is already in the bank");
      }
      videos.put(id, hash);
      return this;
    }

    /**
     * Builds the bank and its index.
     *
     * @return the immutable bank; never null
     */
    public VideoBank build() {
      return new VideoBank(this);
    }
  }
}

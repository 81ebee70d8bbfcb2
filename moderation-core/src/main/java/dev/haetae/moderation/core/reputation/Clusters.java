package dev.haetae.moderation.core.reputation;

import dev.haetae.moderation.api.AccountEvent;
import dev.haetae.moderation.api.Signal.ReportIntake.Correlation;
import dev.haetae.moderation.api.spi.ReporterRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Groups the reporters of one target into clusters of correlated accounts (union-find). A link is a
 * piece of evidence that two reporters act together: accounts created within a window of each
 * other, accounts that joined the same room within a window of each other, young accounts that
 * reported this target within a short gap of each other, and accounts that reported the same
 * <em>other</em> target within a window of each other (one piece per such target). Links are made
 * between neighbours in time order, so a chain of close events forms one cluster.
 *
 * <p>Everyone is clustered; a track record weakens the link without removing it: two reporters
 * without a track record are joined by one piece of evidence, a pair with a proven reporter in it
 * needs two distinct pieces. Not thread-safe; one instance per weighing.
 */
final class Clusters {
  /**
   * One reporter of the target.
   *
   * @param created when the account was created, if known
   * @param rooms rooms joined
   * @param reportedAt when they reported this target
   * @param young whether the account was young when it reported
   * @param proven whether the reporter has a track record (links to them need two pieces)
   * @param elsewhere their reports of other targets
   */
  record Member(Optional<Instant> created, List<AccountEvent.RoomJoin> rooms, Instant reportedAt, boolean young,
      boolean proven, List<ReporterRecord.Trace> elsewhere) {}

  private final List<Member> members;
  private final int[] parent;
  private final int[] size;
  private final Set<Correlation> features = EnumSet.noneOf(Correlation.class);
  private final Map<Long, Set<String>> pieces = new HashMap<>();

  private Clusters(List<Member> members) {
    this.members = members;
    int n = members.size();
    parent = new int[n];
    size = new int[n];
    for (int i = 0; i < n; i++) {
      parent[i] = i;
      size[i] = 1;
    }
  }

  static Clusters of(List<Member> members, Duration createdTogether, Duration joinedTogether,
      Duration reportedTogether, Duration reportedElsewhere) {
    Clusters c = new Clusters(members);
    List<Integer> byCreation = new ArrayList<>();
    for (int i = 0; i < members.size(); i++) {
      if (members.get(i).created().isPresent()) {
        byCreation.add(i);
      }
    }
    byCreation.sort(Comparator.comparing(i -> members.get(i).created().get()));
    for (int k = 1; k < byCreation.size(); k++) {
      Instant a = members.get(byCreation.get(k - 1)).created().get();
      Instant b = members.get(byCreation.get(k)).created().get();
      if (Duration.between(a, b).compareTo(createdTogether) <= 0) {
        c.link(byCreation.get(k - 1), byCreation.get(k), Correlation.CREATED_TOGETHER, "created");
      }
    }
    Map<String, List<long[]>> joins = new HashMap<>();
    for (int i = 0; i < members.size(); i++) {
      for (AccountEvent.RoomJoin j : members.get(i).rooms()) {
        joins.computeIfAbsent("room:" + j.room().value(), r -> new ArrayList<>())
            .add(new long[] {j.joinedAt().toEpochMilli(), i});
      }
    }
    c.linkNeighbours(joins, joinedTogether, Correlation.JOINED_TOGETHER);
    List<Integer> youngByReport = new ArrayList<>();
    for (int i = 0; i < members.size(); i++) {
      if (members.get(i).young()) {
        youngByReport.add(i);
      }
    }
    youngByReport.sort(Comparator.comparing(i -> members.get(i).reportedAt()));
    for (int k = 1; k < youngByReport.size(); k++) {
      Instant a = members.get(youngByReport.get(k - 1)).reportedAt();
      Instant b = members.get(youngByReport.get(k)).reportedAt();
      if (Duration.between(a, b).compareTo(reportedTogether) <= 0) {
        c.link(youngByReport.get(k - 1), youngByReport.get(k), Correlation.REPORTED_TOGETHER, "reported");
      }
    }
    Map<String, List<long[]>> elsewhere = new HashMap<>();
    for (int i = 0; i < members.size(); i++) {
      for (ReporterRecord.Trace t : members.get(i).elsewhere()) {
        elsewhere.computeIfAbsent("target:" + t.target().kind() + ":" + t.target().id(), x -> new ArrayList<>())
            .add(new long[] {t.at().toEpochMilli(), i});
      }
    }
    c.linkNeighbours(elsewhere, reportedElsewhere, Correlation.REPORTED_ELSEWHERE_TOGETHER);
    return c;
  }

  /**
   * For each key (a room, another target), links the members whose events on it ({@code [epoch
   * millis, member]}) are neighbours in time within {@code gap}: one piece of evidence per key.
   */
  private void linkNeighbours(Map<String, List<long[]>> events, Duration gap, Correlation feature) {
    long g = gap.toMillis();
    for (Map.Entry<String, List<long[]>> e : events.entrySet()) {
      List<long[]> list = e.getValue();
      list.sort(Comparator.comparingLong(x -> x[0]));
      for (int k = 1; k < list.size(); k++) {
        if (list.get(k)[0] - list.get(k - 1)[0] <= g && list.get(k)[1] != list.get(k - 1)[1]) {
          link((int) list.get(k - 1)[1], (int) list.get(k)[1], feature, e.getKey());
        }
      }
    }
  }

  /** One piece of evidence that {@code a} and {@code b} act together. */
  private void link(int a, int b, Correlation feature, String piece) {
    boolean weak = members.get(a).proven() || members.get(b).proven();
    if (weak) {
      long key = a < b ? ((long) a << 32) | b : ((long) b << 32) | a;
      Set<String> have = pieces.computeIfAbsent(key, k -> new HashSet<>());
      have.add(piece);
      if (have.size() < 2) {
        return;
      }
    }
    features.add(feature);
    union(a, b);
  }

  private int find(int i) {
    while (parent[i] != i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  }

  private void union(int a, int b) {
    int ra = find(a);
    int rb = find(b);
    if (ra == rb) {
      return;
    }
    if (size[ra] < size[rb]) {
      int t = ra;
      ra = rb;
      rb = t;
    }
    parent[rb] = ra;
    size[ra] += size[rb];
  }

  /** The cluster id (root) of a member. */
  int root(int i) {
    return find(i);
  }

  /** The size of a member's cluster. */
  int sizeOf(int i) {
    return size[find(i)];
  }

  int largest() {
    int max = 0;
    for (int i = 0; i < parent.length; i++) {
      if (parent[i] == i) {
        max = Math.max(max, size[i]);
      }
    }
    return max;
  }

  Set<Correlation> features() {
    return features;
  }
}

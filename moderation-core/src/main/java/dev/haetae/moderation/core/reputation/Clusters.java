package dev.haetae.moderation.core.reputation;

import dev.haetae.moderation.api.AccountEvent;
import dev.haetae.moderation.api.RoomId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Groups the unproven reporters of one target into clusters of correlated accounts (union-find):
 * accounts created within a window of each other, accounts that joined the same room within a
 * window of each other, and young accounts that reported within a short gap of each other. Links
 * are made between neighbours in time order, so a chain of close events forms one cluster.
 * Not thread-safe; one instance per weighing.
 */
final class Clusters {
  /** One unproven reporter of the target. */
  record Member(Optional<Instant> created, List<AccountEvent.RoomJoin> rooms, Instant reportedAt, boolean young) {}

  private final int[] parent;
  private final int[] size;
  private final Set<String> features = new TreeSet<>();

  private Clusters(int n) {
    parent = new int[n];
    size = new int[n];
    for (int i = 0; i < n; i++) {
      parent[i] = i;
      size[i] = 1;
    }
  }

  static Clusters of(List<Member> members, Duration createdTogether, Duration joinedTogether,
      Duration reportedTogether) {
    Clusters c = new Clusters(members.size());
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
        c.union(byCreation.get(k - 1), byCreation.get(k), "created_together");
      }
    }
    Map<RoomId, List<long[]>> joins = new HashMap<>();
    for (int i = 0; i < members.size(); i++) {
      for (AccountEvent.RoomJoin j : members.get(i).rooms()) {
        joins.computeIfAbsent(j.room(), r -> new ArrayList<>()).add(new long[] {j.joinedAt().toEpochMilli(), i});
      }
    }
    long joinGap = joinedTogether.toMillis();
    for (List<long[]> list : joins.values()) {
      list.sort(Comparator.comparingLong(x -> x[0]));
      for (int k = 1; k < list.size(); k++) {
        if (list.get(k)[0] - list.get(k - 1)[0] <= joinGap && list.get(k)[1] != list.get(k - 1)[1]) {
          c.union((int) list.get(k - 1)[1], (int) list.get(k)[1], "joined_together");
        }
      }
    }
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
        c.union(youngByReport.get(k - 1), youngByReport.get(k), "reported_together");
      }
    }
    return c;
  }

  private int find(int i) {
    while (parent[i] != i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  }

  private void union(int a, int b, String feature) {
    int ra = find(a);
    int rb = find(b);
    if (ra == rb) {
      features.add(feature);
      return;
    }
    if (size[ra] < size[rb]) {
      int t = ra;
      ra = rb;
      rb = t;
    }
    parent[rb] = ra;
    size[ra] += size[rb];
    features.add(feature);
  }

  /** The cluster id (root) of each member. */
  int root(int i) {
    return find(i);
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

  Set<String> features() {
    return features;
  }
}

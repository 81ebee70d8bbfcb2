package dev.haetae.moderation.core.store;

import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.MatchType;
import dev.haetae.moderation.api.Pdq;
import dev.haetae.moderation.api.PdqHash;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.spi.EngineMemory;
import dev.haetae.moderation.core.hash.HashBanks;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Profile photos their owners protected, by PDQ hash, kept in a private hash bank (used only
 * through {@link HashBanks}' public methods) so that images within a distance of one are found. An
 * owner can withdraw a photo (or all of theirs); its hash is then forgotten unless another owner
 * protects the same one. In memory; thread-safe: changes are serialised, matching reads without
 * locking.
 */
final class ProtectedPhotoIndex {
  private static final String BANK = "profile-photos";

  record Photo(AccountId owner, ContentId photo) {}

  private final HashBanks bank = HashBanks.inMemory();
  /** Protected photos by hash (immutable lists); a hash is in the bank while it has a list. */
  private final Map<String, List<Photo>> byHash = new ConcurrentHashMap<>();
  /** The hash of each protected photo, to withdraw it. */
  private final Map<Photo, String> hashOf = new HashMap<>();
  private volatile int distance;

  ProtectedPhotoIndex(int distance) {
    this.distance = distance;
    bank.define(BANK, Category.OTHER, distance);
  }

  /** Protects a photo, replacing its earlier hash if the owner protected the same content id before. */
  synchronized void protect(AccountId owner, ContentId photo, PdqHash hash) {
    Photo p = new Photo(owner, photo);
    String hex = hash.toHex();
    String previous = hashOf.put(p, hex);
    if (previous != null && !previous.equals(hex)) {
      remove(previous, p);
    }
    List<Photo> photos = byHash.get(hex);
    if (photos == null) {
      bank.add(BANK, Category.OTHER, MatchType.PDQ, hex);
      byHash.put(hex, List.of(p));
    } else if (!photos.contains(p)) {
      List<Photo> out = new ArrayList<>(photos);
      out.add(p);
      byHash.put(hex, List.copyOf(out));
    }
  }

  /** Withdraws one photo's protection; whether it was protected. */
  synchronized boolean withdraw(AccountId owner, ContentId photo) {
    return withdraw(new Photo(owner, photo));
  }

  /** Withdraws every photo the owner protected; how many. */
  synchronized int withdrawAll(AccountId owner) {
    int n = 0;
    for (Photo p : new ArrayList<>(hashOf.keySet())) {
      if (p.owner().equals(owner) && withdraw(p)) {
        n++;
      }
    }
    return n;
  }

  private boolean withdraw(Photo p) {
    String hex = hashOf.remove(p);
    if (hex == null) {
      return false;
    }
    remove(hex, p);
    return true;
  }

  private void remove(String hex, Photo p) {
    List<Photo> photos = byHash.get(hex);
    if (photos == null || !photos.contains(p)) {
      return;
    }
    List<Photo> out = new ArrayList<>(photos);
    out.remove(p);
    if (out.isEmpty()) {
      byHash.remove(hex);
      bank.delete(BANK, MatchType.PDQ, hex);
    } else {
      byHash.put(hex, List.copyOf(out));
    }
  }

  /** The protected photos within {@code maxDistance} of the PDQ hash or its query variants. */
  List<EngineMemory.PhotoMatch> match(Pdq pdq, int maxDistance) {
    if (byHash.isEmpty()) {
      return List.of();
    }
    if (maxDistance != distance) {
      reconfigure(maxDistance);
    }
    List<EngineMemory.PhotoMatch> out = new ArrayList<>(0);
    for (Signal.HashMatch m : bank.match(Fingerprints.none().withPdq(pdq))) {
      List<Photo> photos = byHash.get(m.entry());
      if (photos == null) {
        continue;
      }
      for (Photo p : photos) {
        out.add(new EngineMemory.PhotoMatch(p.owner(), p.photo(), m.distance()));
      }
    }
    return out;
  }

  private synchronized void reconfigure(int maxDistance) {
    if (maxDistance != distance) {
      bank.define(BANK, Category.OTHER, maxDistance);
      distance = maxDistance;
    }
  }
}

package dev.haetae.moderation.core.engine;

import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.MatchType;
import dev.haetae.moderation.api.Pdq;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.core.hash.HashBanks;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Profile photos their owners opted into protection, by PDQ hash, kept in a private hash bank (used
 * only through {@link HashBanks}' public methods) so that copies posted by other accounts can be
 * signalled as {@link Signal.ProfilePhotoMatch}. In memory; thread-safe.
 */
final class ProtectedPhotos {
  private static final String BANK = "profile-photos";

  record Photo(AccountId owner, ContentId photo) {}

  private final HashBanks bank = HashBanks.inMemory();
  private final Map<String, CopyOnWriteArrayList<Photo>> byHash = new ConcurrentHashMap<>();
  private final int maxDistance;
  private volatile boolean any;

  ProtectedPhotos(int maxDistance) {
    this.maxDistance = maxDistance;
  }

  void protect(AccountId owner, ContentId photo, Pdq pdq) {
    String hex = pdq.hash().toHex();
    byHash.computeIfAbsent(hex, k -> new CopyOnWriteArrayList<>()).addIfAbsent(new Photo(owner, photo));
    if (!any) {
      bank.define(BANK, Category.OTHER, maxDistance);
      any = true;
    }
    bank.add(BANK, Category.OTHER, MatchType.PDQ, hex);
  }

  /** Copies of other owners' protected photos among the fingerprints. */
  List<Signal.ProfilePhotoMatch> match(AccountId poster, Fingerprints fp) {
    if (!any || fp.pdq().isEmpty()) {
      return List.of();
    }
    List<Signal.ProfilePhotoMatch> out = new ArrayList<>(0);
    for (Signal.HashMatch m : bank.match(Fingerprints.none().withPdq(fp.pdq().get()))) {
      List<Photo> photos = byHash.get(m.entry());
      if (photos == null) {
        continue;
      }
      for (Photo p : photos) {
        if (!p.owner().equals(poster)) {
          out.add(new Signal.ProfilePhotoMatch(p.owner(), p.photo(), m.distance()));
        }
      }
    }
    return out;
  }
}

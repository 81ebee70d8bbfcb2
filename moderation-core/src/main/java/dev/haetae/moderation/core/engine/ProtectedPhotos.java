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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Profile photos their owners opted into protection, by PDQ hash, kept in a private hash bank (used
 * only through {@link HashBanks}' public methods) so that copies posted by other accounts can be
 * signalled as {@link Signal.ProfilePhotoMatch}. An owner can withdraw a photo (or all of theirs);
 * its hash is then forgotten unless another owner protects the same one. Photos of known quality
 * below {@link #MIN_QUALITY} are not protected: a flat or nearly flat image's hash describes rounding,
 * not content, and would flag every plain image of a similar grey. In memory; thread-safe:
 * changes are serialised, matching reads without locking.
 */
final class ProtectedPhotos {
  private static final String BANK = "profile-photos";
  /** The PDQ quality below which a photo is not protected (the threshold hash lists use). */
  static final int MIN_QUALITY = 50;

  record Photo(AccountId owner, ContentId photo) {}

  private final HashBanks bank = HashBanks.inMemory();
  /** Protected photos by hash (immutable lists); a hash is in the bank while it has a list. */
  private final Map<String, List<Photo>> byHash = new ConcurrentHashMap<>();
  /** The hash of each protected photo, to withdraw it. */
  private final Map<Photo, String> hashOf = new HashMap<>();

  ProtectedPhotos(int maxDistance) {
    bank.define(BANK, Category.OTHER, maxDistance);
  }

  /**
   * Protects a photo (replacing its earlier hash, if the owner protected the same content id
   * before).
   *
   * @return false when the photo's known quality is below {@link #MIN_QUALITY} and it is not
   *     protected (an earlier protection of the same photo is withdrawn)
   */
  /** Whether a photo's hash is good enough to protect (a low-quality hash would match unrelated images). */
  static boolean protectable(Pdq pdq) {
    return pdq.quality() == Pdq.UNKNOWN_QUALITY || pdq.quality() >= MIN_QUALITY;
  }

  synchronized boolean protect(AccountId owner, ContentId photo, Pdq pdq) {
    Photo p = new Photo(owner, photo);
    if (pdq.quality() != Pdq.UNKNOWN_QUALITY && pdq.quality() < MIN_QUALITY) {
      withdraw(p);
      return false;
    }
    String hex = pdq.hash().toHex();
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
    return true;
  }

  /**
   * Withdraws one photo's protection.
   *
   * @return whether it was protected
   */
  synchronized boolean withdraw(AccountId owner, ContentId photo) {
    return withdraw(new Photo(owner, photo));
  }

  /**
   * Withdraws every photo the owner protected.
   *
   * @return how many were withdrawn
   */
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

  /** Copies of other owners' protected photos among the fingerprints. */
  List<Signal.ProfilePhotoMatch> match(AccountId poster, Fingerprints fp) {
    if (byHash.isEmpty() || fp.pdq().isEmpty()) {
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

package dev.haetae.moderation.bench.engine;

import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Content;
import dev.haetae.moderation.api.ContentEvent;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.ContentKind;
import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.Pdq;
import dev.haetae.moderation.api.PdqHash;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.Sha256;
import dev.haetae.moderation.api.Surface;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Pre-hashed image uploads, generated one at a time so that "distinct" really means never seen
 * before (a fixed array of events cycled through would make every event a re-share after one lap).
 *
 * <p>Each event is a new upload (new content id, a random poster among 5,000 accounts, a random room
 * among 500). With probability {@code reshare} it carries the exact fingerprints of one of the last
 * {@value #RECENT} distinct images (a forward: same bytes, so same SHA-256 and PDQ); otherwise a new
 * image, which in 1% of cases is a near-copy (1..6 bits flipped) of a banked hash. {@code variants}
 * random query variants are added to each new image, as Haetae's own hasher adds 15..30 (dihedral
 * turns, border trims, softer blur, upscaled); 0 models a host that supplies a bare PDQ hash.
 *
 * <p>Not thread-safe: one instance per benchmark thread.
 */
final class Traffic {
  /** How many recent distinct images a re-share picks from, uniformly. */
  static final int RECENT = 10_000;

  private final SplittableRandom rnd;
  private final double reshare;
  private final int variants;
  private final List<PdqHash> banked;
  private final Fingerprints[] recent = new Fingerprints[RECENT];
  private final String prefix;
  private final AccountId[] accounts = new AccountId[5000];
  private final RoomId[] rooms = new RoomId[500];
  private int recentCount;
  private int recentNext;
  private long seq;

  /**
   * @param seed the random seed
   * @param reshare the share of events that re-share an image seen before, 0..1
   * @param variants the number of query variants per new image
   * @param banked hashes in the bank, near-copies of which are uploaded; may be empty
   * @param prefix the content id prefix (one per thread)
   */
  Traffic(long seed, double reshare, int variants, List<PdqHash> banked, String prefix) {
    this.rnd = new SplittableRandom(seed);
    this.reshare = reshare;
    this.variants = variants;
    this.banked = banked;
    this.prefix = prefix;
    for (int i = 0; i < accounts.length; i++) {
      accounts[i] = AccountId.of("u" + i);
    }
    for (int i = 0; i < rooms.length; i++) {
      rooms[i] = RoomId.of("r" + i);
    }
  }

  ContentEvent next() {
    Fingerprints fp;
    if (recentCount > 0 && rnd.nextDouble() < reshare) {
      fp = recent[rnd.nextInt(recentCount)];
    } else {
      fp = newImage();
      recent[recentNext] = fp;
      recentNext = (recentNext + 1) % RECENT;
      recentCount = Math.min(RECENT, recentCount + 1);
    }
    return ContentEvent.upload(Content.of(ContentId.of(prefix + seq++), ContentKind.IMAGE, Surface.GROUP)
        .withFingerprints(fp), accounts[rnd.nextInt(accounts.length)], rooms[rnd.nextInt(rooms.length)]);
  }

  private Fingerprints newImage() {
    PdqHash h = rnd.nextInt(100) == 0 && !banked.isEmpty()
        ? flip(banked.get(rnd.nextInt(banked.size())), 1 + rnd.nextInt(6))
        : random();
    List<PdqHash> vs = new ArrayList<>(variants);
    for (int i = 0; i < variants; i++) {
      vs.add(random());
    }
    return Fingerprints.none().withPdq(new Pdq(h, 90, vs))
        .withSha256(new Sha256(rnd.nextLong(), rnd.nextLong(), rnd.nextLong(), rnd.nextLong()));
  }

  private PdqHash random() {
    return new PdqHash(rnd.nextLong(), rnd.nextLong(), rnd.nextLong(), rnd.nextLong());
  }

  private PdqHash flip(PdqHash h, int bits) {
    long[] w = {h.w0(), h.w1(), h.w2(), h.w3()};
    for (int i = 0; i < bits; i++) {
      int b = rnd.nextInt(256);
      w[b >>> 6] ^= 1L << (b & 63);
    }
    return new PdqHash(w[3], w[2], w[1], w[0]);
  }

  /** The banked hashes near-copies are drawn from: the first 1,000 of a bank, or none. */
  static List<PdqHash> sample(long[] words, int count) {
    List<PdqHash> out = new ArrayList<>();
    for (int i = 0; i < Math.min(1000, count); i++) {
      out.add(new PdqHash(words[4 * i + 3], words[4 * i + 2], words[4 * i + 1], words[4 * i]));
    }
    return out;
  }
}

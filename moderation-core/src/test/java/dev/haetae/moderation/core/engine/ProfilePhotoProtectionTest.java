package dev.haetae.moderation.core.engine;

import static dev.haetae.moderation.core.engine.Fixtures.PDQ_A;
import static dev.haetae.moderation.core.engine.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Content;
import dev.haetae.moderation.api.ContentEvent;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.ContentKind;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.InvalidRequestException;
import dev.haetae.moderation.api.Pdq;
import dev.haetae.moderation.api.PdqHash;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.Surface;
import dev.haetae.moderation.core.simulate.SettableClock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Opting profile photos into protection and out again, through events and the engine API. */
class ProfilePhotoProtectionTest {
  private static final String PDQ_B = "0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f";

  private static ContentEvent profilePhoto(String content, String owner, String hex, int quality, boolean protect) {
    Fingerprints fp = Fingerprints.none().withPdq(new Pdq(PdqHash.fromHex(hex), quality, List.of()));
    Content c = Content.of(ContentId.of(content), ContentKind.PROFILE_PHOTO, Surface.PUBLIC_CHANNEL).withFingerprints(fp);
    return new ContentEvent(ContentEvent.Action.PROFILE_PHOTO_CHANGE, c, AccountId.of(owner), Optional.empty(),
        Optional.empty(), protect, Optional.empty());
  }

  /** The profile-photo matches the engine gathered for the last evaluated request. */
  private static List<Signal.ProfilePhotoMatch> lastMatches(RecordingLog log) {
    Evidence ev = log.entries.get(log.entries.size() - 1).evidence();
    return ev.signals(Signal.ProfilePhotoMatch.class);
  }

  private static ModerationEngine engine(RecordingLog log) {
    return ModerationEngine.builder().clock(new SettableClock(T0)).decisionLog(log).build();
  }

  @Test
  void anOwnerCanWithdrawOnePhotoOrAllOfThem() {
    RecordingLog log = new RecordingLog(new CopyOnWriteArrayList<>());
    try (ModerationEngine engine = engine(log)) {
      engine.evaluate(profilePhoto("p1", "owner", PDQ_A, 100, true));
      engine.evaluate(profilePhoto("p2", "owner", PDQ_B, 100, true));
      engine.evaluate(Fixtures.upload("c1", "stranger", "r1", PDQ_A));
      assertEquals(1, lastMatches(log).size(), "a copy of a protected photo is signalled");
      assertEquals(ContentId.of("p1"), lastMatches(log).get(0).photo());

      assertTrue(engine.withdrawProfilePhoto(AccountId.of("owner"), ContentId.of("p1")));
      assertFalse(engine.withdrawProfilePhoto(AccountId.of("owner"), ContentId.of("p1")), "already withdrawn");
      assertFalse(engine.withdrawProfilePhoto(AccountId.of("stranger"), ContentId.of("p2")), "not the owner's");
      engine.evaluate(Fixtures.upload("c2", "stranger", "r1", PDQ_A));
      assertEquals(List.of(), lastMatches(log));
      engine.evaluate(Fixtures.upload("c3", "stranger", "r1", PDQ_B));
      assertEquals(1, lastMatches(log).size(), "the other photo stays protected");

      assertEquals(1, engine.withdrawProfilePhotos(AccountId.of("owner")));
      engine.evaluate(Fixtures.upload("c4", "stranger", "r1", PDQ_B));
      assertEquals(List.of(), lastMatches(log));
      assertThrows(InvalidRequestException.class, () -> engine.withdrawProfilePhotos(null));
    }
  }

  @Test
  void theLatestEventAboutAPhotoSetsItsProtection() {
    RecordingLog log = new RecordingLog(new CopyOnWriteArrayList<>());
    try (ModerationEngine engine = engine(log)) {
      engine.evaluate(profilePhoto("p1", "owner", PDQ_A, 100, true));
      engine.evaluate(profilePhoto("p1", "owner", PDQ_A, 100, false));
      engine.evaluate(Fixtures.upload("c1", "stranger", "r1", PDQ_A));
      assertEquals(List.of(), lastMatches(log), "opting out withdraws the photo");
    }
  }

  @Test
  void aHashTwoOwnersProtectStaysUntilBothWithdraw() {
    RecordingLog log = new RecordingLog(new CopyOnWriteArrayList<>());
    try (ModerationEngine engine = engine(log)) {
      engine.evaluate(profilePhoto("p1", "alice", PDQ_A, 100, true));
      engine.evaluate(profilePhoto("p2", "bob", PDQ_A, 100, true));
      engine.withdrawProfilePhotos(AccountId.of("alice"));
      engine.evaluate(Fixtures.upload("c1", "stranger", "r1", PDQ_A));
      assertEquals(List.of(AccountId.of("bob")), lastMatches(log).stream().map(Signal.ProfilePhotoMatch::owner).toList());
      engine.withdrawProfilePhotos(AccountId.of("bob"));
      engine.evaluate(Fixtures.upload("c2", "stranger", "r1", PDQ_A));
      assertEquals(List.of(), lastMatches(log));
    }
  }

  @Test
  void aLowQualityPhotoIsNotProtected() {
    RecordingLog log = new RecordingLog(new CopyOnWriteArrayList<>());
    try (ModerationEngine engine = engine(log)) {
      // a plain grey photo: its hash is rounding residue and would flag every similar plain image
      engine.evaluate(profilePhoto("p1", "owner", PDQ_A, 0, true));
      engine.evaluate(Fixtures.upload("c1", "stranger", "r1", PDQ_A));
      assertEquals(List.of(), lastMatches(log));
      engine.evaluate(profilePhoto("p2", "owner", PDQ_B, Pdq.UNKNOWN_QUALITY, true));
      engine.evaluate(Fixtures.upload("c2", "stranger", "r1", PDQ_B));
      assertEquals(1, lastMatches(log).size(), "a host-supplied hash without quality is protected");
    }
  }
}

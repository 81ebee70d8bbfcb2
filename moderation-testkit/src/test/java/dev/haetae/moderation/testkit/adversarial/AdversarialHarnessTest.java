package dev.haetae.moderation.testkit.adversarial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.core.reputation.ReputationModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every attack family against the built-in engine, in quick mode (scale 1, two seeds) by default;
 * {@code -Padversarial} runs them at scale 5 with ten seeds ({@code haetae.adversarial.scale},
 * {@code haetae.adversarial.seeds}). A family whose property is pending engine-side work is skipped
 * with the reason and the violations when it does not hold. Each result is printed, so the test
 * output is the measurement the reputation guide quotes.
 */
class AdversarialHarnessTest {
  private static final int SCALE = Integer.getInteger("haetae.adversarial.scale", 1);
  private static final int SEEDS = Integer.getInteger("haetae.adversarial.seeds", 2);

  static Stream<Arguments> runs() {
    List<Arguments> out = new ArrayList<>();
    for (AttackFamily f : AttackFamily.values()) {
      for (long seed = 1; seed <= SEEDS; seed++) {
        out.add(Arguments.of(f, seed));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} seed {1}")
  @MethodSource("runs")
  void theBuiltInEngineKeepsEachFamilysProperty(AttackFamily family, long seed) {
    AttackResult r = AdversarialHarness.builder().scale(SCALE).build().run(family, seed);
    System.out.println(r.describe());
    if (!r.held() && family.pending().isPresent()) {
      Assumptions.abort("pending: " + family.pending().get() + "\n" + r.describe());
    }
    r.assertHeld();
  }

  @Test
  void aRunIsAFunctionOfFamilySeedAndScale() {
    AdversarialHarness h = AdversarialHarness.builder().build();
    for (AttackFamily f : List.of(AttackFamily.DILUTION, AttackFamily.DECOYS, AttackFamily.QUEUE_FLOODING)) {
      assertEquals(h.run(f, 7), h.run(f, 7), f.name());
    }
    assertFalse(h.run(AttackFamily.DILUTION, 7).measures().isEmpty());
  }

  @Test
  void aHostConfigurationThatWeakensTheModelIsCaught() {
    // a model that never suspects a wave or a cluster lets the aged wave through unflagged
    AttackResult r = AdversarialHarness.builder()
        .engine(b -> b.reputationModel(ReputationModel.builder().burst(1000, Duration.ofHours(24)).clusterSize(1000)
            .build()))
        .build().run(AttackFamily.SYBIL_AGING, 1);
    assertFalse(r.held(), r.describe());
    assertEquals(0.0, r.measures().get("flagged"), r.describe());
  }

  /** The verdict policy as version 4 had it: only a verdict out of a flagged wave asks a second reviewer. */
  private static final dev.haetae.moderation.core.policy.PolicyConfig FLAGGED_ONLY =
      dev.haetae.moderation.core.policy.PolicyConfig.parse(
          "{\"policies\": {\"review-verdict\": {\"second_review\": \"flagged\"}}}");

  @Test
  void withoutCampaignDetectionTheBoughtReviewBanksHerPhotoAndStrikesHer() {
    // with second reviews only for flagged waves, the guard rests on the campaign flag: a model that
    // never sees one lets the bought review bank her photo, and the property catches it
    AttackResult r = AdversarialHarness.builder()
        .engine(b -> b.policyConfig(FLAGGED_ONLY).reputationModel(ReputationModel.builder()
            .campaign(1000, 1000, Duration.ofHours(1)).burst(1000, Duration.ofHours(24)).clusterSize(1000).build()))
        .build().run(AttackFamily.BANK_LAUNDERING, 1);
    assertFalse(r.held(), r.describe());
    assertEquals(0.0, r.measures().get("bought_review_asks_second"), r.describe());
    assertEquals(1.0, r.measures().get("her_photos_banked"), r.describe());
    // the built-in verdict policy asks a second reviewer for every first banking verdict, so the same
    // blind model no longer banks her photo
    AttackResult now = AdversarialHarness.builder()
        .engine(b -> b.reputationModel(ReputationModel.builder().campaign(1000, 1000, Duration.ofHours(1))
            .burst(1000, Duration.ofHours(24)).clusterSize(1000).build()))
        .build().run(AttackFamily.BANK_LAUNDERING, 1);
    assertTrue(now.held(), now.describe());
    assertEquals(0.0, now.measures().get("her_photos_banked"), now.describe());
  }

  @Test
  void withSecondReviewsOnlyForFlaggedWavesOneBoughtVerdictBanksHerPhotos() {
    AttackResult r = AdversarialHarness.builder().engine(b -> b.policyConfig(FLAGGED_ONLY)).build()
        .run(AttackFamily.BOUGHT_REVIEW, 1);
    System.out.println("second_review: flagged\n" + r.describe()); // the guide quotes it as the "before"
    assertFalse(r.held(), r.describe());
    assertEquals(3.0, r.measures().get("her_photos_banked"), r.describe());
    assertEquals(0.0, r.measures().get("bought_reviews_asking_second"), r.describe());
    // the price of the defence, seen from the other side: without it the victim's image is banked on
    // the first verdict, so no re-post stays up while a second reviewer is awaited
    assertEquals(0.0, r.measures().get("victim_copies_up_while_waiting"), r.describe());
    AttackResult now = AdversarialHarness.builder().build().run(AttackFamily.BOUGHT_REVIEW, 1);
    assertTrue(now.held(), now.describe());
    assertEquals(3.0, now.measures().get("bought_reviews_asking_second"), now.describe());
    assertEquals(2.0, now.measures().get("victim_copies_up_while_waiting"), now.describe());
    assertEquals(1.0, now.measures().get("victim_image_banked"), now.describe());
  }

  @Test
  void withTheRetiredBankPoliciesALoneReportRemovesHerOlderOriginal() {
    // known-ncii@2 and csam@2 acted in full on a platform-bank match reached through an unflagged
    // report on an older upload: the property catches it
    java.util.List<dev.haetae.moderation.api.spi.Policy> pack = new ArrayList<>();
    for (dev.haetae.moderation.api.spi.Policy p : FLAGGED_ONLY.builtIn()) {
      if (!p.id().name().equals("known-ncii") && !p.id().name().equals("csam")) {
        pack.add(p);
      }
    }
    for (dev.haetae.moderation.api.spi.Policy p : dev.haetae.moderation.core.policy.PolicyPack.retired()) {
      if ((p.id().name().equals("known-ncii") || p.id().name().equals("csam")) && p.id().version().equals("2")) {
        pack.add(p);
      }
    }
    // the laundered entry exists only when one verdict may bank (second reviews for flagged waves only)
    AttackResult r = AdversarialHarness.builder().engine(b -> b.policyPack(pack)).build()
        .run(AttackFamily.BANK_LAUNDERING, 1);
    assertFalse(r.held(), r.describe());
    assertEquals(1.0, r.measures().get("older_upload_removed_on_report"), r.describe());
    AttackResult now = AdversarialHarness.builder().engine(b -> b.policyConfig(FLAGGED_ONLY)).build()
        .run(AttackFamily.BANK_LAUNDERING, 1);
    assertTrue(now.held(), now.describe());
    assertEquals(0.0, now.measures().get("older_upload_removed_on_report"), now.describe());
    assertEquals(1.0, now.measures().get("laundered_copy_banked"), "the setup banks the copy: " + now.describe());
    AttackResult built = AdversarialHarness.builder().build().run(AttackFamily.BANK_LAUNDERING, 1);
    assertTrue(built.held(), built.describe());
    assertEquals(0.0, built.measures().get("laundered_copy_banked"), "one verdict banks nothing: " + built.describe());
  }

  @Test
  void underThePostingTimeRuleAReportRemovesHerPhotoPostedBeforeTheEntryReachedThisInstance() {
    // known-ncii@3 and csam@3 judged a report-path platform-bank match by the posting time alone: her
    // photo, posted after another instance banked the ring's copy but before this one followed it,
    // looked like a copy the entry should have caught
    java.util.List<dev.haetae.moderation.api.spi.Policy> pack = new ArrayList<>();
    for (dev.haetae.moderation.api.spi.Policy p : dev.haetae.moderation.core.policy.PolicyPack.defaults()) {
      if (!p.id().name().equals("known-ncii") && !p.id().name().equals("csam")) {
        pack.add(p);
      }
    }
    for (dev.haetae.moderation.api.spi.Policy p : dev.haetae.moderation.core.policy.PolicyPack.retired()) {
      if ((p.id().name().equals("known-ncii") || p.id().name().equals("csam")) && p.id().version().equals("3")) {
        pack.add(p);
      }
    }
    AttackResult r = AdversarialHarness.builder().engine(b -> b.policyPack(pack)).build()
        .run(AttackFamily.BANK_LAUNDERING, 1);
    assertFalse(r.held(), r.describe());
    assertEquals(1.0, r.measures().get("late_entry_removed_on_report"), r.describe());
    assertEquals(0.0, r.measures().get("older_upload_removed_on_report"), "version 3 bounds the older one: "
        + r.describe());
    AttackResult now = AdversarialHarness.builder().build().run(AttackFamily.BANK_LAUNDERING, 1);
    assertTrue(now.held(), now.describe());
    assertEquals(0.0, now.measures().get("late_entry_removed_on_report"), now.describe());
    assertEquals(0.0, now.measures().get("late_photo_removed"), now.describe());
    assertEquals(1.0, now.measures().get("ring_copy_removed_on_report"), "the banked poster's own copy still goes: "
        + now.describe());
  }

  @Test
  void outOfRangeSettingsAreRefusedByName() {
    IllegalArgumentException s = assertThrows(IllegalArgumentException.class,
        () -> AdversarialHarness.builder().scale(0));
    assertTrue(s.getMessage().contains("scale"), s.getMessage());
    IllegalArgumentException p = assertThrows(IllegalArgumentException.class,
        () -> AdversarialHarness.builder().reviewsPerHour(0));
    assertTrue(p.getMessage().contains("reviewsPerHour"), p.getMessage());
    assertThrows(NullPointerException.class, () -> AdversarialHarness.builder().build().run(null, 1));
  }
}

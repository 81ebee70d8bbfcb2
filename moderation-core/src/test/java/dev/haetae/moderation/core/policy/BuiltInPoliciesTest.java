package dev.haetae.moderation.core.policy;

import static dev.haetae.moderation.core.policy.Streams.PDQ;
import static dev.haetae.moderation.core.policy.Streams.T;
import static dev.haetae.moderation.core.policy.Streams.bank;
import static dev.haetae.moderation.core.policy.Streams.flip;
import static dev.haetae.moderation.core.policy.Streams.image;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class BuiltInPoliciesTest {
  private static final String OTHER = "0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f";
  private static final String SHA = "ab".repeat(32);

  @Test
  void knownNciiRemovesACertainMatchAndOnlyBlursAnUncertainOne() {
    Streams.Run r = Streams.run(PolicyConfig.defaults(),
        bank("ncii", "pdq", PDQ),
        image(T + "01Z", "c1", "u1", "r1", "group", flip(PDQ, 3), null),
        image(T + "02Z", "c2", "u2", "r2", "group", flip(PDQ, 28), null));
    assertEquals(List.of("remove", "block_reupload", "preserve_evidence", "notify_user"), r.actions(2));
    assertEquals(List.of("blur", "review"), r.actions(3));
    assertEquals("high", r.review(3).get("priority").asText());
    assertTrue(r.decision(3).get("reasons").get(0).asText().contains("uncertain"));
  }

  @Test
  void csamIsReportedAndTheUploaderIsNeverTippedOff() {
    Streams.Run r = Streams.run(PolicyConfig.defaults(),
        bank("csam", "sha256", SHA),
        "{\"type\":\"content\",\"at\":\"" + T + "01Z\",\"content\":\"f1\",\"account\":\"u1\",\"room\":\"r1\","
            + "\"surface\":\"group\",\"kind\":\"file\",\"sha256\":\"" + SHA + "\"}",
        "{\"type\":\"review\",\"at\":\"" + T + "02Z\",\"content\":\"x9\",\"verdict\":\"violating\",\"category\":\"csam\"}");
    assertEquals(List.of("remove", "block_reupload", "preserve_evidence", "report_authority"), r.actions(2));
    assertFalse(r.actions(3).contains("notify_user"), r.actions(3).toString());
    assertTrue(r.actions(3).contains("report_authority"));
  }

  @Test
  void repeatOffendersLoseForwardingThenTheAccountWithStrikesExpiringPerPolicy() {
    String[] s = {
        bank("ncii", "pdq", PDQ),
        image(T + "01Z", "c1", "u1", "r1", "direct", PDQ, null),
        image(T + "02Z", "c2", "u1", "r2", "direct", OTHER, null),
        image(T + "03Z", "c3", "u1", "r3", "direct", flip(PDQ, 1), null),
        image(T + "04Z", "c4", "u1", "r4", "direct", flip(OTHER, 1), null),
        image(T + "05Z", "c5", "u1", "r5", "direct", flip(PDQ, 2), null),
        image(T + "06Z", "c6", "u1", "r6", "direct", flip(OTHER, 2), null),
        image("2026-11-23T10:00:00Z", "c7", "u1", "r7", "direct", flip(OTHER, 3), null)};
    Streams.Run r = Streams.run(PolicyConfig.defaults(), s);
    assertEquals(List.of("allow"), r.actions(3));
    assertEquals(List.of("restrict_forwarding"), r.actions(5));
    assertEquals(List.of("restrict_forwarding", "suspend_account", "notify_user"), r.actions(7));
    assertTrue(r.actions(8).contains("suspend_account"), "90-day strikes still count two days later");

    Streams.Run shortLived = Streams.run(PolicyConfig.parse(
        "{\"policies\":{\"repeat-offender\":{\"strike_ttl\":{\"default\":\"P90D\",\"known-ncii\":\"P1D\"}}}}"), s);
    assertTrue(shortLived.actions(7).contains("suspend_account"));
    assertEquals(List.of("allow"), shortLived.actions(8), "strikes from known-ncii live one day here");
  }

  @Test
  void aRoomWithSeveralMatchesIsEscalatedAsARoom() {
    Streams.Run r = Streams.run(PolicyConfig.defaults(),
        bank("ncii", "pdq", PDQ),
        image(T + "01Z", "c1", "u1", "room-9", "group", PDQ, null),
        image(T + "02Z", "c2", "u2", "room-9", "group", flip(PDQ, 1), null),
        image(T + "03Z", "c3", "u3", "room-9", "group", flip(PDQ, 2), null));
    assertFalse(r.actions(3).contains("review"));
    assertEquals("room", r.review(4).get("lane").asText());
    assertTrue(r.decision(4).get("reasons").toString().contains("room-escalation/room_escalation"));
  }

  @Test
  void copiesOfAProtectedProfilePhotoGoToReviewAndTheOwnerIsTold() {
    Streams.Run r = Streams.run(PolicyConfig.defaults(),
        "{\"type\":\"content\",\"at\":\"" + T + "01Z\",\"content\":\"p1\",\"account\":\"owner\",\"room\":\"profile\","
            + "\"surface\":\"public_channel\",\"kind\":\"profile_photo\",\"pdq\":\"" + PDQ + "\",\"protect\":true}",
        image(T + "02Z", "c1", "stranger", "r1", "group", flip(PDQ, 4), null),
        image(T + "03Z", "c2", "owner", "r1", "group", PDQ, null),
        image(T + "04Z", "c3", "stranger", "dm", "direct", PDQ, null),
        image(T + "05Z", "c4", "stranger", "r1", "group", OTHER, null));
    assertEquals(List.of("allow"), r.actions(1));
    assertEquals(List.of("review", "notify_user"), r.actions(2));
    assertEquals("profile_photo", r.review(2).get("lane").asText());
    assertEquals(List.of("allow"), r.actions(3), "the owner may post their own photo");
    assertEquals(List.of("allow"), r.actions(4), "direct messages are not covered by default");
    assertEquals(List.of("allow"), r.actions(5));
  }

  @Test
  void anImageWithIdentifyingDetailsRaisesReviewPriority() {
    Streams.Run r = Streams.run(PolicyConfig.defaults(),
        bank("ncii", "pdq", PDQ),
        image(T + "01Z", "c1", "u1", "r1", "group", OTHER, "김민지 17살 서울여고 2학년 ㅋㅋ"),
        image(T + "02Z", "c2", "u1", "r1", "group", flip(OTHER, 1), "Jane, 16 years old, Lincoln High School"),
        image(T + "03Z", "c3", "u1", "r1", "group", flip(OTHER, 2), "sunset at the beach, 2 years old camera"),
        image(T + "04Z", "c4", "u2", "r2", "group", flip(PDQ, 26), "이름: 민지"));
    assertEquals("doxxing", r.review(2).get("lane").asText());
    assertEquals("high", r.review(2).get("priority").asText());
    assertEquals("high", r.review(3).get("priority").asText());
    assertEquals(List.of("allow"), r.actions(4));
    assertEquals("urgent", r.review(5).get("priority").asText(), "a suspect image with a name is urgent");
    assertTrue(r.actions(5).contains("blur"), "the uncertain match is only blurred");
  }

  @Test
  void detailPatternsInKoreanAndEnglish() {
    assertEquals(List.of("age", "school"), dev.haetae.moderation.core.text.IdentifyingDetails.defaults().details("17살 서울여고"));
    assertEquals(List.of("name", "address"), dev.haetae.moderation.core.text.IdentifyingDetails.defaults().details("이름은 민지, 서울시 강남구 살아요"));
    assertEquals(List.of("address", "phone"), dev.haetae.moderation.core.text.IdentifyingDetails.defaults().details("101동 1203호 010-1234-5678"));
    assertEquals(List.of("name", "age"), dev.haetae.moderation.core.text.IdentifyingDetails.defaults().details("her name is Jane, 15 yo"));
    assertEquals(List.of("address"), dev.haetae.moderation.core.text.IdentifyingDetails.defaults().details("she lives at 42 Elm Street"));
    assertEquals(List.of(), dev.haetae.moderation.core.text.IdentifyingDetails.defaults().details("good morning everyone"));
  }

  @Test
  void everyRestrictiveActionOfTheBuiltInsNamesAGround() {
    Streams.Run r = Streams.run(PolicyConfig.defaults(),
        bank("ncii", "pdq", PDQ),
        image(T + "01Z", "c1", "u1", "r1", "group", PDQ, null));
    assertTrue(r.decision(2).path("failures").isMissingNode(), r.decision(2).toString());
  }
}

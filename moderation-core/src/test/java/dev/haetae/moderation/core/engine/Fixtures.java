package dev.haetae.moderation.core.engine;

import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.Content;
import dev.haetae.moderation.api.ContentEvent;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.ContentKind;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.LegalGround;
import dev.haetae.moderation.api.Outcome;
import dev.haetae.moderation.api.Pdq;
import dev.haetae.moderation.api.PdqHash;
import dev.haetae.moderation.api.PolicyId;
import dev.haetae.moderation.api.Reason;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.Surface;
import dev.haetae.moderation.api.spi.Policy;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/** Shared test data. */
final class Fixtures {
  static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
  static final String PDQ_A = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";

  private Fixtures() {}

  static ContentEvent upload(String content, String account, String room, String pdqHex) {
    Fingerprints fp = Fingerprints.none().withPdq(new Pdq(PdqHash.fromHex(pdqHex), 100, List.of()));
    return ContentEvent.upload(Content.of(ContentId.of(content), ContentKind.IMAGE, Surface.GROUP).withFingerprints(fp),
        AccountId.of(account), RoomId.of(room));
  }

  static ContentEvent upload(String content) {
    return upload(content, "u1", "r1", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
  }

  static Policy policy(String name, Function<Evidence, Outcome> f) {
    PolicyId id = PolicyId.of(name, "1");
    return new Policy() {
      @Override
      public PolicyId id() {
        return id;
      }

      @Override
      public Outcome evaluate(Evidence evidence) {
        return f.apply(evidence);
      }
    };
  }

  static Reason grounded(String policy, Category c) {
    return Reason.of(PolicyId.of(policy, "1"), "test", "test reason", c,
        LegalGround.terms("ToS 1", "test ground"));
  }

  static Policy remover(String name) {
    return policy(name, e -> Outcome.of(List.of(new Action.Remove()), List.of(grounded(name, Category.NCII))));
  }
}

package dev.haetae.moderation.core.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.DecisionId;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.FailMode;
import dev.haetae.moderation.api.PolicyFailure;
import dev.haetae.moderation.core.decide.Decider;
import dev.haetae.moderation.core.decide.ProviderFailures;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The failure kinds added for isolation ({@code tripped}, {@code invalid}) and the provider
 * failures carried in the evidence survive the log: written, read back, decided again, equal.
 */
class FailureKindCodecTest {

  @Test
  void everyFailureKindAndFailModeRoundTripsThroughARecord() {
    Fixtures fx = new Fixtures(15);
    RecordCodec codec = new RecordCodec(Pseudonymizers.hmacSha256("k1", new byte[32]), RecordCodec.TEXT_FIELDS);
    for (PolicyFailure.Kind kind : PolicyFailure.Kind.values()) {
      for (FailMode mode : FailMode.values()) {
        Evidence base = fx.evidence();
        Map<String, String> versions = new TreeMap<>(base.versions());
        versions.put("provider:host-" + kind, ProviderFailures.version(kind, mode));
        Evidence e = new Evidence(base.now(), base.request(), base.signals(), versions);
        Decision d = Decider.decide(DecisionId.of("d-" + kind + "-" + mode), e, java.util.List.of(),
            java.util.List.of());
        assertEquals(1, d.failures().size(), d.toString());
        assertEquals(kind, d.failures().get(0).kind());
        assertEquals(mode, d.failures().get(0).applied());
        ObjectNode n = codec.encode(e, d);
        Evidence back = RecordCodec.readEvidence(n.get("evidence"));
        Decision read = RecordCodec.readDecision(n.get("decision"));
        assertEquals(d.failures(), read.failures());
        assertEquals(read, Decider.decide(read.id(), back, java.util.List.of(), java.util.List.of()),
            "the decision read back is the one the decider derives from the evidence read back");
      }
    }
  }
}

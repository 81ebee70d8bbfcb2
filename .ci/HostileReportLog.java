import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.DecisionId;
import dev.haetae.moderation.api.Duty;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.LegalNotice;
import dev.haetae.moderation.api.NoticeSender;
import dev.haetae.moderation.api.ObligationEvent;
import dev.haetae.moderation.api.PolicyId;
import dev.haetae.moderation.api.spi.ObligationRecord;
import dev.haetae.moderation.core.audit.DecisionLogs;
import dev.haetae.moderation.core.audit.EngineLog;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes a decision log whose legal notices and obligations carry hostile instrument names: a
 * template placeholder, a script, event handlers, a comment opener. A log is untrusted input to the
 * auditor who renders its report (the notice's sender chose the text, or someone edited the log),
 * and the report page must show all of it as text. Used by .ci/check-report-chromium.sh.
 *
 * <p>Run from the project's root: {@code java -cp moderation-cli/target/haetae.jar .ci/HostileReportLog.java DIR}.
 */
public final class HostileReportLog {
  private HostileReportLog() {}

  /** The instrument names; each would set {@code data-xss} on the page's body if it ran. */
  static final List<String> HOSTILE = List.of(
      "@@DATA@@",
      "<img src=x onerror=document.body.setAttribute('data-xss','img')>",
      "</script><script>document.body.setAttribute('data-xss','script')</script>",
      "'><svg onload=document.body.setAttribute('data-xss','svg')>",
      "<!--<script>document.body.setAttribute('data-xss','comment')</script>",
      "@@INSTRUMENT_TABLE@@<style>body{display:none}</style>");

  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    Instant t = Instant.parse("2026-11-21T10:00:00Z");
    PolicyId policy = PolicyId.of("legal-notice", "2");
    try (EngineLog log = DecisionLogs.directory(dir).build()) {
      int i = 0;
      for (String instrument : HOSTILE) {
        Instant at = t.plusSeconds(60L * i);
        ContentId content = ContentId.of("c" + i);
        LegalNotice notice = new LegalNotice("n" + i, instrument, content, NoticeSender.VICTIM, Map.of(), at);
        ObligationRecord o = new ObligationRecord(instrument + ":n" + i, instrument, "sec. 1", Category.NCII, content,
            at, at.plus(Duration.ofHours(48)), List.of(Duty.REMOVE), Duration.ZERO, ObligationRecord.Status.OPEN,
            at.plus(Duration.ofHours(48)), 0, Optional.empty());
        Decision d = new Decision(DecisionId.of("d" + i), at, List.of(new Action.Allow()), List.of(), Optional.empty(),
            List.of(policy), List.of(), List.of());
        log.append(new Evidence(at, notice, List.of(), Map.of()), d, List.of(),
            List.of(new ObligationEvent(ObligationEvent.Type.OPENED, o, at, Duration.ZERO)));
        i++;
      }
    }
    System.out.println("wrote " + HOSTILE.size() + " hostile notices to " + dir);
  }
}

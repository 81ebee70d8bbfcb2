package dev.haetae.moderation.core.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.LegalNotice;
import dev.haetae.moderation.api.NoticeSender;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compliance report page is built from an untrusted log: a notice's instrument is whatever its
 * sender wrote. A notice whose instrument was the template placeholder {@code @@DATA@@} once made
 * the report's data land raw in the page, and a second notice's {@code <img onerror=...>} ran in the
 * auditor's browser. Browser-free checks: with hostile strings in every free-text field (and seeded
 * random ones), the page's markup is exactly that of a page with harmless values, the data round-trip
 * unchanged, and the Content-Security-Policy allows only the page's own script and style.
 * {@code .ci/check-report-chromium.sh} renders such a page in Chromium and asserts no script ran.
 */
class ReportHtmlSafetyTest {
  private static final Instant T = Instant.parse("2026-06-01T00:00:00Z");
  private static final long SEED = Long.getLong("haetae.fuzz.seed", 0x0C5A_F00DL);
  private static final int CASES = 20 * Integer.getInteger("haetae.fuzz.scale", 1);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the probe used and what a template, an HTML parser or a script might trip over. */
  static final List<String> HOSTILE = List.of(
      "@@DATA@@", "@@INSTRUMENT_TABLE@@", "@@BREACH_TABLE@@", "@@FROM@@",
      "<img src=x onerror=\"document.body.setAttribute('data-xss','ran')\">",
      "<img src=x onerror=document.body.setAttribute(1)>",
      "<script>document.body.setAttribute('data-xss','ran')</script>",
      "</script><script>document.body.setAttribute('data-xss','ran')</script>",
      "<!--<script>", "\"><svg onload=alert(1)>", "'><iframe src=javascript:alert(1)>",
      "</table><style>body{display:none}</style>", "&lt;b&gt;", "x\u2028\u2029y", "\\u003cscript\\u003e",
      "${7*7}{{7*7}}", "javascript:alert(1)", "\u0000\u001b[31m");

  /** A log with one breached notice per instrument name. */
  private static Path log(Path dir, List<String> instruments) {
    ComplianceReportTest.OPEN.clear();
    try (EngineLog log = DecisionLogs.directory(dir).pseudonymizer(DirectoryDecisionLogTest.P).build()) {
      int i = 0;
      for (String instrument : instruments) {
        LegalNotice n = new LegalNotice("n" + i, instrument, ContentId.of("c" + i), NoticeSender.VICTIM, Map.of(),
            T.plusSeconds(i));
        ComplianceReportTest.append(log, T.plusSeconds(i), n, List.of(ComplianceReportTest.obligation(instrument,
            T.plusSeconds(i))), false);
        i++;
      }
      ComplianceReportTest.append(log, T.plus(Duration.ofHours(60)), ComplianceReportTest.upload("c0"), List.of(),
          true);
    }
    return dir;
  }

  private static String page(Path dir) {
    return ComplianceReport.of(AuditLog.open(dir), Optional.of(T.plus(Duration.ofDays(9))), ProgressListener.NONE)
        .toHtml();
  }

  @Test
  void hostileInstrumentsStayTextAndTheirDataRoundTrips(@TempDir Path dir) throws Exception {
    String hostile = page(log(Files.createDirectory(dir.resolve("hostile")), HOSTILE));
    List<String> benign = new ArrayList<>();
    for (int i = 0; i < HOSTILE.size(); i++) {
      benign.add("instrument-" + (char) ('a' + i));
    }
    String plain = page(log(Files.createDirectory(dir.resolve("benign")), benign));
    checkPage(hostile, plain, HOSTILE);
  }

  @Test
  void seededRandomInstrumentsNeverChangeThePagesMarkup(@TempDir Path dir) throws Exception {
    Random random = new Random(SEED);
    String alphabet = "<>&\"'/\\=@!-[]{}();: \n\t\u2028\u00e9\ud55c`$";
    for (int c = 0; c < CASES; c++) {
      int n = 1 + random.nextInt(4);
      List<String> hostile = new ArrayList<>();
      List<String> benign = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        StringBuilder s = new StringBuilder();
        int len = 1 + random.nextInt(40);
        for (int k = 0; k < len; k++) {
          s.append(random.nextInt(4) == 0 ? HOSTILE.get(random.nextInt(HOSTILE.size()))
              : String.valueOf(alphabet.charAt(random.nextInt(alphabet.length()))));
        }
        // distinct names sorted like the benign ones, so rows line up
        hostile.add(i + "-" + s);
        benign.add(i + "-x");
      }
      String h = page(log(Files.createDirectory(dir.resolve("h" + c)), hostile));
      String b = page(log(Files.createDirectory(dir.resolve("b" + c)), benign));
      checkPage(h, b, hostile);
    }
  }

  private static final Pattern TAG = Pattern.compile("<(/?[A-Za-z!][^\\s>/]*)");

  private static void checkPage(String hostile, String plain, List<String> instruments) throws Exception {
    assertEquals(tags(plain), tags(hostile), "hostile values changed the page's markup");
    // the data block round-trips every value exactly
    Matcher m = Pattern.compile("<script type=\"application/json\" id=\"report-data\">(.*?)</script>",
        Pattern.DOTALL).matcher(hostile);
    assertTrue(m.find(), "no data block");
    assertFalse(m.group(1).contains("<") || m.group(1).contains(">") || m.group(1).contains("&"));
    JsonNode data = JSON.readTree(m.group(1));
    List<String> seen = new ArrayList<>();
    data.get("instruments").forEach(n -> seen.add(n.get("instrument").asText()));
    assertEquals(instruments.stream().sorted().toList(), seen.stream().sorted().toList());
    // exactly the page's own script, allowed by the policy's hash; nothing else may run
    Matcher csp = Pattern.compile("<meta http-equiv=\"Content-Security-Policy\" content=\"([^\"]*)\">")
        .matcher(hostile);
    assertTrue(csp.find(), "no Content-Security-Policy");
    String policy = csp.group(1).replace("&#39;", "'");
    assertTrue(policy.startsWith("default-src 'none'; script-src 'sha256-"), policy);
    assertFalse(policy.contains("unsafe-inline") || policy.contains("unsafe-eval"), policy);
    Matcher script = Pattern.compile("<script>(.*?)</script>", Pattern.DOTALL).matcher(hostile);
    assertTrue(script.find());
    String code = script.group(1);
    String hash = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
        .digest(code.getBytes(StandardCharsets.UTF_8)));
    assertTrue(policy.contains("script-src 'sha256-" + hash + "'"), "the policy does not allow the page's script");
    assertFalse(script.find(), "a second executable script");
    assertFalse(code.contains("innerHTML"), "the script writes data as text only");
  }

  private static List<String> tags(String html) {
    List<String> out = new ArrayList<>();
    Matcher m = TAG.matcher(html);
    while (m.find()) {
      out.add(m.group(1).toLowerCase(java.util.Locale.ROOT));
    }
    return out;
  }
}

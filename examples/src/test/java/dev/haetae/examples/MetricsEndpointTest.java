package dev.haetae.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 17: the example backend's metrics, scraped over HTTP as Prometheus would. */
class MetricsEndpointTest {

  private static double sample(String text, String metric, String labelPart) {
    Pattern p = Pattern.compile("^" + Pattern.quote(metric) + "\\{([^}]*)\\} (\\S+)$", Pattern.MULTILINE);
    Matcher m = p.matcher(text);
    double sum = 0;
    boolean found = false;
    while (m.find()) {
      if (m.group(1).contains(labelPart)) {
        sum += Double.parseDouble(m.group(2));
        found = true;
      }
    }
    assertTrue(found, metric + "{" + labelPart + "} is not in the scrape");
    return sum;
  }

  @Test
  void aScrapeAfterTheDayShowsItsDecisions(@TempDir Path dir) throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (MetricsEndpoint endpoint = MetricsEndpoint.start(0, registry)) {
      Map<String, Integer> live = MessengerBackend.runDay(dir.resolve("log"), dir.resolve("day.jsonl"), registry);
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://localhost:" + endpoint.port() + "/metrics")).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode());
      assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
      String text = r.body();
      assertEquals(live.get("remove"), (int) sample(text, "haetae_decision_actions_total", "action=\"remove\""));
      assertTrue(sample(text, "haetae_decisions_total", "request=\"content\"") > 100);
      assertTrue(sample(text, "haetae_decisions_total", "request=\"notice\"") >= 4);
      assertTrue(sample(text, "haetae_evaluate_stage_seconds_count", "stage=\"log\"") > 100);
      assertTrue(sample(text, "haetae_evaluate_stage_seconds", "quantile=\"0.99\"") >= 0);
      assertTrue(sample(text, "haetae_decision_reasons_total", "code=\"bank_match\"") > 0);
      assertTrue(sample(text, "haetae_obligation_events_total", "type=\"opened\"") >= 3);
      assertEquals(2000, sample(text, "haetae_bank_entries", "bank=\"stopncii\""));
      assertTrue(text.contains("cache_gets_total{cache=\"haetae.match\""), "the match cache's metrics");
    }
  }
}

package dev.haetae.moderation.core.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Submits statements of reasons to the DSA Transparency Database's API ({@code POST
 * /api/v1/statements}, at most {@value StatementsOfReasons#MAX_BATCH} per call, bearer token),
 * resumably and idempotently: each statement the database accepted (or already held: its
 * {@code puid} is not unique) is appended to a checkpoint file, and statements whose puid the
 * checkpoint holds are not sent again. Answers {@code 429} and {@code 5xx} (and connection
 * failures) are retried with exponential backoff (honouring {@code Retry-After}); a {@code 422}
 * names each refused statement ({@code statement_N}) with the server's reasons, and, as the
 * database created none of the batch, the rest of the batch is sent again without them.
 *
 * <p>Instances are not thread-safe: one submission at a time per checkpoint file.
 *
 * @since 0.3
 */
public final class SorSubmission {
  /** The path of the database's multiple-statements endpoint. */
  public static final String PATH = "/api/v1/statements";
  private static final String NOT_UNIQUE = "not unique";

  /**
   * Waits between attempts; tests inject one that records instead of sleeping.
   *
   * @since 0.3
   */
  @FunctionalInterface
  public interface Sleeper {
    /**
     * Waits.
     *
     * @param d how long; not null, not negative
     * @throws InterruptedException when interrupted
     */
    void sleep(Duration d) throws InterruptedException;
  }

  /**
   * A submission that cannot go on: the token was refused, the server answered with an
   * unexpected status, or retries were exhausted. What was accepted before is in the checkpoint, so
   * running again resumes.
   *
   * @since 0.3
   */
  public static final class SubmissionException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int status;

    SubmissionException(String message, int status, Throwable cause) {
      super(message, cause);
      this.status = status;
    }

    /**
     * The HTTP status of the last answer, or 0 when there was none (connection failure).
     *
     * @return the status
     */
    public int status() {
      return status;
    }
  }

  /**
   * A statement the database refused.
   *
   * @param puid the statement's puid (empty if it had none); not null
   * @param reasons the server's reasons by field, as it sent them; not null
   * @since 0.3
   */
  public record Refusal(String puid, Map<String, List<String>> reasons) {
    /**
     * Copies.
     *
     * @param puid the puid component, as described on the record
     * @param reasons the reasons component, as described on the record
     * @throws NullPointerException when a component is null
     */
    public Refusal {
      Objects.requireNonNull(puid, "puid");
      reasons = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(reasons));
    }
  }

  /**
   * What a submission did.
   *
   * @param accepted statements the database created now
   * @param alreadyPresent statements it already held (puid not unique), now in the checkpoint
   * @param skipped statements not sent because the checkpoint already held their puid
   * @param refused statements refused, with the server's reasons; not null
   * @param requests HTTP requests made, retries included
   * @since 0.3
   */
  public record Result(long accepted, long alreadyPresent, long skipped, List<Refusal> refused, long requests) {
    /**
     * Copies.
     *
     * @param accepted the accepted component, as described on the record
     * @param alreadyPresent the alreadyPresent component, as described on the record
     * @param skipped the skipped component, as described on the record
     * @param refused the refused component, as described on the record
     * @param requests the requests component, as described on the record
     * @throws NullPointerException when {@code refused} is null
     */
    public Result {
      refused = List.copyOf(refused);
    }
  }

  private final URI endpoint;
  private final String token;
  private final Path checkpoint;
  private final int batchSize;
  private final int maxAttempts;
  private final Sleeper sleeper;
  private final HttpClient http;

  private SorSubmission(Builder b) {
    this.endpoint = b.endpoint;
    this.token = b.token;
    this.checkpoint = b.checkpoint;
    this.batchSize = b.batchSize;
    this.maxAttempts = b.maxAttempts;
    this.sleeper = b.sleeper;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
  }

  /**
   * A builder.
   *
   * @param endpoint the database's base URL (e.g. {@code https://transparency.dsa.ec.europa.eu}) or
   *     the full URL of {@value #PATH}; http or https; not null
   * @param token the API token; not null, not blank
   * @param checkpoint the checkpoint file (created if missing); not null
   * @return the builder; never null
   * @throws IllegalArgumentException when the endpoint is not an http(s) URL or the token is blank
   */
  public static Builder builder(URI endpoint, String token, Path checkpoint) {
    return new Builder(endpoint, token, checkpoint);
  }

  /**
   * Options of a submission.
   *
   * @since 0.3
   */
  public static final class Builder {
    private final URI endpoint;
    private final String token;
    private final Path checkpoint;
    private int batchSize = StatementsOfReasons.MAX_BATCH;
    private int maxAttempts = 8;
    private Sleeper sleeper = d -> Thread.sleep(d.toMillis());

    private Builder(URI endpoint, String token, Path checkpoint) {
      Objects.requireNonNull(endpoint, "endpoint");
      Objects.requireNonNull(token, "token");
      this.checkpoint = Objects.requireNonNull(checkpoint, "checkpoint");
      String scheme = endpoint.getScheme();
      if (!"https".equalsIgnoreCase(scheme) && !"http".equalsIgnoreCase(scheme) || endpoint.getHost() == null) {
        throw new IllegalArgumentException("endpoint must be an http(s) URL, got " + endpoint);
      }
      if (token.isBlank() || token.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
        throw new IllegalArgumentException("token must be non-blank printable ASCII without spaces");
      }
      String base = endpoint.toString();
      while (base.endsWith("/")) {
        base = base.substring(0, base.length() - 1);
      }
      this.endpoint = URI.create(base.endsWith(PATH) ? base : base + PATH);
      this.token = token;
    }

    /**
     * Statements per request (default {@value StatementsOfReasons#MAX_BATCH}).
     *
     * @param n 1..{@value StatementsOfReasons#MAX_BATCH}
     * @return this
     * @throws IllegalArgumentException when out of range
     */
    public Builder batchSize(int n) {
      if (n < 1 || n > StatementsOfReasons.MAX_BATCH) {
        throw new IllegalArgumentException("batch size must be 1.." + StatementsOfReasons.MAX_BATCH + ", got " + n);
      }
      this.batchSize = n;
      return this;
    }

    /**
     * Attempts per request before giving up on 429, 5xx or connection failures (default 8).
     *
     * @param n at least 1
     * @return this
     * @throws IllegalArgumentException when less than 1
     */
    public Builder maxAttempts(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("maxAttempts must be at least 1, got " + n);
      }
      this.maxAttempts = n;
      return this;
    }

    /**
     * How to wait between attempts (default {@link Thread#sleep}).
     *
     * @param s the sleeper; not null
     * @return this
     */
    public Builder sleeper(Sleeper s) {
      this.sleeper = Objects.requireNonNull(s, "sleeper");
      return this;
    }

    /**
     * Builds.
     *
     * @return the submission; never null
     */
    public SorSubmission build() {
      return new SorSubmission(this);
    }
  }

  /**
   * The URL statements are posted to.
   *
   * @return the URL; never null
   */
  public URI endpoint() {
    return endpoint;
  }

  /**
   * Submits statements not yet in the checkpoint.
   *
   * @param statements statements as JSON objects (as {@link StatementsOfReasons.Export#statements()}
   *     gives them); not null
   * @return what happened; never null
   * @throws SubmissionException when the token is refused, the server answers an unexpected
   *     status, or 429/5xx/connection failures outlast the attempts
   * @throws IOException when the checkpoint cannot be read or written
   * @throws IllegalArgumentException when a statement is not a JSON object
   * @throws InterruptedException when interrupted while waiting to retry
   */
  public Result submit(List<String> statements) throws SubmissionException, IOException, InterruptedException {
    Set<String> done = readCheckpoint();
    List<ObjectNode> todo = new ArrayList<>();
    Set<String> queued = new HashSet<>();
    long skipped = 0;
    for (String s : statements) {
      JsonNode n;
      try {
        n = Frames.JSON.readTree(s);
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException("statement is not JSON: " + e.getOriginalMessage(), e);
      }
      if (n == null || !n.isObject()) {
        throw new IllegalArgumentException("statement is not a JSON object");
      }
      String puid = n.path("puid").asText("");
      if (done.contains(puid) || !queued.add(puid)) {
        skipped++;
        continue;
      }
      todo.add((ObjectNode) n);
    }
    long[] counts = new long[3]; // accepted, already present, requests
    List<Refusal> refused = new ArrayList<>();
    for (int i = 0; i < todo.size(); i += batchSize) {
      List<ObjectNode> batch = new ArrayList<>(todo.subList(i, Math.min(todo.size(), i + batchSize)));
      while (!batch.isEmpty()) {
        batch = send(batch, counts, refused);
      }
    }
    return new Result(counts[0], counts[1], skipped, refused, counts[2]);
  }

  /** Sends one batch; returns what is left to send again (the batch less the refused), or nothing. */
  private List<ObjectNode> send(List<ObjectNode> batch, long[] counts, List<Refusal> refused)
      throws SubmissionException, IOException, InterruptedException {
    ObjectNode body = Frames.JSON.createObjectNode();
    ArrayNode a = body.putArray("statements");
    batch.forEach(a::add);
    HttpResponse<String> r = post(Frames.JSON.writeValueAsString(body), counts);
    int status = r.statusCode();
    if (status == 200 || status == 201) {
      List<String> puids = new ArrayList<>();
      batch.forEach(s -> puids.add(s.path("puid").asText("")));
      appendCheckpoint(puids);
      counts[0] += batch.size();
      return List.of();
    }
    if (status == 401 || status == 403) {
      throw new SubmissionException("the database refused the token (HTTP " + status + ")", status, null);
    }
    if (status != 422) {
      throw new SubmissionException("unexpected answer HTTP " + status + ": " + excerpt(r.body()), status, null);
    }
    JsonNode errors;
    try {
      errors = Frames.JSON.readTree(r.body()).path("errors");
    } catch (JsonProcessingException e) {
      throw new SubmissionException("HTTP 422 with a body that is not JSON: " + excerpt(r.body()), status, e);
    }
    List<ObjectNode> again = new ArrayList<>();
    List<String> present = new ArrayList<>();
    boolean any = false;
    for (int i = 0; i < batch.size(); i++) {
      JsonNode e = errors.get("statement_" + i);
      if (e == null && batch.size() == 1 && errors.isObject() && !errors.isEmpty()
          && !errors.fieldNames().next().startsWith("statement_")) {
        e = errors; // a single statement's errors, unindexed
      }
      if (e == null || !e.isObject() || e.isEmpty()) {
        again.add(batch.get(i));
        continue;
      }
      any = true;
      String puid = batch.get(i).path("puid").asText("");
      Map<String, List<String>> reasons = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> f : e.properties()) {
        List<String> msgs = new ArrayList<>();
        if (f.getValue().isArray()) {
          f.getValue().forEach(m -> msgs.add(m.asText()));
        } else {
          msgs.add(f.getValue().asText());
        }
        reasons.put(f.getKey(), msgs);
      }
      if (reasons.size() == 1 && reasons.containsKey("puid")
          && reasons.get("puid").stream().allMatch(m -> m.contains(NOT_UNIQUE))) {
        present.add(puid); // submitted before (e.g. by a run whose checkpoint write was lost)
      } else {
        refused.add(new Refusal(puid, reasons));
      }
    }
    if (!any) {
      throw new SubmissionException("HTTP 422 naming no statement of the batch: " + excerpt(r.body()), status, null);
    }
    appendCheckpoint(present);
    counts[1] += present.size();
    return again;
  }

  private HttpResponse<String> post(String body, long[] counts) throws SubmissionException, InterruptedException {
    HttpRequest req = HttpRequest.newBuilder(endpoint).timeout(Duration.ofMinutes(2))
        .header("Authorization", "Bearer " + token).header("Accept", "application/json")
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
    Duration wait = Duration.ofSeconds(1);
    String last = "";
    int lastStatus = 0;
    for (int attempt = 1; ; attempt++) {
      counts[2]++;
      Optional<Duration> retryAfter = Optional.empty();
      try {
        HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        int s = r.statusCode();
        if (s != 429 && s < 500) {
          return r;
        }
        lastStatus = s;
        last = "HTTP " + s + ": " + excerpt(r.body());
        retryAfter = r.headers().firstValue("Retry-After").flatMap(SorSubmission::seconds);
      } catch (IOException e) {
        lastStatus = 0;
        last = e.toString();
      }
      if (attempt >= maxAttempts) {
        throw new SubmissionException("gave up after " + attempt + " attempts; last: " + last, lastStatus, null);
      }
      sleeper.sleep(retryAfter.orElse(wait));
      wait = wait.multipliedBy(2).compareTo(Duration.ofMinutes(1)) > 0 ? Duration.ofMinutes(1) : wait.multipliedBy(2);
    }
  }

  private static Optional<Duration> seconds(String header) {
    try {
      long s = Long.parseLong(header.trim());
      return s < 0 || s > 3600 ? Optional.empty() : Optional.of(Duration.ofSeconds(s));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static String excerpt(String body) {
    String b = body == null ? "" : body.replaceAll("[\\p{Cntrl}]", " ");
    return b.length() <= 300 ? b : b.substring(0, 300) + "…";
  }

  private Set<String> readCheckpoint() throws IOException {
    Set<String> done = new HashSet<>();
    if (Files.exists(checkpoint)) {
      for (String line : Files.readAllLines(checkpoint, StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          done.add(line.strip());
        }
      }
    }
    return done;
  }

  private void appendCheckpoint(List<String> puids) throws IOException {
    if (puids.isEmpty()) {
      return;
    }
    StringBuilder sb = new StringBuilder();
    for (String p : puids) {
      if (StatementRules.PUID.matcher(p).matches()) { // anything else cannot have been accepted
        sb.append(p).append('\n');
      }
    }
    try {
      Files.writeString(checkpoint, sb, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
          StandardOpenOption.WRITE, StandardOpenOption.DSYNC);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}

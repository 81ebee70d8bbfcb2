package dev.haetae.examples;

import dev.haetae.moderation.api.AccountEvent;
import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.Content;
import dev.haetae.moderation.api.ContentEvent;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.ContentKind;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.LegalNotice;
import dev.haetae.moderation.api.MatchType;
import dev.haetae.moderation.api.ModerationRequest;
import dev.haetae.moderation.api.NoticeSender;
import dev.haetae.moderation.api.ObligationEvent;
import dev.haetae.moderation.api.Pdq;
import dev.haetae.moderation.api.PdqHash;
import dev.haetae.moderation.api.Reason;
import dev.haetae.moderation.api.ReporterId;
import dev.haetae.moderation.api.ReviewOutcome;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.Surface;
import dev.haetae.moderation.api.Target;
import dev.haetae.moderation.api.UserReport;
import dev.haetae.moderation.api.Verdict;
import dev.haetae.moderation.api.observe.EngineListener;
import dev.haetae.moderation.api.spi.ObligationRecord;
import dev.haetae.moderation.core.engine.ModerationEngine;
import dev.haetae.moderation.core.hash.HashBanks;
import dev.haetae.moderation.core.simulate.EventStreamWriter;
import dev.haetae.moderation.core.simulate.SettableClock;
import dev.haetae.moderation.micrometer.HaetaeMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A messenger backend's day, driven through a real engine on its embedded defaults.
 *
 * <p>Three hundred users in forty rooms upload and forward images for 24 simulated hours. Some of
 * the images are re-shared copies (re-compressed, so a few PDQ bits differ) of known intimate
 * images in a StopNCII-style bank; one file matches a regulator's SHA-256 list. Users report what
 * they see, five hundred fresh accounts mass-report a journalist's harmless post, victims and a
 * regulator send legal notices (one of them incomplete), moderators review the queue, and the
 * legal clocks tick. Twenty users protect their profile photos; now and then a stranger posts a
 * near-copy of one into a group, sometimes with the person's name, age and school in the caption.
 * At the end the program prints decisions by action and by reason, the legal obligations and their
 * state, where the decision log is, and where the day was written as an event stream
 * ({@code day.jsonl} next to the log, in the format {@code haetae simulate} reads: replaying it gives
 * the same decisions).
 *
 * <p>Events happen in time order, as the event-stream format requires.
 *
 * <p>Run it with the README's main command, or with {@code java ... MessengerBackend [--metrics-port N]
 * [LOG_DIR]}. With {@code --metrics-port}, the engine's metrics ({@code moderation-micrometer}) are
 * served as Prometheus text at {@code http://localhost:N/metrics}, and the program keeps serving
 * them after the day until it is stopped; without it, the program exits when the day is over.
 */
public final class MessengerBackend {
  private static final Instant START = Instant.parse("2026-11-21T00:00:00Z");

  private final Random rnd = new Random(20261121L);
  private final SettableClock clock = new SettableClock(START);
  private final Map<String, AtomicInteger> byAction = new TreeMap<>();
  private final Map<String, AtomicInteger> byReason = new TreeMap<>();
  private final Map<String, AtomicInteger> obligationEvents = new TreeMap<>();
  private final Map<String, AtomicInteger> executed = new ConcurrentHashMap<>();
  private int decisions;
  private EventStreamWriter stream;
  private HaetaeMetrics metrics;

  private MessengerBackend() {}

  /**
   * Runs the simulated day.
   *
   * @param args optional: {@code --metrics-port N} to serve metrics on port N (0 picks a free port),
   *     then the directory for the decision log (default {@code haetae-log})
   * @throws IOException when the metrics port cannot be opened
   * @throws InterruptedException when interrupted while serving metrics
   */
  public static void main(String[] args) throws IOException, InterruptedException {
    List<String> rest = new ArrayList<>(List.of(args));
    Integer port = null;
    int at = rest.indexOf("--metrics-port");
    if (at >= 0) {
      if (at + 1 >= rest.size()) {
        throw new IllegalArgumentException("--metrics-port needs a port number");
      }
      port = Integer.parseInt(rest.get(at + 1));
      rest.subList(at, at + 2).clear();
    }
    Path logDir = Path.of(!rest.isEmpty() ? rest.get(0) : "haetae-log");
    MessengerBackend m = new MessengerBackend();
    if (port == null) {
      m.run(logDir, logDir.toAbsolutePath().resolveSibling("day.jsonl"));
      return;
    }
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    m.metrics = HaetaeMetrics.create(m.clock, Tags.empty());
    m.metrics.bindTo(registry);
    try (MetricsEndpoint endpoint = MetricsEndpoint.start(port, registry)) {
      System.out.println("Metrics: http://localhost:" + endpoint.port() + "/metrics");
      m.run(logDir, logDir.toAbsolutePath().resolveSibling("day.jsonl"));
      System.out.println("The day is over; still serving metrics. Stop with Ctrl-C.");
      new CountDownLatch(1).await();
    }
  }

  /**
   * Runs the day, logging to {@code logDir} and writing the events to {@code streamFile}.
   *
   * @param logDir the decision log's directory
   * @param streamFile where the day's event stream goes
   * @return decisions by action name
   */
  static Map<String, Integer> runDay(Path logDir, Path streamFile) {
    return runDay(logDir, streamFile, null);
  }

  /**
   * Runs the day as {@link #runDay(Path, Path)} does, recording the engine's metrics in a registry.
   *
   * @param logDir the decision log's directory
   * @param streamFile where the day's event stream goes
   * @param registry where the metrics go, or null for none
   * @return decisions by action name
   */
  static Map<String, Integer> runDay(Path logDir, Path streamFile, MeterRegistry registry) {
    MessengerBackend m = new MessengerBackend();
    if (registry != null) {
      m.metrics = HaetaeMetrics.create(m.clock, Tags.empty());
      m.metrics.bindTo(registry);
    }
    m.run(logDir, streamFile);
    Map<String, Integer> out = new TreeMap<>();
    m.byAction.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  private void addToBank(HashBanks banks, String bank, Category category, MatchType type, String hex) {
    banks.add(bank, category, type, hex);
    stream.bank(clock.instant(), "add", bank, category, type, hex);
  }

  private void tick(ModerationEngine engine) {
    // the tick re-checks waiting reports: each re-check is a decision, as a replay of the stream counts it
    for (dev.haetae.moderation.core.engine.RecheckedReport r : engine.recheckWaitingReports(clock.instant())) {
      tally(r.decision());
    }
    engine.tick();
    stream.tick(clock.instant());
  }

  private void run(Path logDir, Path streamFile) {
    try (EventStreamWriter w = EventStreamWriter.to(streamFile)) {
      stream = w;
      run(logDir);
    }
    System.out.println("Event stream: " + streamFile + " (" + "replay: ./haetae simulate " + streamFile + ")");
  }

  private void run(Path logDir) {
    HashBanks banks = HashBanks.inMemory();
    List<PdqHash> known = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      PdqHash h = randomHash();
      known.add(h);
      addToBank(banks, "stopncii", Category.NCII, MatchType.PDQ, h.toHex());
    }
    byte[] illegalFile = "synthetic stand-in for a file on a regulator's list".getBytes(StandardCharsets.UTF_8);
    String illegalSha = sha256Hex(illegalFile);
    addToBank(banks, "kr-regulator", Category.CSAM, MatchType.SHA256, illegalSha);

    long t0 = System.nanoTime();
    try (ModerationEngine engine = ModerationEngine.builder()
        .clock(clock)
        .banks(banks)
        .logDirectory(logDir)
        .actionExecutor((request, decision) -> {
          for (Action a : decision.actions()) {
            executed.computeIfAbsent(a.name(), k -> new AtomicInteger()).incrementAndGet();
          }
        })
        .obligationListener(e -> count(obligationEvents, e.type().wireName()))
        .listener(metrics != null ? metrics : EngineListener.NONE)
        .build()) {
      if (metrics != null) {
        metrics.watch(engine);
      }

      int users = 300;
      int rooms = 40;
      for (int u = 0; u < users; u++) {
        submit(engine, new AccountEvent(AccountId.of("user-" + u),
            START.minus(Duration.ofDays(30 + rnd.nextInt(900))), false, Optional.empty()));
      }
      submit(engine, new AccountEvent(AccountId.of("support-centre"), START.minus(Duration.ofDays(2000)), true,
          Optional.of("Digital Sex Crime Victim Support Center")));

      // twenty users protect their profile photos (the raw material of the deepfakes)
      List<PdqHash> protectedPhotos = new ArrayList<>();
      for (int u = 0; u < 20; u++) {
        PdqHash photo = randomHash();
        protectedPhotos.add(photo);
        submit(engine, new ContentEvent(ContentEvent.Action.PROFILE_PHOTO_CHANGE,
            imageContent("profile-" + u, photo, ContentKind.PROFILE_PHOTO, Surface.PUBLIC_CHANNEL),
            AccountId.of("user-" + u), Optional.empty(), Optional.empty(), true, Optional.empty()));
      }

      List<String> reshared = new ArrayList<>();
      List<String> harmless = new ArrayList<>();
      int contentSeq = 0;
      String flagged = null;
      for (int minute = 0; minute < 24 * 60; minute += 2) {
        clock.set(START.plus(Duration.ofMinutes(minute)));
        int uploader = rnd.nextInt(users);
        String room = "room-" + rnd.nextInt(rooms);
        String cid = "msg-" + (contentSeq++);
        boolean abusive = rnd.nextInt(12) == 0;
        PdqHash hash = abusive ? flipBits(known.get(rnd.nextInt(40)), 1 + rnd.nextInt(12)) : randomHash();
        submit(engine, image(cid, "user-" + uploader, room, hash));
        (abusive ? reshared : harmless).add(cid);

        if (abusive && rnd.nextBoolean()) {
          // forwarded into another room before anyone reacts
          String fwd = "msg-" + (contentSeq++);
          submit(engine, ContentEvent.forward(imageContent(fwd, flipBits(hash, 2)),
              AccountId.of("user-" + rnd.nextInt(users)), RoomId.of("room-" + rnd.nextInt(rooms)), ContentId.of(cid)));
        }
        if (minute % 100 == 50) {
          // a stranger posts a copy of a protected profile photo, sometimes with who she is
          int victim = rnd.nextInt(protectedPhotos.size());
          String caption = rnd.nextBoolean() ? "이름: 지민 17살 서울여고 2학년" : "ㅋㅋ";
          submit(engine, ContentEvent.upload(imageContent("copy-" + minute, flipBits(protectedPhotos.get(victim), 3))
              .withText(caption), AccountId.of("user-" + (100 + rnd.nextInt(200))), RoomId.of(room)));
        }
        if (!harmless.isEmpty() && rnd.nextInt(6) == 0) {
          String target = harmless.get(rnd.nextInt(harmless.size()));
          submit(engine, UserReport.of(ReporterId.of("user-" + rnd.nextInt(users)), Target.content(ContentId.of(target)),
              rnd.nextBoolean() ? Category.HARASSMENT : Category.SPAM));
        }
        if (minute % 60 == 30 && !harmless.isEmpty()) {
          // moderators work through the queue: most reports of ordinary posts are unfounded
          String target = harmless.get(rnd.nextInt(harmless.size()));
          submit(engine, ReviewOutcome.ofContent(ContentId.of(target),
              rnd.nextInt(5) == 0 ? Verdict.VIOLATING : Verdict.NOT_VIOLATING, Category.HARASSMENT));
        }
        if (minute == 9 * 60) {
          // 09:00 a journalist's harmless post is mass-reported by 500 fresh accounts within a minute
          submit(engine, image("journalist-post", "journalist", "news-channel", randomHash()));
          for (int i = 0; i < 500; i++) {
            clock.set(START.plus(Duration.ofMinutes(minute)).plusMillis(i * 100L));
            String acct = "fresh-" + i;
            submit(engine, new AccountEvent(AccountId.of(acct), clock.instant().minus(Duration.ofHours(2)), false,
                Optional.empty()));
            submit(engine, UserReport.of(ReporterId.of(acct), Target.content(ContentId.of("journalist-post")),
                Category.SEXUAL_DEEPFAKE));
          }
        }
        if (minute == 11 * 60) {
          // 11:00 a file on the regulator's list is posted
          submit(engine, ContentEvent.upload(ContentId.of("file-1"), AccountId.of("user-7"), RoomId.of("room-3"),
              Surface.GROUP, ContentKind.FILE, illegalFile));
        }
        if (minute == 11 * 60 + 6) {
          // 11:06 the victim support centre (a trusted flagger) flags a post
          flagged = harmless.get(harmless.size() / 2);
          submit(engine, UserReport.of(ReporterId.of("support-centre"), Target.content(ContentId.of(flagged)),
              Category.SEXUAL_DEEPFAKE));
        }
        if (minute == 14 * 60) {
          // legal notices: a complete TAKE IT DOWN request, a Korean request, a DSA notice, an incomplete one
          String victimImage = harmless.get(harmless.size() / 3);
          submit(engine, new LegalNotice("tid-001", "US-TAKE-IT-DOWN", ContentId.of(victimImage), NoticeSender.VICTIM,
              Map.of("signature", "/s/ A. Victim", "identification", "a manipulated image of me",
                  "location", "room message " + victimImage, "good_faith_statement", "I did not consent",
                  "contact", "victim@example.org"), clock.instant()));
          submit(engine, new LegalNotice("kcsc-17", "KR-TBA-22-5", ContentId.of(flagged), NoticeSender.REGULATOR,
              Map.of("location", "room message " + flagged), clock.instant().minus(Duration.ofMinutes(20))));
          submit(engine, new LegalNotice("dsa-88", "EU-DSA-16", ContentId.of(harmless.get(3)), NoticeSender.USER,
              Map.of("explanation", "this post insults me", "location", harmless.get(3), "name", "B. User",
                  "email", "b@example.org", "good_faith_statement", "accurate"), clock.instant()));
          submit(engine, new LegalNotice("tid-002", "US-TAKE-IT-DOWN", ContentId.of(harmless.get(5)),
              NoticeSender.VICTIM, Map.of("signature", "/s/ C."), clock.instant()));
        }
        if (minute % 10 == 0) {
          tick(engine);
        }
      }

      // the rest of the week passes; nobody handles the DSA notice
      for (int h = 24; h <= 24 * 4; h++) {
        clock.set(START.plus(Duration.ofHours(h)));
        tick(engine);
      }
      printSummary(engine, System.nanoTime() - t0);
    }
  }

  private void submit(ModerationEngine engine, ModerationRequest request) {
    stream.request(clock.instant(), request);
    tally(engine.evaluate(request));
  }

  private void tally(Decision d) {
    decisions++;
    for (Action a : d.actions()) {
      count(byAction, a.name());
    }
    for (Reason r : d.reasons()) {
      count(byReason, r.policy().name() + "/" + r.code());
    }
  }

  private void printSummary(ModerationEngine engine, long nanos) {
    System.out.println("== Haetae example messenger backend: one simulated day ==");
    System.out.printf(Locale.ROOT, "%d decisions in %.1f s of wall time%n", decisions, nanos / 1e9);
    System.out.println();
    System.out.println("Decisions by action:");
    byAction.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-22s %6d%n", k, v.get()));
    System.out.println();
    System.out.println("Decisions by reason (policy/code):");
    byReason.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-40s %6d%n", k, v.get()));
    System.out.println();
    System.out.println("Obligation events: " + obligationEvents);
    System.out.println("Legal obligations:");
    for (ObligationRecord o : engine.obligations()) {
      System.out.printf(Locale.ROOT, "  %-28s %-16s %-10s received %s deadline %s%s%n", o.id(), o.instrument(),
          o.status().name().toLowerCase(Locale.ROOT), o.receivedAt(), o.deadline(),
          o.closedAt().map(c -> " done " + c).orElse(""));
    }
    System.out.println();
    System.out.println("Hash banks: " + engine.banks().versions());
    System.out.println("Decision log: " + engine.logDirectory().map(Path::toAbsolutePath).orElse(null));
  }

  private static void count(Map<String, AtomicInteger> m, String k) {
    m.computeIfAbsent(k, x -> new AtomicInteger()).incrementAndGet();
  }

  private static ContentEvent image(String cid, String account, String room, PdqHash hash) {
    return ContentEvent.upload(imageContent(cid, hash), AccountId.of(account), RoomId.of(room));
  }

  private static Content imageContent(String cid, PdqHash hash) {
    return imageContent(cid, hash, ContentKind.IMAGE, Surface.GROUP);
  }

  private static Content imageContent(String cid, PdqHash hash, ContentKind kind, Surface surface) {
    return Content.of(ContentId.of(cid), kind, surface)
        .withFingerprints(Fingerprints.none().withPdq(new Pdq(hash, 90, List.of())));
  }

  private PdqHash randomHash() {
    return new PdqHash(rnd.nextLong(), rnd.nextLong(), rnd.nextLong(), rnd.nextLong());
  }

  private PdqHash flipBits(PdqHash h, int bits) {
    long[] w = {h.w0(), h.w1(), h.w2(), h.w3()};
    for (int i = 0; i < bits; i++) {
      int b = rnd.nextInt(256);
      w[b >>> 6] ^= 1L << (b & 63);
    }
    return new PdqHash(w[3], w[2], w[1], w[0]);
  }

  private static String sha256Hex(byte[] bytes) {
    try {
      byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(bytes);
      StringBuilder sb = new StringBuilder();
      for (byte b : d) {
        sb.append(String.format("%02x", b));
      }
      return sb.toString();
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

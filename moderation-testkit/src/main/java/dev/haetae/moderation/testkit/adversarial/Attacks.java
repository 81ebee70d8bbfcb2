package dev.haetae.moderation.testkit.adversarial;

import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.Target;
import dev.haetae.moderation.api.AccountId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The attack generators and their checks, one method per {@link AttackFamily}. */
final class Attacks {
  private Attacks() {}

  /** What a run found: violations of the property, and measures. */
  static final class Findings {
    final List<String> violations = new ArrayList<>();
    final Map<String, Double> measures = new LinkedHashMap<>();

    void violation(String text) {
      violations.add(text);
    }

    void measure(String name, double value) {
      measures.put(name, value);
    }
  }

  static void play(AttackFamily family, World w, Findings f) {
    switch (family) {
      case LAUNDERING:
        laundering(w, f);
        break;
      case SYBIL_AGING:
        sybilAging(w, f);
        break;
      case DILUTION:
        dilution(w, f);
        break;
      case CATEGORY_SHOPPING:
        categoryShopping(w, f);
        break;
      case DECOYS:
        decoys(w, f);
        break;
      case QUEUE_FLOODING:
        queueFlooding(w, f);
        break;
      case MISUSE_BAIT:
        misuseBait(w, f);
        break;
      case BANK_LAUNDERING:
        bankLaundering(w, f);
        break;
      case BOUGHT_REVIEW:
        boughtReview(w, f);
        break;
      default:
        throw new IllegalStateException("no generator for " + family);
    }
    waiting(w, f);
  }

  /**
   * Every family's second property: no report waits past its re-check bound without a logged
   * decision. After the attack (its own property already measured), the moderator stops and the
   * clock runs on past the longest bound while the host's timer ticks; then every report whose
   * decision queued nothing (and whose target was not removed, whose reporter was not suspended) must
   * have a later logged decision on it (the tick's re-check, the same report sent again, or a verdict
   * judging its claim) no later than its bound plus one tick.
   */
  static void waiting(World w, Findings f) {
    Duration longest = Duration.ZERO;
    for (Category c : Category.values()) {
      Duration d = w.recheckBound(c);
      longest = d.compareTo(longest) > 0 ? d : longest;
    }
    w.working = false;
    w.pass(longest.plus(World.TICK).plus(World.TICK));
    World.Waiting r = w.waitingPastBound();
    for (String v : r.late()) {
      f.violation(v);
    }
    f.measure("reports_left_waiting", r.waited());
    f.measure("waiting_rechecked", w.rechecked.size());
    f.measure("waiting_past_bound", r.late().size());
    f.measure("longest_wait_hours", Math.round(r.longest().toMinutes() / 6.0) / 10.0);
  }

  // ---------------------------------------------------------------------------------------
  // Shared pieces

  private static final Duration DAY = Duration.ofDays(1);

  private static Target content(ContentId c) {
    return Target.content(c);
  }

  /**
   * Ring accounts that avoid every correlation the model knows: created {@code spacing} apart (plus
   * jitter) starting {@code oldest} ago, no rooms.
   */
  private static List<String> spacedRing(World w, String prefix, int n, Duration newest, Duration spacing) {
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Instant created = w.now().minus(newest).minus(spacing.multipliedBy(i))
          .minusSeconds(w.random.nextInt((int) Math.max(1, spacing.toSeconds() / 4)));
      out.add(w.account(prefix + "-" + i, created, false));
    }
    return out;
  }

  /**
   * Gives {@code members} a track record the cheap way: a trusted flagger reports {@code items}
   * real violations and each member piles onto {@code each} of them while they wait in the queue;
   * the moderator then confirms them all.
   */
  private static void launder(World w, String centre, List<String> members, int items, int each) {
    List<List<String>> piles = new ArrayList<>();
    for (int i = 0; i < items; i++) {
      piles.add(new ArrayList<>());
    }
    for (String m : members) {
      List<Integer> picks = new ArrayList<>();
      for (int i = 0; i < items; i++) {
        picks.add(i);
      }
      Collections.shuffle(picks, w.random);
      for (int k = 0; k < Math.min(each, items); k++) {
        piles.get(picks.get(k)).add(m);
      }
    }
    boolean was = w.working;
    w.working = false;
    for (int i = 0; i < items; i++) {
      Category truth = i % 2 == 0 ? Category.HARASSMENT : Category.NCII;
      ContentId c = w.post("abuse-" + centre + "-" + i, "abuser-" + (i % 7), "den-" + (i % 3), truth);
      w.report(centre, content(c), truth, false, "centre");
      for (String m : piles.get(i)) {
        w.pass(Duration.ofSeconds(2));
        w.report(m, content(c), truth, false, "earn");
      }
      w.pass(Duration.ofMinutes(1));
    }
    w.working = was;
    w.drain();
  }

  /** The highest weight any report decision on {@code t} saw, among decisions of the given group. */
  private static double maxWeight(World w, Target t, String group) {
    double max = 0;
    for (World.Filed f : w.filedBy(group)) {
      Signal.Reports r = w.weighed.get(f.decision().id());
      if (f.report().target().equals(t) && r != null) {
        max = Math.max(max, r.weight());
      }
    }
    return max;
  }

  /** The share of a group's reports whose reporter had a track record, as the intake saw it (-1: unknown). */
  private static double provenShare(World w, String group) {
    int n = 0;
    int proven = 0;
    for (World.Filed f : w.filedBy(group)) {
      Signal.ReportIntake in = w.intakes.get(f.decision().id());
      if (in != null) {
        n++;
        proven += in.proven() ? 1 : 0;
      }
    }
    return n == 0 ? -1 : (double) proven / n;
  }

  /** Violations for report decisions of a group that restricted an innocent target. */
  private static void noReportOnlyRestriction(World w, Findings f, String group) {
    int n = 0;
    String example = null;
    for (World.Filed x : w.filedBy(group)) {
      List<String> r = World.restrictions(x.decision());
      if (!r.isEmpty() && w.truthOf(x.report().target()).isEmpty()) {
        n++;
        example = example == null ? x.report().target().id() + " " + r + " " + World.codes(x.decision()) : example;
      }
    }
    f.measure("report_only_restrictions", n);
    if (n > 0) {
      f.violation(n + " report decision(s) restricted an innocent target, e.g. " + example);
    }
  }

  private static void noStrike(World w, Findings f, String account) {
    int s = w.strikes(account);
    f.measure("strikes_" + account, s);
    if (s > 0) {
      f.violation(account + " has " + s + " strike(s), though none of her content violates anything");
    }
  }

  /** The moderator's reviews of a target, and whether each item it reached was flagged. */
  private static void flaggedWhenReviewed(World w, Findings f, Target t, String what) {
    List<World.Reviewed> rs = w.reviewsOf(t);
    if (rs.isEmpty()) {
      f.measure("flagged", 0);
      return;
    }
    boolean flagged = rs.get(0).item().flagged;
    f.measure("flagged", flagged ? 1 : 0);
    if (!flagged) {
      f.violation(what + " reached the moderator unflagged (lanes " + rs.get(0).item().lanes + ")");
    }
  }

  // ---------------------------------------------------------------------------------------
  // The families

  static void laundering(World w, Findings f) {
    int s = w.scale;
    String centre = w.account("centre", w.now().minus(Duration.ofDays(700)), true);
    String journalist = w.account("journalist", w.now().minus(Duration.ofDays(1500)), false);
    List<String> ring = spacedRing(w, "ring", 200 * s, Duration.ofDays(40), Duration.ofHours(40));
    launder(w, centre, ring, 40 * s, 3);
    w.pass(Duration.ofDays(2));

    ContentId article = w.post("article", journalist, "news", null);
    List<String> shuffled = new ArrayList<>(ring);
    Collections.shuffle(shuffled, w.random);
    List<String> wave = shuffled.subList(0, 150 * s);
    List<String> rest = shuffled.subList(150 * s, shuffled.size());
    w.working = false;
    long step = 3600 / wave.size();
    for (String m : wave) {
      w.pass(Duration.ofSeconds(1 + w.random.nextInt((int) Math.max(1, step * 2))));
      w.report(m, content(article), Category.HARASSMENT, false, "wave");
    }
    w.drain();
    f.measure("wave_weight_max", maxWeight(w, content(article), "wave"));
    f.measure("wave_proven_share", provenShare(w, "wave"));
    flaggedWhenReviewed(w, f, content(article), "the laundered wave against the article");
    for (String m : rest) {
      w.pass(Duration.ofMinutes(5 + w.random.nextInt(20)));
      w.report(m, content(article), Category.HARASSMENT, false, "rest");
    }
    w.drain();
    int reopened = 0;
    for (World.Filed x : w.filedBy("rest")) {
      reopened += x.decision().has(Action.QueueForReview.class) ? 1 : 0;
    }
    f.measure("reopened", reopened);
    if (reopened > 0) {
      f.violation("members of the rejected wave reopened the cleared article " + reopened + " time(s)");
    }
    noReportOnlyRestriction(w, f, "wave");
    noReportOnlyRestriction(w, f, "rest");
    noStrike(w, f, journalist);
  }

  static void sybilAging(World w, Findings f) {
    int s = w.scale;
    String centre = w.account("centre", w.now().minus(Duration.ofDays(700)), true);
    String journalist = w.account("journalist", w.now().minus(Duration.ofDays(1500)), false);
    List<String> ring = spacedRing(w, "aged", 100 * s, Duration.ofDays(60), Duration.ofDays(3));
    List<String> laundered = new ArrayList<>(ring.subList(0, 21 * s));
    launder(w, centre, laundered, 10 * s, 3);
    w.pass(Duration.ofDays(3));
    ContentId post = w.post("post", journalist, "news", null);
    List<String> shuffled = new ArrayList<>(ring);
    Collections.shuffle(shuffled, w.random);
    w.working = false;
    long step = 6 * 3600 / shuffled.size();
    for (String m : shuffled) {
      w.pass(Duration.ofSeconds(1 + w.random.nextInt((int) Math.max(1, step * 2))));
      w.report(m, content(post), Category.HARASSMENT, false, "wave");
    }
    w.drain();
    f.measure("wave_weight_max", maxWeight(w, content(post), "wave"));
    f.measure("wave_proven_share", provenShare(w, "wave"));
    flaggedWhenReviewed(w, f, content(post), "the aged wave against the post");
    noReportOnlyRestriction(w, f, "wave");
    noStrike(w, f, journalist);
  }

  static void dilution(World w, Findings f) {
    int s = w.scale;
    String journalist = w.account("journalist", w.now().minus(Duration.ofDays(1500)), false);
    List<Target> targets = new ArrayList<>();
    for (int i = 0; i < 30 * s; i++) {
      targets.add(content(w.post("jpost-" + i, journalist, "her-channel", null)));
      w.pass(Duration.ofHours(3));
    }
    targets.add(Target.account(AccountId.of(journalist)));
    targets.add(Target.room(RoomId.of("her-channel")));
    List<String> ring = spacedRing(w, "dilute", 100 * s, Duration.ofDays(30), Duration.ofDays(2));
    w.working = false;
    List<String> shuffled = new ArrayList<>(ring);
    Collections.shuffle(shuffled, w.random);
    long step = 86_400 / shuffled.size();
    for (int i = 0; i < shuffled.size(); i++) {
      Target t = targets.get(i % targets.size());
      w.pass(Duration.ofSeconds(1 + w.random.nextInt((int) Math.max(1, step * 2))));
      w.report(shuffled.get(i), t, i % 5 == 4 ? Category.DOXXING : Category.HARASSMENT, false, "wave");
    }
    w.drain();
    java.util.Set<World.Item> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    int unflagged = 0;
    for (Target t : targets) {
      for (World.Reviewed r : w.reviewsOf(t)) {
        if (seen.add(r.item()) && !r.item().flagged) {
          unflagged++;
        }
      }
    }
    int items = seen.size();
    f.measure("items", items);
    f.measure("unflagged_items", unflagged);
    if (unflagged > 3) {
      f.violation(unflagged + " of " + items + " review items on the journalist's targets were not flagged as one "
          + "campaign");
    }
    noReportOnlyRestriction(w, f, "wave");
    noStrike(w, f, journalist);
  }

  static void categoryShopping(World w, Findings f) {
    int s = w.scale;
    String centre = w.account("centre", w.now().minus(Duration.ofDays(700)), true);
    String journalist = w.account("journalist", w.now().minus(Duration.ofDays(1500)), false);
    List<String> laundered = spacedRing(w, "shop-l", 30 * s, Duration.ofDays(40), Duration.ofHours(40));
    launder(w, centre, laundered, 10 * s, 3);
    List<String> fresh = spacedRing(w, "shop-u", 30 * s, Duration.ofDays(60), Duration.ofDays(3));
    w.pass(Duration.ofDays(2));
    List<String> ring = new ArrayList<>();
    for (int i = 0; i < laundered.size(); i++) {
      ring.add(laundered.get(i));
      ring.add(fresh.get(i));
    }
    Collections.shuffle(ring, w.random);
    ContentId post = w.post("post", journalist, "news", null);
    List<Category> rounds = List.of(Category.HARASSMENT, Category.DOXXING, Category.SEXUAL_DEEPFAKE, Category.NCII,
        Category.TERRORISM);
    int per = ring.size() / rounds.size();
    for (int k = 0; k < rounds.size(); k++) {
      w.working = false;
      for (String m : ring.subList(k * per, (k + 1) * per)) {
        w.pass(Duration.ofSeconds(20 + w.random.nextInt(60)));
        w.report(m, content(post), rounds.get(k), false, k == 0 ? "first" : "shop");
      }
      w.drain();
      w.pass(Duration.ofHours(6));
    }
    int reopened = 0;
    for (World.Filed x : w.filedBy("shop")) {
      reopened += x.decision().has(Action.QueueForReview.class) ? 1 : 0;
    }
    f.measure("reopened", reopened);
    f.measure("reviews", w.reviewsOf(content(post)).size());
    if (reopened > 0) {
      f.violation("after the harassment claim was cleared, the ring got " + reopened + " new review item(s) by "
          + "claiming other categories");
    }
    noReportOnlyRestriction(w, f, "first");
    noReportOnlyRestriction(w, f, "shop");
    noStrike(w, f, journalist);
  }

  static void decoys(World w, Findings f) {
    String victim = w.account("victim", w.now().minus(Duration.ofDays(1)), false);
    String friend1 = w.account("friend-1", w.now().minus(Duration.ofDays(2)), false);
    String friend2 = w.account("friend-2", w.now().minus(Duration.ofDays(2)).plusSeconds(3000), false);
    List<String> ring = spacedRing(w, "decoy", 3, Duration.ofDays(50), Duration.ofDays(4));
    ContentId reshare = w.post("reshare", "ring-poster", "den", Category.NCII);
    ContentId second = w.post("reshare-2", "ring-poster", "den-2", Category.NCII);
    w.working = false;
    for (String m : ring) {
      w.pass(Duration.ofMinutes(1 + w.random.nextInt(5)));
      w.report(m, content(reshare), Category.SPAM, false, "decoy");
    }
    w.pass(Duration.ofMinutes(10 + w.random.nextInt(20)));
    Decision mine = w.report(victim, content(reshare), Category.NCII, true, "victim");
    w.pass(Duration.ofMinutes(1 + w.random.nextInt(3)));
    w.report(friend1, content(reshare), Category.NCII, false, "friends");
    w.pass(Duration.ofMinutes(1 + w.random.nextInt(3)));
    w.report(friend2, content(reshare), Category.NCII, false, "friends");
    w.pass(Duration.ofMinutes(5));
    Decision alone = w.report(victim, content(second), Category.NCII, true, "victim");
    w.working = true;
    w.pass(Duration.ofHours(12));
    w.drain();

    f.measure("victim_first_decision_queued", mine.has(Action.QueueForReview.class) ? 1 : 0);
    f.measure("victim_alone_queued", alone.has(Action.QueueForReview.class) ? 1 : 0);
    for (ContentId c : List.of(reshare, second)) {
      boolean judgedAsNcii = false;
      boolean flagged = false;
      for (World.Reviewed r : w.reviewsOf(content(c))) {
        judgedAsNcii |= r.review().category().orElse(null) == Category.NCII;
        flagged |= r.item().flagged && r.item().claims.containsKey(Category.NCII);
      }
      String name = c.value();
      f.measure(name + "_removed", w.removed(c) ? 1 : 0);
      f.measure(name + "_ncii_claim_reviewed", judgedAsNcii ? 1 : 0);
      if (!judgedAsNcii) {
        f.violation("the victim's NCII claim on " + name + " never reached a moderator as an NCII claim");
      }
      if (!w.removed(c)) {
        f.violation(name + " (her intimate image) is still up");
      }
      if (flagged) {
        f.violation("the item with her NCII claim on " + name + " was flagged as a brigade");
      }
    }
    w.reporter(victim).ifPresent(r -> {
      f.measure("victim_rejected", r.rejected());
      if (r.rejected() > 0) {
        f.violation("a verdict on another claim counted the victim's report as rejected");
      }
    });
  }

  static void queueFlooding(World w, Findings f) {
    int s = w.scale;
    String good = w.account("good", w.now().minus(Duration.ofDays(1100)), false);
    for (int i = 0; i < 5; i++) {
      ContentId c = w.post("good-past-" + i, "abuser-" + i, "den", Category.NCII);
      w.report(good, content(c), Category.NCII, false, "history");
      w.reviewNow(content(c));
      w.pass(Duration.ofHours(20));
    }
    String victim = w.account("victim", w.now().minus(Duration.ofDays(1)), false);
    int n = 300 * s;
    List<ContentId> posts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      posts.add(w.post("ordinary-" + i, "user-" + (i % 97), "room-" + (i % 13), null));
    }
    ContentId real = w.post("real-ncii", "abuser-x", "den", Category.NCII);
    ContentId hers = w.post("her-image", "abuser-y", "den", Category.NCII);
    List<String> flood = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      flood.add(w.account("flood-" + i, w.now().minus(Duration.ofDays(30 + w.random.nextInt(700))), false));
    }
    long step = 3_600_000L / n;
    Decision genuine = null;
    Decision own = null;
    for (int i = 0; i < n; i++) {
      w.pass(Duration.ofMillis(step));
      w.report(flood.get(i), content(posts.get(i)), Category.NCII, false, "flood");
      if (i == n / 2) {
        genuine = w.report(good, content(real), Category.NCII, false, "genuine");
        own = w.report(victim, content(hers), Category.NCII, true, "victim");
      }
    }
    w.drain();
    f.measure("flood_items", w.filedBy("flood").stream().filter(x -> x.decision().has(Action.QueueForReview.class))
        .count());
    rank(w, f, real, "genuine_rank", "the good reporter's NCII report", genuine);
    rank(w, f, hers, "victim_rank", "the victim's own NCII report", own);
  }

  private static void rank(World w, Findings f, ContentId c, String measure, String what, Decision d) {
    List<World.Reviewed> rs = w.reviewsOf(content(c));
    int rank = rs.isEmpty() ? -1 : rs.get(0).rank();
    f.measure(measure, rank);
    if (rank < 0) {
      f.violation(what + " was never reviewed (" + World.codes(d) + ")");
    } else if (rank > 10) {
      f.violation(what + " was review number " + rank + " after it was filed");
    }
  }

  static void misuseBait(World w, Findings f) {
    int s = w.scale;
    String centre = w.account("centre", w.now().minus(Duration.ofDays(700)), true);
    String victim = w.account("victim", w.now().minus(Duration.ofDays(200)), false);
    int n = 200 * s;
    List<Boolean> bait = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      bait.add(i < 18 * s);
    }
    Collections.shuffle(bait, w.random);
    Duration step = Duration.ofMinutes(60L * 24 * 60 / n);
    for (int i = 0; i < n; i++) {
      ContentId c = bait.get(i) ? w.post("bait-" + i, "ring-" + (i % 5), "den", null)
          : w.post("real-" + i, "abuser-" + (i % 11), "den", Category.NCII);
      w.report(centre, content(c), Category.NCII, false, bait.get(i) ? "centre-bait" : "centre-real");
      w.pass(step);
    }
    ContentId lure = w.post("lure", "ring-0", "den", null);
    w.report(victim, content(lure), Category.NCII, true, "victim-bait");
    w.pass(Duration.ofDays(1));
    ContentId hers = w.post("her-image", "ring-1", "den", Category.NCII);
    Decision real = w.report(victim, content(hers), Category.NCII, true, "victim-real");
    w.drain();

    int warned = 0;
    int suspended = 0;
    int onGenuine = 0;
    for (World.Filed x : w.filed) {
      if (!x.report().reporter().value().equals(centre)) {
        continue;
      }
      List<String> codes = World.codes(x.decision());
      boolean warn = codes.contains("reporter_warning");
      boolean susp = codes.contains("reporter_suspension") || codes.contains("reporter_suspended");
      warned += warn ? 1 : 0;
      suspended += susp ? 1 : 0;
      if ((warn || susp) && x.group().equals("centre-real")) {
        onGenuine++;
      }
    }
    int noReason = 0;
    for (World.Filed x : w.filed) {
      noReason += x.decision().reasons().isEmpty() ? 1 : 0;
    }
    f.measure("centre_warnings", warned);
    f.measure("centre_suspended_reports", suspended);
    f.measure("steps_on_genuine_reports", onGenuine);
    f.measure("decisions_without_reason", noReason);
    f.measure("victim_real_queued", real.has(Action.QueueForReview.class) ? 1 : 0);
    if (warned > 0 || suspended > 0) {
      f.violation("the trusted flagger (91 % right) was warned " + warned + " time(s) and had " + suspended
          + " report(s) suspended automatically");
    }
    if (onGenuine > 0) {
      f.violation(onGenuine + " misuse step(s) rode on reports review confirmed");
    }
    if (noReason > 0) {
      f.violation(noReason + " report decision(s) stated no reason");
    }
    if (!real.has(Action.QueueForReview.class)) {
      f.violation("after one bait rejection the victim's real NCII report was not queued (" + World.codes(real)
          + ", actions " + real.actions() + ")");
    }
  }

  static void bankLaundering(World w, Findings f) {
    int s = w.scale;
    String journalist = w.account("journalist", w.now().minus(Duration.ofDays(1500)), false);
    // an earlier, rightful CSAM removal: the platform bank's first entry
    ContentId csam = w.post("earlier-csam", "offender", "den", Category.CSAM);
    w.reviewNow(content(csam));
    List<String> photos = new ArrayList<>();
    for (int i = 0; i < 5 * s; i++) {
      String pdq = pdq(w);
      photos.add(pdq);
      w.image("press-" + i, journalist, "news", pdq, null);
      w.pass(Duration.ofHours(1));
    }
    // 1. copies with her address: review rightly removes them for doxxing
    List<String> ring = spacedRing(w, "bank", 3, Duration.ofDays(90), Duration.ofDays(5));
    for (int i = 0; i < photos.size(); i++) {
      ContentId copy = w.image("copy-" + i, "ring-poster", "den", photos.get(i), Category.DOXXING);
      for (String m : ring) {
        w.pass(Duration.ofMinutes(2));
        w.report(m, content(copy), Category.DOXXING, false, "copies");
      }
    }
    w.drain();
    w.pass(Duration.ofHours(2));
    for (int i = 0; i < photos.size(); i++) {
      String throwaway = w.account("throwaway-" + i, w.now().minus(Duration.ofHours(1)), false);
      w.report(throwaway, content(ContentId.of("press-" + i)), Category.DOXXING, false, "originals");
      w.pass(Duration.ofMinutes(7));
    }
    w.drain();
    // 2. a wave claims her originals are NCII, and a sloppy or bought review confirms the first
    List<String> wave = spacedRing(w, "ncii", 8 * s, Duration.ofDays(20), Duration.ofDays(2));
    w.working = false;
    for (int k = 0; k < wave.size(); k++) {
      for (int j = 0; j < 2; j++) {
        w.pass(Duration.ofMinutes(3));
        w.report(wave.get(k), content(ContentId.of("press-" + ((2 * k + j) % photos.size()))), Category.NCII, false,
            "ncii-wave");
      }
    }
    Decision bought = w.review(new dev.haetae.moderation.api.ReviewOutcome(content(ContentId.of("press-0")),
        dev.haetae.moderation.api.Verdict.VIOLATING, java.util.Optional.of(Category.NCII), java.util.Optional.empty()));
    w.drain();
    // 3. throwaways report her originals as NCII, and readers re-share them
    w.pass(Duration.ofHours(2));
    for (int i = 0; i < photos.size(); i++) {
      String throwaway = w.account("throwaway-ncii-" + i, w.now().minus(Duration.ofHours(1)), false);
      w.report(throwaway, content(ContentId.of("press-" + i)), Category.NCII, false, "originals-ncii");
      w.pass(Duration.ofMinutes(7));
    }
    int reshareRemoved = 0;
    int authority = 0;
    for (int i = 0; i < photos.size(); i++) {
      String reader = w.account("reader-" + i, w.now().minus(Duration.ofDays(400)), false);
      w.image("reshare-" + i, reader, "readers", photos.get(i), null);
      Decision d = w.other.get(w.other.size() - 1);
      reshareRemoved += d.has(Action.Remove.class) ? 1 : 0;
      authority += d.has(Action.ReportToAuthority.class) ? 1 : 0;
      w.pass(Duration.ofMinutes(5));
    }
    w.drain();
    // 4. outside any wave: the ring re-posts another of her photos, one sloppy review confirms a
    //    false NCII claim on the copy (banked as NCII: one person's error), and a throwaway reports her
    //    older original; the report must at most blur it and queue a person
    String family = pdq(w);
    w.image("family-photo", journalist, "news", family, null);
    w.pass(Duration.ofDays(3));
    ContentId laundered = w.image("laundered-copy", "ring-poster", "den", family, null);
    w.review(new dev.haetae.moderation.api.ReviewOutcome(content(laundered),
        dev.haetae.moderation.api.Verdict.VIOLATING, java.util.Optional.of(Category.NCII), java.util.Optional.empty()));
    w.pass(Duration.ofHours(2));
    String lone = w.account("throwaway-older", w.now().minus(Duration.ofHours(1)), false);
    w.report(lone, content(ContentId.of("family-photo")), Category.NCII, false, "older-upload");
    int olderActed = 0;
    for (World.Filed x : w.filedBy("older-upload")) {
      olderActed += acted(x.decision()) ? 1 : 0;
    }
    w.drain();
    // 5. another instance banks a ring member's copy of a third photo of hers; this instance follows the
    //    shared bank late, after she posted the photo here herself (nothing removed it on sight), and
    //    after the ring member posted a second copy here; a throwaway reports her photo, a bystander
    //    the ring's copy. Her photo is newer than the entry: the posting time cannot tell it from the
    //    ring's, the entry's uploader can
    String third = pdq(w);
    Instant bankedElsewhere = w.now();
    w.pass(Duration.ofMinutes(30));
    w.image("late-photo", journalist, "news", third, null);
    w.image("ring-second-copy", "ring-poster", "den", third, null);
    w.pass(Duration.ofMinutes(30));
    w.followLate(third, bankedElsewhere, "ring-poster");
    w.pass(Duration.ofMinutes(10));
    String late = w.account("throwaway-late", w.now().minus(Duration.ofHours(1)), false);
    w.report(late, content(ContentId.of("late-photo")), Category.NCII, false, "late-follower");
    String bystander = w.account("bystander-late", w.now().minus(Duration.ofDays(200)), false);
    Decision ringCopy = w.report(bystander, content(ContentId.of("ring-second-copy")), Category.NCII, false,
        "ring-copy");
    int lateActed = 0;
    for (World.Filed x : w.filedBy("late-follower")) {
      lateActed += acted(x.decision()) ? 1 : 0;
    }
    w.drain();
    for (String group : List.of("originals", "ncii-wave", "originals-ncii", "older-upload", "late-follower")) {
      for (World.Filed x : w.filedBy(group)) {
        authority += x.decision().has(Action.ReportToAuthority.class) ? 1 : 0;
      }
    }
    int removed = 0;
    for (int i = 0; i < photos.size(); i++) {
      removed += w.removed(ContentId.of("press-" + i)) ? 1 : 0;
    }
    int banked = w.bankedPdq(photos);
    f.measure("originals_removed", removed);
    f.measure("bought_review_asks_second", World.asksSecondReview(bought) ? 1 : 0);
    f.measure("her_photos_banked", banked);
    f.measure("reshares_removed", reshareRemoved);
    f.measure("authority_reports", authority);
    f.measure("older_upload_removed_on_report", olderActed);
    f.measure("older_upload_removed", w.removed(ContentId.of("family-photo")) ? 1 : 0);
    f.measure("laundered_copy_banked", w.bankedPdq(List.of(family)));
    f.measure("late_entry_removed_on_report", lateActed);
    f.measure("late_photo_removed", w.removed(ContentId.of("late-photo")) ? 1 : 0);
    f.measure("ring_copy_removed_on_report", ringCopy.has(Action.Remove.class) ? 1 : 0);
    if (lateActed > 0) {
      f.violation("a lone report on her photo, posted here before this instance had another instance's entry for a"
          + " ring member's copy, removed it, blocked it, notified her or reported it to an authority");
    }
    if (olderActed > 0) {
      f.violation("a lone report on her older original, through a platform-bank entry laundered by one sloppy"
          + " review, removed it, blocked it, notified her or reported it to an authority");
    }
    if (authority > 0) {
      f.violation(authority + " report(s) or re-share(s) of her photos were reported to an authority as CSAM");
    }
    if (banked > 0) {
      f.violation(banked + " of her photos entered the platform bank");
    }
    if (reshareRemoved > 0) {
      f.violation(reshareRemoved + " readers' re-share(s) of her photos were removed on upload");
    }
    noReportOnlyRestriction(w, f, "originals");
    noReportOnlyRestriction(w, f, "ncii-wave");
    noReportOnlyRestriction(w, f, "originals-ncii");
    noStrike(w, f, journalist); // including from the report on her older original
  }

  /** Whether a decision removed, blocked, notified or reported (more than a blur and a queue item). */
  private static boolean acted(Decision d) {
    return d.has(Action.Remove.class) || d.has(Action.BlockReupload.class) || d.has(Action.ReportToAuthority.class)
        || d.has(Action.NotifyUser.class);
  }

  static void boughtReview(World w, Findings f) {
    int s = w.scale;
    String journalist = w.account("journalist", w.now().minus(Duration.ofDays(1500)), false);
    List<String> photos = new ArrayList<>();
    for (int i = 0; i < 3 * s; i++) {
      String pdq = pdq(w);
      photos.add(pdq);
      w.image("press-" + i, journalist, "news", pdq, null);
      w.pass(Duration.ofHours(1));
    }
    // the ring: spaced accounts, each posts a copy of one of her photos and reports it; a bought
    // moderator confirms each claim at once, outside the queue
    List<String> ring = spacedRing(w, "buyer", photos.size(), Duration.ofDays(60), Duration.ofDays(9));
    int asked = 0;
    int removedByBought = 0;
    int reshareRemoved = 0;
    int authority = 0;
    for (int i = 0; i < photos.size(); i++) {
      ContentId copy = w.image("bought-copy-" + i, ring.get(i), "den-" + i, photos.get(i), null);
      w.report(ring.get(i), content(copy), Category.NCII, false, "bought");
      Decision d = w.review(new dev.haetae.moderation.api.ReviewOutcome(content(copy),
          dev.haetae.moderation.api.Verdict.VIOLATING, java.util.Optional.of(Category.NCII), java.util.Optional.empty(),
          java.util.Optional.of("bought-moderator")));
      asked += World.asksSecondReview(d) ? 1 : 0;
      removedByBought += d.has(Action.Remove.class) ? 1 : 0;
      authority += d.has(Action.ReportToAuthority.class) ? 1 : 0;
      w.pass(Duration.ofMinutes(4));
      String reader = w.account("reader-" + i, w.now().minus(Duration.ofDays(400)), false);
      w.image("reshare-" + i, reader, "readers", photos.get(i), null);
      Decision r = w.other.get(w.other.size() - 1);
      reshareRemoved += r.has(Action.Remove.class) ? 1 : 0;
      authority += r.has(Action.ReportToAuthority.class) ? 1 : 0;
      w.pass(Duration.ofMinutes(20));
    }
    w.drain();
    // the real victim: her intimate image, posted by an abuser, reported by her; a moderator confirms
    // it, and the abuser re-posts it before the second reviewer answers
    w.working = false;
    String victim = w.account("victim", w.now().minus(Duration.ofDays(300)), false);
    String abuser = w.account("abuser", w.now().minus(Duration.ofDays(200)), false);
    String intimate = pdq(w);
    ContentId first = w.image("intimate-0", abuser, "den", intimate, Category.NCII);
    w.report(victim, content(first), Category.NCII, true, "victim");
    w.pass(Duration.ofMinutes(30));
    Decision confirmed = w.review(new dev.haetae.moderation.api.ReviewOutcome(content(first),
        dev.haetae.moderation.api.Verdict.VIOLATING, java.util.Optional.of(Category.NCII), java.util.Optional.empty(),
        java.util.Optional.of("moderator-a")));
    int waitingCopiesUp = 0;
    for (int k = 1; k <= 2; k++) {
      w.pass(Duration.ofMinutes(10));
      w.image("intimate-" + k, abuser, "den", intimate, Category.NCII);
      Decision r = w.other.get(w.other.size() - 1);
      waitingCopiesUp += r.has(Action.Remove.class) ? 0 : 1;
    }
    f.measure("victim_copy_removed_at_once", confirmed.has(Action.Remove.class) ? 1 : 0);
    w.drain(); // the second reviewer answers
    // after both reviews: readers re-share her photos again, the abuser re-posts the victim's image
    for (int i = 0; i < photos.size(); i++) {
      String reader = w.account("late-reader-" + i, w.now().minus(Duration.ofDays(300)), false);
      w.image("late-reshare-" + i, reader, "readers", photos.get(i), null);
      Decision r = w.other.get(w.other.size() - 1);
      reshareRemoved += r.has(Action.Remove.class) ? 1 : 0;
      authority += r.has(Action.ReportToAuthority.class) ? 1 : 0;
    }
    w.image("intimate-late", abuser, "den", intimate, Category.NCII);
    boolean lateRemoved = w.other.get(w.other.size() - 1).has(Action.Remove.class);
    int banked = w.bankedPdq(photos);
    f.measure("bought_reviews_asking_second", asked);
    f.measure("bought_copies_removed_at_once", removedByBought);
    f.measure("bought_copies_still_removed", countRemoved(w, "bought-copy-", photos.size()));
    f.measure("her_photos_banked", banked);
    f.measure("reshares_removed", reshareRemoved);
    f.measure("authority_reports", authority);
    f.measure("victim_image_banked", w.bankedPdq(List.of(intimate)));
    f.measure("victim_copies_up_while_waiting", waitingCopiesUp);
    f.measure("victim_late_copy_removed", lateRemoved ? 1 : 0);
    f.measure("victim_reviews", w.reviewsOf(content(first)).size());
    if (banked > 0) {
      f.violation(banked + " of her photos entered the platform bank on one bought verdict");
    }
    if (reshareRemoved > 0) {
      f.violation(reshareRemoved + " readers' re-share(s) of her photos were removed on upload");
    }
    if (authority > 0) {
      f.violation(authority + " decision(s) reported her photos to an authority");
    }
    if (!lateRemoved) {
      f.violation("after the victim's report was confirmed, a later re-post of her image was not removed on sight");
    }
    noStrike(w, f, journalist);
  }

  private static int countRemoved(World w, String prefix, int n) {
    int out = 0;
    for (int i = 0; i < n; i++) {
      out += w.removed(ContentId.of(prefix + i)) ? 1 : 0;
    }
    return out;
  }

  /** A random PDQ hash far from the others (random 256 bits). */
  private static String pdq(World w) {
    StringBuilder sb = new StringBuilder(64);
    for (int i = 0; i < 4; i++) {
      sb.append(String.format(Locale.ROOT, "%016x", w.random.nextLong()));
    }
    return sb.toString();
  }
}

package dev.haetae.moderation.testkit.adversarial;

/**
 * The families of adaptive mass-reporting attacks the {@link AdversarialHarness} plays, each with
 * the property a robust report intake keeps under it. Every family is a seeded generator: the same
 * seed and scale give the same events. Sizes below are at scale 1; scale {@code n} multiplies the
 * attackers (and, where it makes sense, the targets) by {@code n}.
 *
 * <p>Common to all: the simulated moderator is truthful (it confirms a claim only when the target
 * really is of that category), so every restriction of an innocent target that appears comes from
 * a path on which no person looked at that target.
 *
 * @since 0.2
 */
public enum AttackFamily {
  /**
   * 200 aged accounts earn a track record cheaply by piling onto items a trusted flagger already
   * queued (all confirmed), then 150 of them report a journalist's article within an hour; once a
   * moderator clears it, the other 50 report it again.
   */
  LAUNDERING("the laundered wave is flagged as coordinated on the item a moderator sees, nothing is restricted, "
      + "and no member of the rejected wave reopens the cleared article"),
  /**
   * 100 accounts registered months apart (no shared creation time, no shared room), a fifth of them
   * laundered to a track record so that the wave check (80 % unproven) stays off, report a
   * journalist's post within six hours.
   */
  SYBIL_AGING("the aged wave is flagged as coordinated on the item a moderator sees and nothing is restricted"),
  /**
   * 100 aged, uncorrelated accounts spread their reports over a journalist's 30 posts, her account
   * and her channel within a day, about three per target, so that no single target sees a wave.
   */
  DILUTION("a campaign against one person is seen as one: at most the first 3 review items on her targets are "
      + "unflagged, and nothing is restricted"),
  /**
   * A ring (half laundered, half aged without history) reports a journalist's post for harassment;
   * after a moderator clears it, fresh members of the same ring claim doxxing, a sexual deepfake, NCII
   * and terrorism in turn.
   */
  CATEGORY_SHOPPING("once review cleared the target, the rejected ring gets no new review item on it in any "
      + "category, and nothing is restricted"),
  /**
   * The ring re-shares a victim's intimate image and three of its accounts report it as spam first;
   * the victim, whose account is a day old, then reports it as NCII about herself, backed by two young
   * friends within minutes; she also reports a second re-share nobody else reported.
   */
  DECOYS("the victim's own NCII claims reach a moderator as NCII claims, the re-shares are removed by review, "
      + "her reports are never rejected by a verdict on another claim, and her friends do not flag her item "
      + "as a brigade"),
  /**
   * 300 aged accounts without history report 300 ordinary posts as NCII within an hour, while the
   * moderator works 60 items an hour; in the middle, a reporter with a good record reports real NCII
   * and a victim with a day-old account reports her own.
   */
  QUEUE_FLOODING("the good reporter's and the victim's reports are each reviewed within the first 10 reviews "
      + "after they are filed"),
  /**
   * Over 60 days a trusted flagger (a victim support centre) files 200 reports, 182 right and 18 on
   * bait the ring planted; a victim's first report is on bait, her next is on her real re-share.
   */
  MISUSE_BAIT("a reporter who is right 90 % of the time is never warned or suspended automatically, no misuse "
      + "step rides on a report review confirms, every report decision states a reason, and the victim's real "
      + "report is queued"),
  /**
   * The ring re-posts a journalist's press photos with her address in the caption, and review
   * rightly removes the copies for doxxing; young throwaway accounts then report her originals (the
   * platform bank's first entry was an earlier CSAM removal). Then a wave of 8 aged accounts claims
   * her originals are NCII, a sloppy or bought review confirms the first of them, throwaways report
   * the originals as NCII, and readers re-share them. Last, outside any wave, one sloppy review
   * banks a copy of another of her photos as NCII, and a lone throwaway reports her older original.
   * Then another instance banks a ring member's copy of a third photo; this instance follows the
   * shared bank late, after she posted that photo here (and the ring member a second copy), and a
   * throwaway reports her photo: it is newer than the entry, so only the entry's uploader tells it
   * from the ring's copy.
   */
  BANK_LAUNDERING("no report-only path removes or strikes the journalist's originals or reports them to an "
      + "authority; her photos never enter the platform bank, readers' re-shares stay up, a bought review "
      + "out of a flagged wave does not strike her, and a lone report reaching her older original through a "
      + "laundered entry, or her photo posted before this instance had another's entry for a ring copy, at most "
      + "blurs it"),
  /**
   * Outside any wave: for each of a journalist's 3 photos, one aged ring account (no history, no
   * shared room or creation time with the others) posts a copy and reports it as NCII, and a bought
   * moderator confirms the claim at once, outside the queue; readers re-share her photos minutes
   * later. Beside it, to price the defence, a real victim reports her own intimate image, which an
   * abuser re-posts while her report waits, and the truthful moderator confirms it.
   */
  BOUGHT_REVIEW("one person's verdict banks nothing: none of the journalist's photos enters the platform bank, "
      + "no reader's re-share is removed, she is not struck, nothing is reported to an authority; and the real "
      + "victim's image is banked once a second, independent reviewer confirms, so that a later re-post is "
      + "removed on sight");

  private final String property;

  AttackFamily(String property) {
    this.property = property;
  }

  /**
   * The property a robust system keeps under this attack, in words.
   *
   * @return the property; never null
   */
  public String property() {
    return property;
  }

  /**
   * Why the built-in engine may not keep the property yet, when that is known and planned.
   *
   * @return the reason, or empty when the property is expected to hold
   */
  public java.util.Optional<String> pending() {
    return java.util.Optional.empty();
  }
}

package dev.haetae.moderation.api;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One thing the host should do as the result of a decision. The engine never acts itself: it hands
 * the decision's actions to the host's {@code ActionExecutor}, after the decision is durable in the
 * log. Immutable and thread-safe.
 *
 * <p>Actions are either a <em>disposition</em> of the content, ordered by severity
 * ({@link Allow} &lt; {@link Blur} &lt; {@link RestrictForwarding} &lt; {@link Remove}), of which a
 * decision keeps only the strongest, or an <em>additional measure</em> (review, block re-upload,
 * suspend, preserve, report, notify) that is kept alongside it. See {@link #severity()}.
 *
 * @since 0.1
 */
public sealed interface Action
    permits Action.Allow, Action.QueueForReview, Action.Blur, Action.RestrictForwarding, Action.Remove,
        Action.BlockReupload, Action.SuspendAccount, Action.PreserveEvidence, Action.ReportToAuthority,
        Action.NotifyUser, Action.Reinstate, Action.RemoveCopies, Action.TemporaryMeasure, Action.EndMeasure {

  /**
   * The type of an action, one constant per record type, for exhaustive dispatch.
   *
   * @since 0.2
   */
  enum Kind {
    /** {@link Allow}. */
    ALLOW,
    /** {@link QueueForReview}. */
    REVIEW,
    /** {@link Blur}. */
    BLUR,
    /** {@link RestrictForwarding}. */
    RESTRICT_FORWARDING,
    /** {@link Remove}. */
    REMOVE,
    /** {@link BlockReupload}. */
    BLOCK_REUPLOAD,
    /** {@link SuspendAccount}. */
    SUSPEND_ACCOUNT,
    /** {@link PreserveEvidence}. */
    PRESERVE_EVIDENCE,
    /** {@link ReportToAuthority}. */
    REPORT_AUTHORITY,
    /** {@link NotifyUser}. */
    NOTIFY_USER,
    /** {@link Reinstate}. */
    REINSTATE,
    /**
     * {@link RemoveCopies}.
     *
     * @since 0.3
     */
    REMOVE_COPIES,
    /**
     * {@link TemporaryMeasure}.
     *
     * @since 0.4
     */
    TEMPORARY_MEASURE,
    /**
     * {@link EndMeasure}.
     *
     * @since 0.4
     */
    END_MEASURE;

    /**
     * The wire name, as {@link Action#name()} gives it.
     *
     * @return the name; never null
     */
    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * The action's type.
   *
   * @return the kind; never null
   * @since 0.2
   */
  Kind actionKind();

  /**
   * The action's wire name, as in event-stream output ({@code remove}, {@code review}, ...).
   *
   * @return the name; never null
   */
  String name();

  /**
   * For dispositions, their severity: allow 0, blur 1, restrict forwarding 2, remove 3. Additional
   * measures return -1.
   *
   * @return the severity, or -1
   */
  default int severity() {
    return -1;
  }

  /**
   * Whether this action restricts the content or the user (everything but allow, review and notify).
   * Restrictive actions must be justified by a reason with a legal ground.
   *
   * @return whether restrictive
   */
  default boolean restrictive() {
    return true;
  }

  /** No action: the content may stay. */
  record Allow() implements Action {
    @Override
    public String name() {
      return "allow";
    }

    @Override
    public Kind actionKind() {
      return Kind.ALLOW;
    }

    @Override
    public int severity() {
      return 0;
    }

    @Override
    public boolean restrictive() {
      return false;
    }
  }

  /**
   * Put the target in front of a human moderator.
   *
   * @param priority the queue priority; not null
   * @param brigadingSuspected whether the reports that caused it look coordinated
   * @param lane the review lane, e.g. {@code "trusted_flagger"}, {@code "legal"}, {@code "default"};
   *     not null
   * @param score how strongly the evidence asks for this item to be looked at first <em>within its
   *     priority band</em>, in [0, 1]: a host orders its queue by priority, then score (higher
   *     first), then age. Report items are scored by the credibility of the claim, the severity of
   *     the alleged harm and the independence of the reporters; a policy that does not rank its
   *     items leaves {@value #UNRANKED}, so that they are ordered by age ahead of ranked ones
   * @since 0.1 (score since 0.2)
   */
  record QueueForReview(Priority priority, boolean brigadingSuspected, String lane, double score)
      implements Action {
    /** The score of an item its policy did not rank. */
    public static final double UNRANKED = 1.0;

    /**
     * Validates.
     *
     * @param priority the priority component, as described on the record
     * @param brigadingSuspected the brigadingSuspected component, as described on the record
     * @param lane the lane component, as described on the record
     * @param score the score component, as described on the record
     * @throws NullPointerException when a reference component is null
     * @throws IllegalArgumentException when {@code score} is not in [0, 1]
     */
    public QueueForReview {
      Objects.requireNonNull(priority, "priority");
      Objects.requireNonNull(lane, "lane");
      if (!(score >= 0 && score <= 1)) {
        throw new IllegalArgumentException("review score must be in [0, 1], got " + score);
      }
    }

    /**
     * An item its policy does not rank ({@link #UNRANKED}).
     *
     * @param priority the queue priority; not null
     * @param brigadingSuspected whether the reports that caused it look coordinated
     * @param lane the review lane; not null
     * @throws NullPointerException when a reference argument is null
     */
    public QueueForReview(Priority priority, boolean brigadingSuspected, String lane) {
      this(priority, brigadingSuspected, lane, UNRANKED);
    }

    /**
     * A review in the default lane.
     *
     * @param priority the priority; not null
     * @return the action
     */
    public static QueueForReview of(Priority priority) {
      return new QueueForReview(priority, false, "default");
    }

    @Override
    public String name() {
      return "review";
    }

    @Override
    public Kind actionKind() {
      return Kind.REVIEW;
    }

    @Override
    public boolean restrictive() {
      return false;
    }
  }

  /**
   * Show the content behind an interstitial with a label.
   *
   * @param label the label shown, e.g. {@code "sensitive"}; not null
   */
  record Blur(String label) implements Action {
    /**
     * Validates.
     *
     * @param label the label component, as described on the record
     * @throws NullPointerException when {@code label} is null
     */
    public Blur {
      Objects.requireNonNull(label, "label");
    }

    @Override
    public String name() {
      return "blur";
    }

    @Override
    public Kind actionKind() {
      return Kind.BLUR;
    }

    @Override
    public int severity() {
      return 1;
    }
  }

  /** Keep the content but stop it from being forwarded further. */
  record RestrictForwarding() implements Action {
    @Override
    public String name() {
      return "restrict_forwarding";
    }

    @Override
    public Kind actionKind() {
      return Kind.RESTRICT_FORWARDING;
    }

    @Override
    public int severity() {
      return 2;
    }
  }

  /** Remove the content (hide it from everyone; preservation duties may still keep a copy). */
  record Remove() implements Action {
    @Override
    public String name() {
      return "remove";
    }

    @Override
    public Kind actionKind() {
      return Kind.REMOVE;
    }

    @Override
    public int severity() {
      return 3;
    }
  }

  /** Add the content's fingerprints to the platform's own bank so that re-uploads are blocked. */
  record BlockReupload() implements Action {
    @Override
    public String name() {
      return "block_reupload";
    }

    @Override
    public Kind actionKind() {
      return Kind.BLOCK_REUPLOAD;
    }
  }

  /**
   * Suspend the account that posted the content.
   *
   * @param duration how long, or empty for an indefinite suspension; not null
   */
  record SuspendAccount(Optional<Duration> duration) implements Action {
    /**
     * Validates.
     *
     * @param duration the duration component, as described on the record
     * @throws NullPointerException when {@code duration} is null
     */
    public SuspendAccount {
      Objects.requireNonNull(duration, "duration");
    }

    @Override
    public String name() {
      return "suspend_account";
    }

    @Override
    public Kind actionKind() {
      return Kind.SUSPEND_ACCOUNT;
    }
  }

  /**
   * Keep the content and its metadata as evidence, hidden, for a period.
   *
   * @param period how long; not null, positive
   */
  record PreserveEvidence(Duration period) implements Action {
    /**
     * Validates.
     *
     * @param period the period component, as described on the record
     * @throws NullPointerException when {@code period} is null
     * @throws IllegalArgumentException when {@code period} is not positive
     */
    public PreserveEvidence {
      Objects.requireNonNull(period, "period");
      if (period.isNegative() || period.isZero()) {
        throw new IllegalArgumentException("period must be positive, got " + period);
      }
    }

    @Override
    public String name() {
      return "preserve_evidence";
    }

    @Override
    public Kind actionKind() {
      return Kind.PRESERVE_EVIDENCE;
    }
  }

  /**
   * Report the content to an authority (e.g. NCMEC, the police, a regulator).
   *
   * @param authority the authority's name; not null
   * @param noTipOff when true, the user must not be notified before the report is filed; the
   *     engine then drops any {@link NotifyUser} for the uploader from the decision
   */
  record ReportToAuthority(String authority, boolean noTipOff) implements Action {
    /**
     * Validates.
     *
     * @param authority the authority component, as described on the record
     * @param noTipOff the noTipOff component, as described on the record
     * @throws NullPointerException when {@code authority} is null
     */
    public ReportToAuthority {
      Objects.requireNonNull(authority, "authority");
    }

    @Override
    public String name() {
      return "report_authority";
    }

    @Override
    public Kind actionKind() {
      return Kind.REPORT_AUTHORITY;
    }
  }

  /**
   * Tell someone about the decision.
   *
   * @param recipient who is told; not null
   * @param statement the statement of reasons; not null
   */
  record NotifyUser(Recipient recipient, StatementOfReasons statement) implements Action {
    /**
     * Validates.
     *
     * @param recipient the recipient component, as described on the record
     * @param statement the statement component, as described on the record
     * @throws NullPointerException when a component is null
     */
    public NotifyUser {
      Objects.requireNonNull(recipient, "recipient");
      Objects.requireNonNull(statement, "statement");
    }

    @Override
    public String name() {
      return "notify_user";
    }

    @Override
    public Kind actionKind() {
      return Kind.NOTIFY_USER;
    }

    @Override
    public boolean restrictive() {
      return false;
    }
  }

  /**
   * Undo an earlier decision that an appeal reversed: restore the content it removed and lift the
   * restrictions it imposed (forwarding limits, suspension). The engine itself clears the strike it
   * recorded and corrects the credibility of the reporters whose reports that decision confirmed.
   * An additional measure, not restrictive.
   *
   * @param reversed the decision being reversed; not null
   * @since 0.1
   */
  record Reinstate(DecisionId reversed) implements Action {
    /**
     * Validates.
     *
     * @param reversed the decision being reversed; not null
     * @throws NullPointerException when {@code reversed} is null
     */
    public Reinstate {
      Objects.requireNonNull(reversed, "reversed");
    }

    @Override
    public String name() {
      return "reinstate";
    }

    @Override
    public Kind actionKind() {
      return Kind.REINSTATE;
    }

    @Override
    public boolean restrictive() {
      return false;
    }
  }

  /**
   * Remove other items, posted before the decision, that are identical copies of the content (the
   * same SHA-256 or MD5): a duty such as the US TAKE IT DOWN Act's ("make reasonable efforts to
   * identify and remove any known identical copies") reaches copies already on the platform, not only
   * re-uploads ({@link BlockReupload} covers those). The engine lists the copies it remembers by
   * digest; the host removes each within the same deadline as the content itself and may confirm it
   * with an {@link ActionConfirmation} of {@link Kind#REMOVE_COPIES}. An additional measure,
   * restrictive. Immutable and thread-safe.
   *
   * @param copies the identical copies to remove, in the order the engine first saw them; not null,
   *     not empty, no null or repeated element; copied
   * @since 0.3
   */
  record RemoveCopies(java.util.List<ContentId> copies) implements Action {
    /**
     * Validates and copies.
     *
     * @param copies the copies component, as described on the record
     * @throws NullPointerException when {@code copies} or an element is null
     * @throws IllegalArgumentException when {@code copies} is empty or repeats an element
     */
    public RemoveCopies {
      copies = java.util.List.copyOf(copies);
      if (copies.isEmpty()) {
        throw new IllegalArgumentException("copies: at least one copy is required");
      }
      if (new java.util.HashSet<>(copies).size() != copies.size()) {
        throw new IllegalArgumentException("copies: a copy is listed twice");
      }
    }

    @Override
    public String name() {
      return "remove_copies";
    }

    @Override
    public Kind actionKind() {
      return Kind.REMOVE_COPIES;
    }
  }

  /**
   * Block access to the content for a limited time, until {@code until}: a "temporary measure" such
   * as the one Korea's Information and Communications Network Act, Art. 44-2(2) and (4), asks of a
   * provider when a person whose rights the content infringes requests its deletion and the
   * infringement is unclear or disputed. The host hides the content as it would for a removal; the
   * engine remembers the measure and, unless a review verdict ends it first, decides its lift at
   * {@code until} with a decision of its own ({@link EndMeasure} with {@link EndMeasure.Ending#LIFTED}),
   * which the host's executor receives like any other. An additional measure, restrictive.
   * Immutable and thread-safe.
   *
   * @param until the instant the measure ends unless a verdict ends it earlier; not null
   * @since 0.4
   */
  record TemporaryMeasure(java.time.Instant until) implements Action {
    /**
     * Validates.
     *
     * @param until the until component, as described on the record
     * @throws NullPointerException when {@code until} is null
     */
    public TemporaryMeasure {
      Objects.requireNonNull(until, "until");
    }

    @Override
    public String name() {
      return "temporary_measure";
    }

    @Override
    public Kind actionKind() {
      return Kind.TEMPORARY_MEASURE;
    }
  }

  /**
   * End an earlier decision's {@link TemporaryMeasure}: lift it at its expiry, restore the content
   * because a review found no infringement, or keep the content removed because a review upheld the
   * request. For {@link Ending#LIFTED} and {@link Ending#RESTORED} the host makes the content
   * reachable again; for {@link Ending#UPHELD} the content stays hidden (the decision carries the
   * review's own actions). Not restrictive. Immutable and thread-safe.
   *
   * @param measure the decision that took the measure; not null
   * @param ending how the measure ended; not null
   * @since 0.4
   */
  record EndMeasure(DecisionId measure, Ending ending) implements Action {
    /**
     * How a temporary measure ended.
     *
     * @since 0.4
     */
    public enum Ending {
      /** It reached its expiry with no verdict: access is restored. */
      LIFTED,
      /** A review found the content does not infringe: access is restored. */
      RESTORED,
      /** A review found the content infringes: the removal stands. */
      UPHELD;

      /**
       * The wire name, e.g. {@code lifted}.
       *
       * @return the lower-case name; never null
       */
      public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
      }

      /**
       * Parses a wire name.
       *
       * @param wire the wire name; not null
       * @return the ending; never null
       * @throws IllegalArgumentException when {@code wire} names no ending
       */
      public static Ending fromWire(String wire) {
        for (Ending e : values()) {
          if (e.wireName().equals(wire)) {
            return e;
          }
        }
        throw new IllegalArgumentException("ending: unknown value '" + wire + "'");
      }
    }

    /**
     * Validates.
     *
     * @param measure the measure component, as described on the record
     * @param ending the ending component, as described on the record
     * @throws NullPointerException when a component is null
     */
    public EndMeasure {
      Objects.requireNonNull(measure, "measure");
      Objects.requireNonNull(ending, "ending");
    }

    @Override
    public String name() {
      return "end_measure";
    }

    @Override
    public Kind actionKind() {
      return Kind.END_MEASURE;
    }

    @Override
    public boolean restrictive() {
      return false;
    }
  }

  /**
   * Who a {@link NotifyUser} is addressed to.
   *
   * @since 0.1
   */
  enum Recipient {
    /** The account that posted the content. */
    UPLOADER,
    /** The people who reported it. */
    REPORTERS,
    /** The sender of a legal notice. */
    NOTICE_SENDER,
    /** The owner of a protected profile photo that was copied. */
    PHOTO_OWNER
  }
}

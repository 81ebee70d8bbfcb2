package dev.haetae.moderation.core.banks;

import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.InvalidRequestException;
import dev.haetae.moderation.api.spi.HashBankSource;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * Incremental sync from the hash-sharing programmes, as {@link HashBankSource}s to hand to
 * {@code HashBanks.connect}: each pages through the programme's API the way the programme
 * documents it, keeps the programme's checkpoint, honours withdrawals and deletions, and delivers
 * entries of signal types Haetae cannot match as foreign entries. Credentials are the host's
 * business: pass the headers the programme wants ({@code Authorization}, StopNCII's
 * {@code Ocp-Apim-Subscription-Key} and {@code x-functions-key}, ...); they are sent with every
 * request and never logged.
 *
 * <p>Every request times out after {@link #TIMEOUT}; a page larger than {@link #MAX_PAGE_BYTES}
 * fails the sync; a sync that fails part way leaves what it applied applied and the checkpoint
 * where it was, so the next refresh repeats it (applying an entry twice changes nothing). Records
 * a page holds that cannot be read are reported in the import report, not thrown.
 *
 * <pre>{@code
 * HashBankSource stopncii = BankSources.stopNcii("stopncii", URI.create("https://api.stopncii.org/v1"),
 *     Map.of("Ocp-Apim-Subscription-Key", key, "x-functions-key", fetchKey));
 * ImportReport loaded = banks.connect(stopncii, BankConfig.builder("stopncii", Category.NCII).build());
 * ImportReport changes = banks.refresh("stopncii");   // later, e.g. every 15 minutes
 * }</pre>
 *
 * @since 0.1
 */
public final class BankSources {
  /** The timeout of every request. */
  public static final Duration TIMEOUT = Duration.ofSeconds(60);

  /** The largest page body accepted, in bytes. */
  public static final long MAX_PAGE_BYTES = 256L << 20;

  private BankSources() {}

  /**
   * StopNCII's hash exchange ({@code FetchHashes} pages by {@code nextPageToken}, checkpoint
   * {@code nextSetTimestamp}; review feedback goes back as {@code SubmitFeedback}, sent at the
   * start of each sync). Category {@code ncii}.
   *
   * @param bankId the bank id; not null
   * @param base the API base, e.g. {@code https://api.stopncii.org/v1}; not null
   * @param headers headers for every request; not null
   * @return the source; thread-safe as the SPI requires
   * @throws InvalidRequestException when an argument is null
   */
  public static HashBankSource stopNcii(String bankId, URI base, Map<String, String> headers) {
    return new StopNciiSource(check(bankId, base, headers), Category.NCII, base, http(headers));
  }

  /**
   * NCMEC hash sharing v2 ({@code entries} by {@code from}/{@code to} and {@code paging/next},
   * deletions by entry id). Category {@code csam}.
   *
   * @param bankId the bank id; not null
   * @param base the service base, e.g. {@code https://report.cybertip.org/hashsharing}; not null
   * @param headers headers for every request (e.g. basic {@code Authorization}); not null
   * @param clock gives the {@code to} time of each sync; not null
   * @return the source
   * @throws InvalidRequestException when an argument is null
   */
  public static HashBankSource ncmec(String bankId, URI base, Map<String, String> headers, Clock clock) {
    InvalidRequestException.requireNonNull("clock", clock);
    return new NcmecSource(check(bankId, base, headers), Category.CSAM, base, http(headers), clock);
  }

  /**
   * Tech Against Terrorism's TCAP hash list v2 ({@code after=<checkpoint>} pages, checkpoint
   * {@code "<seconds>,<id>"}). Category {@code terrorism}.
   *
   * @param bankId the bank id; not null
   * @param base the service base, e.g. {@code https://beta.terrorismanalytics.org/}; not null
   * @param headers headers for every request (e.g. {@code Authorization: Bearer ...}); not null
   * @return the source
   * @throws InvalidRequestException when an argument is null
   */
  public static HashBankSource tcap(String bankId, URI base, Map<String, String> headers) {
    return new TcapSource(check(bankId, base, headers), Category.TERRORISM, base, http(headers));
  }

  /**
   * ThreatExchange {@code threat_updates} of a privacy group (checkpoint: the last sync's
   * {@code stop_time}).
   *
   * @param bankId the bank id; not null
   * @param category the category of harm the privacy group shares; not null
   * @param base the Graph API base, e.g. {@code https://graph.facebook.com/v19.0}; not null
   * @param privacyGroup the privacy group id; not null
   * @param headers headers for every request (e.g. {@code Authorization: OAuth <token>}); not null
   * @param clock gives the {@code stop_time} of each sync; not null
   * @return the source
   * @throws InvalidRequestException when an argument is null or the group id is not 1-64 letters,
   *     digits, {@code _} or {@code -}
   */
  public static HashBankSource threatExchange(String bankId, Category category, URI base, String privacyGroup,
      Map<String, String> headers, Clock clock) {
    InvalidRequestException.requireNonNull("category", category);
    InvalidRequestException.requireNonNull("privacyGroup", privacyGroup);
    InvalidRequestException.requireNonNull("clock", clock);
    try {
      return new ThreatExchangeSource(check(bankId, base, headers), category, base, privacyGroup, http(headers), clock);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("privacyGroup", e.getMessage());
    }
  }

  private static String check(String bankId, URI base, Map<String, String> headers) {
    InvalidRequestException.requireNonNull("bankId", bankId);
    InvalidRequestException.requireNonNull("base", base);
    InvalidRequestException.requireNonNull("headers", headers);
    if (base.getScheme() == null || !(base.getScheme().equals("https") || base.getScheme().equals("http"))) {
      throw new InvalidRequestException("base", "must be an http(s) URL, got " + base);
    }
    return bankId;
  }

  private static HttpPages http(Map<String, String> headers) {
    return new HttpPages(headers, TIMEOUT, MAX_PAGE_BYTES);
  }
}

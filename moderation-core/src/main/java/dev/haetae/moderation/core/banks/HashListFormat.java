package dev.haetae.moderation.core.banks;

import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.InvalidRequestException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The hash-list formats Haetae reads, and writes where the format has a direction back. Each
 * reader streams: it hands every well-formed record and every problem (with its line) to a
 * {@link RecordSink} and never stops at a bad record; a broken file structure (JSON or XML that
 * does not parse) ends the read with one {@link ProblemKind#MALFORMED} problem. Readers hold at
 * most one record's fields at a time, cut lines at 64 KiB and strings at 64 KiB, and refuse XML
 * DTDs and entities. Thread-safe (the constants hold no state).
 *
 * @since 0.1
 */
public enum HashListFormat {
  /** Haetae's CSV: {@code hash,signal_type,added_at,case_id,status[,quality]} (columns by header name). */
  HAETAE_CSV("bank-csv", Category.OTHER, true),
  /** HMA's local-file exchange: {@code signal_type signal} per line. */
  HMA_FILE("hma", Category.OTHER, true),
  /** HMA bank contents as JSON: {@code [{"id": 7, "signals": {"pdq": "..."}}]}. */
  HMA_JSON("hma-json", Category.OTHER, true),
  /** ThreatExchange descriptors and {@code threat_updates} pages. */
  THREATEXCHANGE("threatexchange", Category.OTHER, false),
  /** NCMEC hash sharing v2 XML ({@code queryResult}). */
  NCMEC("ncmec", Category.CSAM, false),
  /** Tech Against Terrorism's TCAP hash list (v2 pages or the downloadable array). */
  TCAP("tcap", Category.TERRORISM, false),
  /** StopNCII hash exchange pages ({@code FetchHashes}). */
  STOPNCII("stopncii", Category.NCII, true);

  private final String wireName;
  private final Category category;
  private final boolean writable;

  HashListFormat(String wireName, Category category, boolean writable) {
    this.wireName = wireName;
    this.category = category;
    this.writable = writable;
  }

  /**
   * The name used on the command line and in messages, e.g. {@code "bank-csv"}.
   *
   * @return the name; never null
   */
  public String wireName() {
    return wireName;
  }

  /**
   * The category of a bank created from a list in this format when nothing else says: NCII for
   * StopNCII, CSAM for NCMEC, terrorism for TCAP, other for the rest.
   *
   * @return the category; never null
   */
  public Category defaultCategory() {
    return category;
  }

  /**
   * Whether {@link #write} supports this format.
   *
   * @return true for Haetae CSV, both HMA formats and StopNCII
   */
  public boolean writable() {
    return writable;
  }

  /**
   * Parses a wire name (case-insensitive; {@code csv} is accepted for {@code bank-csv}).
   *
   * @param name the name; not null
   * @return the format
   * @throws InvalidRequestException when the name is unknown
   */
  public static HashListFormat fromWire(String name) {
    InvalidRequestException.requireNonNull("format", name);
    String n = name.strip().toLowerCase(Locale.ROOT);
    if (n.equals("csv")) {
      return HAETAE_CSV;
    }
    for (HashListFormat f : values()) {
      if (f.wireName.equals(n)) {
        return f;
      }
    }
    throw new InvalidRequestException("format", "has unknown value '" + name + "' (allowed: "
        + Arrays.stream(values()).map(HashListFormat::wireName).collect(Collectors.joining(", ")) + ")");
  }

  /**
   * Reads a list, handing each record and problem to {@code sink} in input order.
   *
   * @param in the text; not null; not closed
   * @param sink receives records and problems; not null
   * @throws IOException when reading {@code in} fails (records handed over before stay handed)
   */
  public void read(Reader in, RecordSink sink) throws IOException {
    switch (this) {
      case HAETAE_CSV:
        CsvFormat.read(in, sink);
        break;
      case HMA_FILE:
        HmaFormat.readFile(in, sink);
        break;
      case HMA_JSON:
        HmaFormat.readJson(in, sink);
        break;
      case THREATEXCHANGE:
        ThreatExchangeFormat.read(in, sink);
        break;
      case NCMEC:
        NcmecFormat.read(in, sink);
        break;
      case TCAP:
        TcapFormat.read(in, sink);
        break;
      case STOPNCII:
        StopNciiFormat.read(in, sink);
        break;
      default:
        throw new AssertionError(this);
    }
  }

  /**
   * Writes records in this format: Haetae CSV writes active and withdrawn records of every type;
   * StopNCII writes active and withdrawn records of the exchange's types (ImagePDQ, VideoMD5,
   * VideoTMK, Text, URL); the HMA formats write active records (they have no states). Deleted
   * records are never written.
   *
   * @param records the records, iterated more than once; not null
   * @param out the destination; not null; not closed
   * @return how many records the format cannot carry and were left out
   * @throws IOException when writing fails
   * @throws UnsupportedOperationException when {@link #writable()} is false
   */
  public long write(Iterable<ListRecord> records, Writer out) throws IOException {
    switch (this) {
      case HAETAE_CSV:
        CsvFormat.write(records, out);
        return 0;
      case HMA_FILE:
        HmaFormat.writeFile(records, out);
        return 0;
      case HMA_JSON:
        HmaFormat.writeJson(records, out);
        return 0;
      case STOPNCII:
        return StopNciiFormat.write(records, out);
      default:
        throw new UnsupportedOperationException(wireName + " lists are read only: Haetae does not write them");
    }
  }

  /**
   * Tells a file's format from its name and first 64 KiB: {@code .csv} is Haetae CSV,
   * {@code .xml} NCMEC, {@code .hma} the HMA file exchange (a {@code .txt} file is not taken
   * for one: give the format); a {@code .json}
   * file is StopNCII when it mentions {@code hashRecords}, TCAP with {@code hash_digest},
   * ThreatExchange with {@code raw_indicator} or {@code should_delete}, HMA with
   * {@code signals}, and StopNCII otherwise.
   *
   * @param file the file; not null
   * @return the format, or empty when the extension is none of these
   * @throws IOException when the file cannot be read
   */
  public static Optional<HashListFormat> detect(Path file) throws IOException {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".csv")) {
      return Optional.of(HAETAE_CSV);
    }
    if (name.endsWith(".xml")) {
      return Optional.of(NCMEC);
    }
    if (name.endsWith(".hma")) {
      return Optional.of(HMA_FILE);
    }
    if (!name.endsWith(".json")) {
      return Optional.empty();
    }
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(64 * 1024);
    }
    String s = new String(head, StandardCharsets.UTF_8);
    if (s.contains("\"hashRecords\"")) {
      return Optional.of(STOPNCII);
    }
    if (s.contains("\"hash_digest\"")) {
      return Optional.of(TCAP);
    }
    if (s.contains("\"raw_indicator\"") || s.contains("\"should_delete\"")) {
      return Optional.of(THREATEXCHANGE);
    }
    if (s.contains("\"signals\"")) {
      return Optional.of(HMA_JSON);
    }
    return Optional.of(STOPNCII);
  }
}

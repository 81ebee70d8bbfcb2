package dev.haetae.moderation.video;

import dev.haetae.moderation.api.InvalidRequestException;
import dev.haetae.moderation.api.spi.HashBankSource.Entry.State;
import dev.haetae.moderation.core.banks.HashListFormat;
import dev.haetae.moderation.core.banks.ListRecord;
import dev.haetae.moderation.core.banks.ProblemKind;
import dev.haetae.moderation.core.banks.RecordSink;
import dev.haetae.moderation.core.hash.HashListException;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the vPDQ entries of a hash list into video banks: rows of signal type {@value
 * VideoHits#SIGNAL_TYPE} (also spelt {@code VideoVPDQ} or {@code HASH_VPDQ}) whose hash is
 * upstream's Python serialisation of the whole video, a JSON array of {@code
 * "pdq_hex,quality,timestamp"} strings, as HMA and python-threatexchange exchange vPDQ signals. The
 * list is read by core's readers ({@link HashListFormat}): Haetae's CSV ({@code hash,signal_type,
 * added_at,case_id,status}, the JSON quoted as CSV quotes), HMA's file exchange ({@code vpdq [...]}
 * per line) or HMA's JSON bank contents. Rows of other types are counted and left to the image
 * banks' import; withdrawn and deleted rows are counted and left out.
 *
 * <p>A row's video id is its case id when it has one, else {@code source:line}. Reading never stops
 * at a bad row: each becomes a {@link Problem} with its line (a vPDQ value that does not parse, a
 * repeated id, or what core's reader reports, such as a line over 64 KiB, which holds about 800
 * frames: a 13-minute video at one frame per second). Stateless and thread-safe.
 *
 * @since 0.1
 */
public final class VpdqLists {
  /** The most problems a {@link Result} keeps; later ones are only counted. */
  public static final int MAX_PROBLEMS = 1000;

  private VpdqLists() {}

  /**
   * One banked video read from a list.
   *
   * @param id the video's id: the row's case id, else {@code source:line}; not null
   * @param hash its vPDQ hash, frames numbered by position; not null
   * @param line the 1-based line (or record position) in the list
   */
  public record Entry(String id, VideoHash hash, long line) {
    /**
     * Validates.
     *
     * @param id the video's id; not null
     * @param hash its vPDQ hash; not null
     * @param line the 1-based line (or record position) in the list
     * @throws InvalidRequestException when {@code id} or {@code hash} is null
     */
    public Entry {
      InvalidRequestException.requireNonNull("id", id);
      InvalidRequestException.requireNonNull("hash", hash);
    }
  }

  /**
   * A row that was skipped.
   *
   * @param line the 1-based line (or record position) in the list
   * @param kind the class of the problem; not null
   * @param message what is wrong; not null
   */
  public record Problem(long line, ProblemKind kind, String message) {
    /**
     * Validates.
     *
     * @param line the 1-based line (or record position)
     * @param kind the class of the problem; not null
     * @param message what is wrong; not null
     * @throws InvalidRequestException when {@code kind} or {@code message} is null
     */
    public Problem {
      InvalidRequestException.requireNonNull("kind", kind);
      InvalidRequestException.requireNonNull("message", message);
    }
  }

  /**
   * What a list held.
   *
   * @param entries the active vPDQ entries, in list order, ids unique; not null, copied
   * @param problems the first {@value #MAX_PROBLEMS} skipped rows, in list order; not null, copied
   * @param moreProblems skipped rows beyond those
   * @param otherTypes rows of other signal types, left out
   * @param inactive vPDQ rows withdrawn or deleted, left out
   */
  public record Result(List<Entry> entries, List<Problem> problems, long moreProblems, long otherTypes,
      long inactive) {
    /**
     * Validates and copies.
     *
     * @param entries the active vPDQ entries; not null, copied
     * @param problems the skipped rows; not null, copied
     * @param moreProblems skipped rows beyond those
     * @param otherTypes rows of other signal types
     * @param inactive vPDQ rows withdrawn or deleted
     * @throws InvalidRequestException when a list is null
     */
    public Result {
      entries = List.copyOf(InvalidRequestException.requireNonNull("entries", entries));
      problems = List.copyOf(InvalidRequestException.requireNonNull("problems", problems));
    }

    /**
     * Adds every entry to a bank builder.
     *
     * @param bank the builder; not null
     * @return {@code bank}
     * @throws InvalidRequestException when {@code bank} is null or already holds one of the ids
     */
    public VideoBank.Builder addTo(VideoBank.Builder bank) {
      InvalidRequestException.requireNonNull("bank", bank);
      for (Entry e : entries) {
        bank.add(e.id(), e.hash());
      }
      return bank;
    }
  }

  /**
   * Reads a list's vPDQ entries.
   *
   * @param format the list's format; not null
   * @param source the list's name, for ids without a case id and for messages; not null, not blank
   * @param in the list; not null; read to its end, not closed
   * @param limits whose {@link VideoLimits#maxFrames()} bounds each video's frames; not null
   * @return the entries and problems; never null
   * @throws IOException when reading {@code in} fails
   * @throws InvalidRequestException when an argument is null or {@code source} blank
   */
  public static Result read(HashListFormat format, String source, Reader in, VideoLimits limits) throws IOException {
    InvalidRequestException.requireNonNull("format", format);
    InvalidRequestException.requireNonNull("source", source);
    InvalidRequestException.requireNonNull("in", in);
    InvalidRequestException.requireNonNull("limits", limits);
    if (source.isBlank()) {
      throw new InvalidRequestException("source", "must not be blank");
    }
    List<Entry> entries = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    long[] other = {0};
    long[] more = {0};
    long[] inactive = {0};
    format.read(in, new RecordSink() {
      @Override
      public void accept(ListRecord r) {
        if (!r.signalType().equals(VideoHits.SIGNAL_TYPE)) {
          other[0]++;
          return;
        }
        if (r.state() != State.ACTIVE) {
          inactive[0]++;
          return;
        }
        String id = r.caseId().filter(c -> !c.isBlank()).orElse(source + ":" + r.line());
        if (!ids.add(id)) {
          problem(r.line(), ProblemKind.DUPLICATE, "video id '" + id + "' already read");
          return;
        }
        try {
          entries.add(new Entry(id, VpdqFormat.readJson(source + ":" + r.line(), r.value(), limits), r.line()));
        } catch (HashListException e) {
          ids.remove(id);
          problem(r.line(), e.kind(), "vpdq value, frame " + e.line() + ": " + e.getMessage());
        }
      }

      @Override
      public void problem(long line, ProblemKind kind, String message) {
        if (problems.size() < MAX_PROBLEMS) {
          problems.add(new Problem(line, kind, message));
        } else {
          more[0]++;
        }
      }
    });
    return new Result(entries, problems, more[0], other[0], inactive[0]);
  }
}

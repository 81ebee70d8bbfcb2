package dev.haetae.moderation.core.banks;

import dev.haetae.moderation.api.spi.HashBankSource.Entry.State;
import java.io.IOException;
import java.io.Reader;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * NCMEC hash sharing, API v2: a {@code queryResult} with {@code images} and {@code videos}, each
 * holding {@code image}/{@code video} entries ({@code member}, {@code timestamp}, {@code id},
 * {@code classification}, {@code fingerprints} with {@code md5}, {@code sha1}, {@code pdna},
 * {@code pdq}, {@code tmk-pdqf}, ...) and {@code deletedImage}/{@code deletedVideo} entries that
 * carry only the id; and {@code paging/next}, the path of the next page. Namespaces are ignored;
 * DTDs and external entities are refused.
 *
 * <p>An image's {@code md5} becomes {@code md5}, a video's {@code video_md5}; {@code pdq} is
 * matched; {@code sha1}, {@code pdna} (PhotoDNA), {@code tmk-pdqf} and the rest are kept as
 * foreign types (a fingerprint given only as a link keeps the link as its value). Every record
 * carries the entry id as its case id and source id, so that a later deletion by id removes all
 * of the entry's hashes.
 */
final class NcmecFormat {
  private static final int MAX_TEXT = 16 * 1024;

  private NcmecFormat() {}

  /** What a page says about the next one. */
  record Page(Optional<String> next, long records) {}

  static XMLInputFactory factory() {
    XMLInputFactory f = XMLInputFactory.newFactory();
    f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
    f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
    return f;
  }

  private static final XMLInputFactory FACTORY = factory();

  static Page read(Reader in, RecordSink sink) throws IOException {
    Optional<String> next = Optional.empty();
    long n = 0;
    XMLStreamReader x = null;
    try {
      x = FACTORY.createXMLStreamReader(in);
      List<String> path = new ArrayList<>();
      while (x.hasNext()) {
        int ev = x.next();
        if (ev == XMLStreamConstants.START_ELEMENT) {
          String name = x.getLocalName();
          String parent = path.isEmpty() ? "" : path.get(path.size() - 1);
          if (("images".equals(parent) || "videos".equals(parent))
              && (name.equals("image") || name.equals("video") || name.equals("deletedImage")
                  || name.equals("deletedVideo"))) {
            n++;
            entry(x, name, sink);
            continue;
          }
          if ("next".equals(name) && "paging".equals(parent)) {
            String s = text(x);
            next = s == null || s.isBlank() ? Optional.empty() : Optional.of(s.strip());
            continue;
          }
          if (path.size() > 32) {
            sink.problem(x.getLocation().getLineNumber(), ProblemKind.MALFORMED, "elements nested too deep");
            return new Page(Optional.empty(), n);
          }
          path.add(name);
        } else if (ev == XMLStreamConstants.END_ELEMENT) {
          if (!path.isEmpty()) {
            path.remove(path.size() - 1);
          }
        } else if (ev == XMLStreamConstants.DTD) {
          sink.problem(x.getLocation().getLineNumber(), ProblemKind.MALFORMED,
              "a DTD is not allowed in a hash-sharing response; the rest is not read");
          return new Page(Optional.empty(), n);
        }
      }
    } catch (XMLStreamException | RuntimeException e) {
      long line = x == null || x.getLocation() == null ? 0 : x.getLocation().getLineNumber();
      sink.problem(Math.max(0, line), ProblemKind.MALFORMED, "broken XML, the rest is not read: "
          + ListRecord.printable(String.valueOf(e.getMessage())));
      return new Page(Optional.empty(), n);
    } finally {
      if (x != null) {
        try {
          x.close();
        } catch (XMLStreamException ignored) {
          // nothing to release beyond the reader, which the caller closes
        }
      }
    }
    return new Page(next, n);
  }

  /** Reads one entry element through its end tag. */
  private static void entry(XMLStreamReader x, String kind, RecordSink sink) throws XMLStreamException {
    long line = x.getLocation().getLineNumber();
    boolean video = kind.toLowerCase(java.util.Locale.ROOT).endsWith("video");
    boolean deleted = kind.startsWith("deleted");
    String id = null;
    String timestamp = null;
    List<String[]> prints = new ArrayList<>(4);
    int depth = 1;
    String inside = null;
    while (depth > 0 && x.hasNext()) {
      int ev = x.next();
      if (ev == XMLStreamConstants.START_ELEMENT) {
        depth++;
        String name = x.getLocalName();
        if (depth == 2 && ("id".equals(name) || "timestamp".equals(name))) {
          String t = text(x);
          depth--;
          if ("id".equals(name)) {
            id = t;
          } else {
            timestamp = t;
          }
        } else if (depth == 2 && "fingerprints".equals(name)) {
          inside = "fingerprints";
        } else if (depth == 3 && "fingerprints".equals(inside)) {
          String href = x.getAttributeValue(null, "href");
          String t = text(x);
          depth--;
          String value = t != null && !t.isBlank() ? t.strip() : href == null ? "" : href.strip();
          if (prints.size() < 32) {
            prints.add(new String[] {name, value});
          }
        } else if (depth > 8) {
          throw new XMLStreamException("elements nested too deep in an entry");
        }
      } else if (ev == XMLStreamConstants.END_ELEMENT) {
        depth--;
        if (depth == 1) {
          inside = null;
        }
      }
    }
    if (id == null || id.isBlank()) {
      sink.problem(line, ProblemKind.MALFORMED, kind + " has no id");
      return;
    }
    String entryId = id.strip();
    Optional<Instant> at = Optional.empty();
    if (timestamp != null && !timestamp.isBlank()) {
      try {
        at = Optional.of(Instant.parse(timestamp.strip()));
      } catch (DateTimeParseException e) {
        sink.problem(line, ProblemKind.BAD_TIME, kind + " " + ListRecord.printable(entryId) + " has an unreadable timestamp '"
            + ListRecord.printable(timestamp) + "'");
        return;
      }
    }
    if (deleted) {
      sink.accept(new ListRecord("", "", State.DELETED, at, Optional.of(entryId), Optional.of(entryId),
          OptionalInt.empty(), line));
      return;
    }
    if (prints.isEmpty()) {
      sink.problem(line, ProblemKind.MALFORMED, kind + " " + ListRecord.printable(entryId) + " has no fingerprints");
      return;
    }
    for (String[] fp : prints) {
      if (fp[1].isEmpty()) {
        sink.problem(line, ProblemKind.MALFORMED, kind + " " + ListRecord.printable(entryId) + ": fingerprint "
            + ListRecord.printable(fp[0]) + " is empty");
        continue;
      }
      String type = ListRecord.canonicalType(fp[0]);
      if (type.equals("md5") && video) {
        type = "video_md5";
      }
      sink.accept(new ListRecord(type, fp[1], State.ACTIVE, at, Optional.of(entryId), Optional.of(entryId),
          OptionalInt.empty(), line));
    }
  }

  /** The text of the current element up to its end tag, at most 16 KiB kept; nested elements are skipped. */
  private static String text(XMLStreamReader x) throws XMLStreamException {
    StringBuilder sb = new StringBuilder();
    int depth = 1;
    while (depth > 0 && x.hasNext()) {
      int ev = x.next();
      if (ev == XMLStreamConstants.START_ELEMENT) {
        depth++;
      } else if (ev == XMLStreamConstants.END_ELEMENT) {
        depth--;
      } else if (depth == 1 && (ev == XMLStreamConstants.CHARACTERS || ev == XMLStreamConstants.CDATA)) {
        if (sb.length() < MAX_TEXT) {
          sb.append(x.getText(), 0, Math.min(x.getTextLength(), MAX_TEXT - sb.length()));
        }
      } else if (ev == XMLStreamConstants.ENTITY_REFERENCE) {
        throw new XMLStreamException("entity references are not allowed");
      }
    }
    return sb.toString();
  }
}

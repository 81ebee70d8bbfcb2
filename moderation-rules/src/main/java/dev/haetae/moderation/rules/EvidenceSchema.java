package dev.haetae.moderation.rules;

import com.google.common.collect.ImmutableCollection;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import dev.cel.common.types.CelType;
import dev.cel.common.types.CelTypeProvider;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.StructType;
import dev.haetae.moderation.api.ContentEvent;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.Signal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a rule's {@code when} expression can read: the variables over one {@link Evidence} and
 * their types, declared once here for the type checker, the evaluator and the guide's table
 * ({@link #markdownTable()}), so the three cannot disagree.
 *
 * <p>Every value is total: a missing signal gives an empty list or a struct whose {@code known}
 * is false and whose numbers are zero, so no expression fails on absent evidence.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.2
 */
public final class EvidenceSchema {
  private EvidenceSchema() {}

  /** One field of a struct type. */
  record Field<S>(String name, CelType type, String doc, Function<S, Object> get) {}

  /** A struct type over a source object (a signal, or the evidence). */
  static final class Struct<S> {
    final String name;
    final List<Field<S>> fields;
    final StructType type;

    @SafeVarargs
    Struct(String name, Field<S>... fields) {
      this.name = name;
      List<Field<S>> list = new ArrayList<>(fields.length);
      Map<String, CelType> types = new LinkedHashMap<>();
      for (Field<S> f : fields) {
        list.add(f);
        types.put(f.name(), f.type());
      }
      this.fields = List.copyOf(list);
      this.type = StructType.create("haetae." + name, ImmutableSet.copyOf(types.keySet()),
          f -> Optional.ofNullable(types.get(f)));
    }

    Map<String, Object> value(S source) {
      Map<String, Object> m = new LinkedHashMap<>(fields.size() * 2);
      for (Field<S> f : fields) {
        m.put(f.name(), f.get().apply(source));
      }
      return m;
    }
  }

  /** A top-level variable. */
  record Var(String name, CelType type, String typeName, String doc, Struct<?> struct,
      Function<Evidence, Object> value) {}

  private static <S> Field<S> f(String name, CelType type, String doc, Function<S, Object> get) {
    return new Field<>(name, type, doc, get);
  }

  private static String wire(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }

  private static long hours(Duration d) {
    return d.toHours();
  }

  static final Struct<Evidence> REQUEST = new Struct<>("Request",
      f("kind", SimpleType.STRING, "`content`, `report`, `notice`, `review`, `appeal`, `account`, `confirmation`, `sanction` or `expiry`",
          e -> wire(e.request().requestKind())),
      f("action", SimpleType.STRING, "for content: `upload`, `forward` or `profile_photo_change`; else empty",
          e -> e.request() instanceof ContentEvent ? wire(((ContentEvent) e.request()).action()) : ""),
      f("content_kind", SimpleType.STRING, "for content: `image`, `video`, `text`, `file`, `profile_photo`; else empty",
          e -> e.request() instanceof ContentEvent ? wire(((ContentEvent) e.request()).content().kind()) : ""),
      f("surface", SimpleType.STRING, "for content: `public_channel`, `group` or `direct`; else empty",
          e -> e.request() instanceof ContentEvent ? wire(((ContentEvent) e.request()).content().surface()) : ""),
      f("in_room", SimpleType.BOOL, "content posted into a room",
          e -> e.request() instanceof ContentEvent && ((ContentEvent) e.request()).room().isPresent()),
      f("forwarded", SimpleType.BOOL, "content forwarded from other content",
          e -> e.request() instanceof ContentEvent && ((ContentEvent) e.request()).forwardedFrom().isPresent()));

  static final Struct<Signal.HashMatch> MATCH = new Struct<>("Match",
      f("bank", SimpleType.STRING, "the bank's id", s -> s.bank()),
      f("category", SimpleType.STRING, "the bank's category: `ncii`, `sexual_deepfake`, `csam`, `terrorism`, ...",
          s -> s.category().wireName()),
      f("type", SimpleType.STRING, "`pdq`, `md5`, `sha256` or `video_md5` (a video's match)", s -> s.type().wireName()),
      f("distance", SimpleType.INT, "Hamming distance (0 for digests)", s -> (long) s.distance()),
      f("max_distance", SimpleType.INT, "the bank's largest matching distance", s -> (long) s.maxDistance()),
      f("quality", SimpleType.INT, "PDQ quality 0..100 (100 for digests)", s -> (long) s.quality()),
      f("review_only", SimpleType.BOOL, "the entry asks for review, never automatic removal", s -> s.reviewOnly()));

  static final Struct<Signal.ExternalMatch> EXTERNAL = new Struct<>("ExternalMatch",
      f("matcher", SimpleType.STRING, "the external matcher's id", s -> s.matcher()),
      f("signal_type", SimpleType.STRING, "what it compares, e.g. `vpdq` or a certified filter's type",
          s -> s.hit().signalType()),
      f("list", SimpleType.STRING, "the list or database the hit is in", s -> s.hit().list()),
      f("category", SimpleType.STRING, "the hit's category: `ncii`, `csam`, ...", s -> s.hit().category().wireName()),
      f("score", SimpleType.DOUBLE, "the hit's distance or similarity", s -> s.hit().score()),
      f("measure", SimpleType.STRING, "`distance` (smaller is closer) or `similarity` (larger is closer)",
          s -> wire(s.hit().measure())),
      f("threshold", SimpleType.DOUBLE, "the matcher's threshold for the score", s -> s.hit().threshold()),
      f("vendor", SimpleType.STRING, "the matcher's vendor, from its provenance", s -> s.provenance().vendor()),
      f("certified", SimpleType.BOOL, "the provenance names a certification",
          s -> s.provenance().certification().isPresent()));

  static final Struct<Signal.Reports> REPORTS = new Struct<>("Reports",
      f("category", SimpleType.STRING, "the category reported", s -> s.category().wireName()),
      f("reports", SimpleType.INT, "how many reports", s -> (long) s.reports()),
      f("weight", SimpleType.DOUBLE, "their weight after reporter credibility", s -> s.weight()),
      f("trusted_flagger_reports", SimpleType.INT, "reports from trusted flaggers", s -> (long) s.trustedFlaggerReports()),
      f("max_reporter_credibility", SimpleType.DOUBLE, "the most credible reporter's credibility",
          s -> s.maxReporterCredibility()),
      f("brigading_suspected", SimpleType.BOOL, "the reports look coordinated", s -> s.brigadingSuspected()));

  static final Struct<Optional<Signal.AccountStanding>> ACCOUNT = new Struct<>("Account",
      f("known", SimpleType.BOOL, "the engine gave the account's standing", s -> s.isPresent()),
      f("strikes", SimpleType.INT, "live strikes", s -> (long) s.map(Signal.AccountStanding::strikes).orElse(0)),
      f("suspended", SimpleType.BOOL, "currently suspended", s -> s.map(Signal.AccountStanding::suspended).orElse(false)),
      f("age_known", SimpleType.BOOL, "the host told the account's age",
          s -> s.flatMap(Signal.AccountStanding::accountAge).isPresent()),
      f("age_days", SimpleType.INT, "whole days since the account was created (0 when unknown: check `age_known`)",
          s -> s.flatMap(Signal.AccountStanding::accountAge).map(Duration::toDays).orElse(0L)),
      f("age_hours", SimpleType.INT, "whole hours since the account was created (0 when unknown)",
          s -> s.flatMap(Signal.AccountStanding::accountAge).map(EvidenceSchema::hours).orElse(0L)));

  static final Struct<Optional<Signal.RoomActivity>> ROOM = new Struct<>("Room",
      f("known", SimpleType.BOOL, "the content was posted into a room", s -> s.isPresent()),
      f("matches_in_window", SimpleType.INT, "bank matches in the room within the window",
          s -> (long) s.map(Signal.RoomActivity::matchesInWindow).orElse(0)),
      f("window_hours", SimpleType.INT, "the window, in hours", s -> s.map(r -> hours(r.window())).orElse(0L)));

  /** An obligation with the evidence's instant, for the hours left. */
  record Timed(Signal.Obligation obligation, Evidence evidence) {}

  static final Struct<Timed> OBLIGATION = new Struct<>("Obligation",
      f("instrument", SimpleType.STRING, "the legal instrument, e.g. `US-TAKE-IT-DOWN`", t -> t.obligation().instrument()),
      f("citation", SimpleType.STRING, "the provision", t -> t.obligation().citation()),
      f("category", SimpleType.STRING, "the category of content concerned", t -> t.obligation().category().wireName()),
      f("hours_left", SimpleType.INT, "whole hours to the deadline (negative when passed)",
          t -> Duration.between(t.evidence().now(), t.obligation().deadline()).toHours()));

  static final Struct<Signal.ProfilePhotoMatch> PHOTO_COPY = new Struct<>("PhotoCopy",
      f("distance", SimpleType.INT, "PDQ distance to another account's protected profile photo", s -> (long) s.distance()));

  static final Struct<Signal.TextFindings> TEXT_FINDING = new Struct<>("TextFinding",
      f("field", SimpleType.STRING, "the text field scanned", s -> s.field()),
      f("detector", SimpleType.STRING, "the detector and its version", s -> s.detector()),
      f("details", ListType.create(SimpleType.STRING), "the kinds of identifying details found (`name`, `phone`, ...)",
          s -> List.copyOf(s.details())));

  static final Struct<Optional<Signal.NoticeCheck>> NOTICE = new Struct<>("Notice",
      f("known", SimpleType.BOOL, "the request is a legal notice", s -> s.isPresent()),
      f("instrument", SimpleType.STRING, "the instrument it invokes", s -> s.map(Signal.NoticeCheck::instrument).orElse("")),
      f("valid", SimpleType.BOOL, "known instrument and nothing missing", s -> s.map(Signal.NoticeCheck::valid).orElse(false)),
      f("duplicate", SimpleType.BOOL, "a notice already received", s -> s.map(Signal.NoticeCheck::duplicate).orElse(false)));

  static final Struct<Signal.Custom> CUSTOM = new Struct<>("Custom",
      f("provider", SimpleType.STRING, "the host signal provider's id", s -> s.provider()),
      f("name", SimpleType.STRING, "the signal's name", s -> s.name()),
      f("attributes", MapType.create(SimpleType.STRING, SimpleType.STRING), "its attributes", s -> Map.copyOf(s.attributes())));

  private static <S extends Signal> Optional<S> first(Evidence e, Class<S> type) {
    for (Signal s : e.signals()) {
      if (type.isInstance(s)) {
        return Optional.of(type.cast(s));
      }
    }
    return Optional.empty();
  }

  private static <S> List<Object> each(Struct<S> struct, List<S> sources) {
    List<Object> out = new ArrayList<>(sources.size());
    for (S s : sources) {
      out.add(struct.value(s));
    }
    return out;
  }

  private static Var one(String name, String doc, Struct<?> s, Function<Evidence, Object> value) {
    return new Var(name, s.type, s.name, doc, s, value);
  }

  private static Var list(String name, String doc, Struct<?> s, Function<Evidence, Object> value) {
    return new Var(name, ListType.create(s.type), "list(" + s.name + ")", doc, s, value);
  }

  /** The variables, in the order of the guide's table. */
  static final List<Var> VARS = List.of(
      one("request", "the request being decided", REQUEST, REQUEST::value),
      list("matches", "hash-bank matches of the content (`Signal.HashMatch`)", MATCH,
          e -> each(MATCH, e.signals(Signal.HashMatch.class))),
      list("external_matches", "hits of the host's external matchers, e.g. vPDQ video matches (`Signal.ExternalMatch`)",
          EXTERNAL, e -> each(EXTERNAL, e.signals(Signal.ExternalMatch.class))),
      list("reports", "user reports, weighed (`Signal.Reports`)", REPORTS, e -> each(REPORTS, e.signals(Signal.Reports.class))),
      one("account", "the posting or reported account's standing (`Signal.AccountStanding`)", ACCOUNT,
          e -> ACCOUNT.value(first(e, Signal.AccountStanding.class))),
      one("room", "bank matches in the same room (`Signal.RoomActivity`)", ROOM,
          e -> ROOM.value(first(e, Signal.RoomActivity.class))),
      list("obligations", "open legal obligations for the content (`Signal.Obligation`)", OBLIGATION,
          e -> {
            List<Timed> t = new ArrayList<>();
            for (Signal.Obligation o : e.signals(Signal.Obligation.class)) {
              t.add(new Timed(o, e));
            }
            return each(OBLIGATION, t);
          }),
      list("photo_copies", "copies of other accounts' protected profile photos (`Signal.ProfilePhotoMatch`)", PHOTO_COPY,
          e -> each(PHOTO_COPY, e.signals(Signal.ProfilePhotoMatch.class))),
      list("text_findings", "identifying details found in a caption (`Signal.TextFindings`)", TEXT_FINDING,
          e -> each(TEXT_FINDING, e.signals(Signal.TextFindings.class))),
      one("notice", "a legal notice's validation (`Signal.NoticeCheck`)", NOTICE,
          e -> NOTICE.value(first(e, Signal.NoticeCheck.class))),
      list("custom", "the host's own signals (`Signal.Custom`)", CUSTOM, e -> each(CUSTOM, e.signals(Signal.Custom.class))),
      new Var("signals", ListType.create(SimpleType.STRING), "list(string)",
          "the kinds of every signal present, e.g. `'not_hashed' in signals`", null,
          e -> {
            List<Object> kinds = new ArrayList<>();
            for (Signal s : e.signals()) {
              kinds.add(s.kind());
            }
            return kinds;
          }));

  /** The struct types, for the type checker. */
  static CelTypeProvider typeProvider() {
    List<CelType> types = new ArrayList<>();
    for (Var v : VARS) {
      if (v.struct() != null) {
        types.add(v.struct().type);
      }
    }
    ImmutableList<CelType> all = ImmutableList.copyOf(types);
    return new CelTypeProvider() {
      @Override
      public ImmutableCollection<CelType> types() {
        return all;
      }

      @Override
      public Optional<CelType> findType(String typeName) {
        for (CelType t : all) {
          if (t.name().equals(typeName)) {
            return Optional.of(t);
          }
        }
        return Optional.empty();
      }
    };
  }

  private static final Map<String, Var> BY_NAME;

  static {
    Map<String, Var> m = new LinkedHashMap<>();
    for (Var v : VARS) {
      m.put(v.name(), v);
    }
    BY_NAME = Map.copyOf(m);
  }

  /**
   * The variables of one evidence, each built when the expression first reads it (an expression
   * pays only for what it reads) and kept for the rest of that evaluation. Not thread-safe: one per
   * evaluation.
   */
  static dev.cel.runtime.CelVariableResolver resolver(Evidence evidence) {
    Map<String, Object> built = new java.util.HashMap<>(8);
    return name -> {
      Var v = BY_NAME.get(name);
      if (v == null) {
        return Optional.empty();
      }
      return Optional.of(built.computeIfAbsent(name, k -> v.value().apply(evidence)));
    };
  }

  /**
   * The schema as a Markdown table (variable or field, type, meaning), as the rules guide shows it.
   *
   * @return the table, one row per variable and per field; never null
   */
  public static String markdownTable() {
    StringBuilder sb = new StringBuilder("| name | type | meaning |\n|---|---|---|\n");
    for (Var v : VARS) {
      sb.append("| `").append(v.name()).append("` | ").append(v.typeName()).append(" | ").append(v.doc()).append(" |\n");
      if (v.struct() != null) {
        for (Field<?> f : v.struct().fields) {
          sb.append("| `").append(v.name()).append(v.typeName().startsWith("list") ? "[i]." : ".").append(f.name())
              .append("` | ").append(typeName(f.type())).append(" | ").append(f.doc()).append(" |\n");
        }
      }
    }
    return sb.toString();
  }

  private static String typeName(CelType t) {
    if (t.equals(SimpleType.STRING)) {
      return "string";
    } else if (t.equals(SimpleType.INT)) {
      return "int";
    } else if (t.equals(SimpleType.BOOL)) {
      return "bool";
    } else if (t.equals(SimpleType.DOUBLE)) {
      return "double";
    } else if (t instanceof ListType) {
      return "list(" + typeName(((ListType) t).elemType()) + ")";
    } else if (t instanceof MapType) {
      return "map(" + typeName(((MapType) t).keyType()) + ", " + typeName(((MapType) t).valueType()) + ")";
    }
    return t.name();
  }
}

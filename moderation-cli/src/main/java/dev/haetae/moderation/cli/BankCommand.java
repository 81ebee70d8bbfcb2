package dev.haetae.moderation.cli;

import dev.haetae.moderation.api.ModerationException;
import dev.haetae.moderation.core.banks.HashListFormat;
import dev.haetae.moderation.core.hash.HashBanks;
import dev.haetae.moderation.core.hash.ImportOptions;
import dev.haetae.moderation.core.hash.ImportReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code haetae bank import|export|diff}: converts hash lists between the programmes' formats and
 * Haetae's, and shows what a sync would change. Every input file's import report goes to standard
 * error. Exit code 0 on success, 1 when an input contributed nothing (empty, or every line
 * skipped), 2 on a usage error or a strict import's bad line.
 */
@Command(name = "bank", mixinStandardHelpOptions = true,
    description = {"Converts hash lists between formats and shows what a sync would change.",
        "Formats: bank-csv (Haetae), hma, hma-json, threatexchange, ncmec, tcap, stopncii; a file's format is told "
            + "by its name and contents unless --from gives it. Writable: bank-csv, hma, hma-json, stopncii."},
    subcommands = {BankCommand.Import.class, BankCommand.Export.class, BankCommand.Diff.class})
final class BankCommand implements Runnable {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  /** Prints a report's summary and its listed problems; returns 1 when the file contributed nothing. */
  static int printReport(PrintWriter err, String file, ImportReport r) {
    err.println(r.summary().replaceFirst("^[^:]*:", file + ":"));
    for (ImportReport.Problem p : r.problems()) {
      err.println(file + ":" + p.line() + ": skipped (" + p.kind().name().toLowerCase(Locale.ROOT) + "): "
          + p.message());
    }
    if (r.problems().size() < r.skipped()) {
      err.println(file + ": " + (r.skipped() - r.problems().size()) + " more skipped lines not listed");
    }
    if (r.contributedNothing()) {
      err.println(file + ": contributed nothing (empty, or every line skipped): is it a hash list in a format "
          + "Haetae reads? 'haetae hash --format bank-csv' writes one");
      return 1;
    }
    return 0;
  }

  /** Options shared by import and export. */
  abstract static class Convert implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "hash-list files, merged into one bank in order")
    List<Path> files = new ArrayList<>();

    @Option(names = "--from", paramLabel = "FORMAT", description = "the input format (default: told by each file)")
    String from;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT", description = "where to write (default: standard output)")
    Path output;

    @Option(names = "--strict", description = "fail on the first bad line instead of skipping it")
    boolean strict;

    abstract String to();

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      HashListFormat target;
      HashListFormat source = null;
      try {
        target = HashListFormat.fromWire(to());
        if (from != null) {
          source = HashListFormat.fromWire(from);
        }
      } catch (ModerationException e) {
        err.println("bank: " + e.getMessage());
        return 2;
      }
      if (!target.writable()) {
        err.println("bank: " + target.wireName() + " is read only (writable: bank-csv, hma, hma-json, stopncii)");
        return 2;
      }
      HashBanks banks = HashBanks.inMemory();
      int status = 0;
      try {
        for (Path f : files) {
          ImportOptions o = ImportOptions.defaults().strict(strict);
          ImportReport r = source == null ? banks.importFile(f, "list", o) : banks.importFile(f, "list", source, o);
          status |= printReport(err, f.toString(), r);
        }
        if (banks.find("list").isEmpty()) {
          return 1;
        }
        long left;
        if (output == null) {
          left = banks.export("list", target, out);
          out.flush();
        } else {
          try (Writer w = Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
            left = banks.export("list", target, w);
          }
        }
        if (left > 0) {
          err.println("bank: " + left + " entries have signal types " + target.wireName() + " cannot carry; left out");
        }
      } catch (ModerationException e) {
        err.println("bank: " + e.getMessage());
        return 2;
      } catch (IOException e) {
        err.println("bank: cannot write " + output + ": " + e.getMessage());
        return 1;
      }
      err.flush();
      return status;
    }
  }

  /** {@code haetae bank import}: a programme's list into Haetae's CSV (or another format). */
  @Command(name = "import", mixinStandardHelpOptions = true,
      description = "Reads programme hash lists and writes them as one Haetae bank (bank-csv by default).")
  static final class Import extends Convert {
    @Option(names = "--to", paramLabel = "FORMAT", defaultValue = "bank-csv",
        description = "the output format (default: bank-csv)")
    String to;

    @Override
    String to() {
      return to;
    }
  }

  /** {@code haetae bank export}: a bank into a programme's format. */
  @Command(name = "export", mixinStandardHelpOptions = true,
      description = "Writes hash lists (e.g. a Haetae bank-csv) in a programme's format: hma, hma-json, stopncii.")
  static final class Export extends Convert {
    @Option(names = "--to", paramLabel = "FORMAT", required = true, description = "the output format")
    String to;

    @Override
    String to() {
      return to;
    }
  }

  /** {@code haetae bank diff OLD NEW}: what applying NEW to a bank holding OLD would change. */
  @Command(name = "diff", mixinStandardHelpOptions = true,
      description = {"Shows what a sync would change: the entries that applying NEW (a page of updates, or with "
          + "--snapshot a whole list) to a bank holding OLD adds (+), changes (~), withdraws (-) and deletes (x).",
          "Exit code 0 (also when there are differences), 1 when an input contributed nothing, 2 on usage errors."})
  static final class Diff implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "OLD", description = "the list the bank holds now")
    Path old;

    @Parameters(index = "1", paramLabel = "NEW", description = "the page or list to apply")
    Path next;

    @Option(names = "--snapshot",
        description = "NEW is the whole list: entries of OLD that NEW lacks would be deleted")
    boolean snapshot;

    @Option(names = "--from", paramLabel = "FORMAT", description = "the format of both files (default: told by each)")
    String from;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      try {
        HashListFormat f = from == null ? null : HashListFormat.fromWire(from);
        HashBanks banks = HashBanks.inMemory();
        int status = printReport(err, old.toString(), load(banks, old, f, ImportOptions.defaults()));
        List<String> lines = new ArrayList<>();
        ImportOptions o = ImportOptions.defaults().onChange(c -> lines.add(symbol(c.kind()) + " " + c.signalType()
            + " " + c.hash() + c.caseId().map(id -> " (" + id + ")").orElse("")));
        ImportReport r = load(banks, next, f, o);
        status |= printReport(err, next.toString(), r);
        long removed = 0;
        if (snapshot) {
          HashBanks only = HashBanks.inMemory();
          load(only, next, f, ImportOptions.defaults());
          Set<String> inNew = activeLines(only);
          HashBanks before = HashBanks.inMemory();
          load(before, old, f, ImportOptions.defaults());
          for (String e : activeLines(before)) {
            if (!inNew.contains(e)) {
              String[] p = e.split(",", -1);
              lines.add("x " + p[1] + " " + p[0] + " (not in " + next.getFileName() + ")");
              removed++;
            }
          }
        }
        lines.forEach(out::println);
        out.printf(Locale.ROOT, "%d added, %d changed, %d withdrawn, %d deleted%n", r.added(), r.changed(),
            r.withdrawn(), r.deleted() + removed);
        out.flush();
        err.flush();
        return status;
      } catch (ModerationException e) {
        err.println("bank diff: " + e.getMessage());
        return 2;
      } catch (IOException e) {
        err.println("bank diff: " + e.getMessage());
        return 1;
      }
    }

    private static ImportReport load(HashBanks banks, Path file, HashListFormat f, ImportOptions o) {
      return f == null ? banks.importFile(file, "list", o) : banks.importFile(file, "list", f, o);
    }

    /** The bank's active entries as {@code hash,signal_type} keys. */
    private static Set<String> activeLines(HashBanks banks) throws IOException {
      StringWriter w = new StringWriter();
      banks.export("list", HashListFormat.HAETAE_CSV, w);
      Set<String> out = new LinkedHashSet<>();
      for (String line : w.toString().split("\n")) {
        String[] p = line.split(",", -1);
        if (p.length >= 5 && p[p.length - 1].equals("active")) {
          out.add(p[0] + "," + p[1]);
        }
      }
      return out;
    }

    private static String symbol(ImportReport.Change.Kind k) {
      switch (k) {
        case ADDED:
          return "+";
        case CHANGED:
          return "~";
        case WITHDRAWN:
          return "-";
        default:
          return "x";
      }
    }
  }
}

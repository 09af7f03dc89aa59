package io.rfs.tools;

import io.rfs.store.FileStat;
import io.rfs.store.FileStore;
import io.rfs.store.VerifyReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import io.rfs.replication.client.RfsClient;

import java.io.IOException;
import java.time.Duration;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code rfs verify [NAME...]}: re-reads and re-hashes every chunk of the named files, or of every file, and
 * reports in the manner of fsck. Exits with {@link Rfs#EXIT_FAILED} if it found any problem.
 * <p>
 * A chunk found corrupt is quarantined by the store, so a second verify reports it missing instead.
 */
@Command(
    name = "verify",
    description = {
        "Re-hash every chunk of the named files (default: all) and check each file's SHA-256.",
        "On a cluster each replica re-hashes its own copies; the report counts healthy, under-replicated, corrupt,",
        "missing and mis-placed copies and checks every file's manifest on its owners.",
        "Prints counts, one line per problem, and OK or N problems; exits 1 if there were problems.",
    })
final class VerifyCommand extends StoreCommand
{
    @Parameters(arity = "0..*", paramLabel = "NAME", description = "Files to check (default: all).")
    List<String> names = new ArrayList<>();

    @Option(names = "--json", description = "Print {ok, files, chunks, bytes, corrupt, missing, problems[]}.")
    boolean json;

    @Option(names = "--timeout", converter = DurationConverter.class, paramLabel = "DURATION",
        description = "On a cluster: how long a node may take to re-hash one batch of chunks (default: 60s).")
    Duration timeout = Duration.ofSeconds(60);

    @Override
    int run(final FileStore store) throws IOException
    {
        if (store instanceof RfsClient)
        {
            return new ClusterVerifyOutput(out(), json, isQuiet()).run((RfsClient)store, names, timeout.toNanos());
        }
        final VerifyReport report;
        try (Progress progress = Progress.start("verify", totalBytes(store), isQuiet()))
        {
            report = store.verify(names, progress);
        }
        if (json)
        {
            Json.print(out(), Json.verify(report));
        }
        else
        {
            print(out(), report);
        }
        return report.isClean() ? Rfs.EXIT_OK : Rfs.EXIT_FAILED;
    }

    /**
     * Counts, then one line per problem, then {@code OK} or {@code N problems}; quiet leaves only the problems.
     */
    private void print(final PrintWriter out, final VerifyReport report)
    {
        if (!isQuiet())
        {
            out.println("files:   " + report.files());
            out.println("chunks:  " + report.chunks());
            out.println("bytes:   " + Format.bytes(report.bytes()) + " (" + report.bytes() + " bytes)");
            out.println("corrupt: " + report.corrupt());
            out.println("missing: " + report.missing());
        }
        for (final VerifyReport.Problem problem : report.problems())
        {
            out.println(describe(problem));
        }
        final int problems = report.problems().size();
        if (problems > 0)
        {
            out.println(problems == 1 ? "1 problem" : problems + " problems");
        }
        else if (!isQuiet())
        {
            out.println("OK");
        }
    }

    private static String describe(final VerifyReport.Problem problem)
    {
        final String chunkId = problem.chunkId();
        final String detail = problem.detail();
        final boolean namesChunk = chunkId == null || (detail != null && detail.contains(chunkId));
        return Format.name(problem.file()) + ": " + detail + (namesChunk ? "" : " (chunk " + chunkId + ")");
    }

    /**
     * The bytes verify will read, for the progress bar; -1 if no bar will be drawn, to skip the extra look-ups.
     */
    private long totalBytes(final FileStore store) throws IOException
    {
        if (!Progress.shouldShow(Long.MAX_VALUE, isQuiet()))
        {
            return -1;
        }
        long total = 0;
        if (names.isEmpty())
        {
            for (final FileStat stat : store.list(""))
            {
                total += stat.size();
            }
        }
        else
        {
            for (final String name : names)
            {
                total += store.stat(name).size();
            }
        }
        return total;
    }
}

package io.rfs.tools;

import io.rfs.store.FileStore;
import io.rfs.store.LocalFileStore;
import io.rfs.store.chunkstore.CompactionReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;

/**
 * {@code rfs compact}: reclaims the space of deleted and overwritten files with {@link LocalFileStore#compact()}.
 * Safe to interrupt at any point.
 */
@Command(
    name = "compact",
    description = "Reclaim the space of deleted and overwritten files. Safe to interrupt; nothing live is lost.")
final class CompactCommand extends StoreCommand
{
    @Option(names = "--json", description = "Print the compaction report as JSON.")
    boolean json;

    @Override
    boolean isAllowed(final StoreMode mode)
    {
        return mode == StoreMode.LOCAL;
    }

    @Override
    int run(final FileStore fileStore) throws IOException
    {
        final LocalFileStore store = (LocalFileStore)fileStore;
        final long startNs = System.nanoTime();
        final CompactionReport report = store.compact();
        final long elapsedNs = System.nanoTime() - startNs;
        final PrintWriter out = out();
        if (json)
        {
            Json.print(out, Json.compaction(report));
        }
        else if (!isQuiet())
        {
            out.println("segments rewritten: " + report.segmentsRewritten());
            out.println("chunks moved:       " + report.chunksMoved());
            out.println("chunks dropped:     " + report.chunksDropped());
            out.println("chunk bytes before: " + Format.bytes(report.bytesBefore()));
            out.println("chunk bytes after:  " + Format.bytes(report.bytesAfter()));
            out.println("reclaimed:          " +
                Format.bytes(Math.max(0, report.bytesBefore() - report.bytesAfter())) + " in " +
                Format.seconds(elapsedNs));
        }
        return Rfs.EXIT_OK;
    }
}

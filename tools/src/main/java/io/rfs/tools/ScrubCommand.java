package io.rfs.tools;

import io.rfs.store.FileStore;
import io.rfs.store.LocalFileStore;
import io.rfs.store.chunk.ChunkId;
import io.rfs.store.scrub.ScrubReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;

/**
 * {@code rfs scrub}: one pass of the scrubber over every stored chunk, file or no file, at a bounded rate, so that
 * rot is found (and quarantined) before a reader meets it. {@code verify} checks files; {@code scrub} checks the
 * disk.
 */
@Command(
    name = "scrub",
    description = "Re-hash every stored chunk at a bounded rate; quarantine and list the corrupt ones.")
final class ScrubCommand extends StoreCommand
{
    /** Default rate: well under a disk's bandwidth, so a scrub leaves room for client traffic. */
    static final String RATE_DEFAULT = "256M";

    @Option(names = "--rate", paramLabel = "BYTES", defaultValue = RATE_DEFAULT, converter = ByteSizeConverter.class,
        description = "Bytes to verify per second, with an optional K, M or G suffix (default ${DEFAULT-VALUE}).")
    long bytesPerSecond;

    @Option(names = "--json", description = "Print the scrub report as JSON.")
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
        final ScrubReport report = store.scrub(bytesPerSecond);
        final long elapsedNs = System.nanoTime() - startNs;
        final PrintWriter out = out();
        if (json)
        {
            Json.print(out, Json.scrub(report, elapsedNs));
        }
        else
        {
            if (!isQuiet())
            {
                out.println("chunks:  " + report.chunksChecked());
                out.println("bytes:   " + Format.bytes(report.bytesChecked()) + " in " + Format.seconds(elapsedNs) +
                    " (" + Format.rate(report.bytesChecked(), elapsedNs) + ")");
                out.println("corrupt: " + report.corrupt().size());
            }
            for (final ChunkId id : report.corrupt())
            {
                out.println("corrupt chunk " + id.toHex() + " (quarantined)");
            }
            if (!isQuiet())
            {
                out.println(report.corrupt().isEmpty() ? "OK" : report.corrupt().size() + " corrupt chunks");
            }
        }
        return report.corrupt().isEmpty() ? Rfs.EXIT_OK : Rfs.EXIT_FAILED;
    }
}

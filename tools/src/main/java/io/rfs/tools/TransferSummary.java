package io.rfs.tools;

import io.rfs.store.FileStat;

import java.io.IOException;
import java.io.PrintWriter;

/**
 * What {@code put} and {@code get} print once the transfer is done.
 */
final class TransferSummary
{
    private TransferSummary()
    {
    }

    /**
     * Prints the result as JSON if asked for, else, unless quiet, as a line with the size, chunk count, elapsed
     * time and throughput and a line with the SHA-256.
     *
     * @param out       where to print.
     * @param json      true for {@code --json}.
     * @param quiet     true for {@code --quiet}.
     * @param what      what happened, e.g. {@code stored notes.txt}.
     * @param stat      the file that was moved.
     * @param elapsedNs how long it took.
     * @throws IOException if printing fails.
     */
    static void print(
        final PrintWriter out,
        final boolean json,
        final boolean quiet,
        final String what,
        final FileStat stat,
        final long elapsedNs) throws IOException
    {
        if (json)
        {
            Json.print(out, Json.transfer(stat, elapsedNs));
        }
        else if (!quiet)
        {
            out.println(what + ": " + Format.bytes(stat.size()) + ", " + Format.chunks(stat.chunkCount()) +
                ", in " + Format.seconds(elapsedNs) + " (" + Format.rate(stat.size(), elapsedNs) + ")");
            out.println("sha256: " + stat.sha256());
        }
    }
}

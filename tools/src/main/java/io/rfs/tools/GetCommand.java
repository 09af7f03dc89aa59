package io.rfs.tools;

import io.rfs.store.FileStat;
import io.rfs.store.FileStore;
import io.rfs.store.RfsException;
import io.rfs.store.TransferListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * {@code rfs get NAME FILE|-}: writes the current version of a file out, every chunk verified before its bytes are
 * written. A local file is replaced atomically, and only once every byte was verified; standard output receives
 * the bytes as they are verified, so a failure part way leaves a prefix there.
 */
@Command(
    name = "get",
    description = {
        "Write a file's current version to FILE, or to standard output if FILE is -.",
        "FILE is replaced atomically, once every byte is verified.",
    })
final class GetCommand extends StoreCommand
{
    private static final String STDOUT = "-";
    private static final int STDOUT_BUFFER_BYTES = 64 * 1024;

    @Parameters(index = "0", paramLabel = "NAME", description = "The file's name in the store.")
    String name;

    @Parameters(index = "1", paramLabel = "FILE", description = "The local file to write, or - for standard output.")
    String target;

    @Option(names = "--json", description = "Print the result as JSON (not with FILE -).")
    boolean json;

    @Override
    void checkArguments()
    {
        if (json && STDOUT.equals(target))
        {
            throw usageError("--json cannot be used with FILE -: standard output carries the file");
        }
    }

    @Override
    int run(final FileStore store) throws IOException
    {
        return STDOUT.equals(target) ? toStdout(store) : toFile(store);
    }

    private int toFile(final FileStore store) throws IOException
    {
        final long startNs = System.nanoTime();
        final long size = Progress.shouldShow(Long.MAX_VALUE, isQuiet()) ? store.stat(name).size() : -1;
        final FileStat stat;
        try (Progress progress = Progress.start("get", size, isQuiet()))
        {
            stat = store.get(name, Path.of(target), progress);
        }
        final long elapsedNs = System.nanoTime() - startNs;
        TransferSummary.print(out(), json, isQuiet(), "wrote " + target, stat, elapsedNs);
        return Rfs.EXIT_OK;
    }

    /**
     * No progress bar and no summary: standard output carries the file, and a bar would be drawn into it on a
     * terminal.
     */
    private int toStdout(final FileStore store) throws IOException
    {
        final StdoutSink stdout = new StdoutSink();
        final OutputStream out = new BufferedOutputStream(stdout, STDOUT_BUFFER_BYTES);
        try
        {
            store.get(name, out, TransferListener.NONE);
            out.flush();
        }
        catch (final IOException ex)
        {
            if (!stdout.hasFailed())
            {
                throw ex;
            }
            if (isBrokenPipe(ex))
            {
                // The reader has gone away (head has read enough, say): as with cat, a failed exit and no message.
                return Rfs.EXIT_FAILED;
            }
            throw new RfsException("cannot write to standard output: " + ex.getMessage(), ex);
        }
        return Rfs.EXIT_OK;
    }

    private static boolean isBrokenPipe(final IOException ex)
    {
        return ex.getMessage() != null && ex.getMessage().contains("Broken pipe");
    }
}

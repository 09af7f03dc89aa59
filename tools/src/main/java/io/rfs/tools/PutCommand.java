package io.rfs.tools;

import io.rfs.store.FileStat;
import io.rfs.store.FileStore;
import io.rfs.store.TransferListener;
import io.rfs.store.chunk.ChunkingPolicy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedInputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code rfs put FILE [NAME]}: stores a local file, or stdin, under a name. The new version replaces the old one
 * only once every chunk and the manifest are on disk; if the put fails, the old version stays current.
 */
@Command(
    name = "put",
    description = {
        "Store a file under NAME, replacing any older version once every byte is on disk.",
        "Prints the name, size, chunk count and SHA-256 (compare with sha256sum), elapsed time and throughput.",
    })
final class PutCommand extends StoreCommand
{
    /** The FILE that means standard input. */
    static final String STDIN = "-";
    /** Standard input's buffer: a pipe gives at most 64 KiB per read. */
    private static final int STDIN_BUFFER_BYTES = 64 * 1024;

    @Parameters(index = "0", paramLabel = "FILE", description = "The file to store, or - to read standard input.")
    String file;

    @Parameters(
        index = "1",
        arity = "0..1",
        paramLabel = "NAME",
        description = "Name in the store (default: FILE's base name; required when FILE is -).")
    String name;

    @Option(
        names = "--chunking",
        paramLabel = "SPEC",
        converter = ChunkingConverter.class,
        description = "How to cut the file: fixed, fixed:SIZE, cdc or cdc:MIN:AVG:MAX (default: fixed:1M).")
    ChunkingPolicy chunking;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Override
    void checkArguments()
    {
        if (STDIN.equals(file) && name == null)
        {
            throw usageError("a NAME is needed when reading standard input: rfs put - NAME");
        }
    }

    @Override
    ChunkingPolicy chunking()
    {
        return chunking;
    }

    @Override
    int run(final FileStore store) throws IOException
    {
        final long startNs = System.nanoTime();
        final FileStat stat;
        if (STDIN.equals(file))
        {
            // Buffered: the put reads in small pieces (FileStore.put), and each read of stdin is a system call.
            final InputStream in = new BufferedInputStream(new FileInputStream(FileDescriptor.in), STDIN_BUFFER_BYTES);
            stat = store.put(name, in, TransferListener.NONE);
        }
        else
        {
            final Path source = Path.of(file);
            final String storedName = name != null ? name : baseName(source);
            final long size = Files.isRegularFile(source) ? Files.size(source) : -1;
            try (Progress progress = Progress.start("put", size, isQuiet()))
            {
                stat = store.put(storedName, source, progress);
            }
        }
        final long elapsedNs = System.nanoTime() - startNs;
        TransferSummary.print(out(), json, isQuiet(), "stored " + Format.name(stat.name()), stat, elapsedNs);
        return Rfs.EXIT_OK;
    }

    private static String baseName(final Path source)
    {
        final Path fileName = source.getFileName();
        return fileName != null ? fileName.toString() : source.toString();
    }
}

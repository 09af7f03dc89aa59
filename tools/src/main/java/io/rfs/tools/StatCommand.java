package io.rfs.tools;

import io.rfs.store.FileStat;
import io.rfs.store.FileStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;

/**
 * {@code rfs stat NAME}: the current version's metadata, as {@code key: value} lines or as JSON.
 */
@Command(name = "stat", description = "Show a file's size, chunk count, SHA-256, modification time and version.")
final class StatCommand extends StoreCommand
{
    @Parameters(index = "0", paramLabel = "NAME", description = "The file's name in the store.")
    String name;

    @Option(names = "--json", description = "Print {name, size, sha256, chunks, version, modified, modifiedMs}.")
    boolean json;

    @Override
    int run(final FileStore store) throws IOException
    {
        final FileStat stat = store.stat(name);
        final PrintWriter out = out();
        if (json)
        {
            Json.print(out, Json.stat(stat));
            return Rfs.EXIT_OK;
        }
        out.println("name:     " + Format.name(stat.name()));
        out.println("size:     " + Format.bytes(stat.size()) + " (" + stat.size() + " bytes)");
        out.println("chunks:   " + stat.chunkCount());
        out.println("sha256:   " + stat.sha256());
        out.println("modified: " + Format.localTime(stat.version().physicalMs()));
        out.println("version:  " + stat.version());
        return Rfs.EXIT_OK;
    }
}

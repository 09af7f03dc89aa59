package io.rfs.tools;

import io.rfs.store.FileStat;
import io.rfs.store.FileStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;

/**
 * {@code rfs ls [PREFIX]}: the live files, in name order, as a table or as JSON.
 */
@Command(name = "ls", description = "List files (those whose names start with PREFIX), in name order.")
final class LsCommand extends StoreCommand
{
    private static final String NAME = "NAME";
    private static final String SIZE = "SIZE";
    private static final String MODIFIED = "MODIFIED";
    private static final String CHUNKS = "CHUNKS";

    @Parameters(index = "0", arity = "0..1", paramLabel = "PREFIX", description = "List only names starting so.")
    String prefix = "";

    @Option(names = "--json", description = "Print a JSON array of {name, size, sha256, chunks, version, ...}.")
    boolean json;

    @Override
    int run(final FileStore store) throws IOException
    {
        final List<FileStat> files = store.list(prefix);
        if (json)
        {
            Json.print(out(), Json.stats(files));
        }
        else
        {
            printTable(out(), files);
        }
        return Rfs.EXIT_OK;
    }

    /**
     * Name, size, modification time and chunk count, one file a line under a header, and a total line; quiet
     * leaves only the file lines.
     */
    private void printTable(final PrintWriter out, final List<FileStat> files)
    {
        final String[] names = new String[files.size()];
        final String[] sizes = new String[files.size()];
        int nameWidth = NAME.length();
        int sizeWidth = SIZE.length();
        long totalBytes = 0;
        for (int i = 0; i < files.size(); i++)
        {
            final FileStat file = files.get(i);
            names[i] = Format.name(file.name());
            sizes[i] = Format.bytes(file.size());
            nameWidth = Math.max(nameWidth, names[i].length());
            sizeWidth = Math.max(sizeWidth, sizes[i].length());
            totalBytes += file.size();
        }
        final String row = "%-" + nameWidth + "s  %" + sizeWidth + "s  %-19s  %" + CHUNKS.length() + "s%n";
        if (!isQuiet())
        {
            out.printf(row, NAME, SIZE, MODIFIED, CHUNKS);
        }
        for (int i = 0; i < files.size(); i++)
        {
            final FileStat file = files.get(i);
            out.printf(row, names[i], sizes[i], Format.localTime(file.version().physicalMs()), file.chunkCount());
        }
        if (!isQuiet())
        {
            out.println((files.size() == 1 ? "1 file, " : files.size() + " files, ") + Format.bytes(totalBytes));
        }
    }
}

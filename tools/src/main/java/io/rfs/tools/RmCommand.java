package io.rfs.tools;

import io.rfs.store.FileStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;

/**
 * {@code rfs rm NAME}: deletes a file. The delete is durable at once; the space comes back with
 * {@code rfs compact}.
 */
@Command(name = "rm", description = "Delete a file. Its space is reclaimed by the next 'rfs compact'.")
final class RmCommand extends StoreCommand
{
    @Parameters(index = "0", paramLabel = "NAME", description = "The file's name in the store.")
    String name;

    @Override
    int run(final FileStore store) throws IOException
    {
        store.delete(name);
        if (!isQuiet())
        {
            out().println("removed " + Format.name(name));
        }
        return Rfs.EXIT_OK;
    }
}

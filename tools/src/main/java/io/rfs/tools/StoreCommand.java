package io.rfs.tools;

import io.rfs.store.FileStore;
import io.rfs.store.chunk.ChunkingPolicy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * A subcommand that opens the store in the data directory, runs, and closes it again.
 * <p>
 * The store is held for the whole command: a second process on the same data directory is refused with
 * {@link io.rfs.store.StoreLockedException} until this one exits. Arguments are checked by
 * {@link #checkArguments()} before the store is opened, so that a usage error never touches the data directory.
 */
@Command(
    mixinStandardHelpOptions = true,
    versionProvider = RfsVersion.class,
    sortOptions = false,
    usageHelpAutoWidth = true)
abstract class StoreCommand implements Callable<Integer>
{
    @Mixin
    CommonOptions common;

    @ParentCommand
    Rfs parent;

    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() throws IOException
    {
        checkArguments();
        final StoreMode mode = storeMode().resolve(dataDirectory());
        if (!isAllowed(mode))
        {
            throw usageError(spec.name() + " works on a single-node store only (--store local); " +
                "this data directory holds the " + mode.name().toLowerCase(java.util.Locale.ROOT) + " store");
        }
        try (OpenedStore opened = OpenedStore.open(mode, dataDirectory(), chunking()))
        {
            return run(opened);
        }
        catch (final InternalError ex)
        {
            // The JVM's report of a SIGBUS on a memory-mapped segment: the device could not back a page, which on
            // tmpfs means it is full. An Error would bypass the exit-code handling, so it becomes an exception.
            throw new IOException("a memory-mapped store file could not be read or written (is the file system " +
                "holding " + dataDirectory() + " full?): " + ex.getMessage(), ex);
        }
    }

    /**
     * Checks combinations of arguments that picocli cannot check by itself.
     *
     * @throws ParameterException on a usage error.
     */
    void checkArguments()
    {
    }

    /**
     * @return how this command's puts cut files, or null for the store's default.
     */
    ChunkingPolicy chunking()
    {
        return null;
    }

    /**
     * @param mode the store the data directory holds, resolved.
     * @return true if this command can run on it; maintenance of one node's files (compact, scrub) needs
     * {@link StoreMode#LOCAL}.
     */
    boolean isAllowed(final StoreMode mode)
    {
        return true;
    }

    /**
     * Runs the command against the open store and whatever lives with it (the embedded cluster); by default
     * {@link #run(FileStore)}.
     *
     * @param opened the open store, closed by the caller.
     * @return the exit code.
     * @throws IOException a typed {@link io.rfs.store.RfsException} for failures the user can act on.
     */
    int run(final OpenedStore opened) throws IOException
    {
        return run(opened.store());
    }

    /**
     * Runs the command against the open store.
     *
     * @param store the open store, closed by the caller.
     * @return the exit code.
     * @throws IOException a typed {@link io.rfs.store.RfsException} for failures the user can act on.
     */
    abstract int run(FileStore store) throws IOException;

    /**
     * The common options may come before the command ({@code rfs --data DIR ls}) or after it
     * ({@code rfs ls --data DIR}); after wins.
     *
     * @return the data directory to open.
     */
    Path dataDirectory()
    {
        return common.data != null ? common.data : parent.common.dataDirectory();
    }

    /**
     * @return {@code --store} given after the command, else before it, else {@link StoreMode#AUTO}.
     */
    StoreMode storeMode()
    {
        return common.store != null ? common.store : parent.common.store != null ? parent.common.store : StoreMode.AUTO;
    }

    /**
     * @return true if {@code --quiet} was given before or after the command.
     */
    boolean isQuiet()
    {
        return common.quiet || parent.common.quiet;
    }

    /**
     * @return true if {@code --debug} was given before or after the command.
     */
    boolean isDebug()
    {
        return common.debug || parent.common.debug;
    }

    /**
     * @return where normal output goes.
     */
    PrintWriter out()
    {
        return spec.commandLine().getOut();
    }

    /**
     * @param message what is wrong with the arguments.
     * @return a usage error for this command, to throw.
     */
    ParameterException usageError(final String message)
    {
        return new ParameterException(spec.commandLine(), message);
    }
}

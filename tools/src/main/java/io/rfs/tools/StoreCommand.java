package io.rfs.tools;

import io.rfs.store.LocalFileStore;
import io.rfs.store.LocalStoreContext;
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
        final LocalStoreContext ctx = new LocalStoreContext().dataDirectory(dataDirectory());
        configure(ctx);
        try (LocalFileStore store = LocalFileStore.open(ctx))
        {
            return run(store);
        }
        catch (final InternalError ex)
        {
            // The JVM's report of a SIGBUS on a memory-mapped segment: the device could not back a page, which on
            // tmpfs means it is full. An Error would bypass the exit-code handling, so it becomes an exception.
            throw new IOException("a memory-mapped store file could not be read or written (is the file system " +
                "holding " + ctx.dataDirectory() + " full?): " + ex.getMessage(), ex);
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
     * Sets what this command needs of the store before it is opened.
     *
     * @param ctx the store's configuration, its data directory already set.
     */
    void configure(final LocalStoreContext ctx)
    {
    }

    /**
     * Runs the command against the open store.
     *
     * @param store the open store, closed by the caller.
     * @return the exit code.
     * @throws IOException a typed {@link io.rfs.store.RfsException} for failures the user can act on.
     */
    abstract int run(LocalFileStore store) throws IOException;

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

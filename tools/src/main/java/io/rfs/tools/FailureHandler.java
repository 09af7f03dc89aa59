package io.rfs.tools;

import io.rfs.store.RfsException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * Turns an exception thrown by a command into a message on stderr and {@link Rfs#EXIT_FAILED}.
 * <p>
 * An {@link RfsException} already says what went wrong in words a user can act on, so only its message is
 * printed. So is a {@link FileSystemException} (permission denied, no such directory and the like), which is
 * about the user's files rather than about rfs. Anything else is unexpected: its message is printed with a hint to
 * rerun with {@code --debug}, which prints the stack trace.
 */
final class FailureHandler implements IExecutionExceptionHandler
{
    @Override
    public int handleExecutionException(
        final Exception ex, final CommandLine commandLine, final ParseResult parseResult)
    {
        final PrintWriter err = commandLine.getErr();
        final boolean debug = isDebug(commandLine);
        if (ex instanceof RfsException)
        {
            err.println("rfs: " + ex.getMessage());
        }
        else if (ex instanceof FileSystemException)
        {
            err.println("rfs: " + describe((FileSystemException)ex));
        }
        else
        {
            err.println("rfs: unexpected error: " + ex);
            if (!debug)
            {
                err.println("rfs: rerun with --debug to see the stack trace");
            }
        }
        if (debug)
        {
            ex.printStackTrace(err);
        }
        err.flush();
        return Rfs.EXIT_FAILED;
    }

    private static boolean isDebug(final CommandLine commandLine)
    {
        final Object command = commandLine.getCommand();
        return command instanceof StoreCommand && ((StoreCommand)command).isDebug();
    }

    private static String describe(final FileSystemException ex)
    {
        final String reason = ex.getReason() != null ? ex.getReason() : reasonOf(ex);
        final String file = ex.getFile();
        if (file == null)
        {
            return reason;
        }
        final String other = ex.getOtherFile();
        return (other == null ? file : file + " -> " + other) + ": " + reason;
    }

    private static String reasonOf(final FileSystemException ex)
    {
        if (ex instanceof NoSuchFileException)
        {
            return "no such file or directory";
        }
        if (ex instanceof AccessDeniedException)
        {
            return "permission denied";
        }
        if (ex instanceof FileAlreadyExistsException)
        {
            return "already exists";
        }
        if (ex instanceof NotDirectoryException)
        {
            return "not a directory";
        }
        if (ex instanceof DirectoryNotEmptyException)
        {
            return "directory not empty";
        }
        return ex.getClass().getSimpleName();
    }
}

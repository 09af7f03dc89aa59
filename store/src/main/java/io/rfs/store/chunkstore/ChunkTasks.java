package io.rfs.store.chunkstore;

import io.rfs.store.RfsException;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Waiting on the chunk work that the read and write paths hand to worker threads, so that a worker's failure
 * reaches the caller as the typed exception it threw.
 */
public final class ChunkTasks
{
    private ChunkTasks()
    {
    }

    /**
     * @param task a submitted chunk task.
     * @param what names the work, for the message of an untyped failure.
     * @param <T>  the task's result.
     * @return the task's result.
     * @throws IOException the task's own {@link IOException}, or an {@link InterruptedIOException}.
     */
    public static <T> T await(final Future<T> task, final String what) throws IOException
    {
        try
        {
            return task.get();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException(what + " interrupted");
        }
        catch (final ExecutionException ex)
        {
            final Throwable cause = ex.getCause();
            if (cause instanceof IOException)
            {
                throw (IOException)cause;
            }
            if (cause instanceof RuntimeException)
            {
                throw (RuntimeException)cause;
            }
            throw new RfsException(what + " failed", cause);
        }
    }

    /**
     * Waits for every task to finish, ignoring their outcomes: used when a transfer is abandoned, so that no worker
     * still holds one of its buffers afterwards.
     *
     * @param tasks submitted tasks; those not started are cancelled first.
     */
    public static void drain(final Iterable<? extends Future<?>> tasks)
    {
        for (final Future<?> task : tasks)
        {
            task.cancel(false);
        }
        for (final Future<?> task : tasks)
        {
            try
            {
                if (!task.isCancelled())
                {
                    task.get();
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                return;
            }
            catch (final ExecutionException ignore)
            {
                // The first failure was reported where it mattered.
            }
        }
    }
}

package io.rfs.tools;

import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * Polling for the tests of real processes, which cannot be stepped by hand: a condition is checked until it holds or
 * a timeout passes, and a timeout fails the test naming what was awaited and what the condition saw last.
 */
final class Await
{
    /** Time between two checks; a check that runs a process or asks every node takes longer than this anyway. */
    static final long POLL_INTERVAL_MS = 100;

    private Await()
    {
    }

    /**
     * Checks a condition until it yields a value: anything but null and {@link Boolean#FALSE}. An exception thrown
     * by the condition counts as not yet (a node that is starting may refuse a connection) and is shown if the time
     * runs out.
     *
     * @param condition   the check; null or false while the awaited state is not reached.
     * @param timeout     how long to keep checking.
     * @param description what is awaited, for the failure message.
     * @param <T>         what the condition yields.
     * @return the first value that is neither null nor false.
     * @throws AssertionError       if the time runs out.
     * @throws InterruptedException if interrupted between checks.
     */
    static <T> T await(final Callable<T> condition, final Duration timeout, final String description)
        throws InterruptedException
    {
        return await(condition, timeout, Duration.ofMillis(POLL_INTERVAL_MS), description);
    }

    /**
     * {@link #await(Callable, Duration, String)} with another time between checks: shorter where the test measures
     * how soon the state is reached.
     */
    static <T> T await(
        final Callable<T> condition, final Duration timeout, final Duration pollInterval, final String description)
        throws InterruptedException
    {
        final long startNs = System.nanoTime();
        Object last = null;
        while (true)
        {
            try
            {
                final T value = condition.call();
                if (value != null && !Boolean.FALSE.equals(value))
                {
                    return value;
                }
                last = value;
            }
            catch (final InterruptedException ex)
            {
                throw ex;
            }
            catch (final Exception ex)
            {
                last = ex;
            }
            if (System.nanoTime() - startNs > timeout.toNanos())
            {
                final AssertionError failure = new AssertionError("timed out after " + timeout.toSeconds() +
                    " s waiting for " + description + " (the last check gave " + last + ")");
                if (last instanceof Exception ex)
                {
                    failure.initCause(ex);
                }
                throw failure;
            }
            Thread.sleep(pollInterval.toMillis());
        }
    }
}

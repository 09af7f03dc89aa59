package io.rfs.tools.bench;

import java.util.concurrent.TimeUnit;

/**
 * When a phase of a benchmark ends: after a duration, or after a number of operations shared by all clients,
 * whichever was asked for. An operation in progress at the deadline is finished and counted.
 *
 * @param durationNs how long the phase runs, when {@code operations} is 0.
 * @param operations how many operations all clients make together; 0 to run for {@code durationNs}.
 */
public record StopCondition(long durationNs, long operations)
{
    /**
     * @param durationNs above 0 unless operations is given.
     * @param operations at least 0.
     */
    public StopCondition
    {
        if (operations < 0)
        {
            throw new IllegalArgumentException("operations=" + operations + " must not be negative");
        }
        if (operations == 0 && durationNs <= 0)
        {
            throw new IllegalArgumentException("durationNs=" + durationNs + " must be above 0");
        }
    }

    /**
     * @param duration how long.
     * @param unit     its unit.
     * @return a phase that runs for that long.
     */
    public static StopCondition after(final long duration, final TimeUnit unit)
    {
        return new StopCondition(unit.toNanos(duration), 0);
    }

    /**
     * @param operations how many operations, all clients together.
     * @return a phase that ends after that many.
     */
    public static StopCondition afterOperations(final long operations)
    {
        return new StopCondition(0, operations);
    }

    /**
     * @return true if the phase is counted in operations rather than time.
     */
    public boolean isCounted()
    {
        return operations > 0;
    }
}

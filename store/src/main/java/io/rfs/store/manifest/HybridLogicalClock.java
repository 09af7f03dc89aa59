package io.rfs.store.manifest;

import org.agrona.concurrent.EpochClock;

/**
 * A hybrid logical clock (Kulkarni et al.): timestamps that follow physical time where clocks agree, never go
 * backwards, and order every event after those it has seen from other nodes.
 * <p>
 * A timestamp packs physical milliseconds in the high 48 bits and a logical counter in the low 16. Time comes from
 * an injected {@link EpochClock} so that tests and the simulator control it. Thread safe.
 */
public final class HybridLogicalClock
{
    /** Bits of the logical counter. */
    public static final int LOGICAL_BITS = 16;
    /** Mask of the logical counter. */
    public static final long LOGICAL_MASK = (1L << LOGICAL_BITS) - 1;

    private final EpochClock clock;
    private long last;

    /**
     * @param clock source of physical time in milliseconds since the epoch.
     */
    public HybridLogicalClock(final EpochClock clock)
    {
        this.clock = clock;
    }

    /**
     * @return a timestamp greater than every timestamp this clock returned or observed before.
     */
    public synchronized long now()
    {
        final long physical = clock.time() << LOGICAL_BITS;
        last = physical > last ? physical : last + 1;
        return last;
    }

    /**
     * Moves this clock past a timestamp seen from elsewhere (a message or a stored manifest), so that later local
     * events order after it.
     *
     * @param timestamp a timestamp from another clock.
     */
    public synchronized void observe(final long timestamp)
    {
        if (Long.compareUnsigned(timestamp, last) > 0)
        {
            last = timestamp;
        }
    }
}

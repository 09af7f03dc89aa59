package io.rfs.replication.node;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The counters of one node ({@link NodeCounter}), readable from any thread.
 * <p>
 * <b>Threads.</b> Each counter has a single writer, the agent its description names, which increments it with an
 * ordered store (no read-modify-write contention, no allocation); any thread may read a recent value.
 */
public final class NodeCounters
{
    private static final NodeCounter[] COUNTERS = NodeCounter.values();

    private final AtomicLongArray values = new AtomicLongArray(COUNTERS.length);

    /**
     * @param counter a counter this thread is the writer of.
     */
    public void increment(final NodeCounter counter)
    {
        add(counter, 1);
    }

    /**
     * @param counter a counter this thread is the writer of.
     * @param delta   added to it.
     */
    public void add(final NodeCounter counter, final long delta)
    {
        final int index = counter.ordinal();
        values.lazySet(index, values.get(index) + delta);
    }

    /**
     * @param counter a gauge this thread is the writer of.
     * @param value   its new value.
     */
    void set(final NodeCounter counter, final long value)
    {
        values.lazySet(counter.ordinal(), value);
    }

    /**
     * @param counter a counter.
     * @return its value.
     */
    public long get(final NodeCounter counter)
    {
        return values.get(counter.ordinal());
    }

    @Override
    public String toString()
    {
        final StringBuilder text = new StringBuilder("NodeCounters{");
        for (final NodeCounter counter : COUNTERS)
        {
            text.append(counter.ordinal() == 0 ? "" : ", ").append(counter).append('=').append(get(counter));
        }
        return text.append('}').toString();
    }
}

package io.rfs.tools.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Completed operations counted in fixed time bins from a start, with named events (a node stopped, started), so
 * that a report can draw throughput over time across the phases of a workload. Safe for many recording threads.
 */
public final class Timeline
{
    /** How many bins a timeline keeps; operations after the last bin are counted in it. */
    public static final int MAX_BINS = 4096;

    private final String name;
    private final long startNs;
    private final long binNs;
    private final AtomicLongArray bins = new AtomicLongArray(MAX_BINS);
    private final List<Event> events = new ArrayList<>();

    /**
     * An instant of note on the timeline.
     *
     * @param atNs since the timeline's start.
     * @param what what happened, e.g. {@code node 1 stopped}.
     */
    public record Event(long atNs, String what)
    {
    }

    /**
     * @param name    what the timeline shows, e.g. {@code failover QUORUM}.
     * @param startNs {@link System#nanoTime()} of its start.
     * @param binNs   width of a bin, above 0.
     */
    public Timeline(final String name, final long startNs, final long binNs)
    {
        if (binNs <= 0)
        {
            throw new IllegalArgumentException("binNs=" + binNs + " must be above 0");
        }
        this.name = name;
        this.startNs = startNs;
        this.binNs = binNs;
    }

    /**
     * Counts one operation that completed now.
     *
     * @param nowNs {@link System#nanoTime()}.
     */
    void recordCompletion(final long nowNs)
    {
        final long bin = Math.max(0, (nowNs - startNs) / binNs);
        bins.incrementAndGet((int)Math.min(MAX_BINS - 1, bin));
    }

    /**
     * @param nowNs {@link System#nanoTime()}.
     * @param what  what happened.
     */
    public synchronized void event(final long nowNs, final String what)
    {
        events.add(new Event(nowNs - startNs, what));
    }

    /**
     * @return what the timeline shows.
     */
    public String name()
    {
        return name;
    }

    /**
     * @return width of a bin.
     */
    public long binNs()
    {
        return binNs;
    }

    /**
     * @param untilNs {@link System#nanoTime()} of the end.
     * @return operations completed per bin, up to the bin holding {@code untilNs}.
     */
    public long[] counts(final long untilNs)
    {
        final int used = (int)Math.min(MAX_BINS, Math.max(1, (untilNs - startNs + binNs - 1) / binNs));
        final long[] counts = new long[used];
        for (int i = 0; i < used; i++)
        {
            counts[i] = bins.get(i);
        }
        return counts;
    }

    /**
     * @return the events, in the order they were recorded.
     */
    public synchronized List<Event> events()
    {
        return List.copyOf(events);
    }
}

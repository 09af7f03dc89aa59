package io.rfs.tools.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Everything the workloads of one run measured, in the order they measured it, with the timelines they drew and
 * the notes a reader needs (what could not be measured, and why). Filled by one thread.
 */
public final class BenchResults
{
    private final List<OperationResult> results = new ArrayList<>();
    private final List<TimelineResult> timelines = new ArrayList<>();
    private final List<RepairResult> repairs = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    /**
     * A timeline, closed.
     *
     * @param name   what it shows.
     * @param binNs  width of a bin.
     * @param counts operations completed per bin.
     * @param events what happened when.
     */
    public record TimelineResult(String name, long binNs, long[] counts, List<Timeline.Event> events)
    {
    }

    /**
     * @param result one more row.
     */
    public void add(final OperationResult result)
    {
        results.add(result);
    }

    /**
     * @param repair what a repair did.
     */
    public void add(final RepairResult repair)
    {
        repairs.add(repair);
    }

    /**
     * @param timeline a finished timeline.
     * @param endNs    {@link System#nanoTime()} of its end.
     */
    public void add(final Timeline timeline, final long endNs)
    {
        timelines.add(new TimelineResult(timeline.name(), timeline.binNs(), timeline.counts(endNs),
            timeline.events()));
    }

    /**
     * @param note something a reader of the results needs to know; added once however often it is given.
     */
    public void note(final String note)
    {
        if (!notes.contains(note))
        {
            notes.add(note);
        }
    }

    /**
     * Replaces every result with the one the function gives, e.g. to attach bounds.
     *
     * @param function from each result to its replacement.
     */
    public void replaceAll(final java.util.function.UnaryOperator<OperationResult> function)
    {
        results.replaceAll(function);
    }

    /**
     * Replaces every repair with the one the function gives, e.g. to attach bounds.
     *
     * @param function from each repair to its replacement.
     */
    public void replaceAllRepairs(final java.util.function.UnaryOperator<RepairResult> function)
    {
        repairs.replaceAll(function);
    }

    /**
     * @return the repairs, in the order measured.
     */
    public List<RepairResult> repairs()
    {
        return Collections.unmodifiableList(repairs);
    }

    /**
     * @return the rows, in the order measured.
     */
    public List<OperationResult> results()
    {
        return Collections.unmodifiableList(results);
    }

    /**
     * @return the timelines.
     */
    public List<TimelineResult> timelines()
    {
        return Collections.unmodifiableList(timelines);
    }

    /**
     * @return the notes.
     */
    public List<String> notes()
    {
        return Collections.unmodifiableList(notes);
    }
}

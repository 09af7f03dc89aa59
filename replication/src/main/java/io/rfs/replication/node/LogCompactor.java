package io.rfs.replication.node;

import io.rfs.store.log.SegmentCompaction;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.ringbuffer.RingBuffer;

import java.io.IOException;
import java.io.PrintStream;
import java.util.function.LongSupplier;

/**
 * Runs the compactions of one of the node's logs (chunks or manifests) in steps on the storage thread, for the
 * {@link NodeCompactor}: starts one when the log's garbage reaches the threshold, then, one step per call, copies
 * about {@code stepBytes} of live records, finishes once the results ring is empty, and frees the old files'
 * bytes a step at a time. Prints one line per compaction when it is over.
 */
final class LogCompactor
{
    /** Starts a compaction of the log: chooses its victims. */
    @FunctionalInterface
    interface Starter
    {
        SegmentCompaction start() throws IOException;
    }

    private final String name;
    private final String records;
    private final LongSupplier garbageBytes;
    private final Starter starter;
    private final long thresholdBytes;
    private final int stepBytes;
    private final NodeCounters counters;
    private final NodeCounter compactionsCounter;
    private final NodeCounter reclaimedCounter;
    private final ErrorHandler errorHandler;
    private final PrintStream out;
    private long notBeforeGarbage;
    private SegmentCompaction compaction;
    private boolean finished;
    private long longestStepNs;
    private long totalStepNs;
    private int steps;
    private long lastLongestStepNs;

    /**
     * @param name               the log line's name of the compaction: "compaction", "manifest compaction".
     * @param records            what the log holds, for the log line: "chunks", "manifests".
     * @param garbageBytes       the log's garbage estimate.
     * @param starter            starts a compaction.
     * @param thresholdBytes     garbage that starts a compaction; 0: never.
     * @param stepBytes          budget of one step.
     * @param counters           the node's counters.
     * @param compactionsCounter counts compactions over.
     * @param reclaimedCounter   counts bytes they reclaimed.
     * @param errorHandler       told of a failed compaction, which is then abandoned.
     * @param out                where the line goes.
     */
    LogCompactor(
        final String name,
        final String records,
        final LongSupplier garbageBytes,
        final Starter starter,
        final long thresholdBytes,
        final int stepBytes,
        final NodeCounters counters,
        final NodeCounter compactionsCounter,
        final NodeCounter reclaimedCounter,
        final ErrorHandler errorHandler,
        final PrintStream out)
    {
        this.name = name;
        this.records = records;
        this.garbageBytes = garbageBytes;
        this.starter = starter;
        this.thresholdBytes = thresholdBytes;
        this.stepBytes = stepBytes;
        this.counters = counters;
        this.compactionsCounter = compactionsCounter;
        this.reclaimedCounter = reclaimedCounter;
        this.errorHandler = errorHandler;
        this.out = out;
        this.notBeforeGarbage = thresholdBytes;
    }

    /**
     * @return true while a compaction is under way.
     */
    boolean isRunning()
    {
        return compaction != null;
    }

    /**
     * Starts a compaction if the garbage has reached the threshold (choosing the victims is the first step).
     *
     * @return true if one was started.
     */
    boolean startIfDue()
    {
        final long garbage = garbageBytes.getAsLong();
        if (thresholdBytes == 0 || garbage < notBeforeGarbage)
        {
            return false;
        }
        longestStepNs = 0;
        totalStepNs = 0;
        steps = 0;
        finished = false;
        final long startNs = System.nanoTime();
        try
        {
            compaction = starter.start();
        }
        catch (final IOException | RuntimeException ex)
        {
            fail(ex);
        }
        timed(startNs);
        return true;
    }

    /**
     * Takes the next step of the compaction under way.
     *
     * @param results the node's results ring: the finish waits until it is empty, since a result may point into a
     *                segment the finish unmaps.
     * @return 1 if a step was taken, 0 if it waits for the ring.
     */
    int step(final RingBuffer results)
    {
        if (compaction.isCopied() && !finished && results.size() != 0)
        {
            return 0;
        }
        final long startNs = System.nanoTime();
        try
        {
            if (!compaction.isCopied())
            {
                compaction.step(stepBytes);
            }
            else if (!finished)
            {
                compaction.finish();
                finished = true;
            }
            else if (compaction.release(stepBytes))
            {
                timed(startNs);
                over();
                return 1;
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            fail(ex);
        }
        timed(startNs);
        return 1;
    }

    /**
     * @return wall-clock nanoseconds of the longest step of the last compaction that ended, 0 before any.
     */
    long lastLongestStepNs()
    {
        return lastLongestStepNs;
    }

    private void timed(final long startNs)
    {
        final long ns = System.nanoTime() - startNs;
        longestStepNs = Math.max(longestStepNs, ns);
        totalStepNs += ns;
        steps++;
    }

    private void over()
    {
        final long reclaimed = compaction.reclaimedBytes();
        counters.increment(compactionsCounter);
        counters.add(reclaimedCounter, reclaimed);
        final long left = garbageBytes.getAsLong();
        // a compaction that freed nothing (garbage spread thin over many segments) waits for another threshold's worth
        notBeforeGarbage = reclaimed == 0 ? left + thresholdBytes : thresholdBytes;
        lastLongestStepNs = longestStepNs;
        out.printf("rfs %s: %d segments rewritten, %d %s moved, %d bytes reclaimed, %d bytes of garbage left; " +
            "%d steps held up the storage thread %.1f ms at most, %.1f ms in all%n", name, compaction.segments(),
            compaction.recordsCopied(), records, reclaimed, left, steps, longestStepNs / 1e6,
            totalStepNs / 1e6);
        compaction = null;
    }

    private void fail(final Exception ex)
    {
        errorHandler.onError(ex);
        // the copies made so far are duplicates that recovery and the next compaction resolve
        compaction = null;
        notBeforeGarbage = garbageBytes.getAsLong() + thresholdBytes;
    }
}

package io.rfs.replication.node;

import io.rfs.store.chunkstore.ChunkStore;
import io.rfs.store.chunkstore.CompactionReport;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.ringbuffer.RingBuffer;

import java.io.IOException;
import java.io.PrintStream;
import java.util.concurrent.TimeUnit;

/**
 * Reclaims the bytes of dropped chunks (and of quarantined and superseded records): when the chunk store's
 * {@link ChunkStore#garbageBytes() garbage} reaches {@code storage.compaction.garbage.threshold}, compacts it on the
 * storage thread, at most {@code storage.compaction.max.segments} sealed segments with at least
 * {@code storage.compaction.min.garbage.percent} garbage at a time. A ring change that adds one node to n leaves
 * about 1/(n+1) of each old owner's copies to drop, spread over its segments, which the default of 10% takes.
 * <p>
 * <b>Why it waits for an empty results ring.</b> Chunks are sent from their segments as they lie: a result in the
 * ring may hold the address of a payload in a mapped segment until the network thread has sent it, and a compaction
 * deletes and unmaps the segments it rewrote. So a compaction starts only when no result is waiting; the storage
 * thread, which alone adds results, is running this, so none can appear meanwhile.
 * <p>
 * <b>Cost.</b> A compaction holds up the storage thread, and so every request of the node, while it copies and
 * forces the live records of the segments it rewrites: about the live bytes of {@code max.segments} segments at disk
 * speed. A compaction that reclaims nothing (the garbage is spread thin over many segments) is not tried again until
 * another threshold of garbage has built up. Each compaction prints one line,
 * {@code rfs compaction: <s> segments rewritten, ... the storage thread was held up <ms> ms}.
 * <p>
 * <b>Threads.</b> The storage thread, composed with the {@link StorageAgent} (it shares the store).
 */
public final class NodeCompactor implements Agent
{
    /** How often the garbage is looked at. */
    static final long CHECK_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);

    private final ChunkStore chunks;
    private final RingBuffer results;
    private final long thresholdBytes;
    private final int maxSegments;
    private final int minGarbagePercent;
    private final NanoClock clock;
    private final NodeCounters counters;
    private final ErrorHandler errorHandler;
    private final PrintStream out;
    private long nextCheckNs;
    private long notBeforeGarbage;
    private long lastCompactionNs;

    NodeCompactor(
        final NodeContext context,
        final ChunkStore chunks,
        final RingBuffer results,
        final NodeCounters counters,
        final PrintStream out)
    {
        this.out = out;
        this.chunks = chunks;
        this.results = results;
        this.thresholdBytes = context.compactionGarbageThreshold();
        this.maxSegments = context.compactionMaxSegments();
        this.minGarbagePercent = context.compactionMinGarbagePercent();
        this.clock = context.nanoClock();
        this.counters = counters;
        this.errorHandler = context.errorHandler();
        this.notBeforeGarbage = thresholdBytes;
    }

    @Override
    public String roleName()
    {
        return "rfs-compactor";
    }

    @Override
    public int doWork()
    {
        final long nowNs = clock.nanoTime();
        if (thresholdBytes == 0 || nowNs - nextCheckNs < 0)
        {
            return 0;
        }
        nextCheckNs = nowNs + CHECK_INTERVAL_NS;
        final long garbage = chunks.garbageBytes();
        if (garbage < notBeforeGarbage || results.size() != 0)
        {
            return 0;
        }
        try
        {
            final long startNs = System.nanoTime();
            final CompactionReport report = chunks.compact(prefix -> true, minGarbagePercent, maxSegments);
            lastCompactionNs = System.nanoTime() - startNs;
            final long reclaimed = Math.max(0, report.bytesBefore() - report.bytesAfter());
            counters.increment(NodeCounter.COMPACTIONS);
            counters.add(NodeCounter.COMPACTION_BYTES_RECLAIMED, reclaimed);
            final long left = chunks.garbageBytes();
            notBeforeGarbage = reclaimed == 0 ? left + thresholdBytes : thresholdBytes;
            out.printf("rfs compaction: %d segments rewritten, %d chunks moved, %d bytes reclaimed, %d bytes " +
                "of garbage left; the storage thread was held up %.1f ms%n", report.segmentsRewritten(),
                report.chunksMoved(), reclaimed, left, lastCompactionNs / 1e6);
        }
        catch (final IOException | RuntimeException ex)
        {
            errorHandler.onError(ex);
            notBeforeGarbage = garbage + thresholdBytes;
        }
        return 1;
    }

    /**
     * @return wall-clock nanoseconds the last compaction held up the storage thread, 0 before any.
     */
    public long lastCompactionNs()
    {
        return lastCompactionNs;
    }
}

package io.rfs.replication.node;

import io.rfs.store.chunkstore.ChunkStore;
import io.rfs.store.manifest.ManifestStore;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.ringbuffer.RingBuffer;

import java.io.PrintStream;
import java.util.concurrent.TimeUnit;

/**
 * Reclaims the bytes of dropped chunks (and of quarantined and superseded records), and of superseded and dropped
 * manifests: when the chunk store's {@link ChunkStore#garbageBytes() garbage} reaches
 * {@code storage.compaction.garbage.threshold} (the manifest store's {@link ManifestStore#garbageBytes()}
 * {@code storage.manifest.compaction.garbage.threshold}), compacts at most
 * {@code storage.compaction.max.segments} sealed segments with at least {@code storage.compaction.min.garbage.percent}
 * garbage, in steps on the storage thread ({@link LogCompactor}). A ring change that adds one node to n leaves about
 * 1/(n+1) of each old owner's copies to drop, spread over its segments, which the default of 10% takes.
 * <p>
 * <b>Steps.</b> Each call of {@link #doWork} takes one step: choosing the victims, copying about
 * {@code storage.compaction.step.bytes} of live records (the index points at each copy at once, so reads, puts and
 * drops between steps see and change the copies), the finish (force the copies, unmap and rename the victims), or
 * freeing that many bytes of the victims' files. The storage agent, composed on the same thread, serves requests
 * between steps. A default 256 MiB segment with a sixth dropped took 54 copy steps of at most 13 to 22 ms and 64
 * release steps of at most 8 to 10 ms, against 292 to 660 ms held up at once before (NODE.md, "Compaction").
 * <p>
 * <b>Why the finish waits for an empty results ring.</b> Chunks are sent from their segments as they lie: a result in
 * the ring may hold the address of a payload in a mapped segment until the network thread has sent it, and the
 * finish unmaps the segments it rewrote. So the finish is taken only when no result is waiting; the storage thread,
 * which alone adds results, is running this, so none can appear meanwhile. The copy and release steps unmap nothing.
 * <p>
 * A compaction that reclaims nothing (the garbage is spread thin over many segments) is not tried again until
 * another threshold of garbage has built up. Each compaction prints one line when it is over,
 * {@code rfs compaction: <s> segments rewritten, <n> chunks moved, <b> bytes reclaimed, <b> bytes of garbage left;
 * <k> steps held up the storage thread <ms> ms at most, <ms> ms in all}; a compaction of the manifest log prints the
 * same line as {@code rfs manifest compaction: ... <n> manifests moved ...}. One compaction runs at a time, the chunk
 * log's first.
 * <p>
 * <b>Threads.</b> The storage thread, composed with the {@link StorageAgent} (it shares the store).
 */
public final class NodeCompactor implements Agent
{
    /** How often the garbage is looked at. */
    static final long CHECK_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);

    private final RingBuffer results;
    private final NanoClock clock;
    private final LogCompactor chunkCompactor;
    private final LogCompactor manifestCompactor;
    private long nextCheckNs;

    NodeCompactor(
        final NodeContext context,
        final ChunkStore chunks,
        final ManifestStore manifests,
        final RingBuffer results,
        final NodeCounters counters,
        final PrintStream out)
    {
        this.results = results;
        this.clock = context.nanoClock();
        final int maxSegments = context.compactionMaxSegments();
        final int minGarbagePercent = context.compactionMinGarbagePercent();
        this.chunkCompactor = new LogCompactor("compaction", "chunks", chunks::garbageBytes,
            () -> chunks.startCompaction(minGarbagePercent, maxSegments), context.compactionGarbageThreshold(),
            context.compactionStepBytes(), counters, NodeCounter.COMPACTIONS, NodeCounter.COMPACTION_BYTES_RECLAIMED,
            context.errorHandler(), out);
        this.manifestCompactor = new LogCompactor("manifest compaction", "manifests", manifests::garbageBytes,
            () -> manifests.startCompaction(minGarbagePercent, maxSegments),
            context.manifestCompactionGarbageThreshold(), context.compactionStepBytes(), counters,
            NodeCounter.MANIFEST_COMPACTIONS, NodeCounter.MANIFEST_COMPACTION_BYTES_RECLAIMED, context.errorHandler(),
            out);
    }

    @Override
    public String roleName()
    {
        return "rfs-compactor";
    }

    @Override
    public int doWork()
    {
        if (chunkCompactor.isRunning())
        {
            return chunkCompactor.step(results);
        }
        if (manifestCompactor.isRunning())
        {
            return manifestCompactor.step(results);
        }
        final long nowNs = clock.nanoTime();
        if (nowNs - nextCheckNs < 0)
        {
            return 0;
        }
        nextCheckNs = nowNs + CHECK_INTERVAL_NS;
        // one compaction at a time, so that the storage thread is held up by one step at most between requests
        return chunkCompactor.startIfDue() || manifestCompactor.startIfDue() ? 1 : 0;
    }

    /**
     * @return wall-clock nanoseconds of the longest step of the last chunk compaction, 0 before any.
     */
    public long lastLongestStepNs()
    {
        return chunkCompactor.lastLongestStepNs();
    }

    /**
     * @return true while a compaction of the manifest log is under way.
     */
    public boolean isManifestCompactionRunning()
    {
        return manifestCompactor.isRunning();
    }

    /**
     * @return wall-clock nanoseconds of the longest step of the last manifest compaction, 0 before any.
     */
    public long lastLongestManifestStepNs()
    {
        return manifestCompactor.lastLongestStepNs();
    }
}

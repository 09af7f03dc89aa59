package io.rfs.store.scrub;

import io.rfs.store.chunk.ChunkId;
import io.rfs.store.chunkstore.ChunkCodec;
import io.rfs.store.chunkstore.ChunkStore;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Re-reads and re-hashes every stored chunk at a bounded rate, quarantining the ones that fail, so that rot is
 * found before a reader needs the data (and, in a cluster, while other replicas can still repair it).
 * <p>
 * The rate is a token bucket fed by the injected clock: each duty cycle verifies chunks only while the bucket
 * holds their size, and the bucket holds at most {@link #BURST_NS} worth of bytes, so a scrub never takes the disk
 * from client traffic for long. A pass walks a snapshot of the chunk ids taken when it starts; chunks written later
 * are checked by the next pass. Runs on one thread (an {@link org.agrona.concurrent.AgentRunner}, or stepped by
 * hand in tests).
 */
public final class ScrubAgent implements Agent
{
    /** Longest stretch of budget that can accumulate while the scrubber is idle. */
    public static final long BURST_NS = TimeUnit.MILLISECONDS.toNanos(100);
    /**
     * Least time from the start of one pass to the start of the next: a small or empty store would otherwise be
     * walked again on every duty cycle, and the agent would never report itself idle.
     */
    public static final long MIN_PASS_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);

    private final ChunkStore chunkStore;
    private final NanoClock clock;
    private final long bytesPerSecond;
    private final Consumer<ScrubReport> onPassComplete;
    private final ChunkCodec codec = new ChunkCodec();
    private byte[] scratch = new byte[0];
    private List<ChunkId> pass;
    private int next;
    private long budgetBytes;
    private long lastRefillNs;
    private long chunksChecked;
    private long bytesChecked;
    private List<ChunkId> corrupt;
    private long passesCompleted;
    private long nextPassNs;

    /**
     * @param chunkStore     the chunks to check.
     * @param clock          time source for the rate limit.
     * @param bytesPerSecond raw bytes to verify per second, at least 1.
     * @param onPassComplete told at the end of each pass, on the agent's thread.
     */
    public ScrubAgent(
        final ChunkStore chunkStore,
        final NanoClock clock,
        final long bytesPerSecond,
        final Consumer<ScrubReport> onPassComplete)
    {
        if (bytesPerSecond < 1)
        {
            throw new IllegalArgumentException("bytesPerSecond=" + bytesPerSecond);
        }
        this.chunkStore = chunkStore;
        this.clock = clock;
        this.bytesPerSecond = bytesPerSecond;
        this.onPassComplete = onPassComplete;
        this.lastRefillNs = clock.nanoTime();
        this.nextPassNs = lastRefillNs;
    }

    @Override
    public int doWork()
    {
        if (pass == null)
        {
            if (clock.nanoTime() - nextPassNs < 0)
            {
                return 0;
            }
            startPass();
        }
        refill();
        int work = 0;
        while (next < pass.size())
        {
            final ChunkId id = pass.get(next);
            final int length = chunkStore.rawLength(id);
            if (length < 0)
            {
                next++; // Removed by compaction or quarantined since the pass began.
                continue;
            }
            if (budgetBytes < length && !(budgetBytes == maxBudget() && length > maxBudget()))
            {
                return work;
            }
            budgetBytes -= length;
            verify(id, length);
            next++;
            work++;
        }
        finishPass();
        return work + 1;
    }

    @Override
    public String roleName()
    {
        return "rfs-scrub";
    }

    /**
     * @return passes finished since the agent was made.
     */
    public long passesCompleted()
    {
        return passesCompleted;
    }

    private void verify(final ChunkId id, final int length)
    {
        if (scratch.length < length)
        {
            scratch = new byte[length];
        }
        try
        {
            if (chunkStore.verify(id, scratch, codec) != null)
            {
                corrupt.add(id);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("scrub could not quarantine chunk " + id.toHex(), ex);
        }
        chunksChecked++;
        bytesChecked += length;
    }

    private void startPass()
    {
        nextPassNs = clock.nanoTime() + MIN_PASS_INTERVAL_NS;
        final List<ChunkId> ids = new ArrayList<>(chunkStore.size());
        chunkStore.forEachChunk(ids::add);
        pass = ids;
        next = 0;
        chunksChecked = 0;
        bytesChecked = 0;
        corrupt = new ArrayList<>();
    }

    private void finishPass()
    {
        final ScrubReport report = new ScrubReport(chunksChecked, bytesChecked, List.copyOf(corrupt));
        pass = null;
        passesCompleted++;
        onPassComplete.accept(report);
    }

    private void refill()
    {
        final long nowNs = clock.nanoTime();
        final long elapsedNs = nowNs - lastRefillNs;
        if (elapsedNs > 0)
        {
            final long earned = (long)((double)elapsedNs * bytesPerSecond / TimeUnit.SECONDS.toNanos(1));
            budgetBytes = Math.min(maxBudget(), budgetBytes + earned);
            lastRefillNs = nowNs;
        }
    }

    private long maxBudget()
    {
        return Math.max(1, (long)((double)BURST_NS * bytesPerSecond / TimeUnit.SECONDS.toNanos(1)));
    }
}

package io.rfs.replication.node;

import io.rfs.store.chunk.ChunkId;
import io.rfs.store.chunkstore.ChunkCodec;
import io.rfs.store.chunkstore.ChunkStore;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.NanoClock;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A node's background scrub: re-hashes every chunk it holds, in passes, so that rot is found while other replicas
 * can still repair it. A corrupt chunk is quarantined (the store stops serving it, and the node's range digests
 * drop it) and its id queued for the {@link ScrubReporter}, which tells the leader; the leader's repair then copies
 * a verified replica back.
 * <p>
 * <b>Coverage deadline.</b> A pass walks the ids held when it began, in id order, and is paced to end within half of
 * {@code scrub.period} of its start; the next pass starts no earlier than that. So two re-hashes of a chunk are never
 * more than one period apart. The rate is recomputed before every chunk: the bytes left in the pass over the time
 * left to its deadline (at most {@code scrub.max.bandwidth}; all of it once the deadline has passed), so a scrub
 * that was slowed catches up by itself.
 * <p>
 * <b>Back-off.</b> While the storage agent's average service time (an EWMA per batch) is above
 * {@code scrub.latency.target}, the rate is scaled down by target over average, to at most a sixteenth: client
 * requests come first, and the deadline is met later if the load lasts.
 * <p>
 * <b>Progress</b> is saved ({@link ScrubProgress}) at most once a second and at the end of every pass, so a restart
 * resumes the pass after the last id verified.
 * <p>
 * <b>Threads.</b> The storage thread (it reads the store the storage agent writes, and re-hashes one chunk per duty
 * cycle so that requests wait for at most one chunk); {@link #status()} from any thread.
 */
public final class NodeScrubber implements Agent
{
    private static final long SAVE_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);
    private static final long PUBLISH_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long BURST_NS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final int MAX_BACK_OFF = 16;
    private static final long MIN_RATE = 4096;

    private final ScrubContext context;
    private final ChunkStore chunks;
    private final Path directory;
    private final NanoClock clock;
    private final EpochClock epochClock;
    private final LongSupplier serviceTimeNs;
    private final NodeCounters counters;
    private final Queue<ChunkId> found;
    private final ErrorHandler errorHandler;
    private final ChunkCodec codec = new ChunkCodec();
    private byte[] scratch = new byte[0];

    private ScrubProgress resumeFrom;
    private ChunkId[] pass;
    private int next;
    private long passBytes;
    private long passBytesDone;
    private long passStartMs = ScrubProgressDescriptor.NONE;
    private long previousPassStartMs = ScrubProgressDescriptor.NONE;
    private long nextPassNotBeforeMs;
    private long passChunks;
    private double budgetBytes;
    private long lastRefillNs;
    private long rate;
    private long nextSaveNs;
    private long nextPublishNs;
    private volatile ScrubStatus status = ScrubStatus.NONE;

    /**
     * @param context       the settings.
     * @param chunks        the node's chunk store.
     * @param directory     where the progress file lives ({@code scrub/} in the data directory).
     * @param clock         pacing.
     * @param epochClock    pass start times, which must survive a restart.
     * @param serviceTimeNs the storage agent's average service time, for the back-off.
     * @param counters      the node's counters.
     * @param found         where the ids of the chunks found corrupt go, for the {@link ScrubReporter}; one that
     *                      does not fit is not reported (the leader's digest comparison still finds it).
     * @param errorHandler  told of a progress file that cannot be written, or a quarantine that failed.
     */
    public NodeScrubber(
        final ScrubContext context,
        final ChunkStore chunks,
        final Path directory,
        final NanoClock clock,
        final EpochClock epochClock,
        final LongSupplier serviceTimeNs,
        final NodeCounters counters,
        final Queue<ChunkId> found,
        final ErrorHandler errorHandler)
    {
        this.context = context;
        this.chunks = chunks;
        this.directory = directory;
        this.clock = clock;
        this.epochClock = epochClock;
        this.serviceTimeNs = serviceTimeNs;
        this.counters = counters;
        this.found = found;
        this.errorHandler = errorHandler;
        this.resumeFrom = context.periodNs() > 0 ? ScrubProgress.read(directory) : null;
        this.lastRefillNs = clock.nanoTime();
    }

    @Override
    public String roleName()
    {
        return "rfs-scrub";
    }

    @Override
    public int doWork()
    {
        if (context.periodNs() == 0)
        {
            return 0;
        }
        final long nowNs = clock.nanoTime();
        final long nowMs = epochClock.time();
        if (pass == null)
        {
            if (nowMs < nextPassNotBeforeMs)
            {
                return 0;
            }
            startPass(nowMs);
            return 1;
        }
        if (next >= pass.length)
        {
            finishPass();
            return 1;
        }
        rate = rate(nowMs);
        refill(nowNs);
        if (budgetBytes < 0)
        {
            maybePublish(nowNs);
            return 0;
        }
        final ChunkId id = pass[next++];
        final int length = chunks.rawLength(id);
        if (length >= 0)
        {
            budgetBytes -= length;
            verify(id, length);
            passBytesDone += length;
        }
        if (nowNs - nextSaveNs >= 0)
        {
            nextSaveNs = nowNs + SAVE_INTERVAL_NS;
            save(id);
        }
        maybePublish(nowNs);
        return 1;
    }

    /**
     * @return where the scrub stands; any thread.
     */
    public ScrubStatus status()
    {
        return status;
    }

    /**
     * @return the rate the scrub ran at in its last duty cycle, bytes per second.
     */
    public long rate()
    {
        return rate;
    }

    private void verify(final ChunkId id, final int length)
    {
        if (scratch.length < length)
        {
            scratch = new byte[length];
        }
        try
        {
            if (chunks.verify(id, scratch, codec) != null)
            {
                counters.increment(NodeCounter.SCRUB_CORRUPT_FOUND);
                found.offer(id);
            }
        }
        catch (final IOException ex)
        {
            errorHandler.onError(new IOException("scrub could not quarantine chunk " + id.toHex(), ex));
        }
        counters.increment(NodeCounter.SCRUB_CHUNKS_VERIFIED);
        counters.add(NodeCounter.SCRUB_BYTES_VERIFIED, length);
    }

    private void startPass(final long nowMs)
    {
        final List<ChunkId> held = new ArrayList<>(chunks.size());
        chunks.forEachChunk(held::add);
        pass = held.toArray(new ChunkId[0]);
        Arrays.sort(pass);
        passChunks = pass.length;
        passBytes = 0;
        passBytesDone = 0;
        next = 0;
        final ScrubProgress resumed = resumeFrom;
        resumeFrom = null;
        if (resumed != null && resumed.passStartMs() <= nowMs)
        {
            passStartMs = resumed.passStartMs();
            previousPassStartMs = resumed.previousPassStartMs();
            if (resumed.cursor() != null)
            {
                final int at = Arrays.binarySearch(pass, resumed.cursor());
                next = at >= 0 ? at + 1 : -at - 1;
            }
        }
        else
        {
            previousPassStartMs = passStartMs;
            passStartMs = nowMs;
        }
        for (int i = 0; i < pass.length; i++)
        {
            final long length = Math.max(0, chunks.rawLength(pass[i]));
            passBytes += length;
            if (i < next)
            {
                passBytesDone += length;
            }
        }
        publish();
    }

    private void finishPass()
    {
        counters.increment(NodeCounter.SCRUB_PASSES);
        nextPassNotBeforeMs = passStartMs + TimeUnit.NANOSECONDS.toMillis(context.periodNs() / 2);
        save(pass.length == 0 ? null : pass[pass.length - 1]);
        pass = null;
        publish();
    }

    /**
     * @return bytes per second: what is left of the pass over the time left to its deadline, backed off while
     * requests are slow.
     */
    private long rate(final long nowMs)
    {
        final long deadlineMs = passStartMs + TimeUnit.NANOSECONDS.toMillis(context.periodNs() / 2);
        final long leftMs = deadlineMs - nowMs;
        final long remaining = passBytes - passBytesDone;
        long target = context.maxBandwidth();
        if (leftMs > 0)
        {
            target = Math.min(target, Math.max(MIN_RATE, (long)Math.ceil(remaining * 1000.0 / leftMs)));
        }
        final long service = serviceTimeNs.getAsLong();
        if (service > context.latencyTargetNs())
        {
            target = Math.max(target / MAX_BACK_OFF, (long)((double)target * context.latencyTargetNs() / service));
        }
        return Math.max(1, target);
    }

    private void refill(final long nowNs)
    {
        final long elapsedNs = nowNs - lastRefillNs;
        lastRefillNs = nowNs;
        if (elapsedNs > 0)
        {
            final double perNs = rate / (double)TimeUnit.SECONDS.toNanos(1);
            budgetBytes = Math.min(budgetBytes + elapsedNs * perNs, BURST_NS * perNs);
        }
    }

    private void save(final ChunkId cursor)
    {
        try
        {
            new ScrubProgress(passStartMs, previousPassStartMs, next, cursor).write(directory);
        }
        catch (final IOException ex)
        {
            errorHandler.onError(ex);
        }
    }

    private void maybePublish(final long nowNs)
    {
        if (nowNs - nextPublishNs >= 0)
        {
            nextPublishNs = nowNs + PUBLISH_INTERVAL_NS;
            publish();
        }
    }

    private void publish()
    {
        final boolean running = pass != null && next < pass.length;
        final long since = running && previousPassStartMs != ScrubProgressDescriptor.NONE ?
            previousPassStartMs : passStartMs;
        status = new ScrubStatus(passChunks, pass == null ? passChunks : next, since, rate);
    }
}

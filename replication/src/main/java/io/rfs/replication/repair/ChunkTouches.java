package io.rfs.replication.repair;

import io.rfs.store.chunk.ChunkId;
import org.agrona.collections.Long2LongHashMap;

import java.util.concurrent.ThreadLocalRandom;

/**
 * When this node last stored, or was asked to store, each chunk it holds, on its own clock: what lets the leader's
 * reclaim of unreferenced chunks spare a put in progress. A put writes its chunks before its manifest, and, chunks
 * being content-addressed, a new file may consist of chunks that are held already and referenced by nothing; so a
 * put of a chunk held already (answered {@code ALREADY_HAD}) refreshes the time as a write does.
 * <p>
 * <b>Memory.</b> Keyed by the id's first 8 bytes in an Agrona {@link Long2LongHashMap}: two longs per chunk touched
 * since the node opened, no objects. Two ids sharing a prefix share a time, which can only make one look touched
 * later than it was (its reclaim waits longer). A chunk not touched since the node opened counts as touched at
 * opening: after a restart every held chunk waits one more grace period, which is safe.
 * <p>
 * <b>Clock instance.</b> Times are of the node's monotonic clock, which starts elsewhere in every process; a random
 * {@link #clockInstance()} drawn here names this run, so that a time handed back after a restart is recognised as
 * meaningless instead of compared.
 * <p>
 * <b>Threads.</b> The storage agent's thread only (puts, candidate listings and drops are all served there, so a
 * drop ordered after a listing sees every put the node took in between).
 */
public final class ChunkTouches
{
    private static final long NONE = Long.MIN_VALUE;

    private final Long2LongHashMap touchedNs = new Long2LongHashMap(1024, 0.65f, NONE);
    private final long openedNs;
    private final long clockInstance;

    /**
     * @param openedNs the node clock's reading when the store was opened.
     */
    public ChunkTouches(final long openedNs)
    {
        this(openedNs, ThreadLocalRandom.current().nextLong());
    }

    /**
     * @param openedNs      the node clock's reading when the store was opened.
     * @param clockInstance names this run of the clock (tests give their own).
     */
    public ChunkTouches(final long openedNs, final long clockInstance)
    {
        this.openedNs = openedNs;
        this.clockInstance = clockInstance;
    }

    /**
     * @return the number naming this run of the node's clock.
     */
    public long clockInstance()
    {
        return clockInstance;
    }

    /**
     * Records that a put stored the chunk, or asked to store it and found it held.
     *
     * @param id    the chunk.
     * @param nowNs the node clock's reading.
     */
    public void touch(final ChunkId id, final long nowNs)
    {
        touchedNs.put(id.prefix(), nowNs);
    }

    /**
     * @param id a chunk.
     * @return when it was last touched, at the earliest when the store was opened.
     */
    public long lastTouchedNs(final ChunkId id)
    {
        final long at = touchedNs.get(id.prefix());
        return at == NONE ? openedNs : Math.max(at, openedNs);
    }

    /**
     * @param id      a chunk.
     * @param nowNs   the node clock's reading.
     * @param graceNs the grace period.
     * @return true if the chunk was last touched more than {@code graceNs} before {@code nowNs}.
     */
    public boolean isIdle(final ChunkId id, final long nowNs, final long graceNs)
    {
        return nowNs - lastTouchedNs(id) > graceNs;
    }

    /**
     * @param id            a chunk.
     * @param sinceNs       a reading of the node's clock, from a candidate listing.
     * @param clockInstance the clock instance that listing named.
     * @return true only if the reading is of this run of the clock and the chunk was last touched before it.
     */
    public boolean isUntouchedSince(final ChunkId id, final long sinceNs, final long clockInstance)
    {
        return clockInstance == this.clockInstance && lastTouchedNs(id) - sinceNs < 0;
    }

    /**
     * Forgets a chunk that is no longer held (it is touched again if a put stores it anew), so that the map holds
     * only chunks held. An id sharing its prefix loses its own time with it and counts as touched at opening: a
     * chance of about one in 2^64 per pair, taken for bounded memory.
     *
     * @param id the chunk.
     */
    public void forget(final ChunkId id)
    {
        touchedNs.remove(id.prefix());
    }

    /**
     * @return chunks with a time of their own (touched since the store was opened).
     */
    public int size()
    {
        return touchedNs.size();
    }
}

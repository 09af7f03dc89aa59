package io.rfs.gateway;

import io.rfs.replication.client.ChunkCache;
import io.rfs.replication.http.PrometheusText;
import io.rfs.store.chunk.ChunkId;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The gateway's cache of hot chunks, as a caching reverse proxy keeps hot responses: verified chunk bytes, least
 * recently used evicted first, at most {@link #capacityBytes()} of them. Chunks are content-addressed, so an entry
 * is never stale and nothing invalidates it; an object rewritten gets new chunk ids, and its old chunks simply age
 * out. Only the chunk bytes are cached, never manifests: every get still reads the object's current version from a
 * quorum, so a cached gateway reads its writes exactly as an uncached one does.
 * <p>
 * <b>Threads.</b> Thread-safe: request threads read and offer at once under one lock, held only to look up or link
 * an entry, while the bytes are copied outside it (an entry's array is never written after it is made).
 */
public final class HotChunkCache implements ChunkCache
{
    private final long capacityBytes;
    private final LinkedHashMap<ChunkId, byte[]> entries = new LinkedHashMap<>(64, 0.75f, true);
    private long sizeBytes;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder hitBytes = new LongAdder();
    private final LongAdder evictions = new LongAdder();

    /**
     * @param capacityBytes the most chunk bytes kept; 0 keeps none (every read misses).
     */
    public HotChunkCache(final long capacityBytes)
    {
        if (capacityBytes < 0)
        {
            throw new IllegalArgumentException("capacityBytes=" + capacityBytes + " must not be negative");
        }
        this.capacityBytes = capacityBytes;
    }

    /**
     * @return the most chunk bytes kept.
     */
    public long capacityBytes()
    {
        return capacityBytes;
    }

    @Override
    public boolean read(final ChunkId id, final int length, final byte[] target)
    {
        final byte[] bytes;
        synchronized (this)
        {
            bytes = entries.get(id);
        }
        if (bytes == null || bytes.length != length)
        {
            misses.increment();
            return false;
        }
        System.arraycopy(bytes, 0, target, 0, length);
        hits.increment();
        hitBytes.add(length);
        return true;
    }

    @Override
    public void offer(final ChunkId id, final byte[] raw, final int length)
    {
        if (length > capacityBytes)
        {
            return;
        }
        synchronized (this)
        {
            if (entries.containsKey(id))
            {
                return;
            }
        }
        final byte[] copy = new byte[length];
        System.arraycopy(raw, 0, copy, 0, length);
        synchronized (this)
        {
            if (entries.putIfAbsent(id, copy) != null)
            {
                return;
            }
            sizeBytes += length;
            final Iterator<Map.Entry<ChunkId, byte[]>> eldest = entries.entrySet().iterator();
            while (sizeBytes > capacityBytes)
            {
                sizeBytes -= eldest.next().getValue().length;
                eldest.remove();
                evictions.increment();
            }
        }
    }

    /**
     * @return reads answered from the cache.
     */
    public long hits()
    {
        return hits.sum();
    }

    /**
     * @return reads that had to fetch.
     */
    public long misses()
    {
        return misses.sum();
    }

    /**
     * @return chunk bytes held now.
     */
    public synchronized long sizeBytes()
    {
        return sizeBytes;
    }

    /**
     * @return chunks held now.
     */
    public synchronized int chunks()
    {
        return entries.size();
    }

    void write(final PrometheusText text)
    {
        final long hitCount = hits.sum();
        final long missCount = misses.sum();
        text.family("rfs_gateway_chunk_cache_hits_total", "counter", "Chunk reads answered by the gateway's cache.")
            .sample("rfs_gateway_chunk_cache_hits_total", hitCount);
        text.family("rfs_gateway_chunk_cache_misses_total", "counter", "Chunk reads the gateway fetched from nodes.")
            .sample("rfs_gateway_chunk_cache_misses_total", missCount);
        text.family("rfs_gateway_chunk_cache_hit_ratio", "gauge", "Hits over reads since the gateway started.")
            .sample("rfs_gateway_chunk_cache_hit_ratio",
                hitCount + missCount == 0 ? 0 : (double)hitCount / (hitCount + missCount));
        text.family("rfs_gateway_chunk_cache_hit_bytes_total", "counter", "Chunk bytes served from the cache.")
            .sample("rfs_gateway_chunk_cache_hit_bytes_total", hitBytes.sum());
        text.family("rfs_gateway_chunk_cache_evictions_total", "counter", "Chunks evicted to stay within capacity.")
            .sample("rfs_gateway_chunk_cache_evictions_total", evictions.sum());
        text.family("rfs_gateway_chunk_cache_bytes", "gauge", "Chunk bytes held.")
            .sample("rfs_gateway_chunk_cache_bytes", sizeBytes());
        text.family("rfs_gateway_chunk_cache_capacity_bytes", "gauge", "The most chunk bytes held.")
            .sample("rfs_gateway_chunk_cache_capacity_bytes", capacityBytes);
    }
}

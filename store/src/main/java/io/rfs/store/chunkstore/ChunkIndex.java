package io.rfs.store.chunkstore;

import io.rfs.store.chunk.ChunkId;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.LongLongConsumer;

import java.util.HashMap;
import java.util.Map;

/**
 * Where each chunk lives: chunk id to record location.
 * <p>
 * Keyed by the id's first 8 bytes in an Agrona {@link Long2LongHashMap}, so millions of entries cost two longs
 * each and no objects. Two ids that share a prefix are possible (SHA-256 makes it rare by chance, not by
 * malice), so every hit is confirmed against the full id stored in the record's header, through the
 * {@code keyAt} function; a colliding id goes to a small overflow map. Not thread safe: the owner locks.
 */
final class ChunkIndex
{
    static final long MISSING = -1L;

    private final Long2LongHashMap byPrefix = new Long2LongHashMap(1024, 0.65f, MISSING);
    private final Map<ChunkId, Long> overflow = new HashMap<>();
    private final KeyReader keyReader;

    /**
     * Reads the full id of the record at a location, to confirm a prefix hit.
     */
    @FunctionalInterface
    interface KeyReader
    {
        boolean keyMatches(long location, ChunkId id);
    }

    ChunkIndex(final KeyReader keyReader)
    {
        this.keyReader = keyReader;
    }

    /**
     * @param id a chunk id.
     * @return its location, or {@link #MISSING}.
     */
    long get(final ChunkId id)
    {
        final long location = byPrefix.get(id.prefix());
        if (location == MISSING)
        {
            return MISSING;
        }
        if (keyReader.keyMatches(location, id))
        {
            return location;
        }
        final Long other = overflow.get(id);
        return other == null ? MISSING : other;
    }

    /**
     * Records (or moves) a chunk's location.
     *
     * @param id       the chunk.
     * @param location where it now is.
     */
    void put(final ChunkId id, final long location)
    {
        final long existing = byPrefix.get(id.prefix());
        if (existing == MISSING || keyReader.keyMatches(existing, id))
        {
            byPrefix.put(id.prefix(), location);
        }
        else
        {
            overflow.put(id, location);
        }
    }

    /**
     * Forgets a chunk. If another id with the same prefix waits in the overflow map, it takes the freed slot.
     *
     * @param id a chunk to forget.
     */
    void remove(final ChunkId id)
    {
        final long existing = byPrefix.get(id.prefix());
        if (existing == MISSING)
        {
            return;
        }
        if (keyReader.keyMatches(existing, id))
        {
            byPrefix.remove(id.prefix());
            for (final Map.Entry<ChunkId, Long> entry : overflow.entrySet())
            {
                if (entry.getKey().prefix() == id.prefix())
                {
                    byPrefix.put(id.prefix(), entry.getValue().longValue());
                    overflow.remove(entry.getKey());
                    break;
                }
            }
        }
        else
        {
            overflow.remove(id);
        }
    }

    int size()
    {
        return byPrefix.size() + overflow.size();
    }

    /**
     * @param consumer receives (prefix, location) of every entry, overflow included.
     */
    void forEach(final LongLongConsumer consumer)
    {
        byPrefix.forEachLong(consumer);
        for (final Map.Entry<ChunkId, Long> entry : overflow.entrySet())
        {
            consumer.accept(entry.getKey().prefix(), entry.getValue());
        }
    }
}

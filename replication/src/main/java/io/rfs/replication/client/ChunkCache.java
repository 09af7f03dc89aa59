package io.rfs.replication.client;

import io.rfs.store.chunk.ChunkId;

/**
 * Chunks a client keeps in memory so that a get of a hot chunk skips the network. A chunk's id is the SHA-256 of
 * its bytes, so a cached chunk can never be stale and nothing is ever invalidated: only its bytes must be kept
 * intact, and the client offers only chunks it has verified.
 * <p>
 * <b>Threads.</b> Called by the user threads that run gets, many at once: implementations are thread-safe.
 */
public interface ChunkCache
{
    /** No cache: every chunk is fetched. */
    ChunkCache NONE = new ChunkCache()
    {
        @Override
        public boolean read(final ChunkId id, final int length, final byte[] target)
        {
            return false;
        }

        @Override
        public void offer(final ChunkId id, final byte[] raw, final int length)
        {
        }
    };

    /**
     * @param id     the chunk.
     * @param length its length, from the manifest.
     * @param target where to copy its bytes, from index 0; at least {@code length} long.
     * @return true if it was cached and is now in {@code target}.
     */
    boolean read(ChunkId id, int length, byte[] target);

    /**
     * A verified chunk the cache may keep (it copies what it keeps: {@code raw} is reused after the call).
     *
     * @param id     the chunk.
     * @param raw    its verified, uncompressed bytes.
     * @param length how many of them.
     */
    void offer(ChunkId id, byte[] raw, int length);
}

package io.rfs.store.chunkstore;

import io.rfs.store.chunk.ChunkId;

/**
 * Told of every change to the set of chunks a {@link ChunkStore} holds: each id that becomes held and each that stops
 * being held, exactly once per change, so that a summary kept beside the store (a node's per-range digests of its
 * chunk ids) stays equal to one computed from scratch. Moves of a held chunk (compaction) are not changes.
 * <p>
 * Called with the store's index lock held, on the thread that changed the store; implementations must be quick and
 * must not call back into the store.
 */
public interface ChunkIndexListener
{
    /** Tells nothing. */
    ChunkIndexListener NONE = new ChunkIndexListener()
    {
        @Override
        public void onChunkAdded(final ChunkId id)
        {
        }

        @Override
        public void onChunkRemoved(final ChunkId id, final boolean quarantined)
        {
        }
    };

    /**
     * @param id a chunk now held that was not.
     */
    void onChunkAdded(ChunkId id);

    /**
     * @param id          a chunk no longer held.
     * @param quarantined true if it was dropped because its stored copy failed verification, false if it was dropped
     *                    on purpose ({@link ChunkStore#drop}) or by compaction as unreferenced.
     */
    void onChunkRemoved(ChunkId id, boolean quarantined);
}

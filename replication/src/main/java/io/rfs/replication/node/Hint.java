package io.rfs.replication.node;

import io.rfs.store.chunk.ChunkId;

/**
 * One undelivered hint: this node holds a chunk or a manifest for {@link #target()}, an owner that could not be
 * reached when it was written, and must hand it over. Immutable; identified by its record's location in the hint
 * log.
 *
 * @param location         the hint record's location in the hint log.
 * @param target           the owner to hand it to.
 * @param kind             {@link HintDescriptor#KIND_CHUNK} or {@link HintDescriptor#KIND_MANIFEST}.
 * @param key              the chunk id, or SHA-256 of the manifest's name.
 * @param name             the manifest's name; null for a chunk.
 * @param versionTimestamp the hinted manifest version's timestamp; 0 for a chunk.
 * @param versionNodeId    the hinted manifest version's node id; 0 for a chunk.
 */
record Hint(
    long location, int target, byte kind, ChunkId key, String name, long versionTimestamp, int versionNodeId)
{
    boolean isChunk()
    {
        return kind == HintDescriptor.KIND_CHUNK;
    }

    /**
     * @return what identifies the hint's work: a second hint with the same key adds nothing.
     */
    Key dedupKey()
    {
        return new Key(target, kind, key);
    }

    /**
     * @param target the owner.
     * @param kind   chunk or manifest.
     * @param key    the record key.
     */
    record Key(int target, byte kind, ChunkId key)
    {
    }
}

package io.rfs.replication.repair;

import io.rfs.store.chunk.ChunkId;

import java.util.Arrays;

/**
 * Told by the {@link RepairScheduler} of what needs a person: a chunk no replica holds a sound copy of.
 */
@FunctionalInterface
public interface RepairListener
{
    /** Writes one line to standard error per unrecoverable chunk. */
    RepairListener LOG = (id, replicas) -> System.err.println("rfs repair: chunk " + id.toHex() +
        " is corrupt or missing on every replica " + Arrays.toString(replicas) + ": unrecoverable, not copied");

    /**
     * Called once per chunk and leader term.
     *
     * @param id       the chunk: quarantined (failed verification) on at least one replica and held by none.
     * @param replicas the replicas asked.
     */
    void onUnrecoverable(ChunkId id, int[] replicas);
}

package io.rfs.store.write;

import io.rfs.store.chunk.ChunkId;
import io.rfs.store.chunkstore.ChunkCodec;

import java.io.IOException;

/**
 * Where the write path sends each chunk once it is hashed: the local chunk store on a single node, the replicas
 * in a cluster.
 */
public interface ChunkSink
{
    /**
     * Takes a chunk. Called from worker threads, concurrently. Need not be durable until {@link #force()}.
     *
     * @param id     the chunk's id.
     * @param raw    its bytes; valid only during the call.
     * @param length how many.
     * @param codec  the calling thread's codec, for compression.
     * @throws IOException if the chunk cannot be taken.
     */
    void accept(ChunkId id, byte[] raw, int length, ChunkCodec codec) throws IOException;

    /**
     * Makes every chunk accepted before this call durable.
     *
     * @throws IOException if that fails.
     */
    void force() throws IOException;
}

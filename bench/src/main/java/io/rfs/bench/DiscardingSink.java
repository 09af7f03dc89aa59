package io.rfs.bench;

import io.rfs.store.chunk.ChunkId;
import io.rfs.store.chunkstore.ChunkCodec;
import io.rfs.store.write.ChunkSink;

/**
 * A sink that keeps nothing, so that a benchmark of the put pipeline measures the chunk path alone.
 */
final class DiscardingSink implements ChunkSink
{
    @Override
    public void accept(final ChunkId id, final byte[] raw, final int length, final ChunkCodec codec)
    {
    }

    @Override
    public void force()
    {
    }
}

package io.rfs.store.write;

import io.rfs.store.chunk.Chunker;

import java.io.IOException;
import java.io.InputStream;

/**
 * The chunks of a stream. A stream can only be read in order, so the workers take turns: a worker cuts the next
 * chunk into its own buffer under a lock, then hashes it outside the lock while another worker reads. The copy that
 * {@link InputStream#read(byte[], int, int)} makes thus lands in the cache of the core that hashes it, instead of
 * being made by a reader thread on one core and read back from another.
 */
final class StreamChunkSource implements ChunkSource
{
    private final InputStream in;
    private final Chunker chunker;
    private int nextSequence;
    private boolean ended;
    private volatile int chunkCount = -1;

    /**
     * @param in      the stream; read only under this source's lock.
     * @param chunker cuts it.
     */
    StreamChunkSource(final InputStream in, final Chunker chunker)
    {
        this.in = in;
        this.chunker = chunker;
    }

    @Override
    public int chunkCount()
    {
        return chunkCount;
    }

    @Override
    public Reader newReader()
    {
        return new Reader()
        {
            @Override
            boolean next(final byte[] buffer) throws IOException
            {
                synchronized (StreamChunkSource.this)
                {
                    if (ended)
                    {
                        return false;
                    }
                    try
                    {
                        length = chunker.next(in, buffer);
                    }
                    catch (final IOException | RuntimeException ex)
                    {
                        ended = true; // a failed stream is not read again; the put fails with ex
                        throw ex;
                    }
                    if (length == 0)
                    {
                        ended = true;
                        chunkCount = nextSequence;
                        return false;
                    }
                    sequence = nextSequence++;
                }
                sha256.update(buffer, 0, length);
                completeId();
                return true;
            }
        };
    }
}

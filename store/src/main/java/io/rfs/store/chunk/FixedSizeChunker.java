package io.rfs.store.chunk;

import java.io.IOException;
import java.io.InputStream;

/**
 * Cuts a stream into chunks of exactly {@code size} bytes; only the last chunk may be shorter.
 * <p>
 * Reads straight into the caller's buffer and keeps no bytes between calls. An edit that shifts the data changes
 * every chunk after it; use {@link FastCdcChunker} where edited files should share chunks with their old versions.
 */
public final class FixedSizeChunker implements Chunker
{
    private final int size;
    private boolean isEndOfStream;

    /**
     * @param size bytes per chunk, within [{@link ChunkingPolicy#SMALLEST_CHUNK_SIZE},
     *             {@link ChunkingPolicy#LARGEST_CHUNK_SIZE}].
     * @throws IllegalArgumentException if {@code size} is out of bounds.
     */
    public FixedSizeChunker(final int size)
    {
        ChunkingPolicy.checkSize("size", size);
        this.size = size;
    }

    @Override
    public int next(final InputStream in, final byte[] dst) throws IOException
    {
        Streams.checkDestination(dst, size);

        int filled = 0;
        while (filled < size && !isEndOfStream)
        {
            final int read = Streams.read(in, dst, filled, size - filled);
            if (read < 0)
            {
                isEndOfStream = true;
            }
            else
            {
                filled += read;
            }
        }

        return filled;
    }

    @Override
    public int minChunkSize()
    {
        return size;
    }

    @Override
    public int maxChunkSize()
    {
        return size;
    }

    @Override
    public String toString()
    {
        return "FixedSizeChunker{size=" + size + '}';
    }
}

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
        int read;
        while ((read = read(in, dst, filled, size - filled)) > 0)
        {
            filled += read;
        }

        return filled;
    }

    /**
     * Reads part of the current chunk, for a caller that uses its bytes as they arrive (hashes them while they are
     * in the cache) rather than once the chunk is complete: reads at most {@code length} more bytes of it into
     * {@code dst}, after the {@code filled} bytes already read. The chunk is complete when {@code filled} reaches
     * {@link #maxChunkSize()} or this returns 0; the next call with {@code filled == 0} starts the next chunk.
     * Cuts the same chunks as {@link #next(InputStream, byte[])}, and the two may be mixed between chunks.
     *
     * @param in     the stream being chunked; the same stream on every call.
     * @param dst    the chunk; its length must be at least {@link #maxChunkSize()}.
     * @param filled bytes of the current chunk already in {@code dst[0..filled)}.
     * @param length most bytes to read, at least 1.
     * @return bytes read into {@code dst[filled..)}, at least 1; 0 if the chunk is complete or the stream has ended
     * (and on every later call, without reading {@code in} again).
     * @throws IOException              if {@code in} fails.
     * @throws IllegalArgumentException if {@code dst} is shorter than {@link #maxChunkSize()}.
     */
    public int read(final InputStream in, final byte[] dst, final int filled, final int length) throws IOException
    {
        Streams.checkDestination(dst, size);
        if (filled >= size || isEndOfStream)
        {
            return 0;
        }

        final int read = Streams.read(in, dst, filled, Math.min(length, size - filled));
        if (read < 0)
        {
            isEndOfStream = true;
            return 0;
        }

        return read;
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

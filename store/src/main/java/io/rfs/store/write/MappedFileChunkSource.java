package io.rfs.store.write;

import io.rfs.store.chunkstore.ChunkCodec;
import org.agrona.IoUtil;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The fixed-size chunks of a regular file, read through memory mappings. Every boundary follows from the file's
 * size, so no worker waits for another: each claims the next chunk index and copies that chunk out of its own
 * mapping of the file while hashing it ({@link ChunkCodec#copyAndHash}). Each worker maps at most
 * {@link #MAP_WINDOW_BYTES} of the file at a time (address space, not heap).
 */
final class MappedFileChunkSource implements ChunkSource
{
    /** Bytes of the file one worker maps at a time; a mapping covers many chunks, so maps and unmaps are rare. */
    static final long MAP_WINDOW_BYTES = 64L * 1024 * 1024;

    private final FileChannel file;
    private final long size;
    private final int chunkSize;
    private final int chunkCount;
    private final AtomicInteger nextChunk = new AtomicInteger();

    /**
     * @param file       the file, read from 0 to {@code size}.
     * @param size       its length when the put began, at least 1.
     * @param chunkSize  bytes per chunk; the last chunk may be shorter.
     * @param chunkCount {@code ceil(size / chunkSize)}.
     */
    MappedFileChunkSource(final FileChannel file, final long size, final int chunkSize, final int chunkCount)
    {
        this.file = file;
        this.size = size;
        this.chunkSize = chunkSize;
        this.chunkCount = chunkCount;
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
            private long start;
            private long end;
            private MappedByteBuffer mapped;

            @Override
            boolean next(final byte[] buffer, final ChunkCodec codec) throws IOException
            {
                final int chunk = nextChunk.getAndIncrement();
                if (chunk >= chunkCount)
                {
                    return false;
                }
                final long position = (long)chunk * chunkSize;
                sequence = chunk;
                length = (int)Math.min(chunkSize, size - position);
                cover(position, length);
                id = codec.copyAndHash(mapped, (int)(position - start), buffer, length);
                return true;
            }

            private void cover(final long position, final int length) throws IOException
            {
                if (mapped == null || position < start || position + length > end)
                {
                    close();
                    start = position;
                    end = Math.min(size, position + Math.max(MAP_WINDOW_BYTES, length));
                    mapped = file.map(FileChannel.MapMode.READ_ONLY, start, end - start);
                }
            }

            @Override
            public void close()
            {
                if (mapped != null)
                {
                    IoUtil.unmap(mapped);
                    mapped = null;
                }
            }
        };
    }
}

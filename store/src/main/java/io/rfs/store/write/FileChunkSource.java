package io.rfs.store.write;

import io.rfs.store.InvalidInputException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The fixed-size chunks of a regular file. Every boundary follows from the file's size, so no worker waits for
 * another: each claims the next chunk index and reads that chunk with positional reads, {@value #BLOCK_BYTES}
 * bytes at a time, hashing each block right after it lands, while it is still in the cache.
 * <p>
 * Why not a memory mapping, which saves the kernel's copy: if the file is truncated while it is mapped, the next
 * access to a page past the new end raises SIGBUS, which the JVM turns into an asynchronous {@link InternalError}
 * that can surface anywhere in the thread later (in a cleaner, it calls {@code System.exit}). A put must fail
 * cleanly when its input shrinks; a short read does. The mapping would save about 3% of the chunk work.
 */
final class FileChunkSource implements ChunkSource
{
    /** Bytes read and hashed at a time: large enough that the system call costs little, small enough to stay hot. */
    static final int BLOCK_BYTES = 64 * 1024;

    private final FileChannel file;
    private final long size;
    private final int chunkSize;
    private final int chunkCount;
    private final AtomicInteger nextChunk = new AtomicInteger();

    /**
     * @param file       the file, read from 0 to {@code size}; positional reads are safe from many threads.
     * @param size       its length when the put began, at least 1.
     * @param chunkSize  bytes per chunk; the last chunk may be shorter.
     * @param chunkCount {@code ceil(size / chunkSize)}.
     */
    FileChunkSource(final FileChannel file, final long size, final int chunkSize, final int chunkCount)
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
            @Override
            boolean next(final byte[] buffer) throws IOException
            {
                final int chunk = nextChunk.getAndIncrement();
                if (chunk >= chunkCount)
                {
                    return false;
                }
                final long position = (long)chunk * chunkSize;
                sequence = chunk;
                length = (int)Math.min(chunkSize, size - position);
                for (int done = 0; done < length; )
                {
                    final ByteBuffer block = ByteBuffer.wrap(buffer, done, Math.min(BLOCK_BYTES, length - done));
                    while (block.hasRemaining())
                    {
                        if (file.read(block, position + block.position()) < 0)
                        {
                            throw new InvalidInputException("the file shrank from " + size + " bytes to " +
                                file.size() + " while it was being stored");
                        }
                    }
                    sha256.update(buffer, done, block.position() - done);
                    done = block.position();
                }
                completeId();
                return true;
            }
        };
    }
}

package io.rfs.store.write;

import io.rfs.store.InvalidInputException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The fixed-size chunks of a regular file. Every boundary follows from the file's size, so no worker waits for
 * another: each claims the next chunk index and reads that chunk with positional reads, {@value #BLOCK_BYTES}
 * bytes at a time into a direct buffer, then copies each block into the chunk's buffer in small pieces, hashing each
 * piece right after it lands (the copy then runs in the hash's idle time, as on the stream road). Measured with
 * {@code ChunkHashingCpuTime 2 file} at load 19 to 23, interleaved: 0.71x-0.72x of the bare loop per core, against
 * 0.67x-0.68x when each block was read straight into the chunk's buffer (the JDK reads a heap buffer through a
 * temporary direct buffer of its own and copies it out in one go); with one worker 0.71x-0.72x against 0.69x-0.75x.
 * The kernel's copy out of the page cache stays, a system call per block that no piece size hides.
 * <p>
 * Why not a memory mapping, which saves the kernel's copy: if the file is truncated while it is mapped, the next
 * access to a page past the new end raises SIGBUS, which the JVM turns into an asynchronous {@link InternalError}
 * that can surface anywhere in the thread later (in a cleaner, it calls {@code System.exit}). A put must fail
 * cleanly when its input shrinks; a short read does. Nor would the mapping pay here: a fresh mapping takes a page
 * fault per 64 KiB, and copying pieces out of a new mapping and hashing them measured 0.85x-0.88x of the bare loop
 * in thread CPU time (0.96x-0.98x out of a mapping made once and reused, which a put cannot do).
 */
final class FileChunkSource implements ChunkSource
{
    /** Bytes read and hashed at a time: large enough that the system call costs little, small enough to stay hot. */
    static final int BLOCK_BYTES = 64 * 1024;
    /** Bytes copied out of a block and hashed at a time, as on the stream road ({@link FixedStreamChunkSource}). */
    private static final int PIECE_BYTES = FixedStreamChunkSource.PIECE_BYTES;
    /**
     * A worker's block, read into with positional reads: a direct buffer takes the kernel's copy as it is, where a
     * heap buffer would take it through the JDK's own temporary direct buffer and a second copy. Kept per thread
     * (workers are pool threads), as the JDK keeps that temporary buffer.
     */
    private static final ThreadLocal<ByteBuffer> BLOCKS =
        ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(BLOCK_BYTES));

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
                final ByteBuffer block = BLOCKS.get();
                for (int done = 0; done < length; )
                {
                    final int blockLength = Math.min(BLOCK_BYTES, length - done);
                    block.clear().limit(blockLength);
                    while (block.hasRemaining())
                    {
                        if (file.read(block, position + done + block.position()) < 0)
                        {
                            throw new InvalidInputException("the file shrank from " + size + " bytes to " +
                                file.size() + " while it was being stored");
                        }
                    }
                    for (int piece = 0; piece < blockLength; piece += PIECE_BYTES)
                    {
                        final int pieceLength = Math.min(PIECE_BYTES, blockLength - piece);
                        block.get(piece, buffer, done + piece, pieceLength);
                        sha256.update(buffer, done + piece, pieceLength);
                    }
                    done += blockLength;
                }
                completeId();
                return true;
            }
        };
    }
}

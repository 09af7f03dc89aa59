package io.rfs.store.chunkstore;

import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * A fixed set of chunk-sized arrays shared by a transfer's stages. Taking blocks when all are in use, which is
 * what bounds the number of chunks in flight and so the memory a transfer of any size needs.
 */
public final class BufferPool
{
    private final ArrayBlockingQueue<byte[]> free;

    /**
     * @param count      how many buffers.
     * @param bufferSize bytes each.
     */
    public BufferPool(final int count, final int bufferSize)
    {
        free = new ArrayBlockingQueue<>(count);
        for (int i = 0; i < count; i++)
        {
            free.add(new byte[bufferSize]);
        }
    }

    /**
     * @return a free buffer, waiting for one if needed.
     * @throws InterruptedIOException if interrupted while waiting.
     */
    public byte[] take() throws InterruptedIOException
    {
        try
        {
            return free.take();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting for a chunk buffer");
        }
    }

    /**
     * @param buffer a buffer taken from this pool, no longer used.
     */
    public void release(final byte[] buffer)
    {
        free.add(buffer);
    }
}

package io.rfs.store.chunkstore;

import java.io.InterruptedIOException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A fixed set of chunk-sized arrays shared by a transfer's stages. Taking blocks when all are in use, which is
 * what bounds the number of chunks in flight and so the memory a transfer of any size needs.
 * <p>
 * Last in, first out: the buffer released most recently, which is likely still in the releasing core's cache, is
 * the next one handed out, and a worker that takes and releases in a loop keeps reusing the same hot array instead
 * of cycling through all of them.
 */
public final class BufferPool
{
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition released = lock.newCondition();
    private final byte[][] free;
    private final int bufferSize;
    private int freeCount;

    /**
     * @param count      how many buffers.
     * @param bufferSize bytes each.
     */
    public BufferPool(final int count, final int bufferSize)
    {
        free = new byte[count][];
        for (int i = 0; i < count; i++)
        {
            free[i] = new byte[bufferSize];
        }
        this.bufferSize = bufferSize;
        freeCount = count;
    }

    /**
     * @return a free buffer, waiting for one if needed.
     * @throws InterruptedIOException if interrupted while waiting.
     */
    public byte[] take() throws InterruptedIOException
    {
        lock.lock();
        try
        {
            while (freeCount == 0)
            {
                released.await();
            }
            final byte[] buffer = free[--freeCount];
            free[freeCount] = null;
            return buffer;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting for a chunk buffer");
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * @param buffer a buffer taken from this pool, no longer used.
     * @throws IllegalStateException if more buffers are released than were taken.
     */
    public void release(final byte[] buffer)
    {
        lock.lock();
        try
        {
            if (freeCount == free.length)
            {
                throw new IllegalStateException("released more buffers than taken");
            }
            free[freeCount++] = buffer;
            released.signal();
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * @param count      buffers wanted.
     * @param bufferSize bytes each.
     * @return true if this pool has that shape and every buffer is back, so that it can serve another transfer.
     */
    public boolean isIdle(final int count, final int bufferSize)
    {
        lock.lock();
        try
        {
            return free.length == count && this.bufferSize == bufferSize && freeCount == count;
        }
        finally
        {
            lock.unlock();
        }
    }
}

package io.rfs.store.write;

import io.rfs.store.RfsException;
import io.rfs.store.TransferListener;
import io.rfs.store.chunk.ChunkId;
import io.rfs.store.chunkstore.BufferPool;
import io.rfs.store.chunkstore.ChunkCodec;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * One put's chunk work: workers pull chunks from a {@link ChunkSource}, each reading a chunk into a pooled buffer
 * and hashing it on its own core, and hand them to the sink; the calling thread does only what must be done in
 * order.
 * <p>
 * <b>Why workers read.</b> Getting bytes into a Java array costs a copy (from a stream, or the kernel's copy out of
 * the page cache), about a seventh of a SHA-256 pass when the source is not in the cache. A reader thread that
 * copies for the workers keeps that copy off the hashing cores only while a core is spare; with a worker per core
 * it competes with them, and the workers then hash from lines another core has just written. Copy and hash on the
 * same core cost the least in total, which is what bounds throughput once every core is busy.
 * <p>
 * <b>The whole-file SHA-256</b> must see every byte in order, so it stays on the calling thread: it digests each
 * chunk's buffer once its worker has filled it, in sequence, and only then returns the buffer to the pool. The file
 * digest therefore covers exactly the bytes the chunk ids name. Without a file digest, workers return their
 * buffers themselves and the calling thread only waits.
 * <p>
 * <b>Memory</b> stays bounded by the pool. A worker takes a buffer <i>before</i> it claims a chunk, so the lowest
 * chunk not yet digested always has a buffer (the pool cannot fill up with later chunks that wait for it), and
 * there are never more than {@code window} chunks between the lowest undigested and the highest claimed: chunk
 * {@code s} can use slot {@code s % window}.
 */
final class ParallelChunking
{
    private final ChunkSource source;
    private final ChunkSink sink;
    private final Supplier<ChunkCodec> codecs;
    private final BufferPool pool;
    private final int window;
    private final MessageDigest fileDigest;
    private final AtomicReferenceArray<byte[]> filled;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread caller = Thread.currentThread();
    private volatile boolean abandoned;
    private ChunkId[] ids = new ChunkId[64];
    private int[] lengths = new int[64];

    /**
     * @param source     the chunks.
     * @param sink       where they go.
     * @param codecs     gives a worker thread's codec.
     * @param pool       chunk buffers, all free.
     * @param window     how many buffers {@code pool} holds.
     * @param fileDigest fed every byte in order on the calling thread, or null.
     */
    ParallelChunking(
        final ChunkSource source,
        final ChunkSink sink,
        final Supplier<ChunkCodec> codecs,
        final BufferPool pool,
        final int window,
        final MessageDigest fileDigest)
    {
        this.source = source;
        this.sink = sink;
        this.codecs = codecs;
        this.pool = pool;
        this.window = window;
        this.fileDigest = fileDigest;
        this.filled = fileDigest != null ? new AtomicReferenceArray<>(window) : null;
    }

    /**
     * Runs the put on {@code tasks} workers and the calling thread; returns once no worker touches its state.
     *
     * @param workers  the pool to run on.
     * @param tasks    worker tasks to submit, at least 1.
     * @param listener progress, called on this thread.
     * @return the chunks, in order.
     * @throws IOException the first failure of a worker or of this thread.
     */
    ChunkList run(final ExecutorService workers, final int tasks, final TransferListener listener)
        throws IOException
    {
        final CountDownLatch finished = new CountDownLatch(tasks);
        boolean done = false;
        try
        {
            for (int i = 0; i < tasks; i++)
            {
                try
                {
                    workers.execute(() -> work(finished));
                }
                catch (final RejectedExecutionException ex)
                {
                    finished.countDown();
                    fail(ex);
                }
            }
            if (fileDigest != null)
            {
                digestInOrder(listener);
            }
            awaitWorkers(finished);
            throwFailure();
            final int count = source.chunkCount();
            final ChunkList chunks;
            synchronized (this)
            {
                long size = 0;
                for (int i = 0; i < count; i++)
                {
                    size += lengths[i];
                }
                chunks = new ChunkList(Arrays.copyOf(ids, count), Arrays.copyOf(lengths, count), size);
            }
            if (fileDigest == null)
            {
                listener.onProgress(chunks.size());
            }
            done = true;
            return chunks;
        }
        finally
        {
            if (!done)
            {
                abandon(finished);
            }
        }
    }

    private void digestInOrder(final TransferListener listener) throws IOException
    {
        for (int sequence = 0; ; sequence++)
        {
            byte[] buffer;
            while ((buffer = filled.getAndSet(sequence % window, null)) == null)
            {
                final int count = source.chunkCount();
                if (count >= 0 && sequence >= count)
                {
                    return;
                }
                throwFailure();
                LockSupport.park(this);
                if (Thread.interrupted())
                {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("put interrupted");
                }
            }
            final int length = length(sequence);
            try
            {
                fileDigest.update(buffer, 0, length);
            }
            finally
            {
                pool.release(buffer);
            }
            listener.onProgress(length);
        }
    }

    private void awaitWorkers(final CountDownLatch finished) throws IOException
    {
        try
        {
            finished.await();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("put interrupted");
        }
    }

    /**
     * Stops the workers and waits, uninterruptibly, until none runs: buffers filled for the calling thread go back
     * to the pool, so a worker blocked taking one wakes up, sees the put abandoned and leaves.
     */
    private void abandon(final CountDownLatch finished)
    {
        abandoned = true;
        boolean interrupted = Thread.interrupted();
        while (true)
        {
            releaseFilled();
            if (finished.getCount() == 0)
            {
                break;
            }
            LockSupport.parkNanos(this, 1_000_000L);
            interrupted |= Thread.interrupted();
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
    }

    private void releaseFilled()
    {
        if (filled != null)
        {
            for (int i = 0; i < window; i++)
            {
                final byte[] buffer = filled.getAndSet(i, null);
                if (buffer != null)
                {
                    pool.release(buffer);
                }
            }
        }
    }

    private void work(final CountDownLatch finished)
    {
        try (ChunkSource.Reader reader = source.newReader())
        {
            final ChunkCodec codec = codecs.get();
            while (!abandoned && failure.get() == null)
            {
                // Take before claiming: the lowest unfinished chunk then always has a buffer (see class comment).
                final byte[] buffer = pool.take();
                boolean handedOver = false;
                try
                {
                    if (abandoned || !reader.next(buffer))
                    {
                        break;
                    }
                    sink.accept(reader.id, buffer, reader.length, codec);
                    record(reader.sequence, reader.id, reader.length);
                    if (filled != null)
                    {
                        filled.set(reader.sequence % window, buffer);
                        handedOver = true;
                        LockSupport.unpark(caller);
                        if (abandoned)
                        {
                            // The caller may have swept the slots already; whoever takes the buffer back releases it.
                            final byte[] back = filled.getAndSet(reader.sequence % window, null);
                            if (back != null)
                            {
                                pool.release(back);
                            }
                        }
                    }
                }
                finally
                {
                    if (!handedOver)
                    {
                        pool.release(buffer);
                    }
                }
            }
        }
        catch (final Throwable ex)
        {
            fail(ex);
        }
        finally
        {
            finished.countDown();
            LockSupport.unpark(caller);
        }
    }

    private synchronized void record(final int sequence, final ChunkId id, final int length)
    {
        if (sequence >= ids.length)
        {
            final int capacity = Math.max(sequence + 1, ids.length * 2);
            ids = Arrays.copyOf(ids, capacity);
            lengths = Arrays.copyOf(lengths, capacity);
        }
        ids[sequence] = id;
        lengths[sequence] = length;
    }

    private synchronized int length(final int sequence)
    {
        return lengths[sequence];
    }

    private void fail(final Throwable ex)
    {
        failure.compareAndSet(null, ex);
        LockSupport.unpark(caller);
    }

    private void throwFailure() throws IOException
    {
        final Throwable ex = failure.get();
        if (ex == null)
        {
            return;
        }
        if (ex instanceof IOException)
        {
            throw (IOException)ex;
        }
        if (ex instanceof RuntimeException)
        {
            throw (RuntimeException)ex;
        }
        if (ex instanceof Error)
        {
            throw (Error)ex;
        }
        throw new RfsException("chunk write failed", ex);
    }
}

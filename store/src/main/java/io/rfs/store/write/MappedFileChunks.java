package io.rfs.store.write;

import io.rfs.store.InvalidInputException;
import io.rfs.store.RfsException;
import io.rfs.store.TransferListener;
import io.rfs.store.chunk.ChunkId;
import io.rfs.store.chunkstore.BufferPool;
import io.rfs.store.chunkstore.ChunkCodec;
import org.agrona.IoUtil;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * One put of a regular file in fixed-size chunks, read through memory mappings instead of a stream.
 * <p>
 * With fixed-size chunks every boundary is known from the file's size, so no thread has to read the file in order
 * just to cut it. Each worker claims the next chunk index, copies that chunk out of its own mapping of the file
 * into a pooled buffer and hashes it in the same pass ({@link ChunkCodec#copyAndHash}), and hands it to the sink:
 * the reading, the copy and the chunk hashing all scale with the workers, and nothing is copied by a thread that
 * the others wait for.
 * <p>
 * The whole-file SHA-256 must see every byte in order, so it stays on the calling thread, which digests each
 * chunk's buffer once its worker has filled it, in chunk order, and only then returns the buffer to the pool. The
 * file digest therefore covers exactly the bytes the chunk ids name, even if the file is changed during the put.
 * Without a file digest, workers return their buffers themselves and the calling thread only waits.
 * <p>
 * Memory stays bounded: a worker takes a buffer before it claims a chunk (so the chunk the calling thread waits for
 * always has one, and the pool cannot fill with later chunks and deadlock), the pool holds the window of buffers,
 * and each worker maps at most {@link #MAP_WINDOW_BYTES} of the file at a time (address space, not heap).
 */
final class MappedFileChunks
{
    /** Bytes of the file one worker maps at a time; a mapping covers many chunks, so maps and unmaps are rare. */
    static final long MAP_WINDOW_BYTES = 64L * 1024 * 1024;

    private final FileChannel file;
    private final long size;
    private final int chunkSize;
    private final int chunkCount;
    private final ChunkSink sink;
    private final Supplier<ChunkCodec> codecs;
    private final BufferPool pool;
    private final MessageDigest fileDigest;
    private final ChunkId[] ids;
    private final AtomicReferenceArray<byte[]> filled;
    private final AtomicInteger nextChunk = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread caller = Thread.currentThread();
    private volatile boolean abandoned;

    /**
     * @param file       the file, read from 0 to {@code size}.
     * @param size       its length when the put began, at least 1.
     * @param chunkSize  bytes per chunk; the last chunk may be shorter.
     * @param chunkCount {@code ceil(size / chunkSize)}.
     * @param sink       where chunks go.
     * @param codecs     gives a worker thread's codec.
     * @param pool       chunk buffers, all free, of {@code chunkSize} bytes; their number bounds the chunks in flight.
     * @param fileDigest fed every byte in order on the calling thread, or null.
     */
    MappedFileChunks(
        final FileChannel file,
        final long size,
        final int chunkSize,
        final int chunkCount,
        final ChunkSink sink,
        final Supplier<ChunkCodec> codecs,
        final BufferPool pool,
        final MessageDigest fileDigest)
    {
        this.file = file;
        this.size = size;
        this.chunkSize = chunkSize;
        this.chunkCount = chunkCount;
        this.sink = sink;
        this.codecs = codecs;
        this.pool = pool;
        this.fileDigest = fileDigest;
        this.ids = new ChunkId[chunkCount];
        this.filled = fileDigest != null ? new AtomicReferenceArray<>(chunkCount) : null;
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
            if (fileDigest == null)
            {
                listener.onProgress(size);
            }
            done = true;
            final int[] lengths = new int[chunkCount];
            Arrays.fill(lengths, chunkSize);
            lengths[chunkCount - 1] = (int)(size - (long)(chunkCount - 1) * chunkSize);
            return new ChunkList(ids, lengths, size);
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
        for (int i = 0; i < chunkCount; i++)
        {
            byte[] buffer;
            while ((buffer = filled.getAndSet(i, null)) == null)
            {
                throwFailure();
                LockSupport.park(this);
                if (Thread.interrupted())
                {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("put interrupted");
                }
            }
            final int length = length(i);
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
        while (finished.getCount() > 0)
        {
            throwFailure();
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
            for (int i = 0; i < chunkCount; i++)
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
        final Window window = new Window();
        try
        {
            final ChunkCodec codec = codecs.get();
            while (!abandoned && failure.get() == null)
            {
                // Take before claiming: the lowest unfinished chunk then always has a buffer (see class comment).
                final byte[] buffer = pool.take();
                final int chunk = abandoned ? chunkCount : nextChunk.getAndIncrement();
                if (chunk >= chunkCount)
                {
                    pool.release(buffer);
                    break;
                }
                storeChunk(chunk, buffer, codec, window);
            }
        }
        catch (final Throwable ex)
        {
            fail(ex);
        }
        finally
        {
            window.close();
            finished.countDown();
            LockSupport.unpark(caller);
        }
    }

    private void storeChunk(final int chunk, final byte[] buffer, final ChunkCodec codec, final Window window)
        throws IOException
    {
        boolean handedOver = false;
        try
        {
            final long position = (long)chunk * chunkSize;
            final int length = length(chunk);
            final MappedByteBuffer mapped = window.cover(position, length);
            final ChunkId id = codec.copyAndHash(mapped, (int)(position - window.start), buffer, length);
            sink.accept(id, buffer, length, codec);
            ids[chunk] = id;
            if (filled != null)
            {
                filled.set(chunk, buffer);
                handedOver = true;
                LockSupport.unpark(caller);
                if (abandoned)
                {
                    // The caller may have swept the slots already; whoever takes the buffer back releases it.
                    final byte[] mine = filled.getAndSet(chunk, null);
                    if (mine != null)
                    {
                        pool.release(mine);
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

    private int length(final int chunk)
    {
        return (int)Math.min(chunkSize, size - (long)chunk * chunkSize);
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
        if (ex instanceof InternalError)
        {
            // What the JVM raises for a SIGBUS on a mapping: the file was truncated under us.
            throw new InvalidInputException(
                "the file could not be read through its mapping; was it truncated during the put? " +
                ex.getMessage());
        }
        if (ex instanceof Error)
        {
            throw (Error)ex;
        }
        throw new RfsException("chunk write failed", ex);
    }

    /**
     * One worker's current mapping of part of the file.
     */
    private final class Window
    {
        private long start;
        private long end;
        private MappedByteBuffer buffer;

        MappedByteBuffer cover(final long position, final int length) throws IOException
        {
            if (buffer == null || position < start || position + length > end)
            {
                close();
                start = position;
                end = Math.min(size, position + Math.max(MAP_WINDOW_BYTES, length));
                buffer = file.map(FileChannel.MapMode.READ_ONLY, start, end - start);
            }
            return buffer;
        }

        void close()
        {
            if (buffer != null)
            {
                IoUtil.unmap(buffer);
                buffer = null;
            }
        }
    }
}

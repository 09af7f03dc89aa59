package io.rfs.store.read;

import io.rfs.store.RfsException;
import io.rfs.store.chunkstore.BufferPool;
import io.rfs.store.chunkstore.ChunkCodec;
import io.rfs.store.chunkstore.ChunkStore;
import io.rfs.store.chunkstore.ChunkTasks;
import io.rfs.store.manifest.Manifest;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * The read path of one node: reads a manifest's chunks in file order, verifying each on a worker (decompress,
 * SHA-256, compare with the id) while the calling thread consumes earlier ones. A fixed window of buffers bounds
 * the read-ahead.
 */
public final class ChunkReader
{
    private final ChunkStore chunkStore;
    private final ExecutorService workers;
    private final Supplier<ChunkCodec> codecs;
    private final int window;

    /**
     * Receives verified chunks in file order.
     */
    @FunctionalInterface
    public interface ChunkConsumer
    {
        /**
         * @param index  the chunk's position in the file.
         * @param bytes  its verified bytes; valid only during the call.
         * @param length how many.
         * @throws IOException to stop the read.
         */
        void onChunk(int index, byte[] bytes, int length) throws IOException;
    }

    /**
     * Decides what a chunk that failed to read means.
     */
    @FunctionalInterface
    public interface ErrorHandler
    {
        /**
         * @param index the chunk's position in the file.
         * @param error why it failed.
         * @throws IOException to stop the read (rethrow {@code error} for a get).
         */
        void onError(int index, IOException error) throws IOException;
    }

    private record Pending(Future<Integer> length, byte[] buffer)
    {
    }

    /**
     * @param chunkStore where chunks are read from.
     * @param workers    threads that read and verify chunks.
     * @param codecs     gives the calling thread's codec (a thread-local).
     * @param window     chunks read ahead.
     */
    public ChunkReader(
        final ChunkStore chunkStore, final ExecutorService workers, final Supplier<ChunkCodec> codecs, final int window)
    {
        this.chunkStore = chunkStore;
        this.workers = workers;
        this.codecs = codecs;
        this.window = window;
    }

    /**
     * Reads every chunk of {@code manifest} in order.
     *
     * @param manifest     the file's manifest.
     * @param maxChunkSize the largest chunk it can hold.
     * @param consumer     receives each verified chunk.
     * @param errors       decides about each chunk that is missing or corrupt.
     * @throws IOException whatever the consumer or error handler throws.
     */
    public void read(
        final Manifest manifest, final int maxChunkSize, final ChunkConsumer consumer, final ErrorHandler errors)
        throws IOException
    {
        final BufferPool pool = new BufferPool(window, maxChunkSize);
        final ArrayDeque<Pending> pending = new ArrayDeque<>();
        final int count = manifest.chunkCount();
        int submitted = 0;
        try
        {
            for (int index = 0; index < count; index++)
            {
                while (submitted < count && pending.size() < window)
                {
                    final byte[] buffer = pool.take();
                    final int i = submitted++;
                    pending.add(new Pending(workers.submit(
                        () -> chunkStore.read(manifest.chunkId(i), buffer, codecs.get())), buffer));
                }
                final Pending next = pending.poll();
                try
                {
                    final int length = ChunkTasks.await(next.length(), "chunk read");
                    if (length != manifest.chunkLength(index))
                    {
                        errors.onError(index, new RfsException("chunk " + manifest.chunkId(index).toShortHex() +
                            " has length " + length + " but the manifest says " + manifest.chunkLength(index)));
                    }
                    else
                    {
                        consumer.onChunk(index, next.buffer(), length);
                    }
                }
                catch (final IOException ex)
                {
                    errors.onError(index, ex);
                }
                finally
                {
                    pool.release(next.buffer());
                }
            }
        }
        finally
        {
            final List<Future<Integer>> abandoned = new ArrayList<>(pending.size());
            for (final Pending p : pending)
            {
                abandoned.add(p.length());
            }
            ChunkTasks.drain(abandoned);
        }
    }
}

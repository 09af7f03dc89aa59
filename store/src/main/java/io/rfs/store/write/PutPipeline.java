package io.rfs.store.write;

import io.rfs.store.TransferListener;
import io.rfs.store.chunk.ChunkId;
import io.rfs.store.chunk.Chunker;
import io.rfs.store.chunk.ChunkingPolicy;
import io.rfs.store.chunk.Sha256;
import io.rfs.store.chunkstore.BufferPool;
import io.rfs.store.chunkstore.ChunkCodec;
import io.rfs.store.chunkstore.ChunkTasks;
import io.rfs.store.manifest.Manifest;
import io.rfs.store.manifest.Version;
import org.agrona.collections.IntArrayList;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * The write path: reads a stream once, cuts it into chunks, and hands them to a {@link ChunkSink}.
 * <p>
 * The calling thread reads, cuts, and feeds the whole-file SHA-256 (which must see the bytes in order); workers
 * hash each chunk (its id), compress it where that pays and copy it into the chunk store, in parallel. A fixed pool
 * of chunk buffers bounds the chunks in flight, so memory does not grow with file size. Once every chunk is in,
 * one force makes them all durable, and only then is the manifest built.
 * <p>
 * A regular file cut into fixed-size chunks takes a faster road ({@link #put(String, FileChannel, ChunkingPolicy,
 * Supplier, TransferListener)}): the boundaries follow from the file's size, so the workers read their own chunks
 * straight from a mapping of the file and the calling thread is left with only the whole-file digest (see
 * {@link MappedFileChunks}). A stream has to be read in order, and {@link InputStream#read(byte[], int, int)}
 * copies every byte on the calling thread, which on two cores takes a share of a core away from hashing.
 */
public final class PutPipeline
{
    private final ChunkSink sink;
    private final ExecutorService workers;
    private final Supplier<ChunkCodec> codecs;
    private final int window;
    private final int parallelism;
    private final AtomicReference<BufferPool> idlePool = new AtomicReference<>();

    /**
     * A pipeline whose file puts run on as many workers as there are processors (at most {@code window}).
     *
     * @param sink       where chunks go.
     * @param workers    threads that hash, compress and store chunks.
     * @param codecs     gives the calling thread's codec (a thread-local).
     * @param window     chunk buffers in flight per put.
     */
    public PutPipeline(
        final ChunkSink sink, final ExecutorService workers, final Supplier<ChunkCodec> codecs, final int window)
    {
        this(sink, workers, codecs, window, Runtime.getRuntime().availableProcessors());
    }

    /**
     * @param sink        where chunks go.
     * @param workers     threads that hash, compress and store chunks.
     * @param codecs      gives the calling thread's codec (a thread-local).
     * @param window      chunk buffers in flight per put, at least 1.
     * @param parallelism worker tasks a file put runs at once: the threads of {@code workers}.
     */
    public PutPipeline(
        final ChunkSink sink,
        final ExecutorService workers,
        final Supplier<ChunkCodec> codecs,
        final int window,
        final int parallelism)
    {
        if (window < 1 || parallelism < 1)
        {
            throw new IllegalArgumentException("window=" + window + ", parallelism=" + parallelism + ", must be >= 1");
        }
        this.sink = sink;
        this.workers = workers;
        this.codecs = codecs;
        this.window = window;
        this.parallelism = parallelism;
    }

    /**
     * Stores every chunk of {@code in} durably and returns the manifest that names them; the caller writes the
     * manifest.
     *
     * @param name     the file's name.
     * @param in       the bytes.
     * @param policy   how to cut them.
     * @param version  gives the new manifest's version, once the chunks are durable.
     * @param listener progress.
     * @return the manifest of the stored content.
     * @throws IOException if reading, storing or forcing fails; chunks already stored stay as garbage for
     *                     compaction and no manifest is produced.
     */
    public Manifest put(
        final String name,
        final InputStream in,
        final ChunkingPolicy policy,
        final Supplier<Version> version,
        final TransferListener listener) throws IOException
    {
        final MessageDigest fileDigest = Sha256.newDigest();
        final ChunkList chunks = chunk(in, policy, fileDigest, listener);
        sink.force();
        return new Manifest(
            name, chunks.size(), fileDigest.digest(), chunks.ids(), chunks.lengths(), version.get(), false);
    }

    /**
     * Stores every chunk of a file durably and returns the manifest that names them; the caller writes the
     * manifest. Reads the file from its start to the size it has when the put begins; chunk ids and the file's
     * digest name the same bytes even if the file changes meanwhile.
     *
     * @param name     the file's name.
     * @param file     the file, open for reading.
     * @param policy   how to cut it.
     * @param version  gives the new manifest's version, once the chunks are durable.
     * @param listener progress.
     * @return the manifest of the stored content.
     * @throws IOException as {@link #put(String, InputStream, ChunkingPolicy, Supplier, TransferListener)}.
     */
    public Manifest put(
        final String name,
        final FileChannel file,
        final ChunkingPolicy policy,
        final Supplier<Version> version,
        final TransferListener listener) throws IOException
    {
        final MessageDigest fileDigest = Sha256.newDigest();
        final ChunkList chunks = chunk(file, policy, fileDigest, listener);
        sink.force();
        return new Manifest(
            name, chunks.size(), fileDigest.digest(), chunks.ids(), chunks.lengths(), version.get(), false);
    }

    /**
     * Cuts a file into chunks and hands each to the sink, without forcing. Fixed-size chunks of a non-empty file
     * are read through mappings by the workers ({@link MappedFileChunks}); anything else (content-defined chunking,
     * or a file that reports no size, such as those in {@code /proc}) is read as a stream from the channel's
     * position, exactly as {@link #chunk(InputStream, ChunkingPolicy, MessageDigest, TransferListener)} does.
     * Both roads give the same chunks, ids and digest for the same bytes.
     *
     * @param file       the file, open for reading, at position 0.
     * @param policy     how to cut it.
     * @param fileDigest fed every byte in order on the calling thread; null to skip (benchmarks of the chunk path).
     * @param listener   progress, called on the calling thread.
     * @return the chunks, in order.
     * @throws IOException if reading or the sink fails.
     */
    public ChunkList chunk(
        final FileChannel file,
        final ChunkingPolicy policy,
        final MessageDigest fileDigest,
        final TransferListener listener) throws IOException
    {
        final long size = file.size();
        final int chunkSize = policy.maxChunkSize();
        final long chunkCount = (size + chunkSize - 1) / chunkSize;
        if (policy.kind() != ChunkingPolicy.Kind.FIXED || size == 0 || chunkCount > Integer.MAX_VALUE - 8)
        {
            return chunk(Channels.newInputStream(file), policy, fileDigest, listener);
        }
        final int tasks = (int)Math.min(chunkCount, Math.min(parallelism, window));
        final BufferPool pool = borrowPool(chunkSize);
        final ChunkList chunks =
            new MappedFileChunks(file, size, chunkSize, (int)chunkCount, sink, codecs, pool, fileDigest)
                .run(workers, tasks, listener);
        returnPool(pool, chunkSize);
        return chunks;
    }

    /**
     * Cuts {@code in} into chunks and hands each to the sink, without forcing.
     *
     * @param in         the bytes.
     * @param policy     how to cut them.
     * @param fileDigest fed every byte in order on the calling thread; null to skip (benchmarks of the chunk path).
     * @param listener   progress.
     * @return the chunks, in order.
     * @throws IOException if reading or the sink fails.
     */
    public ChunkList chunk(
        final InputStream in,
        final ChunkingPolicy policy,
        final MessageDigest fileDigest,
        final TransferListener listener) throws IOException
    {
        final Chunker chunker = policy.newChunker();
        final BufferPool pool = borrowPool(policy.maxChunkSize());
        final List<Future<ChunkId>> ids = new ArrayList<>();
        final IntArrayList lengths = new IntArrayList();
        long size = 0;
        int checked = 0;
        try
        {
            while (true)
            {
                final byte[] buffer = pool.take();
                final int length;
                try
                {
                    length = chunker.next(in, buffer);
                }
                catch (final IOException | RuntimeException ex)
                {
                    pool.release(buffer);
                    throw ex;
                }
                if (length == 0)
                {
                    pool.release(buffer);
                    break;
                }
                if (fileDigest != null)
                {
                    fileDigest.update(buffer, 0, length);
                }
                size += length;
                lengths.addInt(length);
                ids.add(workers.submit(() -> storeChunk(buffer, length, pool)));
                listener.onProgress(length);
                checked = failFast(ids, checked);
            }
            final ChunkId[] chunkIds = new ChunkId[ids.size()];
            for (int i = 0; i < chunkIds.length; i++)
            {
                chunkIds[i] = ChunkTasks.await(ids.get(i), "chunk write");
            }
            final ChunkList chunks = new ChunkList(chunkIds, lengths.toIntArray(), size);
            returnPool(pool, policy.maxChunkSize());
            return chunks;
        }
        finally
        {
            // On success every task is done already; on failure, no worker may still use a buffer after we return.
            ChunkTasks.drain(ids);
        }
    }

    /**
     * One put's chunk buffers: the pool the last put gave back if it fits, so that back-to-back puts do not
     * allocate (and zero) {@code window} chunk-sized arrays each; the pipeline keeps at most one idle pool.
     */
    private BufferPool borrowPool(final int bufferSize)
    {
        final BufferPool pool = idlePool.getAndSet(null);
        return pool != null && pool.isIdle(window, bufferSize) ? pool : new BufferPool(window, bufferSize);
    }

    /**
     * Keeps {@code pool} for the next put, if every buffer is back (a failed put may leave some with a worker).
     */
    private void returnPool(final BufferPool pool, final int bufferSize)
    {
        if (pool.isIdle(window, bufferSize))
        {
            idlePool.set(pool);
        }
    }

    private ChunkId storeChunk(final byte[] buffer, final int length, final BufferPool pool) throws IOException
    {
        try
        {
            final ChunkCodec codec = codecs.get();
            final ChunkId id = codec.hash(buffer, length);
            sink.accept(id, buffer, length, codec);
            return id;
        }
        finally
        {
            pool.release(buffer);
        }
    }

    /**
     * Surfaces a worker's failure early, so a put onto a full disk stops soon rather than reading its whole input.
     *
     * @return index of the first task not yet seen complete.
     */
    private static int failFast(final List<Future<ChunkId>> ids, final int checked) throws IOException
    {
        int next = checked;
        while (next < ids.size() && ids.get(next).isDone())
        {
            ChunkTasks.await(ids.get(next), "chunk write");
            next++;
        }
        return next;
    }
}

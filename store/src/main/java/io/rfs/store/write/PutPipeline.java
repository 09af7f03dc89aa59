package io.rfs.store.write;

import io.rfs.store.TransferListener;
import io.rfs.store.chunk.ChunkingPolicy;
import io.rfs.store.chunk.Sha256;
import io.rfs.store.chunkstore.BufferPool;
import io.rfs.store.chunkstore.ChunkCodec;
import io.rfs.store.manifest.Manifest;
import io.rfs.store.manifest.Version;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The write path: reads its input once, cuts it into chunks, and hands them to a {@link ChunkSink}.
 * <p>
 * Workers pull the chunks (see {@link ParallelChunking}): each reads a chunk into a pooled buffer, hashes it (its
 * id), compresses it where that pays and copies it into the chunk store. A stream is read by the workers in turn,
 * under a lock ({@link StreamChunkSource}); a regular file in fixed-size chunks is read with positional reads,
 * every worker at its own offset ({@link FileChunkSource}). The calling thread feeds the whole-file SHA-256, which
 * must see the bytes in order, from the workers' buffers. A fixed pool of chunk buffers bounds the chunks in
 * flight, so memory does not grow with file size. Once every chunk is in, one force makes them all durable, and
 * only then is the manifest built.
 */
public final class PutPipeline
{
    /** Buffer of the stream a file that is not read with positional reads goes through. */
    private static final int CHANNEL_BUFFER_BYTES = 64 * 1024;

    private final ChunkSink sink;
    private final ExecutorService workers;
    private final Supplier<ChunkCodec> codecs;
    private final int window;
    private final int parallelism;
    private final int processors;
    private final AtomicReference<BufferPool> idlePool = new AtomicReference<>();

    /**
     * A pipeline whose file puts run on as many workers as there are processors (at most {@code window}).
     *
     * @param sink       where chunks go.
     * @param workers    threads that hash, compress and store chunks.
     * @param codecs     gives a worker thread's codec (a thread-local).
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
     * @param codecs      gives a worker thread's codec (a thread-local).
     * @param window      chunk buffers in flight per put, at least 1.
     * @param parallelism worker tasks a put runs at once (at most {@code window}): the threads of {@code workers}.
     */
    public PutPipeline(
        final ChunkSink sink,
        final ExecutorService workers,
        final Supplier<ChunkCodec> codecs,
        final int window,
        final int parallelism)
    {
        this(sink, workers, codecs, window, parallelism, Runtime.getRuntime().availableProcessors());
    }

    /**
     * As the public constructor, with the number of processors given (tests run many workers beside the digest).
     */
    PutPipeline(
        final ChunkSink sink,
        final ExecutorService workers,
        final Supplier<ChunkCodec> codecs,
        final int window,
        final int parallelism,
        final int processors)
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
        this.processors = processors;
    }

    /**
     * Stores every chunk of {@code in} durably and returns the manifest that names them; the caller writes the
     * manifest.
     *
     * @param name     the file's name.
     * @param in       the bytes; buffered if its every read is a system call (see
     *                 {@link #chunk(InputStream, ChunkingPolicy, MessageDigest, TransferListener)}).
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
     * are read by the workers in parallel ({@link FileChunkSource}); anything else (content-defined chunking, or a file
     * that reports no size, such as those in {@code /proc}) is read as a stream from the channel's position.
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
            // Every read of a channel's stream is a system call: buffered, the stream road's small reads are copies.
            return chunk(
                new BufferedInputStream(Channels.newInputStream(file), CHANNEL_BUFFER_BYTES), policy, fileDigest,
                listener);
        }
        final int tasks = tasks(chunkCount, fileDigest != null);
        return run(new FileChunkSource(file, size, chunkSize, (int)chunkCount), chunkSize, tasks, fileDigest, listener);
    }

    /**
     * Cuts {@code in} into chunks and hands each to the sink, without forcing. Fixed-size chunks are read in small
     * pieces ({@link FixedStreamChunkSource}), so a stream whose every read is a system call (a
     * {@code FileInputStream}, a socket's stream) should come buffered.
     *
     * @param in         the bytes.
     * @param policy     how to cut them.
     * @param fileDigest fed every byte in order on the calling thread; null to skip (benchmarks of the chunk path).
     * @param listener   progress, called on the calling thread.
     * @return the chunks, in order.
     * @throws IOException if reading or the sink fails.
     */
    public ChunkList chunk(
        final InputStream in,
        final ChunkingPolicy policy,
        final MessageDigest fileDigest,
        final TransferListener listener) throws IOException
    {
        final int tasks = tasks(Long.MAX_VALUE, fileDigest != null);
        final ChunkSource source = policy.kind() == ChunkingPolicy.Kind.FIXED ?
            new FixedStreamChunkSource(in, policy.maxChunkSize(), tasks) :
            new StreamChunkSource(in, policy.newChunker());
        return run(source, policy.maxChunkSize(), tasks, fileDigest, listener);
    }

    private int tasks(final long maxChunks, final boolean digesting)
    {
        return (int)Math.min(maxChunks, Math.min(workerTasks(digesting), window));
    }

    private ChunkList run(
        final ChunkSource source,
        final int chunkSize,
        final int tasks,
        final MessageDigest fileDigest,
        final TransferListener listener) throws IOException
    {
        final BufferPool pool = borrowPool(chunkSize);
        final ChunkList chunks = new ParallelChunking(source, sink, codecs, pool, window, fileDigest)
            .run(workers, tasks, listener);
        returnPool(pool, chunkSize);
        return chunks;
    }

    /**
     * The calling thread's file digest is a pass over every byte that cannot be split, so it bounds a put; with a
     * worker on every core it has to share its core and the put gets slower (on two cores, measured: 880 MiB/s with
     * two workers against 1100 MiB/s with one). With a file digest, one core is left to it.
     */
    private int workerTasks(final boolean digesting)
    {
        return digesting ? Math.min(parallelism, Math.max(1, processors - 1)) : parallelism;
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
}

package io.rfs.replication.client;

import io.rfs.replication.ConsistencyLevel;
import io.rfs.replication.protocol.PutManifestRequestDescriptor;
import io.rfs.replication.ring.Ring;
import io.rfs.replication.transport.WaitingIdleStrategy;
import io.rfs.replication.transport.Waiter;
import io.rfs.store.CorruptChunkException;
import io.rfs.store.FileName;
import io.rfs.store.FileStat;
import io.rfs.store.FileStore;
import io.rfs.store.InvalidInputException;
import io.rfs.store.MissingChunkException;
import io.rfs.store.RfsException;
import io.rfs.store.TransferListener;
import io.rfs.store.UnknownFileException;
import io.rfs.store.VerifyReport;
import io.rfs.store.chunk.ChunkId;
import io.rfs.store.chunk.Sha256;
import io.rfs.store.chunkstore.ChunkCodec;
import io.rfs.store.manifest.Manifest;
import io.rfs.store.manifest.ManifestCodec;
import io.rfs.store.write.ChunkSink;
import io.rfs.store.write.PutPipeline;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The cluster client: a thread-safe {@link FileStore} over the network, ring-aware, so every request goes straight
 * to the nodes that own its key (no coordinator hop).
 * <pre>{@code
 * try (RfsClient client = RfsClient.connect(ClientProperties.load(Path.of(rfsHome, "cluster/client.properties"))))
 * {
 *     client.put("photos/cat.jpg", Path.of("cat.jpg"), TransferListener.NONE);
 *     client.get("photos/cat.jpg", Path.of("copy.jpg"), TransferListener.NONE);
 *     client.put("logs/today", in, ConsistencyLevel.ALL, TransferListener.NONE);
 *     client.putAsync("big.iso", Path.of("big.iso")).thenAccept(stat -> System.out.println(stat.sha256()));
 * }
 * }</pre>
 * <p>
 * <b>Write path.</b> The input is read once by the calling thread and cut into chunks; workers hash and compress
 * them (the store's {@link PutPipeline}); each chunk goes to its N owners and counts once W acknowledged it, with at
 * most {@link ClientContext#putWindow()} chunks of a put in flight. Then the manifest, versioned by the client's
 * hybrid logical clock and id, goes to its N owners and must reach W. If W cannot be reached the put throws
 * {@link QuorumWriteException} naming the unreachable nodes, no manifest is written and the previous version stays
 * current.
 * <p>
 * <b>Read path.</b> The manifest comes from R owners (newest wins, stale owners repaired in the background); chunks
 * are fetched in order, {@link ClientContext#readAhead()} ahead, each from the replica the balancer picks, and
 * verified (bounded decompression, SHA-256) on a worker before a byte is written to the caller. A bad or missing
 * replica is reported ({@link #badReplicaReports()}, {@link ClientContext#badReplicaListener()}) and the next one
 * asked; {@link CorruptChunkException} only if none has a good copy.
 * <p>
 * <b>Threads.</b> Every method may be called from any number of threads (see {@code docs/CLIENT.md} for the shape).
 * Network work happens on one agent thread
 * ({@link ClientAgent}) that user threads talk to through a bounded queue; hashing, compression and verification on
 * a small worker pool. Memory is bounded per transfer, whatever the file size.
 */
public final class RfsClient implements FileStore
{
    private static final int LIST_PAGE_ENTRIES = 1000;
    private static final long MAX_WAIT_NS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final int IDLE_SPINS = 20;
    private static final int PRINTED_ERRORS = 5;
    /** Largest file put without the pipeline (capped by the chunking policy's smallest chunk). */
    private static final int SMALL_FILE_BYTES = 256 * 1024;
    /** Buffer of a local file's stream in a put. */
    private static final int FILE_BUFFER_BYTES = 64 * 1024;

    private final ClientContext context;
    private final ClientAgent agent;
    private final AgentRunner runner;
    private final ExecutorService workers;
    private final ExecutorService async;
    private final ThreadLocal<ChunkCodec> codecs = ThreadLocal.withInitial(ChunkCodec::new);
    private final AtomicLong badReplicaReports = new AtomicLong();
    private final AtomicLong agentErrors = new AtomicLong();
    private volatile boolean closed;

    private RfsClient(final ClientContext context)
    {
        final BadReplicaListener userListener = context.badReplicaListener();
        context.badReplicaListener((nodeId, chunkId, reason) ->
        {
            badReplicaReports.incrementAndGet();
            userListener.onBadReplica(nodeId, chunkId, reason);
        });
        this.context = context;
        this.agent = new ClientAgent(context);
        this.workers = Executors.newFixedThreadPool(context.workers(), daemon("rfs-client-worker"));
        this.async = Executors.newCachedThreadPool(daemon("rfs-client-async"));
        this.runner = new AgentRunner(idleStrategy(context.transport().waiter()), this::onAgentError, null, agent);
        AgentRunner.startOnThread(runner, daemon("rfs-client-agent"));
    }

    /**
     * Blocks in the transport's selector while idle, woken by a response or a queued command, where it can: a back-off
     * through yields and short parks cost the agent's thread a switch each time it went idle during a transfer. The
     * wait is short because request time-outs and retries run only when the agent does.
     */
    private static IdleStrategy idleStrategy(final Waiter waiter)
    {
        return waiter == null ? new BackoffIdleStrategy(10, 20, 1_000, TimeUnit.MICROSECONDS.toNanos(100)) :
            new WaitingIdleStrategy(waiter, IDLE_SPINS, MAX_WAIT_NS);
    }

    private static ThreadFactory daemon(final String name)
    {
        final AtomicInteger count = new AtomicInteger();
        return task ->
        {
            final Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /**
     * Starts a client: its agent thread and workers, on the context's transport.
     *
     * @param context concluded here; its transport is owned by the client from now on.
     * @return the client, ready for requests from any thread.
     */
    public static RfsClient connect(final ClientContext context)
    {
        context.conclude();
        return new RfsClient(context);
    }

    /**
     * @return the settings in force.
     */
    public ClientContext context()
    {
        return context;
    }

    /**
     * @return the ring the client routes by.
     */
    public Ring ring()
    {
        return context.ring();
    }

    /**
     * @return bad replicas reported so far: missing, corrupt, sending bytes that do not verify, or not answering.
     */
    public long badReplicaReports()
    {
        return badReplicaReports.get();
    }

    /**
     * @return errors the agent's duty cycle threw so far (each a bug or an unexpected I/O failure); the first
     * {@value #PRINTED_ERRORS} are printed to standard error with their stack trace, the rest only counted, so a
     * fault that repeats every duty cycle cannot flood the log.
     */
    public long agentErrors()
    {
        return agentErrors.get();
    }

    private void onAgentError(final Throwable error)
    {
        // counted before the waiters are failed, so that a caller who saw its request fail sees the error counted
        final long count = agentErrors.incrementAndGet();
        if (error instanceof Error)
        {
            // Before printing, which allocates: an OutOfMemoryError thrown again while printing the first ended the
            // agent's thread with every waiter still waiting, and a put hung instead of failing.
            agent.onFatalError((Error)error);
        }
        if (count <= PRINTED_ERRORS)
        {
            System.err.println("rfs client " + context.clientId() + ": agent error " + count + " (the first " +
                PRINTED_ERRORS + " are printed, the rest counted by RfsClient#agentErrors()):");
            error.printStackTrace();
        }
    }

    /**
     * @return read repairs sent so far (stale or missing manifest owners sent the newest version).
     * @throws IOException if the client is closed.
     */
    public long readRepairs() throws IOException
    {
        return await(agent.call(a -> a.reader().readRepairs()));
    }

    /**
     * @return acknowledgements stand-ins gave hinted writes so far ({@code partition.mode=availability}): copies kept
     * for an unreachable owner until the stand-in hands them over.
     * @throws IOException if the client is closed.
     */
    public long hintedAcknowledgements() throws IOException
    {
        return await(agent.call(a -> a.writer().hintedAcknowledgements()));
    }

    // ------------------------------------------------------------------------------------------------ put

    @Override
    public FileStat put(final String name, final InputStream in, final TransferListener listener) throws IOException
    {
        return put(name, in, context.writeConsistency(), listener);
    }

    /**
     * Stores a stream under a name at a consistency level.
     *
     * @param name     the name.
     * @param in       the bytes, read once; not closed.
     * @param level    W of every chunk and of the manifest.
     * @param listener progress.
     * @return what was stored.
     * @throws IOException {@link QuorumWriteException} if W could not be reached (the previous version stays).
     */
    public FileStat put(final String name, final InputStream in, final ConsistencyLevel level,
        final TransferListener listener) throws IOException
    {
        FileName.validate(name);
        ensureOpen();
        final int smallLimit = Math.min(SMALL_FILE_BYTES, context.chunking().minSize());
        final byte[] head = in.readNBytes(smallLimit + 1);
        if (head.length <= smallLimit)
        {
            return putSmall(name, head, level, listener);
        }
        final ReplicaSink sink = new ReplicaSink(level);
        final PutPipeline pipeline = new PutPipeline(sink, workers, codecs::get, context.putWindow());
        final Manifest manifest;
        try
        {
            manifest = pipeline.put(name, new SequenceInputStream(new ByteArrayInputStream(head), in),
                context.chunking(), agent::nextVersion, listener);
        }
        finally
        {
            sink.drain();
        }
        return commit(manifest, level);
    }

    /**
     * A file shorter than the policy's smallest chunk is one chunk whatever the policy, and its id is the file's
     * SHA-256: hashed and compressed on the calling thread, written, then its manifest, without the pipeline's
     * buffers and hand-offs (what makes small puts cheap).
     */
    private FileStat putSmall(final String name, final byte[] content, final ConsistencyLevel level,
        final TransferListener listener) throws IOException
    {
        final Manifest manifest;
        if (content.length == 0)
        {
            manifest = new Manifest(name, 0, Manifest.EMPTY_SHA256.clone(), new ChunkId[0], new int[0],
                agent.nextVersion(), false);
        }
        else
        {
            final ChunkCodec codec = codecs.get();
            final ChunkId id = codec.hash(content, content.length);
            final int compressedLength = codec.compress(content, content.length);
            final boolean compressed = compressedLength > 0;
            final byte[] stored = compressed ? Arrays.copyOf(codec.compressed(), compressedLength) : content;
            await(agent.putChunk(id, content.length, compressed, stored, stored.length, level));
            manifest = new Manifest(name, content.length, id.toBytes(), new ChunkId[]{id},
                new int[]{content.length}, agent.nextVersion(), false);
        }
        listener.onProgress(content.length);
        return commit(manifest, level);
    }

    /**
     * Writes a put's manifest once its chunks are in: the version becomes visible.
     */
    private FileStat commit(final Manifest manifest, final ConsistencyLevel level) throws IOException
    {
        final long manifestLength = PutManifestRequestDescriptor.BLOCK_LENGTH +
            (long)ManifestCodec.encodedLength(manifest);
        if (manifestLength > context.transport().maxMessageLength())
        {
            throw new InvalidInputException("'" + manifest.name() + "' is too large for this cluster: its manifest " +
                "of " + manifest.chunkCount() + " chunks encodes to " + manifestLength + " bytes, more than a " +
                "message of " + context.transport().maxMessageLength() + " bytes carries; use larger chunks");
        }
        await(agent.putManifest(manifest, level));
        return manifest.toStat();
    }

    @Override
    public FileStat put(final String name, final Path source, final TransferListener listener) throws IOException
    {
        return put(name, source, context.writeConsistency(), listener);
    }

    /**
     * Stores a local file at a consistency level.
     *
     * @param name     the name.
     * @param source   a regular, readable file.
     * @param level    W.
     * @param listener progress.
     * @return what was stored.
     * @throws IOException {@link InvalidInputException} if the source cannot be read; as
     *                     {@link #put(String, InputStream, ConsistencyLevel, TransferListener)}.
     */
    public FileStat put(final String name, final Path source, final ConsistencyLevel level,
        final TransferListener listener) throws IOException
    {
        FileName.validate(name);
        if (Files.isDirectory(source))
        {
            throw new InvalidInputException(source + " is a directory; rfs stores files");
        }
        final InputStream in;
        try
        {
            // Buffered: the put reads in small pieces, and each read of a file's stream is a system call.
            in = new BufferedInputStream(Files.newInputStream(source), FILE_BUFFER_BYTES);
        }
        catch (final NoSuchFileException ex)
        {
            throw new InvalidInputException("no such file: " + source);
        }
        catch (final AccessDeniedException ex)
        {
            throw new InvalidInputException("cannot read " + source + ": permission denied");
        }
        try (in)
        {
            return put(name, in, level, listener);
        }
    }

    /**
     * Stores a local file without blocking the caller.
     *
     * @param name   the name.
     * @param source the file.
     * @return completes with what was stored, or with the put's exception.
     */
    public CompletableFuture<FileStat> putAsync(final String name, final Path source)
    {
        return runAsync(() -> put(name, source, TransferListener.NONE));
    }

    /**
     * The chunk sink of one put: compresses on the calling worker, copies the stored form, hands it to the agent,
     * and holds at most {@link ClientContext#putWindow()} chunks in flight.
     * <p>
     * The copies are reused: an array goes back to {@code spare} once its write has ended (the writer has dropped
     * it, and the transport copied a heap payload when it was offered), so a put of any size holds at most
     * {@code putWindow} of them and allocates nothing per chunk once they exist. Allocating a fresh chunk-sized
     * array per chunk made every one a humongous object and ran a small heap out of memory.
     */
    private final class ReplicaSink implements ChunkSink
    {
        private final ConsistencyLevel level;
        private final int window = context.putWindow();
        private final Semaphore permits = new Semaphore(window);
        private final Queue<byte[]> spare = new ConcurrentLinkedQueue<>();
        private volatile IOException failure;

        ReplicaSink(final ConsistencyLevel level)
        {
            this.level = level;
        }

        @Override
        public void accept(final ChunkId id, final byte[] raw, final int length, final ChunkCodec codec)
            throws IOException
        {
            acquire(1);
            boolean submitted = false;
            try
            {
                checkFailure();
                final int compressedLength = codec.compress(raw, length);
                final boolean compressed = compressedLength > 0;
                final int storedLength = compressed ? compressedLength : length;
                final byte[] reused = spare.poll();
                final byte[] stored = reused != null && reused.length >= storedLength ? reused : new byte[length];
                System.arraycopy(compressed ? codec.compressed() : raw, 0, stored, 0, storedLength);
                agent.putChunk(id, length, compressed, stored, storedLength, level).whenComplete((acks, error) ->
                {
                    if (error != null && failure == null)
                    {
                        failure = asIoException(error);
                    }
                    spare.offer(stored);
                    permits.release();
                });
                submitted = true;
            }
            finally
            {
                if (!submitted)
                {
                    permits.release();
                }
            }
        }

        @Override
        public void force() throws IOException
        {
            drain();
            checkFailure();
        }

        /**
         * Waits until no chunk of this put is in flight.
         */
        void drain() throws InterruptedIOException
        {
            acquire(window);
            permits.release(window);
        }

        private void acquire(final int count) throws InterruptedIOException
        {
            try
            {
                permits.acquire(count);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted waiting for chunk acknowledgements");
            }
        }

        private void checkFailure() throws IOException
        {
            final IOException failed = failure;
            if (failed != null)
            {
                throw failed;
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ get

    @Override
    public FileStat get(final String name, final OutputStream out, final TransferListener listener)
        throws IOException
    {
        return get(name, out, context.readConsistency(), listener);
    }

    /**
     * Writes the current version of a name to a stream, every chunk verified first.
     *
     * @param name     the name.
     * @param out      where the bytes go; not closed.
     * @param level    R of the manifest read.
     * @param listener progress.
     * @return the version read.
     * @throws IOException {@link UnknownFileException}, {@link QuorumReadException}, {@link CorruptChunkException}
     *                     if no replica of a chunk has a good copy.
     */
    public FileStat get(final String name, final OutputStream out, final ConsistencyLevel level,
        final TransferListener listener) throws IOException
    {
        return get(name, version -> out, level, listener);
    }

    @Override
    public FileStat get(final String name, final VersionedSink sink, final TransferListener listener)
        throws IOException
    {
        return get(name, sink, context.readConsistency(), listener);
    }

    /**
     * Writes the current version of a name to the stream the sink opens once it knows the version (one manifest
     * read), every chunk verified first.
     *
     * @param name     the name.
     * @param sink     opens the stream for the version read.
     * @param level    R of the manifest read.
     * @param listener progress.
     * @return the version read.
     * @throws IOException as {@link #get(String, OutputStream, ConsistencyLevel, TransferListener)}, or what the
     *                     sink threw.
     */
    public FileStat get(final String name, final VersionedSink sink, final ConsistencyLevel level,
        final TransferListener listener) throws IOException
    {
        final Manifest manifest = live(name, level);
        final FileStat version = manifest.toStat();
        readChunks(manifest, sink.open(version), listener);
        return version;
    }

    @Override
    public FileStat get(final String name, final Path target, final TransferListener listener) throws IOException
    {
        return get(name, target, context.readConsistency(), listener);
    }

    /**
     * Writes the current version of a name to a local file, replacing it only once every byte was verified.
     *
     * @param name     the name.
     * @param target   the file to create or replace.
     * @param level    R.
     * @param listener progress.
     * @return the version read.
     * @throws IOException as {@link #get(String, OutputStream, ConsistencyLevel, TransferListener)}.
     */
    public FileStat get(final String name, final Path target, final ConsistencyLevel level,
        final TransferListener listener) throws IOException
    {
        FileName.validate(name);
        if (Files.isDirectory(target))
        {
            throw new InvalidInputException(target + " is a directory; name a file to write");
        }
        final Path absolute = target.toAbsolutePath();
        final Path parent = absolute.getParent();
        if (parent != null && !Files.isDirectory(parent))
        {
            throw new InvalidInputException("no such directory: " + parent);
        }
        final Manifest manifest = live(name, level);
        final Path temporary = Files.createTempFile(parent, "." + absolute.getFileName() + ".", ".rfs-part");
        boolean done = false;
        try
        {
            try (OutputStream out = Files.newOutputStream(temporary))
            {
                readChunks(manifest, out, listener);
            }
            Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            done = true;
            return manifest.toStat();
        }
        finally
        {
            if (!done)
            {
                Files.deleteIfExists(temporary);
            }
        }
    }

    /**
     * Writes a name's current version to a local file without blocking the caller.
     *
     * @param name   the name.
     * @param target the file.
     * @return completes with the version read, or with the get's exception.
     */
    public CompletableFuture<FileStat> getAsync(final String name, final Path target)
    {
        return runAsync(() -> get(name, target, TransferListener.NONE));
    }

    /**
     * A chunk on its way: fetched into {@code payload}, verified on a worker into {@code raw} or in place.
     */
    private static final class Slot
    {
        final byte[] payload;
        final byte[] raw;
        int index;
        int[] excluded;
        CompletableFuture<ClientAgent.Fetched> fetched;
        CompletableFuture<Verified> result;

        Slot(final int maxLength)
        {
            payload = new byte[maxLength];
            raw = new byte[maxLength];
        }
    }

    /**
     * A fetched chunk after verification.
     *
     * @param nodeId the replica that sent it, or {@link #CACHED}.
     * @param bytes  the array holding the verified bytes, or null if they did not verify.
     */
    private record Verified(int nodeId, byte[] bytes)
    {
    }

    /** The {@link Verified#nodeId()} of a chunk found in the {@link ClientContext#chunkCache()}. */
    private static final int CACHED = -1;

    private void readChunks(final Manifest manifest, final OutputStream out, final TransferListener listener)
        throws IOException
    {
        final int count = manifest.chunkCount();
        final int slots = Math.min(context.readAhead(), Math.max(1, count));
        int maxLength = 1;
        for (int i = 0; i < count; i++)
        {
            maxLength = Math.max(maxLength, manifest.chunkLength(i));
        }
        final ArrayDeque<Slot> free = new ArrayDeque<>(slots);
        for (int i = 0; i < slots; i++)
        {
            free.add(new Slot(maxLength));
        }
        final ArrayDeque<Slot> inFlight = new ArrayDeque<>(slots);
        int next = 0;
        try
        {
            for (int index = 0; index < count; index++)
            {
                while (next < count && !free.isEmpty())
                {
                    final Slot slot = free.poll();
                    slot.index = next++;
                    slot.excluded = null;
                    fetch(manifest, slot);
                    inFlight.add(slot);
                }
                final Slot slot = inFlight.poll();
                final ChunkId id = manifest.chunkId(slot.index);
                Verified verified = verified(manifest, slot);
                while (verified.bytes() == null)
                {
                    agent.reportBadReplica(verified.nodeId(), id, ReplicaFailure.MISMATCH);
                    slot.excluded = slot.excluded == null ? new int[]{verified.nodeId()} :
                        appended(slot.excluded, verified.nodeId());
                    fetch(manifest, slot);
                    verified = verified(manifest, slot);
                }
                if (verified.nodeId() != CACHED)
                {
                    context.chunkCache().offer(id, verified.bytes(), manifest.chunkLength(slot.index));
                }
                out.write(verified.bytes(), 0, manifest.chunkLength(slot.index));
                listener.onProgress(manifest.chunkLength(slot.index));
                free.add(slot);
            }
        }
        finally
        {
            for (final Slot slot : inFlight)
            {
                try
                {
                    (slot.result != null ? slot.result : slot.fetched).join();
                }
                catch (final CompletionException ignore)
                {
                    // abandoned; its failure was not the first
                }
            }
        }
    }

    private static int[] appended(final int[] nodes, final int node)
    {
        final int[] more = Arrays.copyOf(nodes, nodes.length + 1);
        more[nodes.length] = node;
        return more;
    }

    private void fetch(final Manifest manifest, final Slot slot)
    {
        final ChunkId id = manifest.chunkId(slot.index);
        final int rawLength = manifest.chunkLength(slot.index);
        if (slot.excluded == null && context.chunkCache().read(id, rawLength, slot.raw))
        {
            slot.result = CompletableFuture.completedFuture(new Verified(CACHED, slot.raw));
            return;
        }
        slot.fetched = agent.fetchChunk(id, rawLength, slot.payload, slot.excluded);
        slot.result = manifest.chunkCount() == 1 ? null :
            slot.fetched.thenApplyAsync(fetched -> verify(manifest, slot, fetched), workers);
    }

    /**
     * Waits for a slot's chunk, verified. A file of one chunk has nothing to read ahead, so its chunk is verified
     * on the calling thread, which waits for it anyway: a worker would only add a thread hand-off to every small get.
     */
    private Verified verified(final Manifest manifest, final Slot slot) throws IOException
    {
        return slot.result != null ? await(slot.result) : verify(manifest, slot, await(slot.fetched));
    }

    private Verified verify(final Manifest manifest, final Slot slot, final ClientAgent.Fetched fetched)
    {
        final int rawLength = manifest.chunkLength(slot.index);
        return new Verified(fetched.nodeId(), ChunkVerifier.verify(codecs.get(), manifest.chunkId(slot.index),
            rawLength, fetched.compressed(), slot.payload, fetched.payloadLength(), slot.raw));
    }

    // ------------------------------------------------------------------------------------------------ metadata

    @Override
    public FileStat delete(final String name) throws IOException
    {
        return delete(name, context.writeConsistency());
    }

    /**
     * Deletes a name: a tombstone, newer than the version read, written to W owners.
     *
     * @param name  the name.
     * @param level R of the read and W of the tombstone.
     * @return the tombstone's stat.
     * @throws IOException {@link UnknownFileException} if there is no such file.
     */
    public FileStat delete(final String name, final ConsistencyLevel level) throws IOException
    {
        live(name, level);
        final Manifest tombstone = Manifest.tombstone(name, agent.nextVersion());
        await(agent.putManifest(tombstone, level));
        return tombstone.toStat();
    }

    @Override
    public FileStat stat(final String name) throws IOException
    {
        return live(name, context.readConsistency()).toStat();
    }

    /**
     * Lists the live files under a prefix, in byte order of their UTF-8 names (as the nodes list them). Each node
     * holds only the manifests it owns, so every node is asked (page by page); versions are merged by name, newest
     * wins, tombstones dropped. It succeeds while fewer than N nodes
     * fail to answer, since then every name still has an owner that did.
     */
    @Override
    public List<FileStat> list(final String prefix) throws IOException
    {
        ensureOpen();
        final byte[] prefixBytes = (prefix == null ? "" : prefix).getBytes(StandardCharsets.UTF_8);
        final TreeMap<String, FileStat> newest = new TreeMap<>((a, b) -> Arrays.compareUnsigned(
            a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8)));
        final Map<Integer, String> failed = new TreeMap<>();
        for (final var node : context.ring().nodes())
        {
            byte[] token = null;
            try
            {
                do
                {
                    final ClientAgent.ListPage page = await(
                        agent.listPage(node.id(), prefixBytes, token, LIST_PAGE_ENTRIES));
                    for (final FileStat entry : page.entries())
                    {
                        newest.merge(entry.name(), entry,
                            (a, b) -> b.version().isNewerThan(a.version()) ? b : a);
                    }
                    token = page.nextToken();
                }
                while (token != null);
            }
            catch (final RfsException ex)
            {
                failed.put(node.id(), ex.getMessage());
            }
        }
        if (failed.size() >= Math.max(1, context.ring().replicaCount()))
        {
            throw new RfsException("cannot list: " + failed.size() + " nodes did not answer, so some names may " +
                "have no owner that did: " + failed);
        }
        final List<FileStat> live = new ArrayList<>(newest.size());
        for (final FileStat stat : newest.values())
        {
            if (!stat.tombstone())
            {
                live.add(stat);
            }
        }
        return live;
    }

    /**
     * Fetches every chunk of the named files from every one of its owners and re-hashes each copy; reports, per
     * file, which replicas are missing, corrupt or unreachable, and whether the whole-file SHA-256 matches.
     */
    @Override
    public VerifyReport verify(final List<String> names, final TransferListener listener) throws IOException
    {
        ensureOpen();
        final List<String> targets = new ArrayList<>();
        if (names.isEmpty())
        {
            for (final FileStat stat : list(""))
            {
                targets.add(stat.name());
            }
        }
        else
        {
            targets.addAll(names);
        }
        final List<VerifyReport.Problem> problems = new ArrayList<>();
        long files = 0;
        long chunks = 0;
        long bytes = 0;
        long corrupt = 0;
        long missing = 0;
        final int[] owners = new int[Ring.MAX_REPLICATION_FACTOR];
        final ChunkCodec codec = new ChunkCodec();
        for (final String name : targets)
        {
            final Manifest manifest = live(name, context.readConsistency());
            files++;
            final MessageDigest digest = Sha256.newDigest();
            boolean everyChunkHadACopy = true;
            for (int i = 0; i < manifest.chunkCount(); i++)
            {
                final ChunkId id = manifest.chunkId(i);
                final int rawLength = manifest.chunkLength(i);
                final int n = context.ring().replicas(Ring.chunkPosition(id), owners);
                final byte[][] payloads = new byte[n][];
                final List<CompletableFuture<ClientAgent.Fetched>> fetches = new ArrayList<>(n);
                for (int r = 0; r < n; r++)
                {
                    payloads[r] = new byte[rawLength];
                    fetches.add(agent.fetchChunkFrom(owners[r], id, rawLength, payloads[r]));
                }
                chunks++;
                boolean good = false;
                final byte[] raw = new byte[rawLength];
                for (int r = 0; r < n; r++)
                {
                    final String where = "node " + owners[r] + ": ";
                    try
                    {
                        final ClientAgent.Fetched fetched = await(fetches.get(r));
                        final byte[] verified = ChunkVerifier.verify(codec, id, rawLength, fetched.compressed(),
                            payloads[r], fetched.payloadLength(), raw);
                        if (verified == null)
                        {
                            corrupt++;
                            problems.add(new VerifyReport.Problem(name, VerifyReport.Kind.CORRUPT_CHUNK, id.toHex(),
                                where + "its copy does not hash to the chunk's id"));
                        }
                        else if (!good)
                        {
                            good = true;
                            digest.update(verified, 0, rawLength);
                        }
                    }
                    catch (final MissingChunkException ex)
                    {
                        missing++;
                        problems.add(new VerifyReport.Problem(name, VerifyReport.Kind.MISSING_CHUNK, id.toHex(),
                            where + "does not hold it"));
                    }
                    catch (final CorruptChunkException ex)
                    {
                        corrupt++;
                        problems.add(new VerifyReport.Problem(name, VerifyReport.Kind.CORRUPT_CHUNK, id.toHex(),
                            where + ex.getMessage()));
                    }
                    catch (final RfsException ex)
                    {
                        problems.add(new VerifyReport.Problem(name, VerifyReport.Kind.REPLICA_UNREACHABLE,
                            id.toHex(), where + ex.getMessage()));
                    }
                }
                everyChunkHadACopy &= good;
                if (good)
                {
                    bytes += rawLength;
                    listener.onProgress(rawLength);
                }
            }
            if (everyChunkHadACopy && !MessageDigest.isEqual(digest.digest(), manifest.sha256()))
            {
                problems.add(new VerifyReport.Problem(name, VerifyReport.Kind.FILE_DIGEST_MISMATCH, null,
                    "every chunk verified but the file's SHA-256 differs from its manifest"));
            }
        }
        return new VerifyReport(files, chunks, bytes, corrupt, missing, problems);
    }

    /**
     * Verifies the named files (all, if none is named) where their copies lie: each replica re-hashes its own copy
     * and only per-chunk states cross the network; each node's manifests are compared with the newest. See
     * {@link ClusterVerifier}.
     *
     * @param names     the files, or empty for all.
     * @param timeoutNs how long a node may take to answer one request (it re-hashes a batch of chunks first).
     * @param problems  told of each problem as it is found, on this thread.
     * @return the counts.
     * @throws IOException if the client is closed or interrupted, or a name is not valid.
     */
    public ClusterVerifyReport verifyReplicas(
        final List<String> names, final long timeoutNs, final Consumer<ReplicaProblem> problems) throws IOException
    {
        ensureOpen();
        return new ClusterVerifier(agent, context, timeoutNs, problems).verify(names);
    }

    /**
     * Sends one request to one node and waits for its answer (the operator's requests: {@code rfs repair}).
     *
     * @param nodeId      the node.
     * @param messageType a request type.
     * @param body        its body.
     * @param timeoutNs   how long to wait.
     * @return the answer as it came.
     * @throws IOException if none came in time or the client is closed.
     */
    public ClientAgent.Reply request(final int nodeId, final int messageType, final byte[] body, final long timeoutNs)
        throws IOException
    {
        ensureOpen();
        return await(agent.request(nodeId, messageType, body, body.length, timeoutNs));
    }

    // ------------------------------------------------------------------------------------------------ plumbing

    private Manifest live(final String name, final ConsistencyLevel level) throws IOException
    {
        FileName.validate(name);
        ensureOpen();
        final Manifest manifest = await(agent.readManifest(name, level));
        if (manifest == null || manifest.isTombstone())
        {
            throw new UnknownFileException(name);
        }
        return manifest;
    }

    /**
     * An operation that may throw {@link IOException}, run on the async pool.
     */
    @FunctionalInterface
    private interface IoSupplier<T>
    {
        T get() throws IOException;
    }

    private <T> CompletableFuture<T> runAsync(final IoSupplier<T> operation)
    {
        final CompletableFuture<T> result = new CompletableFuture<>();
        async.execute(() ->
        {
            try
            {
                result.complete(operation.get());
            }
            catch (final IOException | RuntimeException ex)
            {
                result.completeExceptionally(ex);
            }
        });
        return result;
    }

    static <T> T await(final CompletableFuture<T> future) throws IOException
    {
        try
        {
            return future.get();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting for the cluster");
        }
        catch (final ExecutionException ex)
        {
            throw asIoException(ex.getCause());
        }
    }

    private static IOException asIoException(final Throwable error)
    {
        Throwable cause = error;
        while (cause instanceof CompletionException && cause.getCause() != null)
        {
            cause = cause.getCause();
        }
        if (cause instanceof IOException)
        {
            return (IOException)cause;
        }
        if (cause instanceof RuntimeException)
        {
            throw (RuntimeException)cause;
        }
        return new RfsException("client request failed", cause);
    }

    private void ensureOpen() throws RfsException
    {
        if (closed)
        {
            throw new RfsException("the client is closed");
        }
    }

    /**
     * Stops the agent (failing what is still in flight), closes the transport and stops the workers.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        CloseHelper.quietClose(runner);
        agent.failOpen();
        CloseHelper.quietClose(context.transport());
        workers.shutdownNow();
        async.shutdownNow();
    }

}

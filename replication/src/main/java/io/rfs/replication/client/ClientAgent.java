package io.rfs.replication.client;

import io.rfs.replication.ConsistencyLevel;
import io.rfs.replication.manifest.ManifestMerge;
import io.rfs.replication.protocol.ListManifestsResponseDecoder;
import io.rfs.replication.protocol.MessageTypes;
import io.rfs.replication.ring.Ring;
import io.rfs.replication.transport.PendingRequests;
import io.rfs.replication.transport.ResponseListener;
import io.rfs.replication.transport.Transport;
import io.rfs.replication.transport.Waiter;
import io.rfs.store.FileStat;
import io.rfs.store.RfsException;
import io.rfs.store.chunk.ChunkId;
import io.rfs.store.manifest.HybridLogicalClock;
import io.rfs.store.manifest.Manifest;
import io.rfs.store.manifest.Version;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The client's one agent: owns the transport, the {@link PendingRequests}, the {@link QuorumWriter} and the
 * {@link QuorumReader}, and runs their duty cycle: poll the transport once ({@link ResponsePoller}), take the
 * commands user threads queued, step the writer and the reader.
 * <p>
 * <b>Threads.</b> User threads never touch the agent's state: every public method except {@link #doWork()},
 * {@link #onClose()} and {@link #roleName()} may be called from any thread; it queues a command on a bounded
 * {@link ManyToOneConcurrentArrayQueue} (waiting while it is full) and returns a {@link CompletableFuture} that the
 * agent completes. Futures complete on the agent's thread, so callers must not attach slow non-async stages to them.
 * A command the writer or reader refuses (their bounds are reached) waits on the agent, and no new command is taken
 * until it went in: memory stays bounded. {@link RfsClient} runs this agent on an {@code AgentRunner}; tests may
 * step it by hand.
 */
public final class ClientAgent implements Agent
{
    /** Most commands taken from the queue per duty cycle. */
    public static final int COMMAND_LIMIT = 64;

    private final ClientContext context;
    private final Ring ring;
    private final Transport transport;
    private final Waiter waiter;
    private final PendingRequests pending;
    private final ResponsePoller poller;
    private final QuorumWriter writer;
    private final QuorumReader reader;
    private final HybridLogicalClock hlc;
    private final ManyToOneConcurrentArrayQueue<Command> commands;
    private final ArrayDeque<Command> deferred = new ArrayDeque<>();
    private final Set<CompletableFuture<?>> open = ConcurrentHashMap.newKeySet();
    private final Consumer<Command> executor = this::execute;
    private volatile boolean closed;
    private volatile Error fatalError;

    /**
     * A unit of work queued by a user thread and run on the agent's thread.
     */
    private abstract static class Command
    {
        final CompletableFuture<Object> future = new CompletableFuture<>();

        /**
         * @return false if the writer or reader refused it for now: it is retried on a later duty cycle.
         */
        abstract boolean execute(ClientAgent agent);
    }

    /**
     * @param context a concluded context.
     */
    public ClientAgent(final ClientContext context)
    {
        this.context = context;
        this.ring = context.ring();
        this.transport = context.transport();
        this.waiter = transport.waiter();
        final int replicas = Math.max(1, ring.replicaCount());
        final int capacity = Math.min(PendingRequests.Context.MAX_CAPACITY,
            (context.maxWrites() + context.maxReads()) * replicas * 2 + context.maxFetches() + ring.nodeCount() * 4);
        this.pending = new PendingRequests(new PendingRequests.Context()
            .capacity(capacity).nanoClock(context.nanoClock()));
        this.poller = new ResponsePoller(transport, pending, context.nanoClock(), ResponsePoller.POLL_LIMIT_DEFAULT);
        // One tracker for both: owners the writer finds down are skipped by reads, and the reverse.
        final NodeHealth health = new NodeHealth(context.healthFailureThreshold(), context.healthEjectNs());
        this.writer = new QuorumWriter(new QuorumWriter.Context()
            .ring(ring).transport(transport).pendingRequests(pending).nanoClock(context.nanoClock())
            .consistencyLevel(context.writeConsistency()).requestTimeoutNs(context.requestTimeoutNs())
            .maxWrites(context.maxWrites()).partitionMode(context.partitionMode()).nodeHealth(health));
        this.reader = new QuorumReader(new QuorumReader.Context()
            .ring(ring).transport(transport).pendingRequests(pending).nanoClock(context.nanoClock())
            .consistencyLevel(context.readConsistency()).requestTimeoutNs(context.requestTimeoutNs())
            .maxReads(context.maxReads()).maxFetches(context.maxFetches())
            .balancer(context.balancer().newBalancer(ring))
            .nodeHealth(health)
            .badReplicaListener(context.badReplicaListener()));
        this.hlc = new HybridLogicalClock(context.epochClock());
        this.commands = new ManyToOneConcurrentArrayQueue<>(context.commandQueueCapacity());
    }

    @Override
    public int doWork()
    {
        int work = poller.doWork();
        while (!deferred.isEmpty())
        {
            if (!tryExecute(deferred.peekFirst()))
            {
                break;
            }
            deferred.pollFirst();
            work++;
        }
        if (deferred.isEmpty())
        {
            work += commands.drain(executor, COMMAND_LIMIT);
        }
        work += writer.doWork();
        work += reader.doWork();
        return work;
    }

    private void execute(final Command command)
    {
        if (!deferred.isEmpty() || !tryExecute(command))
        {
            deferred.addLast(command);
        }
    }

    /**
     * @return true if the command is done with: started, or failed at once (a request the writer or reader refuses
     * as malformed, e.g. a manifest too large for a message, fails its future rather than the agent).
     */
    private boolean tryExecute(final Command command)
    {
        try
        {
            return command.execute(this);
        }
        catch (final RuntimeException ex)
        {
            command.future.completeExceptionally(ex);
            return true;
        }
    }

    /**
     * Fails every command not yet ended with "client closed".
     */
    @Override
    public void onClose()
    {
        closed = true;
        failOpen();
    }

    /**
     * Ends the client after its duty cycle threw an {@link Error} (out of memory, say): the runner's thread dies
     * with it, so nothing would ever complete the futures callers wait on. Each is failed with the error as its
     * cause, and later requests fail at once.
     *
     * @param error what the duty cycle threw.
     */
    void onFatalError(final Error error)
    {
        closed = true;
        fatalError = error;
        failOpen();
    }

    /**
     * Fails every future still open; called once the agent no longer runs.
     */
    void failOpen()
    {
        final RfsException failure = closedException();
        for (final CompletableFuture<?> future : open)
        {
            future.completeExceptionally(failure);
        }
        Command command;
        while ((command = commands.poll()) != null)
        {
            command.future.completeExceptionally(failure);
        }
    }

    private RfsException closedException()
    {
        final Error error = fatalError;
        return error == null ? new RfsException("the client is closed") :
            new RfsException("the client failed and is closed: " + error, error);
    }

    @Override
    public String roleName()
    {
        return "rfs-client-" + context.clientId();
    }

    /**
     * @return the writer, for its counters; only the agent's thread may call it.
     */
    public QuorumWriter writer()
    {
        return writer;
    }

    /**
     * @return the reader, for its counters; only the agent's thread may call it.
     */
    public QuorumReader reader()
    {
        return reader;
    }

    /**
     * @return a new version for a put or delete by this client: its hybrid logical clock and {@code clientId}.
     */
    Version nextVersion()
    {
        return new Version(hlc.now(), context.clientId());
    }

    /**
     * Orders this client's later versions after one it has seen.
     */
    void observe(final Version version)
    {
        hlc.observe(version.timestamp());
    }

    @SuppressWarnings("unchecked")
    private <T> CompletableFuture<T> submit(final Command command)
    {
        if (closed)
        {
            command.future.completeExceptionally(closedException());
            return (CompletableFuture<T>)(CompletableFuture<?>)command.future;
        }
        open.add(command.future);
        command.future.whenComplete((result, failure) -> open.remove(command.future));
        long parkNs = 1_000;
        while (!commands.offer(command))
        {
            if (closed)
            {
                command.future.completeExceptionally(closedException());
                break;
            }
            LockSupport.parkNanos(parkNs);
            parkNs = Math.min(parkNs * 2, 1_000_000);
        }
        if (waiter != null)
        {
            // the agent's thread may be waiting in the transport's selector (RfsClient's idle strategy)
            waiter.wake();
        }
        if (closed && !command.future.isDone())
        {
            command.future.completeExceptionally(closedException());
        }
        return (CompletableFuture<T>)(CompletableFuture<?>)command.future;
    }

    /**
     * A listener that completes a command's future.
     */
    private static final class WriteCompletion implements WriteListener
    {
        private final CompletableFuture<Object> future;

        WriteCompletion(final CompletableFuture<Object> future)
        {
            this.future = future;
        }

        @Override
        public void onWritten(final long writeId, final int acknowledgements)
        {
            future.complete(acknowledgements);
        }

        @Override
        public void onFailed(final long writeId, final QuorumWriteException failure)
        {
            future.completeExceptionally(failure);
        }
    }

    /**
     * Writes a chunk to W of its owners.
     *
     * @param id            the chunk's id.
     * @param rawLength     its raw length.
     * @param compressed    true if {@code payload} is LZ4-compressed.
     * @param payload       the stored form, not changed by the caller until the future completes.
     * @param payloadLength its length.
     * @param level         W.
     * @return completes with the acknowledgements, or with {@link QuorumWriteException}.
     */
    public CompletableFuture<Integer> putChunk(
        final ChunkId id, final int rawLength, final boolean compressed, final byte[] payload,
        final int payloadLength, final ConsistencyLevel level)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(payload, 0, payloadLength);
        return submit(new Command()
        {
            boolean execute(final ClientAgent agent)
            {
                return writer.putChunk(id, rawLength, compressed, buffer, 0, payloadLength, level,
                    new WriteCompletion(future)) != QuorumWriter.REFUSED;
            }
        });
    }

    /**
     * Writes a manifest to W of its name's owners.
     *
     * @param manifest the version.
     * @param level    W.
     * @return completes with the acknowledgements, or with {@link QuorumWriteException}.
     */
    public CompletableFuture<Integer> putManifest(final Manifest manifest, final ConsistencyLevel level)
    {
        return submit(new Command()
        {
            boolean execute(final ClientAgent agent)
            {
                return writer.putManifest(manifest, level, new WriteCompletion(future)) != QuorumWriter.REFUSED;
            }
        });
    }

    /**
     * Reads the newest manifest of a name from R owners (read repair follows in the background).
     *
     * @param name  the name.
     * @param level R.
     * @return completes with the newest version, tombstones included, or null if no owner holds one; or with
     * {@link QuorumReadException}.
     */
    public CompletableFuture<Manifest> readManifest(final String name, final ConsistencyLevel level)
    {
        return submit(new Command()
        {
            boolean execute(final ClientAgent agent)
            {
                return reader.readManifest(name, level, new ManifestReadListener()
                {
                    public void onRead(final long readId, final Manifest manifest)
                    {
                        if (manifest != null)
                        {
                            observe(manifest.version());
                        }
                        future.complete(manifest);
                    }

                    public void onFailed(final long readId, final QuorumReadException failure)
                    {
                        future.completeExceptionally(failure);
                    }
                }) != QuorumReader.REFUSED;
            }
        });
    }

    /**
     * What a fetch brought: the payload is in the array the fetch was given.
     *
     * @param nodeId        the replica that sent it.
     * @param compressed    true if LZ4-compressed.
     * @param payloadLength bytes of payload.
     */
    public record Fetched(int nodeId, boolean compressed, int payloadLength)
    {
    }

    private ChunkFetchListener fetchCompletion(final CompletableFuture<Object> future)
    {
        return new ChunkFetchListener()
        {
            public void onFetched(final long fetchId, final int nodeId, final boolean compressed, final int length)
            {
                future.complete(new Fetched(nodeId, compressed, length));
            }

            public void onFailed(final long fetchId, final RfsException failure)
            {
                future.completeExceptionally(failure);
            }
        };
    }

    /**
     * Fetches a chunk from one of its replicas, with failover; see {@link QuorumReader#fetchChunk}.
     *
     * @param id            the chunk.
     * @param rawLength     its raw length.
     * @param dst           receives the payload, not read or written by the caller until the future completes.
     * @param excludedNodes replicas not to ask, or null.
     * @return completes with what was fetched, or with the failure of every replica.
     */
    public CompletableFuture<Fetched> fetchChunk(
        final ChunkId id, final int rawLength, final byte[] dst, final int[] excludedNodes)
    {
        return submit(new Command()
        {
            boolean execute(final ClientAgent agent)
            {
                return reader.fetchChunk(id, rawLength, dst, excludedNodes, fetchCompletion(future)) !=
                    QuorumReader.REFUSED;
            }
        });
    }

    /**
     * Fetches a chunk from one named replica; see {@link QuorumReader#fetchChunkFrom}.
     *
     * @param nodeId    the replica.
     * @param id        the chunk.
     * @param rawLength its raw length.
     * @param dst       receives the payload.
     * @return completes with what was fetched, or with why that replica could not send it.
     */
    public CompletableFuture<Fetched> fetchChunkFrom(
        final int nodeId, final ChunkId id, final int rawLength, final byte[] dst)
    {
        return submit(new Command()
        {
            boolean execute(final ClientAgent agent)
            {
                return reader.fetchChunkFrom(nodeId, id, rawLength, dst, fetchCompletion(future)) !=
                    QuorumReader.REFUSED;
            }
        });
    }

    /**
     * One page of a node's manifest listing, copied off the wire.
     *
     * @param entries   the entries, tombstones included, in name order.
     * @param nextToken the token of the next page, or null if this was the last.
     */
    public record ListPage(List<FileStat> entries, byte[] nextToken)
    {
    }

    /**
     * Asks one node for one page of the manifests it holds, tombstones included.
     *
     * @param nodeId     the node.
     * @param prefix     the name prefix's UTF-8 bytes.
     * @param pageToken  the previous page's token, or null.
     * @param maxEntries most entries, 1..1000.
     * @return completes with the page, or with why the node gave none.
     */
    public CompletableFuture<ListPage> listPage(
        final int nodeId, final byte[] prefix, final byte[] pageToken, final int maxEntries)
    {
        return submit(new Command()
        {
            boolean execute(final ClientAgent agent)
            {
                return reader.listManifests(nodeId, prefix, pageToken, maxEntries, new ListPageListener()
                {
                    public void onPage(final long requestId, final ListManifestsResponseDecoder page)
                    {
                        future.complete(copy(page));
                    }

                    public void onFailed(final long requestId, final RfsException failure)
                    {
                        future.completeExceptionally(failure);
                    }
                }) != QuorumReader.REFUSED;
            }
        });
    }

    private static ListPage copy(final ListManifestsResponseDecoder page)
    {
        return new ListPage(ManifestMerge.entries(page), ManifestMerge.nextToken(page));
    }

    /**
     * A node's answer to a {@link #request}, copied off the wire.
     *
     * @param nodeId      the node that answered.
     * @param messageType the response's type, or {@code Error}.
     * @param body        the body.
     */
    public record Reply(int nodeId, int messageType, byte[] body)
    {
    }

    /**
     * Sends one request to one node and hands back its answer as it came, for the operator's requests that need no
     * quorum logic ({@code VerifyChunksRequest}, {@code RepairControlRequest}). Under back-pressure (the node's link
     * is full or not connected, too many requests in flight) the request waits on the agent until it can be sent,
     * for at most {@code timeoutNs}, then fails: a node that is down holds the agent up no longer than that.
     *
     * @param nodeId      the node.
     * @param messageType a request type.
     * @param body        its body, not changed by the caller until the future completes.
     * @param length      body length.
     * @param timeoutNs   how long to wait for the answer once sent.
     * @return completes with the answer, or with an {@link RfsException} if none came in time.
     */
    public CompletableFuture<Reply> request(
        final int nodeId, final int messageType, final byte[] body, final int length, final long timeoutNs)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(body, 0, length);
        return submit(new Command()
        {
            long refusedSinceNs;
            boolean refused;

            boolean execute(final ClientAgent agent)
            {
                final long nowNs = context.nanoClock().nanoTime();
                if (!refused)
                {
                    refused = true;
                    refusedSinceNs = nowNs;
                }
                else if (nowNs - refusedSinceNs >= timeoutNs)
                {
                    future.completeExceptionally(new RfsException("node " + nodeId + " is not reachable (could not " +
                        "send it a " + MessageTypes.name(messageType) + " for " + timeoutNs / 1_000_000 + " ms)"));
                    return true;
                }
                final long correlationId = pending.register(nodeId, new ResponseListener()
                {
                    public void onResponse(final long id, final int source, final int type, final DirectBuffer response,
                        final int offset, final int responseLength)
                    {
                        final byte[] copy = new byte[responseLength];
                        response.getBytes(offset, copy);
                        future.complete(new Reply(source, type, copy));
                    }

                    public void onTimeout(final long id)
                    {
                        future.completeExceptionally(new RfsException("node " + nodeId + " did not answer a " +
                            MessageTypes.name(messageType) + " within " + timeoutNs / 1_000_000 + " ms"));
                    }
                }, timeoutNs);
                if (correlationId == PendingRequests.REFUSED)
                {
                    return false;
                }
                if (!transport.offer(nodeId, messageType, correlationId, buffer, 0, length))
                {
                    pending.cancel(correlationId);
                    return false;
                }
                return true;
            }
        });
    }

    /**
     * Reports a replica whose bytes did not verify; see {@link QuorumReader#reportBadReplica}.
     *
     * @param nodeId  the replica.
     * @param chunkId the chunk.
     * @param reason  what was wrong.
     */
    public void reportBadReplica(final int nodeId, final ChunkId chunkId, final ReplicaFailure reason)
    {
        submit(new Command()
        {
            boolean execute(final ClientAgent agent)
            {
                reader.reportBadReplica(nodeId, chunkId, reason);
                future.complete(null);
                return true;
            }
        });
    }

    /**
     * Runs a task on the agent's thread, e.g. to read the writer's or reader's counters.
     *
     * @param task the task.
     * @param <T>  its result.
     * @return completes with the task's result.
     */
    public <T> CompletableFuture<T> call(final Function<ClientAgent, T> task)
    {
        return submit(new Command()
        {
            boolean execute(final ClientAgent agent)
            {
                future.complete(task.apply(agent));
                return true;
            }
        });
    }
}

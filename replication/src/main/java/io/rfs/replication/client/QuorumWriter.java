package io.rfs.replication.client;

import io.rfs.replication.ConsistencyLevel;
import io.rfs.replication.protocol.MalformedMessageException;
import io.rfs.replication.protocol.MessageTypes;
import io.rfs.replication.protocol.PutChunkRequestDescriptor;
import io.rfs.replication.protocol.PutChunkRequestEncoder;
import io.rfs.replication.protocol.PutChunkResponseDecoder;
import io.rfs.replication.protocol.PutManifestRequestDescriptor;
import io.rfs.replication.protocol.PutManifestRequestEncoder;
import io.rfs.replication.protocol.PutManifestResponseDecoder;
import io.rfs.replication.protocol.Status;
import io.rfs.replication.ring.Ring;
import io.rfs.replication.transport.PendingRequests;
import io.rfs.replication.transport.ResponseListener;
import io.rfs.replication.transport.Transport;
import io.rfs.store.ConfigurationException;
import io.rfs.store.chunk.ChunkId;
import io.rfs.store.manifest.Manifest;
import io.rfs.store.manifest.ManifestCodec;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The client side of the write path (DESIGN.md section 5): sends a chunk or a manifest to the N owners the ring
 * names for it and reports, once per write, success when W of them acknowledged it ({@code OK} or
 * {@code ALREADY_HAD}, both mean forced) or failure when W can no longer be reached (more than N - W owners answered
 * anything else, or did not answer before the write's deadline). W comes from the {@link ConsistencyLevel} and the
 * ring's replication factor.
 * <pre>{@code
 * final QuorumWriter writer = new QuorumWriter(new QuorumWriter.Context()
 *     .ring(ring).transport(transport).pendingRequests(pending).consistencyLevel(ConsistencyLevel.QUORUM)
 *     .nanoClock(clock));
 * final long writeId = writer.putChunk(id, rawLength, compressed, payload, 0, storedLength, ConsistencyLevel.ALL,
 *     listener);
 * if (writeId == QuorumWriter.REFUSED)
 * {
 *     // Context#maxWrites() writes in flight: keep the chunk and submit it again after doWork() ended some
 * }
 * poller.doWork();   // the client's one ResponsePoller: polls the transport, routes answers, expires requests
 * writer.doWork();   // sends what is unsent, ends the writes whose outcome is known, calls listeners
 * }</pre>
 * <p>
 * <b>Shared transport.</b> The writer never polls: the client's transport has one poll, done by a
 * {@link ResponsePoller} that hands each response to the shared {@link PendingRequests}, which calls the listener
 * registered under its correlation id (here, the write's). The {@link QuorumReader} shares the same two objects.
 * <p>
 * <b>Consistency per request.</b> Each put may name its own {@link ConsistencyLevel}; the overloads without one
 * use {@link Context#consistencyLevel()}.
 * <p>
 * <b>Sending.</b> A request the transport refuses (back-pressure, or the owner is not reachable) is offered again
 * on every duty cycle until the write's deadline, {@link Context#requestTimeoutNs()} after it was submitted; an
 * owner not reached by then counts as {@link ReplicaFailure#TIMED_OUT}, as does one that did not answer. Once the
 * outcome is known, requests not yet sent are dropped and late answers are ignored (counted by
 * {@link PendingRequests#unmatchedResponses()}): a write acknowledged by W owners may still land on the others, and
 * repair brings lagging owners up to date either way.
 * <p>
 * <b>Payloads.</b> A chunk's payload goes out as the gather part of the offer. The caller keeps those bytes
 * unchanged until the listener has been called, and, on a transport that sends them without copying, until that
 * transport's {@code PayloadReleaseHandler} released them. Manifests are encoded by the writer on each send.
 * <p>
 * <b>Bounds.</b> At most {@link Context#maxWrites()} writes are in flight; {@code putChunk} and
 * {@code putManifest} return {@link #REFUSED} beyond that. The state of each write is preallocated, so steady-state
 * chunk writes allocate nothing but the listener's failure report.
 * <p>
 * <b>Threads.</b> Single writer: the client agent's thread owns the writer, the transport and the pending requests
 * and calls every method.
 * This slice does not watch ring changes: the replica set is taken from the ring given at construction.
 */
public final class QuorumWriter implements Agent
{
    /** Returned by the put methods when {@link Context#maxWrites()} writes are in flight. Write ids are positive. */
    public static final long REFUSED = -1;

    private static final int UNSENT = 0;
    private static final int SENT = 1;
    private static final int ACKNOWLEDGED = 2;
    private static final int FAILED = 3;

    private final Ring ring;
    private final Transport transport;
    private final NanoClock clock;
    private final long requestTimeoutNs;
    private final ConsistencyLevel consistencyLevel;
    private final PendingRequests pending;
    private final Write[] freeWrites;
    private int freeCount;
    private final Write[] active;
    private int activeCount;
    private long nextWriteId = 1;
    private final UnsafeBuffer manifestBuffer;
    private final PutManifestRequestEncoder manifestEncoder = new PutManifestRequestEncoder();
    private final PutChunkResponseDecoder chunkResponse = new PutChunkResponseDecoder();
    private final PutManifestResponseDecoder manifestResponse = new PutManifestResponseDecoder();

    /**
     * @param context concluded here if it has not been.
     */
    public QuorumWriter(final Context context)
    {
        context.conclude();
        this.ring = context.ring();
        this.transport = context.transport();
        this.clock = context.nanoClock();
        this.requestTimeoutNs = context.requestTimeoutNs();
        this.consistencyLevel = context.consistencyLevel();
        final int maxWrites = context.maxWrites();
        this.pending = context.pendingRequests();
        this.freeWrites = new Write[maxWrites];
        this.active = new Write[maxWrites];
        for (int i = 0; i < maxWrites; i++)
        {
            freeWrites[i] = new Write();
        }
        this.freeCount = maxWrites;
        this.manifestBuffer = new UnsafeBuffer(new byte[transport.maxMessageLength()]);
    }

    /**
     * Submits a chunk for its owners at {@link Context#consistencyLevel()}; see
     * {@link #putChunk(ChunkId, int, boolean, DirectBuffer, int, int, ConsistencyLevel, WriteListener)}.
     *
     * @param id            the chunk's id.
     * @param rawLength     its uncompressed length.
     * @param compressed    true if the payload is LZ4-compressed.
     * @param payload       the chunk as it is to be stored.
     * @param payloadOffset where it starts.
     * @param payloadLength its length, at least 1.
     * @param listener      told once how the write ended.
     * @return the write's id, or {@link #REFUSED}.
     */
    public long putChunk(
        final ChunkId id,
        final int rawLength,
        final boolean compressed,
        final DirectBuffer payload,
        final int payloadOffset,
        final int payloadLength,
        final WriteListener listener)
    {
        return putChunk(id, rawLength, compressed, payload, payloadOffset, payloadLength, consistencyLevel, listener);
    }

    /**
     * Submits a chunk for its owners. Nothing is sent before the next {@link #doWork()}.
     *
     * @param id            the chunk's id; its first 8 bytes place it on the ring.
     * @param rawLength     its uncompressed length.
     * @param compressed    true if the payload is LZ4-compressed.
     * @param payload       the chunk as it is to be stored; kept unchanged until the listener is called.
     * @param payloadOffset where it starts.
     * @param payloadLength its length, at least 1.
     * @param level         W of this write.
     * @param listener      told once how the write ended.
     * @return the write's id, or {@link #REFUSED} if {@link Context#maxWrites()} writes are in flight.
     * @throws IllegalArgumentException if a length is out of range or the request would not fit a message.
     */
    public long putChunk(
        final ChunkId id,
        final int rawLength,
        final boolean compressed,
        final DirectBuffer payload,
        final int payloadOffset,
        final int payloadLength,
        final ConsistencyLevel level,
        final WriteListener listener)
    {
        checkListener(listener);
        checkLevel(level);
        if (PutChunkRequestDescriptor.BLOCK_LENGTH + (long)payloadLength > transport.maxMessageLength())
        {
            throw new IllegalArgumentException("payloadLength=" + payloadLength + " does not fit a message of " +
                transport.maxMessageLength() + " bytes after the " + PutChunkRequestDescriptor.BLOCK_LENGTH +
                "-byte fields");
        }
        if (freeCount == 0)
        {
            return REFUSED;
        }
        final Write write = freeWrites[freeCount - 1];
        write.chunkEncoder.wrap(write.fields, 0).chunkId(id).rawLength(rawLength).compressed(compressed)
            .payloadLength(payloadLength);   // checks the lengths before the slot is taken
        freeCount--;
        write.chunkId = id;
        write.payload = payload;
        write.payloadOffset = payloadOffset;
        write.payloadLength = payloadLength;
        return start(write, Ring.chunkPosition(id), level, listener);
    }

    /**
     * Submits a manifest at {@link Context#consistencyLevel()}; see
     * {@link #putManifest(Manifest, ConsistencyLevel, WriteListener)}.
     *
     * @param manifest the version to write.
     * @param listener told once how the write ended.
     * @return the write's id, or {@link #REFUSED}.
     */
    public long putManifest(final Manifest manifest, final WriteListener listener)
    {
        return putManifest(manifest, consistencyLevel, listener);
    }

    /**
     * Submits a manifest for the owners of its name. Nothing is sent before the next {@link #doWork()}. Hashes the
     * name, so it allocates.
     *
     * @param manifest the version to write, kept by the writer until the listener is called.
     * @param level    W of this write.
     * @param listener told once how the write ended.
     * @return the write's id, or {@link #REFUSED} if {@link Context#maxWrites()} writes are in flight.
     * @throws IllegalArgumentException if the encoded manifest would not fit a message.
     */
    public long putManifest(final Manifest manifest, final ConsistencyLevel level, final WriteListener listener)
    {
        checkListener(listener);
        checkLevel(level);
        final int length = ManifestCodec.encodedLength(manifest);
        if (PutManifestRequestDescriptor.BLOCK_LENGTH + (long)length > transport.maxMessageLength())
        {
            throw new IllegalArgumentException("manifest '" + manifest.name() + "' encodes to " + length +
                " bytes, more than a message of " + transport.maxMessageLength() + " bytes carries");
        }
        if (freeCount == 0)
        {
            return REFUSED;
        }
        final Write write = freeWrites[--freeCount];
        write.manifest = manifest;
        return start(write, Ring.manifestPosition(manifest.name()), level, listener);
    }

    private static void checkLevel(final ConsistencyLevel level)
    {
        if (level == null)
        {
            throw new IllegalArgumentException("level=null");
        }
    }

    private static void checkListener(final WriteListener listener)
    {
        if (listener == null)
        {
            throw new IllegalArgumentException("listener=null");
        }
    }

    private long start(final Write write, final long position, final ConsistencyLevel level, final WriteListener listener)
    {
        write.writeId = nextWriteId++;
        write.level = level;
        write.required = level.required(ring.replicationFactor());
        write.listener = listener;
        write.deadlineNs = clock.nanoTime() + requestTimeoutNs;
        write.replicaCount = ring.replicas(position, write.replicas);
        for (int i = 0; i < write.replicaCount; i++)
        {
            write.states[i] = UNSENT;
            write.correlationIds[i] = 0;
            write.failures[i] = null;
        }
        write.acknowledgements = 0;
        write.failureCount = 0;
        active[activeCount++] = write;
        return write.writeId;
    }

    /**
     * Offers what is unsent and calls the listeners of the writes whose outcome is known. Answers and timeouts
     * reach the writes through the shared {@link PendingRequests}, driven by the client's {@link ResponsePoller}.
     *
     * @return work done.
     */
    @Override
    public int doWork()
    {
        int work = 0;
        final long nowNs = clock.nanoTime();
        int i = 0;
        while (i < activeCount)
        {
            final Write write = active[i];
            work += write.send(nowNs);
            if (write.isDecided())
            {
                active[i] = active[--activeCount];
                active[activeCount] = null;
                write.finish();
                work++;
            }
            else
            {
                i++;
            }
        }
        return work;
    }

    /**
     * @return writes in flight.
     */
    public int inFlight()
    {
        return activeCount;
    }

    /**
     * @return W at {@link Context#consistencyLevel()}, the acknowledgements a write that names no level needs.
     */
    public int required()
    {
        return consistencyLevel.required(ring.replicationFactor());
    }

    /**
     * @return the client's shared requests, for their counters (late and unmatched answers, timeouts).
     */
    public PendingRequests pendingRequests()
    {
        return pending;
    }

    @Override
    public String roleName()
    {
        return "quorum-writer-" + transport.localNodeId();
    }

    /**
     * One write's state, preallocated and reused; the listener of its requests.
     */
    private final class Write implements ResponseListener
    {
        final UnsafeBuffer fields = new UnsafeBuffer(new byte[PutChunkRequestDescriptor.BLOCK_LENGTH]);
        final PutChunkRequestEncoder chunkEncoder = new PutChunkRequestEncoder();
        final int[] replicas = new int[Ring.MAX_REPLICATION_FACTOR];
        final long[] correlationIds = new long[Ring.MAX_REPLICATION_FACTOR];
        final int[] states = new int[Ring.MAX_REPLICATION_FACTOR];
        final ReplicaFailure[] failures = new ReplicaFailure[Ring.MAX_REPLICATION_FACTOR];
        long writeId;
        ConsistencyLevel level;
        int required;
        WriteListener listener;
        long deadlineNs;
        int replicaCount;
        int acknowledgements;
        int failureCount;
        ChunkId chunkId;
        DirectBuffer payload;
        int payloadOffset;
        int payloadLength;
        Manifest manifest;

        int send(final long nowNs)
        {
            int sent = 0;
            for (int r = 0; r < replicaCount && !isDecided(); r++)
            {
                if (states[r] != UNSENT)
                {
                    continue;
                }
                final long remainingNs = deadlineNs - nowNs;
                if (remainingNs <= 0)
                {
                    fail(r, ReplicaFailure.TIMED_OUT);
                    continue;
                }
                final long correlationId = pending.register(replicas[r], this, remainingNs);
                if (correlationId == PendingRequests.REFUSED)
                {
                    break;
                }
                if (offer(replicas[r], correlationId))
                {
                    correlationIds[r] = correlationId;
                    states[r] = SENT;
                    sent++;
                }
                else
                {
                    pending.cancel(correlationId);
                }
            }
            return sent;
        }

        private boolean offer(final int nodeId, final long correlationId)
        {
            if (manifest == null)
            {
                return transport.offer(nodeId, MessageTypes.PUT_CHUNK_REQUEST, correlationId,
                    fields, 0, PutChunkRequestDescriptor.BLOCK_LENGTH, payload, payloadOffset, payloadLength);
            }
            manifestEncoder.wrap(manifestBuffer, 0).manifest(manifest);
            return transport.offer(nodeId, MessageTypes.PUT_MANIFEST_REQUEST, correlationId,
                manifestBuffer, 0, manifestEncoder.encodedLength());
        }

        boolean isDecided()
        {
            return acknowledgements >= required || failureCount > replicaCount - required;
        }

        @Override
        public void onResponse(
            final long correlationId,
            final int sourceNodeId,
            final int messageType,
            final DirectBuffer buffer,
            final int offset,
            final int length)
        {
            final int r = replicaOf(correlationId);
            if (r < 0)
            {
                return;
            }
            if (messageType == MessageTypes.ERROR)
            {
                fail(r, ReplicaFailure.REJECTED);
                return;
            }
            try
            {
                final Status status = statusOf(messageType, buffer, offset, length);
                if (status == Status.OK || status == Status.ALREADY_HAD)
                {
                    states[r] = ACKNOWLEDGED;
                    acknowledgements++;
                }
                else
                {
                    fail(r, failureOf(status));
                }
            }
            catch (final MalformedMessageException ex)
            {
                fail(r, ReplicaFailure.BAD_RESPONSE);
            }
        }

        /**
         * @return the status the answer carries, or null if it does not answer this write.
         */
        private Status statusOf(final int messageType, final DirectBuffer buffer, final int offset, final int length)
            throws MalformedMessageException
        {
            if (manifest == null && messageType == MessageTypes.PUT_CHUNK_RESPONSE)
            {
                chunkResponse.wrap(buffer, offset, length);
                return chunkId.matches(buffer, chunkResponse.chunkIdOffset()) ? chunkResponse.status() : null;
            }
            if (manifest != null && messageType == MessageTypes.PUT_MANIFEST_RESPONSE)
            {
                return manifestResponse.wrap(buffer, offset, length).status();
            }
            return null;
        }

        private ReplicaFailure failureOf(final Status status)
        {
            if (status == null)
            {
                return ReplicaFailure.BAD_RESPONSE;
            }
            switch (status)
            {
                case CORRUPT:
                    return ReplicaFailure.CORRUPT;
                case DISK_FULL:
                    return ReplicaFailure.DISK_FULL;
                case ERROR:
                    return ReplicaFailure.FAILED;
                default:
                    return ReplicaFailure.BAD_RESPONSE;
            }
        }

        @Override
        public void onTimeout(final long correlationId)
        {
            final int r = replicaOf(correlationId);
            if (r >= 0)
            {
                fail(r, ReplicaFailure.TIMED_OUT);
            }
        }

        private int replicaOf(final long correlationId)
        {
            for (int r = 0; r < replicaCount; r++)
            {
                if (states[r] == SENT && correlationIds[r] == correlationId)
                {
                    return r;
                }
            }
            return -1;
        }

        private void fail(final int r, final ReplicaFailure failure)
        {
            states[r] = FAILED;
            failures[r] = failure;
            failureCount++;
        }

        /**
         * Drops the requests still out, frees this write for reuse, then calls the listener (which may reuse it).
         */
        void finish()
        {
            for (int r = 0; r < replicaCount; r++)
            {
                if (states[r] == SENT)
                {
                    pending.cancel(correlationIds[r]);
                }
            }
            final WriteListener toTell = listener;
            final long endedWriteId = writeId;
            final int acknowledged = acknowledgements;
            final QuorumWriteException failure = acknowledged >= required ? null : failure();
            listener = null;
            payload = null;
            manifest = null;
            chunkId = null;
            freeWrites[freeCount++] = this;
            if (failure == null)
            {
                toTell.onWritten(endedWriteId, acknowledged);
            }
            else
            {
                toTell.onFailed(endedWriteId, failure);
            }
        }

        private QuorumWriteException failure()
        {
            final Map<Integer, ReplicaFailure> byNode = new LinkedHashMap<>();
            for (int r = 0; r < replicaCount; r++)
            {
                if (states[r] == FAILED)
                {
                    byNode.put(replicas[r], failures[r]);
                }
            }
            final String key = manifest == null ? "chunk " + chunkId.toHex() : "manifest '" + manifest.name() + "'";
            return new QuorumWriteException(key + " at " + level, required, replicaCount,
                acknowledgements, byNode);
        }
    }

    /**
     * Configuration of a {@link QuorumWriter}.
     */
    public static final class Context
    {
        /** Default time a write may take before its unanswered owners count as timed out. */
        public static final long REQUEST_TIMEOUT_NS_DEFAULT = TimeUnit.SECONDS.toNanos(10);
        /** Default most writes in flight. */
        public static final int MAX_WRITES_DEFAULT = 64;
        /** Largest number of writes in flight. */
        public static final int MAX_MAX_WRITES = 1 << 14;
        private Ring ring;
        private Transport transport;
        private PendingRequests pendingRequests;
        private ConsistencyLevel consistencyLevel = ConsistencyLevel.QUORUM;
        private NanoClock nanoClock;
        private long requestTimeoutNs = REQUEST_TIMEOUT_NS_DEFAULT;
        private int maxWrites = MAX_WRITES_DEFAULT;

        /**
         * Checks the settings and fills in defaults.
         *
         * @return this.
         * @throws ConfigurationException naming the first setting that is wrong.
         */
        public Context conclude()
        {
            if (ring == null)
            {
                throw new ConfigurationException("ring", null, "is required");
            }
            if (transport == null)
            {
                throw new ConfigurationException("transport", null, "is required");
            }
            if (pendingRequests == null)
            {
                throw new ConfigurationException("pendingRequests", null, "is required");
            }
            if (consistencyLevel == null)
            {
                throw new ConfigurationException("consistencyLevel", null, "is required");
            }
            if (requestTimeoutNs <= 0)
            {
                throw new ConfigurationException("requestTimeoutNs", requestTimeoutNs, "must be positive");
            }
            if (maxWrites < 1 || maxWrites > MAX_MAX_WRITES)
            {
                throw new ConfigurationException("maxWrites", maxWrites, "must be 1.." + MAX_MAX_WRITES);
            }
            if (nanoClock == null)
            {
                nanoClock = SystemNanoClock.INSTANCE;
            }
            return this;
        }

        public Ring ring()
        {
            return ring;
        }

        /**
         * @param ring names each key's owners and N; required.
         * @return this.
         */
        public Context ring(final Ring ring)
        {
            this.ring = ring;
            return this;
        }

        public Transport transport()
        {
            return transport;
        }

        /**
         * @param transport the client's endpoint, owned by the writer's thread; required. Not closed by the writer.
         * @return this.
         */
        public Context transport(final Transport transport)
        {
            this.transport = transport;
            return this;
        }

        public PendingRequests pendingRequests()
        {
            return pendingRequests;
        }

        /**
         * @param pendingRequests the client's one table of requests in flight, shared with the reader and driven by
         *                        the client's {@link ResponsePoller}; required. Its capacity should take
         *                        {@link #maxWrites()} times N requests besides the reader's.
         * @return this.
         */
        public Context pendingRequests(final PendingRequests pendingRequests)
        {
            this.pendingRequests = pendingRequests;
            return this;
        }

        public ConsistencyLevel consistencyLevel()
        {
            return consistencyLevel;
        }

        /**
         * @param consistencyLevel sets W of N for the writes that name no level; default
         *                         {@link ConsistencyLevel#QUORUM}.
         * @return this.
         */
        public Context consistencyLevel(final ConsistencyLevel consistencyLevel)
        {
            this.consistencyLevel = consistencyLevel;
            return this;
        }

        public NanoClock nanoClock()
        {
            return nanoClock;
        }

        /**
         * @param nanoClock source of time for deadlines; default the system's monotonic clock. Tests pass a
         *                  {@code CachedNanoClock} they step by hand.
         * @return this.
         */
        public Context nanoClock(final NanoClock nanoClock)
        {
            this.nanoClock = nanoClock;
            return this;
        }

        public long requestTimeoutNs()
        {
            return requestTimeoutNs;
        }

        /**
         * @param requestTimeoutNs how long after submission a write's owners may take to acknowledge it, sending
         *                         included; default {@link #REQUEST_TIMEOUT_NS_DEFAULT}.
         * @return this.
         */
        public Context requestTimeoutNs(final long requestTimeoutNs)
        {
            this.requestTimeoutNs = requestTimeoutNs;
            return this;
        }

        public int maxWrites()
        {
            return maxWrites;
        }

        /**
         * @param maxWrites most writes in flight; more are refused, not queued. Default
         *                  {@link #MAX_WRITES_DEFAULT}.
         * @return this.
         */
        public Context maxWrites(final int maxWrites)
        {
            this.maxWrites = maxWrites;
            return this;
        }
    }
}

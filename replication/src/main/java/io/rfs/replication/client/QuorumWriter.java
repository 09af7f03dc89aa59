package io.rfs.replication.client;

import io.rfs.replication.ConsistencyLevel;
import io.rfs.replication.PartitionMode;
import io.rfs.replication.protocol.MalformedMessageException;
import io.rfs.replication.protocol.MessageTypes;
import io.rfs.replication.protocol.PutChunkRequestDescriptor;
import io.rfs.replication.protocol.PutChunkRequestEncoder;
import io.rfs.replication.protocol.PutChunkResponseDecoder;
import io.rfs.replication.protocol.PutManifestRequestDescriptor;
import io.rfs.replication.protocol.PutManifestRequestEncoder;
import io.rfs.replication.protocol.PutManifestResponseDecoder;
import io.rfs.replication.protocol.Status;
import io.rfs.replication.ring.PreferenceList;
import io.rfs.replication.ring.Ring;
import io.rfs.replication.transport.PendingRequests;
import io.rfs.replication.transport.ResponseListener;
import io.rfs.replication.transport.Transport;
import io.rfs.store.ConfigurationException;
import io.rfs.store.chunk.ChunkId;
import io.rfs.store.manifest.Manifest;
import io.rfs.store.manifest.ManifestCodec;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The client side of the write path (DESIGN.md section 5): sends a chunk or a manifest to the N owners the ring
 * names for it and reports, once per write, success when W of them acknowledged it ({@code OK} or
 * {@code ALREADY_HAD}, both mean forced) or failure when W can no longer be reached (more than N - W owners answered
 * anything else, or did not answer before the write's deadline; in availability mode stand-ins are asked first, see
 * "Partitions" below). W comes from the {@link ConsistencyLevel} and the ring's replication factor.
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
 * <b>Partitions</b> ({@link Context#partitionMode()}, PACELC: the choice between consistency and availability when
 * owners cannot be reached, docs/CLIENT.md "Partitions"). The writer shares the client's {@link NodeHealth} with the
 * reader and feeds it: an answer clears a node; a timeout or an {@code Error} counts as a failure, and so, in
 * availability mode, does a node still silent {@link Context#attemptTimeoutNs()} after it was first offered the
 * write.
 * <ul>
 * <li>{@link PartitionMode#CONSISTENCY} (the default): a write goes to the N owners only. If fewer than W owners are
 * up per {@link NodeHealth} when it starts, the owners that are down are not asked ({@link ReplicaFailure#DOWN}), the
 * live ones are, and the write fails as soon as they answered, without waiting for its deadline.</li>
 * <li>{@link PartitionMode#AVAILABILITY} (sloppy quorum): an owner that {@link NodeHealth} marks down when the write
 * starts, or that has not answered {@link Context#attemptTimeoutNs()} after it was first offered, or that answered
 * {@code Error} or timed out, gets a stand-in: the next node of the key's {@link PreferenceList} beyond the N owners
 * that is up and not yet part of this write (one in the owner's zone first). The stand-in is sent the write with
 * {@code HINTED} and {@code hinted for = owner} (PROTOCOL.md 5.3, 5.9) and its acknowledgement counts towards W
 * only with {@code HINT_RECORDED}; on {@code HINTS_FULL}, an {@code Error}, an answer without {@code HINT_RECORDED}
 * or its own attempt timeout, the next stand-in is asked for the same owner. An owner that keeps the request and
 * answers late still counts. Owners that answered {@code CORRUPT}, {@code DISK_FULL} or {@code ERROR} are reachable
 * and get no stand-in. The write fails when fewer than W acknowledgements are still possible: no request is
 * outstanding or no candidate stand-in is left.</li>
 * </ul>
 * <p>
 * <b>Threads.</b> Single writer: the client agent's thread owns the writer, the transport and the pending requests
 * and calls every method.
 * This slice does not watch ring changes: the replica set is taken from the ring given at construction.
 */
public final class QuorumWriter implements Agent
{
    /** Returned by the put methods when {@link Context#maxWrites()} writes are in flight. Write ids are positive. */
    public static final long REFUSED = -1;
    /** Initial length of a buffer manifests are encoded into to be sent: a small file's manifest fits. */
    static final int MANIFEST_BUFFER_INITIAL_LENGTH = 4096;

    private static final int UNSENT = 0;
    private static final int SENT = 1;
    private static final int ACKNOWLEDGED = 2;
    private static final int FAILED = 3;
    private static final int NOT_HINTED = PutChunkRequestDescriptor.NOT_HINTED;

    private final Ring ring;
    private final Transport transport;
    private final NanoClock clock;
    private final long requestTimeoutNs;
    private final long attemptTimeoutNs;
    private final ConsistencyLevel consistencyLevel;
    private final PartitionMode partitionMode;
    private final NodeHealth health;
    private final PendingRequests pending;
    private final PreferenceList preferences = new PreferenceList();
    private final Write[] freeWrites;
    private int freeCount;
    private final Write[] active;
    private int activeCount;
    private long nextWriteId = 1;
    private long hintedAcknowledgements;
    private long standInsAsked;
    /**
     * Grows to the largest manifest this writer sent. Sized at the transport's largest message up front it was 8 MiB
     * of every client's heap (as much as the chunk buffers of a whole get), for manifests that are a few KiB up to
     * 400 KiB for a 10 GiB file of 1 MiB chunks.
     */
    private final ExpandableArrayBuffer manifestBuffer = new ExpandableArrayBuffer(MANIFEST_BUFFER_INITIAL_LENGTH);
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
        this.attemptTimeoutNs = context.attemptTimeoutNs();
        this.consistencyLevel = context.consistencyLevel();
        this.partitionMode = context.partitionMode();
        this.health = context.nodeHealth();
        final int maxWrites = context.maxWrites();
        this.pending = context.pendingRequests();
        this.freeWrites = new Write[maxWrites];
        this.active = new Write[maxWrites];
        final int slots = Math.max(Math.max(1, ring.replicaCount()), ring.nodeCount());
        for (int i = 0; i < maxWrites; i++)
        {
            freeWrites[i] = new Write(slots);
        }
        this.freeCount = maxWrites;
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
        final long nowNs = clock.nanoTime();
        write.writeId = nextWriteId++;
        write.level = level;
        write.required = level.required(ring.replicationFactor());
        write.listener = listener;
        write.deadlineNs = nowNs + requestTimeoutNs;
        write.ownerCount = ring.replicas(position, write.nodes);
        write.slotCount = write.ownerCount;
        write.fallbacks.reset(position, write.ownerCount);
        write.acknowledgements = 0;
        write.failureCount = 0;
        write.waitForAnswers = false;
        for (int r = 0; r < write.ownerCount; r++)
        {
            write.reset(r, NOT_HINTED, nowNs);
        }
        write.skipDownOwners(nowNs);
        active[activeCount++] = write;
        return write.writeId;
    }

    /**
     * Offers what is unsent, asks stand-ins for owners that are late (availability mode), and calls the listeners of
     * the writes whose outcome is known. Answers and timeouts reach the writes through the shared
     * {@link PendingRequests}, driven by the client's {@link ResponsePoller}.
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
     * @return what a write does when owners cannot be reached.
     */
    public PartitionMode partitionMode()
    {
        return partitionMode;
    }

    /**
     * @return acknowledgements from stand-ins with {@code HINT_RECORDED} so far (availability mode), each a copy
     * some node keeps for an owner until it hands it over.
     */
    public long hintedAcknowledgements()
    {
        return hintedAcknowledgements;
    }

    /**
     * @return stand-ins chosen so far (availability mode), each for a hinted write, whether or not it was sent before
     * its write ended.
     */
    public long standInsAsked()
    {
        return standInsAsked;
    }

    /**
     * @return the client's shared requests, for their counters (late and unmatched answers, timeouts).
     */
    public PendingRequests pendingRequests()
    {
        return pending;
    }

    /**
     * @return the health tracker the writer consults and feeds, shared with the reader.
     */
    public NodeHealth nodeHealth()
    {
        return health;
    }

    @Override
    public String roleName()
    {
        return "quorum-writer-" + transport.localNodeId();
    }

    /**
     * One write's state, preallocated and reused; the listener of its requests. Slots {@code 0..ownerCount-1} are
     * the owners in replica-set order; stand-ins are appended after them. No node is in two slots.
     */
    private final class Write implements ResponseListener
    {
        final UnsafeBuffer fields = new UnsafeBuffer(new byte[PutChunkRequestDescriptor.BLOCK_LENGTH]);
        final PutChunkRequestEncoder chunkEncoder = new PutChunkRequestEncoder();
        final int[] nodes;
        final int[] hintedFor;
        final long[] correlationIds;
        final long[] attemptStartNs;
        final int[] states;
        final boolean[] expired;
        final ReplicaFailure[] failures;
        final FallbackNodes fallbacks = new FallbackNodes(ring, preferences, health);
        long writeId;
        ConsistencyLevel level;
        int required;
        WriteListener listener;
        long deadlineNs;
        int ownerCount;
        int slotCount;
        int acknowledgements;
        int failureCount;
        boolean waitForAnswers;
        ChunkId chunkId;
        DirectBuffer payload;
        int payloadOffset;
        int payloadLength;
        Manifest manifest;

        Write(final int slots)
        {
            nodes = new int[slots];
            hintedFor = new int[slots];
            correlationIds = new long[slots];
            attemptStartNs = new long[slots];
            states = new int[slots];
            expired = new boolean[slots];
            failures = new ReplicaFailure[slots];
        }

        void reset(final int s, final int owner, final long nowNs)
        {
            hintedFor[s] = owner;
            states[s] = UNSENT;
            correlationIds[s] = 0;
            attemptStartNs[s] = nowNs;
            expired[s] = false;
            failures[s] = null;
        }

        /**
         * Applies what {@link NodeHealth} knows when the write starts: in availability mode a down owner is replaced
         * by a stand-in (and still asked if there is none); in consistency mode, if the owners that are up cannot
         * make W, the down ones are failed at once and the write ends when the others answered.
         */
        void skipDownOwners(final long nowNs)
        {
            if (partitionMode == PartitionMode.AVAILABILITY)
            {
                for (int r = 0; r < ownerCount; r++)
                {
                    if (!health.isUp(nodes[r], nowNs) && addStandIn(nodes[r], nowNs))
                    {
                        expired[r] = true;
                        markFailed(r, ReplicaFailure.DOWN);
                    }
                }
                return;
            }
            int up = 0;
            for (int r = 0; r < ownerCount; r++)
            {
                if (health.isUp(nodes[r], nowNs))
                {
                    up++;
                }
            }
            if (up < required && up < ownerCount)
            {
                waitForAnswers = true;
                for (int r = 0; r < ownerCount; r++)
                {
                    if (!health.isUp(nodes[r], nowNs))
                    {
                        expired[r] = true;
                        markFailed(r, ReplicaFailure.DOWN);
                    }
                }
            }
        }

        int send(final long nowNs)
        {
            int sent = 0;
            for (int s = 0; s < slotCount && !isDecided(); s++)
            {
                if (states[s] == UNSENT)
                {
                    final long remainingNs = deadlineNs - nowNs;
                    if (remainingNs <= 0)
                    {
                        fail(s, ReplicaFailure.TIMED_OUT);
                        continue;
                    }
                    final long correlationId = pending.register(nodes[s], this, remainingNs);
                    if (correlationId == PendingRequests.REFUSED)
                    {
                        break;
                    }
                    if (offer(s, correlationId))
                    {
                        correlationIds[s] = correlationId;
                        states[s] = SENT;
                        sent++;
                    }
                    else
                    {
                        pending.cancel(correlationId);
                    }
                }
                if (partitionMode == PartitionMode.AVAILABILITY && (states[s] == UNSENT || states[s] == SENT) &&
                    !expired[s] && nowNs - attemptStartNs[s] >= attemptTimeoutNs)
                {
                    // Late, not failed: its answer still counts if it comes before the deadline. Only here does
                    // lateness count for the health tracker: a consistency write has nothing to gain from it, and a
                    // loaded node that is merely slow should not be ejected from reads for it.
                    expired[s] = true;
                    health.onFailure(nodes[s], nowNs);
                    if (addStandIn(ownerOf(s), nowNs))
                    {
                        sent++;
                    }
                }
            }
            return sent;
        }

        private int ownerOf(final int s)
        {
            return hintedFor[s] == NOT_HINTED ? nodes[s] : hintedFor[s];
        }

        /**
         * Appends a stand-in for an owner ({@link FallbackNodes#pick}).
         *
         * @return true if one was found.
         */
        private boolean addStandIn(final int owner, final long nowNs)
        {
            final int chosen = fallbacks.pick(owner, nodes, slotCount, nowNs);
            if (chosen == FallbackNodes.NONE || slotCount == nodes.length)
            {
                return false;
            }
            final int s = slotCount++;
            nodes[s] = chosen;
            reset(s, owner, nowNs);
            standInsAsked++;
            return true;
        }

        private boolean offer(final int s, final long correlationId)
        {
            if (manifest == null)
            {
                chunkEncoder.hintedFor(hintedFor[s]);
                return transport.offer(nodes[s], MessageTypes.PUT_CHUNK_REQUEST, correlationId,
                    fields, 0, PutChunkRequestDescriptor.BLOCK_LENGTH, payload, payloadOffset, payloadLength);
            }
            manifestEncoder.wrap(manifestBuffer, 0).hintedFor(hintedFor[s]).manifest(manifest);
            return transport.offer(nodes[s], MessageTypes.PUT_MANIFEST_REQUEST, correlationId,
                manifestBuffer, 0, manifestEncoder.encodedLength());
        }

        boolean isDecided()
        {
            if (acknowledgements >= required)
            {
                return true;
            }
            if (partitionMode == PartitionMode.CONSISTENCY)
            {
                return failureCount > ownerCount - required && (!waitForAnswers || openSlots() == 0);
            }
            final int open = openSlots();
            return acknowledgements + open < required &&
                (open == 0 || acknowledgements + open + fallbacks.left(nodes, slotCount, clock.nanoTime()) < required);
        }

        private int openSlots()
        {
            int open = 0;
            for (int s = 0; s < slotCount; s++)
            {
                if (states[s] == UNSENT || states[s] == SENT)
                {
                    open++;
                }
            }
            return open;
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
            final int s = slotOf(correlationId);
            if (s < 0)
            {
                return;
            }
            if (messageType == MessageTypes.ERROR)
            {
                fail(s, ReplicaFailure.REJECTED);
                return;
            }
            health.onSuccess(nodes[s]);
            try
            {
                final Status status = statusOf(messageType, buffer, offset, length);
                if (status == Status.OK || status == Status.ALREADY_HAD)
                {
                    if (hintedFor[s] == NOT_HINTED)
                    {
                        states[s] = ACKNOWLEDGED;
                        acknowledgements++;
                    }
                    else if (isHintRecorded())
                    {
                        states[s] = ACKNOWLEDGED;
                        acknowledgements++;
                        hintedAcknowledgements++;
                    }
                    else
                    {
                        fail(s, ReplicaFailure.HINT_NOT_RECORDED);
                    }
                }
                else
                {
                    fail(s, failureOf(status));
                }
            }
            catch (final MalformedMessageException ex)
            {
                fail(s, ReplicaFailure.BAD_RESPONSE);
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

        /**
         * @return the flag of the answer {@link #statusOf} just decoded.
         */
        private boolean isHintRecorded()
        {
            return manifest == null ? chunkResponse.isHintRecorded() : manifestResponse.isHintRecorded();
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
                case HINTS_FULL:
                    return ReplicaFailure.HINTS_FULL;
                default:
                    return ReplicaFailure.BAD_RESPONSE;
            }
        }

        @Override
        public void onTimeout(final long correlationId)
        {
            final int s = slotOf(correlationId);
            if (s >= 0)
            {
                fail(s, ReplicaFailure.TIMED_OUT);
            }
        }

        private int slotOf(final long correlationId)
        {
            for (int s = 0; s < slotCount; s++)
            {
                if (states[s] == SENT && correlationIds[s] == correlationId)
                {
                    return s;
                }
            }
            return -1;
        }

        private void markFailed(final int s, final ReplicaFailure failure)
        {
            states[s] = FAILED;
            failures[s] = failure;
            failureCount++;
        }

        /**
         * Fails a slot, tells the health tracker if the node did not answer or answered {@code Error} (unless its
         * lateness was told already), and, in availability mode, asks the next stand-in for its owner if the node
         * could not be reached or, being a stand-in, refused the hint; a slot that was late already has its stand-in.
         */
        private void fail(final int s, final ReplicaFailure failure)
        {
            if (!expired[s] && (failure == ReplicaFailure.TIMED_OUT || failure == ReplicaFailure.REJECTED))
            {
                health.onFailure(nodes[s], clock.nanoTime());
            }
            markFailed(s, failure);
            if (partitionMode == PartitionMode.AVAILABILITY && !expired[s] && wantsStandIn(s, failure))
            {
                expired[s] = true;
                addStandIn(ownerOf(s), clock.nanoTime());
            }
        }

        private boolean wantsStandIn(final int s, final ReplicaFailure failure)
        {
            if (failure == ReplicaFailure.CORRUPT)
            {
                return false;   // the payload is bad: every node would say so
            }
            return hintedFor[s] != NOT_HINTED || failure == ReplicaFailure.TIMED_OUT ||
                failure == ReplicaFailure.REJECTED;
        }

        /**
         * Drops the requests still out, frees this write for reuse, then calls the listener (which may reuse it).
         */
        void finish()
        {
            for (int s = 0; s < slotCount; s++)
            {
                if (states[s] == SENT)
                {
                    pending.cancel(correlationIds[s]);
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
            final Map<Integer, Integer> standIns = new LinkedHashMap<>();
            for (int s = 0; s < slotCount; s++)
            {
                if (states[s] == FAILED)
                {
                    byNode.put(nodes[s], failures[s]);
                    if (hintedFor[s] != NOT_HINTED)
                    {
                        standIns.put(nodes[s], hintedFor[s]);
                    }
                }
            }
            final String key = manifest == null ? "chunk " + chunkId.toHex() : "manifest '" + manifest.name() + "'";
            return new QuorumWriteException(key + " at " + level + " (partition.mode=" +
                partitionMode.name().toLowerCase(Locale.ROOT) + ")", required, ownerCount, acknowledgements,
                byNode, standIns);
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
        /** Default partition mode, the nodes' ({@code NodeContext.PARTITION_MODE_DEFAULT}): refuse. */
        public static final PartitionMode PARTITION_MODE_DEFAULT = PartitionMode.CONSISTENCY;
        /** The default attempt timeout is the request timeout divided by this. */
        public static final int ATTEMPT_TIMEOUT_DIVISOR_DEFAULT = 4;
        private Ring ring;
        private Transport transport;
        private PendingRequests pendingRequests;
        private ConsistencyLevel consistencyLevel = ConsistencyLevel.QUORUM;
        private NanoClock nanoClock;
        private long requestTimeoutNs = REQUEST_TIMEOUT_NS_DEFAULT;
        private int maxWrites = MAX_WRITES_DEFAULT;
        private PartitionMode partitionMode = PARTITION_MODE_DEFAULT;
        private NodeHealth nodeHealth;
        private long attemptTimeoutNs;

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
            if (partitionMode == null)
            {
                throw new ConfigurationException("partitionMode", null, "must be consistency or availability");
            }
            if (attemptTimeoutNs < 0)
            {
                throw new ConfigurationException("attemptTimeoutNs", attemptTimeoutNs, "must not be negative");
            }
            if (attemptTimeoutNs == 0)
            {
                attemptTimeoutNs = Math.max(1, requestTimeoutNs / ATTEMPT_TIMEOUT_DIVISOR_DEFAULT);
            }
            if (nodeHealth == null)
            {
                nodeHealth = new NodeHealth(NodeHealth.FAILURE_THRESHOLD_DEFAULT, NodeHealth.EJECT_NS_DEFAULT);
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

        public PartitionMode partitionMode()
        {
            return partitionMode;
        }

        /**
         * @param partitionMode what a write does when owners cannot be reached: refuse, or ask stand-ins with hints
         *                      (see the class description); default {@link #PARTITION_MODE_DEFAULT}.
         * @return this.
         */
        public Context partitionMode(final PartitionMode partitionMode)
        {
            this.partitionMode = partitionMode;
            return this;
        }

        public NodeHealth nodeHealth()
        {
            return nodeHealth;
        }

        /**
         * @param nodeHealth the client's passive health tracker, shared with its {@link QuorumReader} so that what
         *                   one learns the other uses; default a tracker of its own with {@link NodeHealth}'s
         *                   defaults.
         * @return this.
         */
        public Context nodeHealth(final NodeHealth nodeHealth)
        {
            this.nodeHealth = nodeHealth;
            return this;
        }

        public long attemptTimeoutNs()
        {
            return attemptTimeoutNs;
        }

        /**
         * @param attemptTimeoutNs in availability mode, how long a node asked for a write may leave it unanswered
         *                         before it counts as a failure for {@link NodeHealth} and a stand-in is asked in
         *                         its place (its own answer still counts until the deadline); 0 (the default) for
         *                         {@link #requestTimeoutNs()} / {@value #ATTEMPT_TIMEOUT_DIVISOR_DEFAULT}.
         * @return this.
         */
        public Context attemptTimeoutNs(final long attemptTimeoutNs)
        {
            this.attemptTimeoutNs = attemptTimeoutNs;
            return this;
        }
    }
}

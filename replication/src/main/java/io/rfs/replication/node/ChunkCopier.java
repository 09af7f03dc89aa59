package io.rfs.replication.node;

import io.rfs.replication.cluster.ClusterAgent;
import io.rfs.replication.protocol.ChunkBitmapDescriptor;
import io.rfs.replication.protocol.ChunkBitmapEncoder;
import io.rfs.replication.protocol.CopyChunksRequestDecoder;
import io.rfs.replication.protocol.CopyChunksRequestDescriptor;
import io.rfs.replication.protocol.ErrorCode;
import io.rfs.replication.protocol.ErrorEncoder;
import io.rfs.replication.protocol.GetChunkRequestDescriptor;
import io.rfs.replication.protocol.GetChunkRequestEncoder;
import io.rfs.replication.protocol.GetChunkResponseDecoder;
import io.rfs.replication.protocol.MalformedMessageException;
import io.rfs.replication.protocol.MessageTypes;
import io.rfs.replication.protocol.PutChunkRequestDescriptor;
import io.rfs.replication.protocol.PutChunkRequestEncoder;
import io.rfs.replication.protocol.PutChunkResponseDecoder;
import io.rfs.replication.protocol.Status;
import io.rfs.replication.transport.ResponseListener;
import io.rfs.store.chunk.ChunkId;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.concurrent.UnsafeBuffer;

import org.agrona.concurrent.NanoClock;

import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * Carries out the leader's copy orders ({@code CopyChunksRequest}, PROTOCOL.md 5.18) on this node: for each chunk,
 * fetch it from the source node with a {@code GetChunkRequest} that asks the source to re-hash its copy before
 * sending ({@code VERIFY}), then store it here as a put, which the storage agent verifies (decodes and hashes against
 * the id) before it appends and forces it; answer the order with a bitmap of the chunks held here afterwards.
 * <p>
 * <b>Terms.</b> An order carries the leader's term. One whose term is below this node's, or whose sender is not the
 * leader this node knows for that term, is refused with {@code Error NOT_LEADER} and changes nothing: a deposed
 * leader that wakes from a pause cannot move data. An order of this node's term while it knows no leader yet (it has
 * just started), or of a later term, is taken: a term has one leader at most, so the sender is it (it won an
 * election this node has not heard the end of).
 * <p>
 * <b>Bounds.</b> At most {@link #MAX_ORDERS} orders at a time (more are refused {@code Error OVERLOADED}; the leader
 * sends one per target at a time), and {@link #FETCHES_PER_ORDER} chunks in flight per order, so a copy never holds
 * more than a few chunks of memory in the transport and storage queues. The leader throttles the bytes. A source
 * that cannot be asked (not connected, or its link full) for {@code repair.request.timeout} on end, or at all once
 * the order is {@code repair.copy.timeout} old, fails the chunks not yet asked for, so a dead source, or one that left
 * the ring, holds an order (and one of its {@link #MAX_ORDERS} slots) no longer than the leader waits for any node. A fetched chunk that finds the storage queue full (client writes keep the disk busy)
 * is dropped and fetched again later, until the order's {@code repair.copy.timeout}: repair yields to client writes.
 * <p>
 * <b>Threads.</b> The network agent's thread: it calls {@link #onCopyOrder} and {@link #doWork()}.
 */
final class ChunkCopier implements ResponseListener
{
    /** Orders carried out at once. */
    static final int MAX_ORDERS = 4;
    /** Chunks of one order being fetched or stored at once. */
    static final int FETCHES_PER_ORDER = 4;

    /** Wait before fetching again a chunk the storage queue had no room for. */
    static final long RETRY_DELAY_NS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(100);

    private static final int STEP_FETCH = 0;
    private static final int STEP_STORE = 1;
    private static final long NONE = Long.MIN_VALUE;

    private final NodeRequests requests;
    private final NodeCounters counters;
    private final LongSupplier currentTerm;
    private final IntSupplier currentLeader;
    private final long fetchTimeoutNs;
    private final long refusedTimeoutNs;
    private final NanoClock clock;
    private final Order[] orders = new Order[MAX_ORDERS];
    private final Long2LongHashMap inFlight = new Long2LongHashMap(NONE);
    private final CopyChunksRequestDecoder orderDecoder = new CopyChunksRequestDecoder();
    private final GetChunkRequestEncoder getChunk = new GetChunkRequestEncoder();
    private final GetChunkResponseDecoder getChunkResponse = new GetChunkResponseDecoder();
    private final PutChunkRequestEncoder putChunk = new PutChunkRequestEncoder();
    private final PutChunkResponseDecoder putChunkResponse = new PutChunkResponseDecoder();
    private final ChunkBitmapEncoder bitmap = new ChunkBitmapEncoder(MessageTypes.COPY_CHUNKS_RESPONSE);
    private final ErrorEncoder error = new ErrorEncoder();
    private final UnsafeBuffer scratch = new UnsafeBuffer(
        new byte[ChunkBitmapDescriptor.encodedLength(CopyChunksRequestDescriptor.MAX_COUNT) + 2048]);

    ChunkCopier(
        final NodeRequests requests,
        final NodeCounters counters,
        final LongSupplier currentTerm,
        final IntSupplier currentLeader,
        final long fetchTimeoutNs,
        final long refusedTimeoutNs,
        final NanoClock clock)
    {
        this.clock = clock;
        this.refusedTimeoutNs = refusedTimeoutNs;
        this.requests = requests;
        this.counters = counters;
        this.currentTerm = currentTerm;
        this.currentLeader = currentLeader;
        this.fetchTimeoutNs = fetchTimeoutNs;
        for (int i = 0; i < MAX_ORDERS; i++)
        {
            orders[i] = new Order();
        }
    }

    /**
     * A copy order, already checked by its decoder if it came over the transport.
     */
    void onCopyOrder(
        final int leader, final long correlationId, final DirectBuffer buffer, final int offset, final int length)
    {
        try
        {
            orderDecoder.wrap(buffer, offset, length);
        }
        catch (final MalformedMessageException ex)
        {
            refuse(leader, correlationId, ErrorCode.MALFORMED, ex.getMessage());
            return;
        }
        final long term = orderDecoder.term();
        final long ownTerm = currentTerm.getAsLong();
        final int knownLeader = currentLeader.getAsInt();
        if (term < ownTerm || (term == ownTerm && knownLeader != leader && knownLeader != ClusterAgent.NO_LEADER))
        {
            counters.increment(NodeCounter.COPY_ORDERS_REFUSED);
            refuse(leader, correlationId, ErrorCode.NOT_LEADER, "order of term " + term + " from node " + leader +
                " refused: this node is at term " + ownTerm + " with leader " + knownLeader);
            return;
        }
        final Order order = freeOrder();
        if (order == null || orderDecoder.sourceNodeId() == requests.localNodeId())
        {
            refuse(leader, correlationId, order == null ? ErrorCode.OVERLOADED : ErrorCode.MALFORMED,
                order == null ? "copy orders in progress: " + MAX_ORDERS : "source is this node");
            return;
        }
        order.start(leader, correlationId, orderDecoder, clock.nanoTime());
        counters.increment(NodeCounter.COPY_ORDERS);
    }

    /**
     * Starts fetches, and answers the orders that are done.
     *
     * @return work done.
     */
    int doWork()
    {
        int work = 0;
        for (int slot = 0; slot < MAX_ORDERS; slot++)
        {
            final Order order = orders[slot];
            if (!order.active)
            {
                continue;
            }
            final long nowNs = clock.nanoTime();
            while (order.inFlight < FETCHES_PER_ORDER && order.canFetch(nowNs))
            {
                final int index = order.nextIndex(nowNs);
                getChunk.wrap(scratch, 0).chunkId(order.ids, index * ChunkId.LENGTH)
                    .acceptCompressed(true).verify(true);
                final long correlationId = requests.send(order.source, MessageTypes.GET_CHUNK_REQUEST, scratch, 0,
                    getChunk.encodedLength(), this, fetchTimeoutNs);
                if (correlationId == NodeRequests.REFUSED)
                {
                    if (order.isRefusedTooLong(nowNs) || order.isOverdue())
                    {
                        order.giveUp();
                        work++;
                    }
                    break;
                }
                track(correlationId, slot, index, STEP_FETCH);
                order.refusedSinceNs = NONE;
                order.taken();
                work++;
            }
            if (!order.hasMore() && order.inFlight == 0 && answer(order))
            {
                order.active = false;
                work++;
            }
        }
        return work;
    }

    @Override
    public void onResponse(
        final long correlationId, final int sourceNodeId, final int messageType, final DirectBuffer buffer,
        final int offset, final int length)
    {
        final long tag = inFlight.remove(correlationId);
        if (tag == NONE)
        {
            return;
        }
        final Order order = orders[slotOf(tag)];
        final int index = indexOf(tag);
        try
        {
            if (stepOf(tag) == STEP_FETCH && messageType == MessageTypes.GET_CHUNK_RESPONSE)
            {
                getChunkResponse.wrap(buffer, offset, length);
                if (getChunkResponse.status() == Status.OK)
                {
                    if (store(order, slotOf(tag), index, buffer))
                    {
                        return;
                    }
                    if (!order.isOverdue())
                    {
                        order.fetchAgain(index);
                        return;
                    }
                }
            }
            else if (stepOf(tag) == STEP_STORE && messageType == MessageTypes.PUT_CHUNK_RESPONSE)
            {
                final Status status = putChunkResponse.wrap(buffer, offset, length).status();
                if (status == Status.OK || status == Status.ALREADY_HAD)
                {
                    order.stored(index);
                    return;
                }
            }
        }
        catch (final MalformedMessageException ex)
        {
            // counted as a failed copy below
        }
        order.failed();
    }

    @Override
    public void onTimeout(final long correlationId)
    {
        final long tag = inFlight.remove(correlationId);
        if (tag != NONE)
        {
            orders[slotOf(tag)].failed();
        }
    }

    /**
     * Queues the fetched chunk for the storage agent as a put from this node; the storage agent re-hashes it.
     *
     * @return true if queued.
     */
    private boolean store(final Order order, final int slot, final int index, final DirectBuffer buffer)
    {
        putChunk.wrap(scratch, 0).chunkId(buffer, getChunkResponse.chunkIdOffset())
            .rawLength(getChunkResponse.rawLength()).compressed(getChunkResponse.isCompressed())
            .payloadLength(getChunkResponse.payloadLength());
        final long correlationId = requests.send(requests.localNodeId(), MessageTypes.PUT_CHUNK_REQUEST, scratch, 0,
            PutChunkRequestDescriptor.BLOCK_LENGTH, buffer, getChunkResponse.payloadOffset(),
            getChunkResponse.payloadLength(), this, fetchTimeoutNs);
        if (correlationId == NodeRequests.REFUSED)
        {
            return false;
        }
        track(correlationId, slot, index, STEP_STORE);
        return true;
    }

    private boolean answer(final Order order)
    {
        bitmap.wrap(scratch, 0, order.count);
        for (int i = 0; i < order.count; i++)
        {
            bitmap.set(i, order.held[i]);
        }
        if (!requests.respond(order.leader, MessageTypes.COPY_CHUNKS_RESPONSE, order.correlationId, scratch, 0,
            bitmap.encodedLength()))
        {
            counters.increment(NodeCounter.RESPONSES_DROPPED);
        }
        return true;
    }

    private void refuse(final int leader, final long correlationId, final ErrorCode code, final String text)
    {
        error.wrap(scratch, 0).code(code).relatedType(MessageTypes.COPY_CHUNKS_REQUEST).text(text);
        if (!requests.respond(leader, MessageTypes.ERROR, correlationId, scratch, 0, error.encodedLength()))
        {
            counters.increment(NodeCounter.RESPONSES_DROPPED);
        }
    }

    private Order freeOrder()
    {
        for (final Order order : orders)
        {
            if (!order.active)
            {
                return order;
            }
        }
        return null;
    }

    private void track(final long correlationId, final int slot, final int index, final int step)
    {
        inFlight.put(correlationId, ((long)slot << 40) | ((long)step << 32) | index);
    }

    private static int slotOf(final long tag)
    {
        return (int)(tag >>> 40);
    }

    private static int stepOf(final long tag)
    {
        return (int)(tag >>> 32) & 0xFF;
    }

    private static int indexOf(final long tag)
    {
        return (int)tag;
    }

    /**
     * One order in progress: its ids, which are held here now, and how far the fetches have got.
     */
    private final class Order
    {
        private final UnsafeBuffer ids = new UnsafeBuffer(
            new byte[CopyChunksRequestDescriptor.MAX_COUNT * ChunkId.LENGTH]);
        private final boolean[] held = new boolean[CopyChunksRequestDescriptor.MAX_COUNT];
        private final int[] retry = new int[CopyChunksRequestDescriptor.MAX_COUNT];
        private int retryCount;
        private long retryAfterNs;
        private boolean fromRetry;
        private boolean active;
        private int leader;
        private long correlationId;
        private int source;
        private int count;
        private int next;
        private int inFlight;
        private long startedNs;
        private long refusedSinceNs;

        void start(
            final int leader, final long correlationId, final CopyChunksRequestDecoder request, final long nowNs)
        {
            this.active = true;
            this.startedNs = nowNs;
            this.refusedSinceNs = NONE;
            this.leader = leader;
            this.correlationId = correlationId;
            this.source = request.sourceNodeId();
            this.count = request.count();
            this.next = 0;
            this.inFlight = 0;
            this.retryCount = 0;
            ids.putBytes(0, request.buffer(), request.chunkIdOffset(0),
                count * ChunkId.LENGTH);
            java.util.Arrays.fill(held, 0, count, false);
        }

        void stored(final int index)
        {
            held[index] = true;
            inFlight--;
            counters.increment(NodeCounter.COPY_CHUNKS_STORED);
        }

        boolean hasMore()
        {
            return retryCount > 0 || next < count;
        }

        boolean canFetch(final long nowNs)
        {
            return next < count || (retryCount > 0 && nowNs >= retryAfterNs);
        }

        /**
         * @return the next chunk to fetch: one to fetch again once its wait is over, else the next in order.
         */
        int nextIndex(final long nowNs)
        {
            fromRetry = retryCount > 0 && nowNs >= retryAfterNs;
            return fromRetry ? retry[retryCount - 1] : next;
        }

        /**
         * The chunk {@link #nextIndex} named is being fetched.
         */
        void taken()
        {
            if (fromRetry)
            {
                retryCount--;
            }
            else
            {
                next++;
            }
            inFlight++;
        }

        /**
         * A chunk fetched that the storage queue had no room for (the node is busy with client writes, which go
         * first): fetched again after {@link #RETRY_DELAY_NS}, until the order is overdue.
         */
        void fetchAgain(final int index)
        {
            retry[retryCount++] = index;
            retryAfterNs = clock.nanoTime() + RETRY_DELAY_NS;
            inFlight--;
            counters.increment(NodeCounter.COPY_CHUNKS_DEFERRED);
        }

        boolean isOverdue()
        {
            return clock.nanoTime() - startedNs >= fetchTimeoutNs;
        }

        /**
         * @return true if the source has refused every fetch since {@code repair.request.timeout} ago; the first
         * refusal of a run starts the wait.
         */
        boolean isRefusedTooLong(final long nowNs)
        {
            if (refusedSinceNs == NONE)
            {
                refusedSinceNs = nowNs;
                return false;
            }
            return nowNs - refusedSinceNs >= refusedTimeoutNs;
        }

        /**
         * The source could not be asked (not connected, or its link full): the chunks not yet asked for fail.
         */
        void giveUp()
        {
            counters.add(NodeCounter.COPY_CHUNKS_FAILED, count - next + retryCount);
            next = count;
            retryCount = 0;
        }

        void failed()
        {
            inFlight--;
            counters.increment(NodeCounter.COPY_CHUNKS_FAILED);
        }
    }
}

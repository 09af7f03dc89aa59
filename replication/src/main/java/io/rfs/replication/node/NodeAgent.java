package io.rfs.replication.node;

import io.rfs.replication.protocol.DropChunksRequestDecoder;
import io.rfs.replication.protocol.DropManifestsRequestDecoder;
import io.rfs.replication.protocol.ErrorCode;
import io.rfs.replication.protocol.ErrorEncoder;
import io.rfs.replication.protocol.GetChunkRequestDecoder;
import io.rfs.replication.protocol.GetManifestRequestDecoder;
import io.rfs.replication.protocol.HasChunksRequestDecoder;
import io.rfs.replication.protocol.ListManifestsRequestDecoder;
import io.rfs.replication.protocol.MalformedMessageException;
import io.rfs.replication.protocol.MessageTypes;
import io.rfs.replication.protocol.PutChunkRequestDecoder;
import io.rfs.replication.protocol.PutManifestRequestDecoder;
import io.rfs.replication.protocol.RangeDigestRequestDecoder;
import io.rfs.replication.protocol.RangeIdsRequestDecoder;
import io.rfs.replication.protocol.ReclaimCandidatesRequestDecoder;
import io.rfs.replication.protocol.RangeManifestsRequestDecoder;
import io.rfs.replication.protocol.VerifyChunksRequestDecoder;
import io.rfs.replication.transport.MessageHandler;
import io.rfs.replication.transport.PendingRequests;
import io.rfs.replication.transport.Transport;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.collections.IntHashSet;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;

/**
 * The network side of a node: owns its {@link Transport}, takes requests off it, checks them, and hands the store
 * work to the {@link StorageAgent} through the bounded storage queue; sends back the results that agent queues.
 * Never blocks and never touches the disk: a chunk it sends is read from its mapped segment by the transport.
 * <p>
 * For every message, in order:
 * <ol>
 *     <li>The type must be one protocol version 1 defines, else {@code Error UNKNOWN_TYPE}.</li>
 *     <li>The sender's role must be allowed to send it ({@link MessageTypes#isAllowedFrom}), else
 *     {@code Error NOT_AUTHORISED}. The cluster's members ({@code cluster.seeds} and this node) are nodes; every
 *     other sender is a client. Over TCP the transport has checked the authenticated role already.</li>
 *     <li>Heartbeats, votes and log replication go to the cluster agent, which checks them; other leader orders
 *     are counted and dropped until repair exists. Responses and errors go to the node's {@link PendingRequests}
 *     (they answer the requests it sends, hinted handoff's among them); one that answers nothing pending is
 *     counted and dropped.</li>
 *     <li>A request's body must pass its decoder's checks, else {@code Error MALFORMED} with the decoder's
 *     message.</li>
 *     <li>The request is queued for the storage agent; a full queue answers {@code Error OVERLOADED}
 *     (back-pressure: retry later or elsewhere), as does every request once a shutdown has begun.</li>
 * </ol>
 * Errors that answer a request carry its correlation id, so the requester's {@code PendingRequests} ends it at
 * once; errors about anything else carry 0. A reply the transport refuses is dropped and counted.
 * <p>
 * <b>Threads.</b> Single writer: everything runs on the thread that calls {@link #doWork()}, except
 * {@link #beginShutdown()} and {@link #isDrained()}, which any thread may call.
 */
public final class NodeAgent implements Agent, MessageHandler
{
    private static final UnsafeBuffer QUEUE_FULL = text("storage queue full; retry later or on another replica");
    private static final UnsafeBuffer SHUTTING_DOWN = text("node is shutting down; retry on another replica");

    private final Transport transport;
    private final PendingRequests pending;
    private final NanoClock clock;
    private final StorageProxy storage;
    private final ResultSender results;
    private final NodeCounters counters;
    private final MessageHandler cluster;
    private final IntHashSet members = new IntHashSet();
    private MessageHandler membership;
    private final int pollLimit;
    private final ErrorEncoder error = new ErrorEncoder();
    private final UnsafeBuffer errorBuffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(2048, 64));
    private final PutChunkRequestDecoder putChunk = new PutChunkRequestDecoder();
    private final GetChunkRequestDecoder getChunk = new GetChunkRequestDecoder();
    private final HasChunksRequestDecoder hasChunks = new HasChunksRequestDecoder();
    private final PutManifestRequestDecoder putManifest = new PutManifestRequestDecoder();
    private final GetManifestRequestDecoder getManifest = new GetManifestRequestDecoder();
    private final ListManifestsRequestDecoder listManifests = new ListManifestsRequestDecoder();
    private final RangeDigestRequestDecoder rangeDigest = new RangeDigestRequestDecoder();
    private final RangeIdsRequestDecoder rangeIds = new RangeIdsRequestDecoder();
    private final ReclaimCandidatesRequestDecoder reclaimCandidates = new ReclaimCandidatesRequestDecoder();
    private final RangeManifestsRequestDecoder rangeManifests = new RangeManifestsRequestDecoder();
    private final VerifyChunksRequestDecoder verifyChunks = new VerifyChunksRequestDecoder();
    private final DropChunksRequestDecoder dropChunks = new DropChunksRequestDecoder();
    private final DropManifestsRequestDecoder dropManifests = new DropManifestsRequestDecoder();
    private LeaderOrders leaderOrders;
    private MessageHandler repairControl;
    private final NodeRequests requests;
    private final ChunkCopier copier;
    private MessageHandler scrubReports = (source, type, correlationId, buffer, offset, length) -> { };
    private long inProgress;
    private volatile boolean shutdownRequested;
    private volatile boolean drained;

    NodeAgent(
        final NodeContext context,
        final Transport transport,
        final PendingRequests pending,
        final StorageProxy storage,
        final ResultSender results,
        final NodeCounters counters,
        final MessageHandler cluster,
        final NodeRequests requests,
        final ChunkCopier copier)
    {
        this.requests = requests;
        this.copier = copier;
        this.transport = transport;
        this.pending = pending;
        this.clock = context.nanoClock();
        this.cluster = cluster;
        this.storage = storage;
        this.results = results;
        this.counters = counters;
        this.pollLimit = context.pollLimit();
        members.add(context.nodeId());
        for (final int seed : context.seeds().keySet())
        {
            members.add(seed);
        }
    }

    /**
     * @param leaderOrders decides which {@code DropChunksRequest}s and {@code DropManifestsRequest}s to carry out; set once, before the first duty cycle.
     */
    void leaderOrders(final LeaderOrders leaderOrders)
    {
        this.leaderOrders = leaderOrders;
    }

    /**
     * @param membership takes {@code MembershipRequest}s and {@code RingRequest}s; set once, before the first duty
     *                   cycle.
     */
    void membership(final MessageHandler membership)
    {
        this.membership = membership;
    }

    /**
     * Counts a node of a committed ring as a member (a node, not a client) from now on. Network thread.
     *
     * @param nodeId the node.
     */
    void addMember(final int nodeId)
    {
        members.add(nodeId);
    }

    @Override
    public String roleName()
    {
        return "rfs-network";
    }

    /**
     * One duty cycle: the transport's I/O, then results out, then requests in.
     *
     * @return work done.
     */
    @Override
    public int doWork()
    {
        int work = transport.doWork();
        final int sent = results.send(pollLimit);
        inProgress -= sent;
        work += sent;
        work += transport.poll(this, pollLimit);
        work += requests.deliverLocal();
        work += copier.doWork();
        work += pending.expire(clock.nanoTime());
        if (shutdownRequested && inProgress == 0 && !drained)
        {
            drained = true;
        }
        return work;
    }

    /**
     * @param repairControl answers {@code RepairControlRequest}s on this agent's thread; set once, before the first
     *                      duty cycle (the scheduler it drives is built after this agent).
     */
    void repairControl(final MessageHandler repairControl)
    {
        this.repairControl = repairControl;
    }

    /**
     * Stops taking requests: from the next duty cycle every request is answered {@code Error OVERLOADED}, while the
     * ones already queued finish and are answered. Any thread.
     */
    public void beginShutdown()
    {
        shutdownRequested = true;
    }

    /**
     * @return true once {@link #beginShutdown()} was called. Any thread.
     */
    public boolean isShuttingDown()
    {
        return shutdownRequested;
    }

    /**
     * @return true once a shutdown has begun and every request taken before it has been answered. Any thread.
     */
    public boolean isDrained()
    {
        return drained;
    }

    /**
     * @return requests queued for the storage agent and not yet answered.
     */
    public long inProgress()
    {
        return inProgress;
    }

    @Override
    public void onMessage(
        final int source, final int type, final long correlationId, final DirectBuffer buffer, final int offset,
        final int length)
    {
        if (!MessageTypes.isKnown(type))
        {
            counters.increment(NodeCounter.UNKNOWN_TYPE);
            replyError(source, 0, ErrorCode.UNKNOWN_TYPE, type, "type " + type + " is not one of protocol version 1");
            return;
        }
        final int role = members.contains(source) ? MessageTypes.ROLE_NODE : MessageTypes.ROLE_CLIENT;
        final boolean request = MessageTypes.kind(type) == MessageTypes.KIND_REQUEST;
        if (!MessageTypes.isAllowedFrom(type, role))
        {
            counters.increment(NodeCounter.NOT_AUTHORISED);
            replyError(source, request ? correlationId : 0, ErrorCode.NOT_AUTHORISED, type,
                (role == MessageTypes.ROLE_NODE ? "a node" : "a client") + " may not send " + MessageTypes.name(type));
            return;
        }
        switch (type)
        {
            case MessageTypes.PUT_CHUNK_REQUEST:
            case MessageTypes.GET_CHUNK_REQUEST:
            case MessageTypes.HAS_CHUNKS_REQUEST:
            case MessageTypes.PUT_MANIFEST_REQUEST:
            case MessageTypes.GET_MANIFEST_REQUEST:
            case MessageTypes.LIST_MANIFESTS_REQUEST:
            case MessageTypes.RANGE_DIGEST_REQUEST:
            case MessageTypes.RANGE_IDS_REQUEST:
            case MessageTypes.RECLAIM_CANDIDATES_REQUEST:
            case MessageTypes.RANGE_MANIFESTS_REQUEST:
            case MessageTypes.VERIFY_CHUNKS_REQUEST:
                onStorageRequest(source, type, correlationId, buffer, offset, length);
                break;
            case MessageTypes.HEARTBEAT:
            case MessageTypes.REQUEST_VOTE:
            case MessageTypes.VOTE:
            case MessageTypes.APPEND_ENTRIES:
            case MessageTypes.APPEND_RESPONSE:
            case MessageTypes.PRE_REQUEST_VOTE:
            case MessageTypes.PRE_VOTE:
            case MessageTypes.RING_REQUEST:
            case MessageTypes.RING_RESPONSE:
                cluster.onMessage(source, type, correlationId, buffer, offset, length);
                break;
            case MessageTypes.COPY_CHUNKS_REQUEST:
                copier.onCopyOrder(source, correlationId, buffer, offset, length);
                break;
            case MessageTypes.DROP_CHUNKS_REQUEST:
            case MessageTypes.DROP_MANIFESTS_REQUEST:
                onDropOrder(source, type, correlationId, buffer, offset, length);
                break;
            case MessageTypes.CORRUPT_CHUNK_REPORT:
                scrubReports.onMessage(source, type, correlationId, buffer, offset, length);
                break;
            case MessageTypes.REPAIR_CONTROL_REQUEST:
                repairControl.onMessage(source, type, correlationId, buffer, offset, length);
                break;
            case MessageTypes.MEMBERSHIP_REQUEST:
                membership.onMessage(source, type, correlationId, buffer, offset, length);
                break;
            default:
                onResponse(source, type, correlationId, buffer, offset, length);
                break;
        }
    }

    /**
     * @param scrubReports takes every {@code CorruptChunkReport} from a node (the {@link ScrubReporter}).
     */
    void scrubReports(final MessageHandler scrubReports)
    {
        this.scrubReports = scrubReports;
    }

    /**
     * A response or error: to the node's {@link PendingRequests} (answers to the requests the node sends, such as
     * hinted handoff's), else dropped and counted.
     */
    private void onResponse(
        final int source, final int type, final long correlationId, final DirectBuffer buffer, final int offset,
        final int length)
    {
        final boolean answer = MessageTypes.kind(type) == MessageTypes.KIND_RESPONSE ||
            (type == MessageTypes.ERROR && correlationId != 0);
        if (!answer || !pending.onResponse(correlationId, source, type, buffer, offset, length))
        {
            counters.increment(NodeCounter.UNEXPECTED);
        }
    }

    /**
     * Checked here, where the term and leader are known, then carried out by the storage agent like any request.
     */
    private void onDropOrder(
        final int source, final int type, final long correlationId, final DirectBuffer buffer, final int offset,
        final int length)
    {
        final long term;
        try
        {
            term = type == MessageTypes.DROP_CHUNKS_REQUEST ? dropChunks.wrap(buffer, offset, length).term() :
                dropManifests.wrap(buffer, offset, length).term();
        }
        catch (final MalformedMessageException ex)
        {
            counters.increment(NodeCounter.MALFORMED);
            replyError(source, correlationId, ErrorCode.MALFORMED, type, ex.getMessage());
            return;
        }
        final String refusal = leaderOrders.refusal(source, term);
        if (refusal != null)
        {
            counters.increment(NodeCounter.DROP_ORDERS_REFUSED);
            replyError(source, correlationId, ErrorCode.NOT_LEADER, type, refusal);
            return;
        }
        counters.increment(NodeCounter.DROP_ORDERS);
        onStorageRequest(source, type, correlationId, buffer, offset, length);
    }

    private void onStorageRequest(
        final int source, final int type, final long correlationId, final DirectBuffer buffer, final int offset,
        final int length)
    {
        try
        {
            check(type, buffer, offset, length);
        }
        catch (final MalformedMessageException ex)
        {
            counters.increment(NodeCounter.MALFORMED);
            replyError(source, correlationId, ErrorCode.MALFORMED, type, ex.getMessage());
            return;
        }
        if (shutdownRequested)
        {
            counters.increment(NodeCounter.REFUSED_SHUTTING_DOWN);
            replyError(source, correlationId, ErrorCode.OVERLOADED, type, SHUTTING_DOWN);
            return;
        }
        if (length > storage.maxBodyLength() || !storage.offer(type, source, correlationId, buffer, offset, length))
        {
            counters.increment(NodeCounter.OVERLOADED);
            replyError(source, correlationId, ErrorCode.OVERLOADED, type, QUEUE_FULL);
            return;
        }
        inProgress++;
        counters.increment(NodeCounter.REQUESTS);
    }

    private void check(final int type, final DirectBuffer buffer, final int offset, final int length)
        throws MalformedMessageException
    {
        switch (type)
        {
            case MessageTypes.PUT_CHUNK_REQUEST:
                putChunk.wrap(buffer, offset, length);
                break;
            case MessageTypes.GET_CHUNK_REQUEST:
                getChunk.wrap(buffer, offset, length);
                break;
            case MessageTypes.HAS_CHUNKS_REQUEST:
                hasChunks.wrap(buffer, offset, length);
                break;
            case MessageTypes.PUT_MANIFEST_REQUEST:
                putManifest.wrap(buffer, offset, length);
                break;
            case MessageTypes.GET_MANIFEST_REQUEST:
                getManifest.wrap(buffer, offset, length);
                break;
            case MessageTypes.RANGE_DIGEST_REQUEST:
                rangeDigest.wrap(buffer, offset, length);
                break;
            case MessageTypes.RANGE_IDS_REQUEST:
                rangeIds.wrap(buffer, offset, length);
                break;
            case MessageTypes.RANGE_MANIFESTS_REQUEST:
                rangeManifests.wrap(buffer, offset, length);
                break;
            case MessageTypes.VERIFY_CHUNKS_REQUEST:
                verifyChunks.wrap(buffer, offset, length);
                break;
            case MessageTypes.RECLAIM_CANDIDATES_REQUEST:
                reclaimCandidates.wrap(buffer, offset, length);
                break;
            case MessageTypes.DROP_CHUNKS_REQUEST:
                dropChunks.wrap(buffer, offset, length);
                break;
            case MessageTypes.DROP_MANIFESTS_REQUEST:
                dropManifests.wrap(buffer, offset, length);
                break;
            default:
                listManifests.wrap(buffer, offset, length);
                break;
        }
    }

    private void replyError(
        final int destination, final long correlationId, final ErrorCode code, final int relatedType,
        final DirectBuffer text)
    {
        error.wrap(errorBuffer, 0).code(code).relatedType(relatedType).text(text, 0, text.capacity());
        offerError(destination, correlationId);
    }

    /**
     * Allocates for the text; for replies to bad input, not for the load-shedding ones.
     */
    private void replyError(
        final int destination, final long correlationId, final ErrorCode code, final int relatedType,
        final String text)
    {
        error.wrap(errorBuffer, 0).code(code).relatedType(relatedType).text(text);
        offerError(destination, correlationId);
    }

    private void offerError(final int destination, final long correlationId)
    {
        if (transport.offer(destination, MessageTypes.ERROR, correlationId, errorBuffer, 0, error.encodedLength()))
        {
            counters.increment(NodeCounter.RESPONSES_SENT);
        }
        else
        {
            counters.increment(NodeCounter.RESPONSES_DROPPED);
        }
    }

    private static UnsafeBuffer text(final String text)
    {
        return new UnsafeBuffer(text.getBytes(StandardCharsets.UTF_8));
    }
}

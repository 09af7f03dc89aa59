package io.rfs.replication.repair;

import io.rfs.replication.node.NodeCounter;
import io.rfs.replication.node.NodeCounters;
import io.rfs.replication.protocol.ChunkBitmapDecoder;
import io.rfs.replication.protocol.CopyChunksRequestEncoder;
import io.rfs.replication.protocol.DropChunksRequestEncoder;
import io.rfs.replication.protocol.MalformedMessageException;
import io.rfs.replication.protocol.MessageTypes;
import io.rfs.replication.protocol.RangeDigestRequestDescriptor;
import io.rfs.replication.protocol.RangeDigestRequestEncoder;
import io.rfs.replication.protocol.RangeDigestResponseDecoder;
import io.rfs.replication.protocol.RangeIdsRequestDescriptor;
import io.rfs.replication.protocol.RangeIdsRequestEncoder;
import io.rfs.replication.protocol.RangeIdsResponseDecoder;
import io.rfs.replication.protocol.RangeIdsResponseDescriptor;
import io.rfs.replication.protocol.Status;
import io.rfs.replication.ring.Ring;
import io.rfs.store.chunk.ChunkId;
import org.agrona.DirectBuffer;
import org.agrona.collections.Int2IntHashMap;
import org.agrona.collections.IntArrayList;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The leader's repair: every {@code repair.interval}, compares the replicas of every ring range and copies what a
 * replica lacks from one that holds it, throttled, until every range's replicas agree.
 * <p>
 * <b>A round.</b>
 * <ol>
 *     <li><b>Digests.</b> Every node of the ring, and every node out of it that the leader still reaches
 *     ({@link RetiredNodes}), is asked for the digests ({@link RangeDigests}) of all ranges, in batches of
 *     {@link RangeDigestRequestDescriptor#MAX_COUNT}. A range whose answering replicas (at least two)
 *     have equal digests and no quarantined ids is in sync. A replica that does not answer, or has another ring,
 *     is left out of this round.</li>
 *     <li><b>Lists.</b> For the ranges that differ, a few at a time, each answering replica's ids are read page by
 *     page ({@code RangeIdsRequest}), and so are those of the other nodes of the round that hold ids there (old
 *     owners after a ring change, retired nodes), as sources only. Every replica that lacks an id some listed node
 *     holds gets a copy from a holder (holders taken in turn, so the sources share the load). An id that some
 *     replica quarantined and no listed node holds is reported unrecoverable ({@link RepairListener},
 *     {@code REPAIR_UNRECOVERABLE}) and nothing is copied; only when every replica of the range listed its ids,
 *     since a replica that did not answer may hold it.</li>
 *     <li><b>Copies.</b> The copies are grouped into orders (one target, one source, at most {@code repair.copy.batch}
 *     ids and one second of {@code repair.bandwidth} in bytes) and sent as {@code CopyChunksRequest}s carrying the
 *     leader's term; the target fetches from the source with verification at both ends (PROTOCOL.md 5.18).</li>
 *     <li><b>Surplus copies.</b> Then the settled ranges that other nodes still hold ids in (left by a ring change)
 *     are listed the same way, owners and holders, and each holder is sent {@code DropChunksRequest}s for the ids
 *     every owner holds; ids some owner lacks are copied to it first ({@link SurplusCopies} has the rules). A node
 *     retired from the ring owns nothing, so it is a holder wherever it keeps ids, and ends holding none.</li>
 * </ol>
 * <b>Throttle.</b> At most {@code repair.max.in.flight} orders at once and one per target node, and the
 * {@link RepairThrottle}'s token bucket per node at {@code repair.bandwidth}: over any span of time a node sends or
 * receives at most the bandwidth times the span, plus one second's worth, plus one order.
 * <p>
 * <b>Leadership.</b> Works only while this node leads; a round in progress is dropped when it stops leading (its
 * late answers are ignored). Orders carry the term read when they are sent, so a node that has seen a newer term
 * refuses them.
 * <p>
 * <b>Threads.</b> The network agent's thread (it owns the {@link RequestChannel}); time from the injected clock.
 */
public final class RepairScheduler implements Agent
{
    /** Differing ranges listed and repaired together, which bounds the ids held in memory. */
    static final int RANGES_PER_STEP = 8;
    /** Ids asked for per page. */
    static final int PAGE_ENTRIES = 1024;

    private static final NodeCounter[] ROUND_COUNTERS = {
        NodeCounter.REPAIR_RANGES_COMPARED, NodeCounter.REPAIR_RANGES_DIFFERENT, NodeCounter.REPAIR_CHUNKS_COPIED,
        NodeCounter.REPAIR_BYTES_COPIED, NodeCounter.REPAIR_COPY_FAILURES, NodeCounter.REPAIR_CHUNKS_SCHEDULED,
        NodeCounter.REPAIR_ANSWERS_MISSED};
    private static final int IDLE = 0;
    private static final int DIGESTS = 1;
    private static final int LISTS = 2;
    private static final int COPIES = 3;

    private final RepairContext context;
    private final NanoClock clock;
    private final BooleanSupplier isLeader;
    private final LongSupplier term;
    private final Supplier<Ring> ringSupplier;
    private final RingInForce ringInForce;
    private final NodeCounters counters;
    private final RepairListener listener;
    private final OutgoingRequests<Request> requests;
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[64 * 1024]);
    private final RangeDigestRequestEncoder digestRequest = new RangeDigestRequestEncoder();
    private final RangeDigestResponseDecoder digestResponse = new RangeDigestResponseDecoder();
    private final RangeIdsRequestEncoder idsRequest = new RangeIdsRequestEncoder();
    private final RangeIdsResponseDecoder idsResponse = new RangeIdsResponseDecoder();
    private final CopyChunksRequestEncoder copyRequest = new CopyChunksRequestEncoder();
    private final ChunkBitmapDecoder copyResponse = new ChunkBitmapDecoder(MessageTypes.COPY_CHUNKS_RESPONSE);
    private final DropChunksRequestEncoder dropRequest = new DropChunksRequestEncoder();
    private final ChunkBitmapDecoder dropResponse = new ChunkBitmapDecoder(MessageTypes.DROP_CHUNKS_RESPONSE);
    private final List<Integer> surplus = new ArrayList<>();
    private final IntArrayList holders = new IntArrayList();
    private int nextSurplus;
    private final Set<ChunkId> reported = new HashSet<>();
    private final List<Order> orders = new ArrayList<>();
    private final Int2IntHashMap slotOf = new Int2IntHashMap(-1);

    private int phase = IDLE;
    private long nextRoundNs;
    private long reportedTerm = -1;
    private Ring ring;
    private long fingerprint;
    private int[] nodeIds = new int[0];
    private long[][] digests = new long[0][];
    private boolean[][] answered = new boolean[0][];
    private final int[] replicas = new int[Ring.MAX_REPLICATION_FACTOR];
    private final List<Integer> differing = new ArrayList<>();
    private int nextDiffering;
    private final List<RangeListing> listings = new ArrayList<>();
    private RepairThrottle throttle;
    private boolean[] targetBusy = new boolean[0];
    private int ordersInFlight;
    private long roundStartNs;
    private long copyingNs;
    private long copyingSinceNs;
    private final long[] atRoundStart = new long[ROUND_COUNTERS.length];
    private final long[] atRoundEnd = new long[ROUND_COUNTERS.length];
    private long roundEndNs;
    private long roundsCompleted;
    private long bandwidth;
    private RetiredNodes retiredNodes = RetiredNodes.NONE;

    /**
     * @param context      concluded repair settings.
     * @param clock        the node's clock.
     * @param channel      how requests reach nodes, this one included.
     * @param isLeader     whether this node leads now.
     * @param term         the current term.
     * @param ringSupplier the ring in force (the cluster log's, else the configured one), or null.
     * @param ringInForce  where the ring in force is published for the storage thread.
     * @param counters     the node's counters, of which this agent writes the {@code REPAIR_*} ones.
     * @param listener     told of unrecoverable chunks.
     */
    public RepairScheduler(
        final RepairContext context,
        final NanoClock clock,
        final RequestChannel channel,
        final BooleanSupplier isLeader,
        final LongSupplier term,
        final Supplier<Ring> ringSupplier,
        final RingInForce ringInForce,
        final NodeCounters counters,
        final RepairListener listener)
    {
        this.context = context;
        this.clock = clock;
        this.requests = new OutgoingRequests<>(clock, channel, context.requestTimeoutNs(), new RequestHandler());
        this.isLeader = isLeader;
        this.term = term;
        this.ringSupplier = ringSupplier;
        this.ringInForce = ringInForce;
        this.counters = counters;
        this.listener = listener;
        this.nextRoundNs = clock.nanoTime() + context.intervalNs();
        this.bandwidth = context.bandwidth();
    }

    @Override
    public String roleName()
    {
        return "rfs-repair";
    }

    @Override
    public int doWork()
    {
        ringInForce.set(ringSupplier.get());
        if (!context.enabled())
        {
            return 0;
        }
        if (!isLeader.getAsBoolean())
        {
            if (phase != IDLE)
            {
                abortRound();
            }
            return 0;
        }
        final long nowNs = clock.nanoTime();
        if (phase != IDLE && !isRingOfRound())
        {
            abortRound();
            nextRoundNs = nowNs;
        }
        switch (phase)
        {
            case IDLE:
                return nowNs - nextRoundNs >= 0 ? startRound(nowNs) : 0;
            case DIGESTS:
                return requests.sendUnsent() + (requests.isEmpty() ? compare() : 0);
            case LISTS:
                return requests.sendUnsent() + (requests.isEmpty() ? plan() : 0);
            default:
                return dispatch(nowNs);
        }
    }

    /**
     * @param retiredNodes the nodes out of the ring that rounds also ask, as holders only; none until set.
     */
    public void retiredNodes(final RetiredNodes retiredNodes)
    {
        this.retiredNodes = retiredNodes;
    }

    /**
     * Starts a round now instead of at the next interval (the leader only; {@code rfs repair} and tests).
     */
    public void runNow()
    {
        nextRoundNs = clock.nanoTime();
    }

    /**
     * Changes the repair bandwidth per node ({@code rfs repair --bandwidth}); a round in progress takes it at once.
     *
     * @param bytesPerSecond positive.
     */
    public void bandwidth(final long bytesPerSecond)
    {
        if (bytesPerSecond <= 0)
        {
            throw new IllegalArgumentException("bytesPerSecond=" + bytesPerSecond);
        }
        bandwidth = bytesPerSecond;
        if (throttle != null)
        {
            throttle.bytesPerSecond(bytesPerSecond);
        }
    }

    /**
     * @return the repair bandwidth per node in force, bytes per second: {@code repair.bandwidth} until changed.
     */
    public long bandwidth()
    {
        return bandwidth;
    }

    /**
     * @return rounds that ran to their end while this node led.
     */
    public long roundsCompleted()
    {
        return roundsCompleted;
    }

    /**
     * @param counter one of the round's {@code REPAIR_*} counters (ranges compared and different, chunks scheduled,
     *                copied and failed, bytes copied, answers missed).
     * @return its growth in the round in progress, or in the last round if none is.
     */
    public long roundCount(final NodeCounter counter)
    {
        for (int i = 0; i < ROUND_COUNTERS.length; i++)
        {
            if (ROUND_COUNTERS[i] == counter)
            {
                return (phase == IDLE ? atRoundEnd[i] : counters.get(counter)) - atRoundStart[i];
            }
        }
        throw new IllegalArgumentException("counter=" + counter + " is not counted per round");
    }

    /**
     * @return copy and drop orders sent and not yet answered or timed out: at most {@code repair.max.in.flight}, and
     * at most one per target node.
     */
    public int ordersInFlight()
    {
        return ordersInFlight;
    }

    /**
     * @return nanoseconds since the round in progress started, or the last round's length.
     */
    public long roundElapsedNs()
    {
        return (phase == IDLE ? roundEndNs : clock.nanoTime()) - roundStartNs;
    }

    /**
     * @return nanoseconds of the round (in progress, else the last) with copy orders in flight.
     */
    public long roundCopyingNs()
    {
        return copyingNs + (phase != IDLE && ordersInFlight > 0 ? clock.nanoTime() - copyingSinceNs : 0);
    }

    /**
     * @return differing ranges of the round whose ids were listed and whose copies ended.
     */
    public long rangesRepaired()
    {
        switch (phase)
        {
            case IDLE:
                return differing.size();
            case DIGESTS:
                return 0;
            default:
                return nextSurplus > 0 ? differing.size() : nextDiffering - listings.size();
        }
    }

    /**
     * @return the ranges of the ring the last round started with, or 0 before any.
     */
    public int rangeCount()
    {
        return ring == null ? 0 : ring.tokenCount();
    }

    /**
     * @return true while a round is in progress.
     */
    public boolean isRoundInProgress()
    {
        return phase != IDLE;
    }

    private int startRound(final long nowNs)
    {
        nextRoundNs = nowNs + context.intervalNs();
        ring = ringSupplier.get();
        if (ring == null || ring.tokenCount() == 0)
        {
            return 0;
        }
        if (reportedTerm != term.getAsLong())
        {
            reportedTerm = term.getAsLong();
            reported.clear();
        }
        counters.increment(NodeCounter.REPAIR_ROUNDS);
        roundStartNs = nowNs;
        copyingNs = 0;
        for (int i = 0; i < ROUND_COUNTERS.length; i++)
        {
            atRoundStart[i] = counters.get(ROUND_COUNTERS[i]);
        }
        fingerprint = ring.fingerprint();
        nodeIds = RetiredNodes.askedIn(ring, retiredNodes);
        final int nodes = nodeIds.length;
        final int ranges = ring.tokenCount();
        slotOf.clear();
        digests = new long[nodes][];
        answered = new boolean[nodes][];
        throttle = new RepairThrottle(bandwidth, nodes, nowNs);
        targetBusy = new boolean[nodes];
        for (int slot = 0; slot < nodes; slot++)
        {
            slotOf.put(nodeIds[slot], slot);
            digests[slot] = new long[ranges * 4];
            answered[slot] = new boolean[ranges];
            for (int first = 0; first < ranges; first += RangeDigestRequestDescriptor.MAX_COUNT)
            {
                requests.add(new Request(Request.DIGESTS, slot, first,
                    Math.min(RangeDigestRequestDescriptor.MAX_COUNT, ranges - first)));
            }
        }
        phase = DIGESTS;
        return 1 + requests.sendUnsent();
    }

    private void abortRound()
    {
        roundEndNs = clock.nanoTime();
        for (int i = 0; i < ROUND_COUNTERS.length; i++)
        {
            atRoundEnd[i] = counters.get(ROUND_COUNTERS[i]);
        }
        requests.clear();
        orders.clear();
        listings.clear();
        differing.clear();
        surplus.clear();
        ordersInFlight = 0;
        phase = IDLE;
    }

    private int encodeBody(final Request request)
    {
        switch (request.kind)
        {
            case Request.DIGESTS:
                return digestRequest.wrap(scratch, 0).ringFingerprint(fingerprint)
                    .ranges(request.range, request.count).encodedLength();
            case Request.IDS:
                return idsRequest.wrap(scratch, 0).ringFingerprint(fingerprint).range(request.range)
                    .maxEntries(PAGE_ENTRIES).after(request.after).encodedLength();
            default:
                final Order order = request.order;
                if (order.drop)
                {
                    dropRequest.wrap(scratch, 0).term(term.getAsLong());
                    for (final ChunkId id : order.ids)
                    {
                        dropRequest.addChunkId(id);
                    }
                    return dropRequest.encodedLength();
                }
                copyRequest.wrap(scratch, 0).sourceNodeId(nodeIds[order.sourceSlot]).term(term.getAsLong());
                for (final ChunkId id : order.ids)
                {
                    copyRequest.addChunkId(id);
                }
                return copyRequest.encodedLength();
        }
    }

    /**
     * How the round's requests are written, where they go and what their answers and failures do.
     */
    private final class RequestHandler implements OutgoingRequests.Handler<Request>
    {
        @Override
        public void encode(final Request request, final OutgoingRequests.Envelope envelope)
        {
            envelope.wrap(nodeIds[request.slot], request.messageType(), scratch, encodeBody(request));
            if (request.kind == Request.COPY && !request.order.drop)
            {
                envelope.timeoutNs(context.copyTimeoutNs());
            }
        }

        @Override
        public void onResponse(
            final Request request, final int messageType, final DirectBuffer buffer, final int offset,
            final int length)
            throws MalformedMessageException
        {
            switch (request.kind)
            {
                case Request.DIGESTS:
                    onDigests(request, messageType, buffer, offset, length);
                    break;
                case Request.IDS:
                    onIds(request, messageType, buffer, offset, length);
                    break;
                default:
                    if (request.order.drop)
                    {
                        onDropped(request.order, messageType == MessageTypes.DROP_CHUNKS_RESPONSE ?
                            dropResponse.wrap(buffer, offset, length) : null);
                    }
                    else
                    {
                        onCopied(request.order, messageType == MessageTypes.COPY_CHUNKS_RESPONSE ?
                            copyResponse.wrap(buffer, offset, length) : null);
                    }
                    break;
            }
        }

        @Override
        public void onFailed(final Request request)
        {
            if (request.kind == Request.COPY && request.order.drop)
            {
                onDropped(request.order, null);
            }
            else if (request.kind == Request.COPY)
            {
                onCopied(request.order, null);
            }
            else
            {
                counters.increment(NodeCounter.REPAIR_ANSWERS_MISSED);
                if (request.kind == Request.IDS)
                {
                    request.listing.failed = true;
                }
            }
        }
    }

    private void onDigests(
        final Request request, final int messageType, final DirectBuffer buffer, final int offset, final int length)
        throws MalformedMessageException
    {
        if (messageType != MessageTypes.RANGE_DIGEST_RESPONSE ||
            digestResponse.wrap(buffer, offset, length).status() != Status.OK ||
            digestResponse.firstRange() != request.range || digestResponse.count() != request.count)
        {
            counters.increment(NodeCounter.REPAIR_ANSWERS_MISSED);
            return;
        }
        final long[] values = digests[request.slot];
        for (int i = 0; i < request.count; i++)
        {
            final int range = request.range + i;
            values[range * 4] = digestResponse.lane0(i);
            values[range * 4 + 1] = digestResponse.lane1(i);
            values[range * 4 + 2] = digestResponse.held(i);
            values[range * 4 + 3] = digestResponse.quarantined(i);
            answered[request.slot][range] = true;
        }
    }

    private int compare()
    {
        differing.clear();
        nextDiffering = 0;
        surplus.clear();
        nextSurplus = 0;
        final int ranges = ring.tokenCount();
        for (int range = 0; range < ranges; range++)
        {
            final int n = ring.replicasAt(range, replicas);
            int first = -1;
            int compared = 0;
            boolean differs = false;
            for (int k = 0; k < n; k++)
            {
                final int slot = slotOf.get(replicas[k]);
                if (slot < 0 || !answered[slot][range])
                {
                    continue;
                }
                compared++;
                final long[] values = digests[slot];
                differs |= values[range * 4 + 3] != 0;
                if (first < 0)
                {
                    first = slot;
                }
                else
                {
                    final long[] base = digests[first];
                    for (int lane = 0; lane < 3; lane++)
                    {
                        differs |= base[range * 4 + lane] != values[range * 4 + lane];
                    }
                }
            }
            if (compared >= Math.min(2, n))
            {
                counters.increment(NodeCounter.REPAIR_RANGES_COMPARED);
                if (differs)
                {
                    counters.increment(NodeCounter.REPAIR_RANGES_DIFFERENT);
                    differing.add(range);
                }
                else if (SurplusCopies.settledWithHolders(ring, range, replicas, slotOf, answered, digests, holders) > 0)
                {
                    surplus.add(range);
                }
            }
        }
        phase = LISTS;
        return 1 + nextStep();
    }

    /**
     * Lists the next few differing ranges, or ends the round if none is left.
     */
    private int nextStep()
    {
        listings.clear();
        orders.clear();
        if (nextDiffering >= differing.size() && nextSurplus < surplus.size())
        {
            return listSurplus();
        }
        if (nextDiffering >= differing.size())
        {
            phase = IDLE;
            roundsCompleted++;
            roundEndNs = clock.nanoTime();
            for (int i = 0; i < ROUND_COUNTERS.length; i++)
            {
                atRoundEnd[i] = counters.get(ROUND_COUNTERS[i]);
            }
            listener.onRoundCompleted(sinceRoundStart(0), sinceRoundStart(1), sinceRoundStart(2), sinceRoundStart(3),
                sinceRoundStart(4), clock.nanoTime() - roundStartNs, copyingNs);
            return 0;
        }
        final int end = Math.min(differing.size(), nextDiffering + RANGES_PER_STEP);
        for (; nextDiffering < end; nextDiffering++)
        {
            final int range = differing.get(nextDiffering);
            final RangeListing listing = new RangeListing();
            final int n = ring.replicasAt(range, replicas);
            for (int k = 0; k < n; k++)
            {
                final int slot = slotOf.get(replicas[k]);
                if (slot >= 0 && answered[slot][range])
                {
                    listing.slots.add(slot);
                    requests.add(Request.ids(slot, range, null, listing));
                }
            }
            listing.replicasListed = listing.slots.size();
            // An owner's copy can rot while the only sound one is on a node that lost the range in a ring change:
            // a range with a quarantined id is never settled, so the surplus pass would never look there.
            SurplusCopies.holders(range, replicas, n, slotOf, answered, digests, holders);
            for (int k = 0; k < holders.size(); k++)
            {
                listing.slots.add(holders.getInt(k));
                requests.add(Request.ids(holders.getInt(k), range, null, listing));
            }
            listings.add(listing);
        }
        phase = LISTS;
        return 1;
    }

    /**
     * Lists the owners and holders of the next few settled ranges that hold surplus copies.
     */
    private int listSurplus()
    {
        final int end = Math.min(surplus.size(), nextSurplus + RANGES_PER_STEP);
        for (; nextSurplus < end; nextSurplus++)
        {
            final int range = surplus.get(nextSurplus);
            final int owners = SurplusCopies.settledWithHolders(ring, range, replicas, slotOf, answered, digests,
                holders);
            final RangeListing listing = new RangeListing();
            listing.ownerCount = owners;
            for (int k = 0; k < owners + holders.size(); k++)
            {
                final int slot = k < owners ? slotOf.get(replicas[k]) : holders.getInt(k - owners);
                listing.slots.add(slot);
                requests.add(Request.ids(slot, range, null, listing));
            }
            listings.add(listing);
        }
        phase = LISTS;
        return 1;
    }

    private void onIds(
        final Request request, final int messageType, final DirectBuffer buffer, final int offset, final int length)
        throws MalformedMessageException
    {
        final RangeListing listing = request.listing;
        if (messageType != MessageTypes.RANGE_IDS_RESPONSE ||
            idsResponse.wrap(buffer, offset, length).status() != Status.OK)
        {
            counters.increment(NodeCounter.REPAIR_ANSWERS_MISSED);
            listing.failed = true;
            return;
        }
        final int bit = 1 << listing.slots.indexOf(request.slot);
        ChunkId last = null;
        for (int i = 0; i < idsResponse.count(); i++)
        {
            last = idsResponse.chunkId(i);
            final Entry entry = listing.entries.computeIfAbsent(last, id -> new Entry());
            if (idsResponse.state(i) == RangeIdsResponseDescriptor.STATE_HELD)
            {
                entry.held |= bit;
                entry.rawLength = idsResponse.rawLength(i);
            }
            else
            {
                entry.quarantined |= bit;
            }
        }
        if (idsResponse.more() && last != null)
        {
            requests.add(Request.ids(request.slot, request.range, last, listing));
        }
    }

    /**
     * Turns the finished listings into orders.
     */
    private int plan()
    {
        for (final RangeListing listing : listings)
        {
            if (listing.failed)
            {
                continue;
            }
            if (listing.ownerCount > 0)
            {
                planSurplus(listing);
                continue;
            }
            final int replicaCount = listing.replicasListed;
            final int all = (1 << replicaCount) - 1;
            int turn = 0;
            for (final var e : listing.entries.entrySet())
            {
                final Entry entry = e.getValue();
                if ((entry.held & all) == all)
                {
                    continue;
                }
                if (entry.held == 0)
                {
                    if (replicaCount == ring.replicaCount() && (entry.quarantined & all) != 0)
                    {
                        unrecoverable(e.getKey(), listing);
                    }
                    continue;
                }
                for (int k = 0; k < replicaCount; k++)
                {
                    if ((entry.held & (1 << k)) == 0)
                    {
                        final int source = listing.slots.get(pickHolder(entry.held, turn++, listing.slots.size()));
                        addCopy(listing.slots.get(k), source, e.getKey(), entry.rawLength);
                    }
                }
            }
        }
        phase = COPIES;
        return 1;
    }

    private void planSurplus(final RangeListing listing)
    {
        final int owners = listing.ownerCount;
        int turn = 0;
        for (final var e : listing.entries.entrySet())
        {
            final Entry entry = e.getValue();
            final int drop = SurplusCopies.toDrop(entry.held, entry.quarantined, owners);
            final int copy = SurplusCopies.toCopy(entry.held, entry.quarantined, owners);
            for (int k = 0; k < listing.slots.size(); k++)
            {
                if ((drop & (1 << k)) != 0)
                {
                    addDrop(listing.slots.get(k), e.getKey());
                }
                if ((copy & (1 << k)) != 0)
                {
                    final int holders = entry.held & ~((1 << owners) - 1);
                    final int source = listing.slots.get(pickHolder(holders, turn++, listing.slots.size()));
                    addCopy(listing.slots.get(k), source, e.getKey(), entry.rawLength);
                }
            }
        }
    }

    private void addDrop(final int targetSlot, final ChunkId id)
    {
        Order order = null;
        for (int i = orders.size() - 1; i >= 0 && order == null; i--)
        {
            final Order candidate = orders.get(i);
            if (candidate.drop && candidate.targetSlot == targetSlot && !candidate.sent &&
                candidate.ids.size() < context.copyBatch())
            {
                order = candidate;
            }
        }
        if (order == null)
        {
            order = new Order(targetSlot, Order.NO_SOURCE);
            orders.add(order);
        }
        order.ids.add(id);
        order.rawLengths.add(0);
        counters.increment(NodeCounter.REPAIR_DROPS_SCHEDULED);
    }

    private long sinceRoundStart(final int index)
    {
        return counters.get(ROUND_COUNTERS[index]) - atRoundStart[index];
    }

    private static int pickHolder(final int held, final int turn, final int replicaCount)
    {
        final int holders = Integer.bitCount(held);
        int skip = turn % holders;
        for (int k = 0; k < replicaCount; k++)
        {
            if ((held & (1 << k)) != 0 && skip-- == 0)
            {
                return k;
            }
        }
        throw new IllegalStateException("held=" + held);
    }

    private void unrecoverable(final ChunkId id, final RangeListing listing)
    {
        if (reported.add(id))
        {
            counters.increment(NodeCounter.REPAIR_UNRECOVERABLE);
            final int[] asked = new int[listing.slots.size()];
            for (int k = 0; k < asked.length; k++)
            {
                asked[k] = nodeIds[listing.slots.get(k)];
            }
            listener.onUnrecoverable(id, asked);
        }
    }

    private void addCopy(final int targetSlot, final int sourceSlot, final ChunkId id, final int rawLength)
    {
        Order order = null;
        for (int i = orders.size() - 1; i >= 0; i--)
        {
            final Order candidate = orders.get(i);
            if (!candidate.drop && candidate.targetSlot == targetSlot && candidate.sourceSlot == sourceSlot &&
                !candidate.sent &&
                candidate.ids.size() < context.copyBatch() &&
                (candidate.bytes == 0 || candidate.bytes + rawLength <= bandwidth))
            {
                order = candidate;
                break;
            }
        }
        if (order == null)
        {
            order = new Order(targetSlot, sourceSlot);
            orders.add(order);
        }
        order.ids.add(id);
        order.rawLengths.add(rawLength);
        order.bytes += rawLength;
        counters.increment(NodeCounter.REPAIR_CHUNKS_SCHEDULED);
    }

    private int dispatch(final long nowNs)
    {
        throttle.refill(nowNs);
        int work = requests.sendUnsent();
        for (int i = 0; i < orders.size() && ordersInFlight < context.maxInFlight(); i++)
        {
            final Order order = orders.get(i);
            if (order.sent || targetBusy[order.targetSlot] ||
                (!order.drop && !throttle.mayStart(order.sourceSlot, order.targetSlot)))
            {
                continue;
            }
            if (ordersInFlight == 0)
            {
                copyingSinceNs = nowNs;
            }
            order.sent = true;
            targetBusy[order.targetSlot] = true;
            if (!order.drop)
            {
                throttle.take(order.sourceSlot, order.targetSlot, order.bytes);
            }
            ordersInFlight++;
            requests.add(Request.copy(order));
            work += 1 + requests.sendUnsent();
        }
        if (ordersInFlight == 0 && requests.isUnsentEmpty() && allSent())
        {
            work += 1 + nextStep();
        }
        return work;
    }

    /**
     * A round's plan holds only for the ring it compared: under another ring a target may own the range (a drop would
     * take a copy an owner needs), a source may have left the ring (its copies would wait out
     * {@code repair.copy.timeout} one order after another), and the ranges' replicas are other nodes. So a round whose
     * ring is no longer in force is abandoned and the next one starts at once.
     */
    private boolean isRingOfRound()
    {
        final Ring now = ringSupplier.get();
        return now != null && now.fingerprint() == fingerprint;
    }

    private boolean allSent()
    {
        for (final Order order : orders)
        {
            if (!order.sent)
            {
                return false;
            }
        }
        return true;
    }

    private void onCopied(final Order order, final ChunkBitmapDecoder bitmap)
    {
        if (--ordersInFlight == 0)
        {
            copyingNs += clock.nanoTime() - copyingSinceNs;
        }
        targetBusy[order.targetSlot] = false;
        final boolean answered = bitmap != null && bitmap.count() == order.ids.size();
        for (int i = 0; i < order.ids.size(); i++)
        {
            if (answered && bitmap.get(i))
            {
                counters.increment(NodeCounter.REPAIR_CHUNKS_COPIED);
                counters.add(NodeCounter.REPAIR_BYTES_COPIED, order.rawLengths.get(i));
            }
            else
            {
                counters.increment(NodeCounter.REPAIR_COPY_FAILURES);
            }
        }
    }

    private void onDropped(final Order order, final ChunkBitmapDecoder bitmap)
    {
        if (--ordersInFlight == 0)
        {
            copyingNs += clock.nanoTime() - copyingSinceNs;
        }
        targetBusy[order.targetSlot] = false;
        if (bitmap != null && bitmap.count() == order.ids.size())
        {
            for (int i = 0; i < order.ids.size(); i++)
            {
                if (bitmap.get(i))
                {
                    counters.increment(NodeCounter.REPAIR_CHUNKS_DROPPED);
                }
            }
        }
    }

    /**
     * What the replicas of one range said about one id: bit k for the listing's k-th replica.
     */
    private static final class Entry
    {
        private int held;
        private int quarantined;
        private int rawLength;
    }

    /**
     * The ids of one differing range, as its answering replicas listed them.
     */
    private static final class RangeListing
    {
        private final List<Integer> slots = new ArrayList<>();
        private final TreeMap<ChunkId, Entry> entries = new TreeMap<>();
        private boolean failed;
        /** 0 for a differing range's replicas; for a surplus listing, how many of the first slots are owners. */
        private int ownerCount;
        /** For a differing range, how many of the first slots are its replicas; the rest are holders, sources only. */
        private int replicasListed;

    }

    /**
     * A copy order, from one source to one target, or a drop order to one target.
     */
    private static final class Order
    {
        static final int NO_SOURCE = -1;

        private final int targetSlot;
        private final int sourceSlot;
        private final boolean drop;
        private final List<ChunkId> ids = new ArrayList<>();
        private final List<Integer> rawLengths = new ArrayList<>();
        private long bytes;
        private boolean sent;

        Order(final int targetSlot, final int sourceSlot)
        {
            this.targetSlot = targetSlot;
            this.sourceSlot = sourceSlot;
            this.drop = sourceSlot == NO_SOURCE;
        }
    }

    /**
     * A request in flight or waiting to be sent.
     */
    private static final class Request
    {
        static final int DIGESTS = 0;
        static final int IDS = 1;
        static final int COPY = 2;

        private final int kind;
        private final int slot;
        private final int range;
        private final int count;
        private ChunkId after;
        private RangeListing listing;
        private Order order;

        Request(final int kind, final int slot, final int range, final int count)
        {
            this.kind = kind;
            this.slot = slot;
            this.range = range;
            this.count = count;
        }

        static Request ids(final int slot, final int range, final ChunkId after, final RangeListing listing)
        {
            final Request request = new Request(IDS, slot, range, 0);
            request.after = after;
            request.listing = listing;
            return request;
        }

        static Request copy(final Order order)
        {
            final Request request = new Request(COPY, order.targetSlot, 0, 0);
            request.order = order;
            return request;
        }

        int messageType()
        {
            switch (kind)
            {
                case DIGESTS:
                    return MessageTypes.RANGE_DIGEST_REQUEST;
                case IDS:
                    return MessageTypes.RANGE_IDS_REQUEST;
                default:
                    return order.drop ? MessageTypes.DROP_CHUNKS_REQUEST : MessageTypes.COPY_CHUNKS_REQUEST;
            }
        }
    }
}

package io.rfs.replication.repair;

import io.rfs.replication.manifest.ManifestMerge;
import io.rfs.replication.node.NodeCounter;
import io.rfs.replication.node.NodeCounters;
import io.rfs.replication.protocol.ChunkBitmapDecoder;
import io.rfs.replication.protocol.DropChunksRequestEncoder;
import io.rfs.replication.protocol.GetManifestRequestEncoder;
import io.rfs.replication.protocol.GetManifestResponseDecoder;
import io.rfs.replication.protocol.ListManifestsRequestEncoder;
import io.rfs.replication.protocol.ListManifestsResponseDecoder;
import io.rfs.replication.protocol.MalformedMessageException;
import io.rfs.replication.protocol.MessageTypes;
import io.rfs.replication.protocol.ReclaimCandidatesRequestDescriptor;
import io.rfs.replication.protocol.ReclaimCandidatesRequestEncoder;
import io.rfs.replication.protocol.ReclaimCandidatesResponseDecoder;
import io.rfs.replication.protocol.Status;
import io.rfs.replication.ring.Ring;
import io.rfs.store.FileStat;
import io.rfs.store.chunk.ChunkId;
import io.rfs.store.manifest.CorruptManifestException;
import io.rfs.store.manifest.ManifestDecoder;
import io.rfs.store.manifest.Version;
import org.agrona.DirectBuffer;
import org.agrona.collections.Int2IntHashMap;
import org.agrona.collections.IntArrayList;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The leader's reclaim of chunks that no manifest references (a deleted file's, a failed put's): every
 * {@code repair.reclaim.interval}, while this node leads.
 * <ol>
 *     <li><b>Candidates.</b> Every node of the ring lists, page by page in ascending id order, the ids it holds that
 *     no put has stored or asked it to store for longer than {@code repair.reclaim.grace} ({@link ChunkTouches}),
 *     with its own clock reading at the listing ({@code ReclaimCandidatesRequest}). At most
 *     {@code repair.reclaim.max.candidates} are gathered ({@link ReclaimCandidates}); when the listings go further,
 *     the round covers the ids up to the lowest id where a node's listing stopped (a slice of the id space), and the
 *     next round, at once, starts after it.</li>
 *     <li><b>References.</b> Every node's manifest listing is merged name by name ({@link ManifestMerge}); for each
 *     name whose newest version is live, the manifest is read from a node holding that version and its chunk ids
 *     are taken out of the candidates. A tombstone references nothing.</li>
 *     <li><b>Drops.</b> Each node is ordered ({@code DropChunksRequest} with {@code UNTOUCHED_SINCE}) to drop the
 *     unreferenced ids it listed, with the leader's term and the node's clock reading from its first page: the node
 *     drops an id only if nothing stored it or asked to store it since, which closes the race with a put that
 *     deduplicates against an old chunk.</li>
 * </ol>
 * <b>Completeness.</b> A name's newest version may be on any node, so a round in which any node of the ring fails to
 * list its candidates or its manifests, or a live manifest cannot be read from any node holding its newest version,
 * drops nothing (it is counted and logged) and the next round comes after the interval.
 * <p>
 * <b>A put in progress</b> writes its chunks before its manifest; each chunk put refreshes the chunk's time on its
 * node, so its chunks are no candidates for a grace period, far longer than any put takes (the writer's request
 * timeouts end it long before). A get that read a manifest just before it was replaced or deleted may find the old
 * version's chunks dropped, as after any delete; it fails and a retry reads the new version.
 * <p>
 * <b>Threads.</b> The network agent's thread (it owns the {@link RequestChannel}); time from the injected clock.
 */
public final class ChunkReclaimer implements Agent
{
    /** Live manifests being read at once. */
    static final int MANIFESTS_IN_FLIGHT = 16;
    /** Drop orders in flight at once. */
    static final int DROPS_IN_FLIGHT = 4;
    /** Most ids per drop order. */
    static final int DROP_BATCH = 1024;

    private static final int IDLE = 0;
    private static final int CANDIDATES = 1;
    private static final int REFERENCES = 2;
    private static final int DROPS = 3;

    private final RepairContext context;
    private final NanoClock clock;
    private final BooleanSupplier isLeader;
    private final LongSupplier term;
    private final Supplier<Ring> ringSupplier;
    private final NodeCounters counters;
    private final RepairListener listener;
    private final DropChunksRequestEncoder dropRequest = new DropChunksRequestEncoder();
    private final ChunkBitmapDecoder dropResponse = new ChunkBitmapDecoder(MessageTypes.DROP_CHUNKS_RESPONSE);
    private final OutgoingRequests<Request> requests;
    private final ArrayDeque<Request> dropQueue = new ArrayDeque<>();
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[64 * 1024]);
    private final ReclaimCandidatesRequestEncoder candidatesRequest = new ReclaimCandidatesRequestEncoder();
    private final ReclaimCandidatesResponseDecoder candidatesResponse = new ReclaimCandidatesResponseDecoder();
    private final ListManifestsRequestEncoder listRequest = new ListManifestsRequestEncoder();
    private final ListManifestsResponseDecoder listResponse = new ListManifestsResponseDecoder();
    private final GetManifestRequestEncoder manifestRequest = new GetManifestRequestEncoder();
    private final GetManifestResponseDecoder manifestResponse = new GetManifestResponseDecoder();
    private final ManifestDecoder manifestDecoder = new ManifestDecoder();
    private final ReclaimCandidates candidates = new ReclaimCandidates();
    private final Int2IntHashMap slotOf = new Int2IntHashMap(-1);

    private int phase = IDLE;
    private long nextRoundNs;
    private boolean runRequested;
    private long roundStartNs;
    private int[] nodeIds = new int[0];
    private boolean[] listed = new boolean[0];
    private boolean[] listingDone = new boolean[0];
    private long[] listedAtNs = new long[0];
    private long[] clockInstance = new long[0];
    private ChunkId[] lastListed = new ChunkId[0];
    private ChunkId sliceStart;
    private ChunkId sliceEnd;
    private ManifestMerge merge;
    private int manifestsInFlight;
    private int dropsInFlight;
    private long inSlice;
    private long unreferenced;
    private long ordered;
    private long dropped;
    private long failedDrops;
    private long roundsCompleted;

    /**
     * @param context      concluded repair settings ({@code repair.reclaim.*}).
     * @param clock        the node's clock.
     * @param channel      how requests reach nodes, this one included.
     * @param isLeader     whether this node leads now.
     * @param term         the current term.
     * @param ringSupplier the ring in force, or null.
     * @param counters     the node's counters, of which this agent writes the {@code RECLAIM_*} ones.
     * @param listener     told of each round's end.
     */
    public ChunkReclaimer(
        final RepairContext context,
        final NanoClock clock,
        final RequestChannel channel,
        final BooleanSupplier isLeader,
        final LongSupplier term,
        final Supplier<Ring> ringSupplier,
        final NodeCounters counters,
        final RepairListener listener)
    {
        this.context = context;
        this.clock = clock;
        this.requests = new OutgoingRequests<>(clock, channel, context.requestTimeoutNs(), new RequestHandler());
        this.isLeader = isLeader;
        this.term = term;
        this.ringSupplier = ringSupplier;
        this.counters = counters;
        this.listener = listener;
        this.nextRoundNs = clock.nanoTime() + context.reclaimIntervalNs();
    }

    @Override
    public String roleName()
    {
        return "rfs-reclaim";
    }

    @Override
    public int doWork()
    {
        if (!context.enabled() || !context.reclaimEnabled())
        {
            return 0;
        }
        if (!isLeader.getAsBoolean())
        {
            if (phase != IDLE)
            {
                clearRound();
            }
            return 0;
        }
        switch (phase)
        {
            case IDLE:
                final long nowNs = clock.nanoTime();
                return nowNs - nextRoundNs >= 0 ? startRound(nowNs) : 0;
            case CANDIDATES:
                final int sent = requests.sendUnsent();
                return sent + (phase == CANDIDATES && requests.isEmpty() ? afterCandidates() : 0);
            case REFERENCES:
                return walk();
            default:
                return dispatchDrops();
        }
    }

    /**
     * Starts a round now instead of at the next interval ({@code rfs repair}, with every repair round it asks for,
     * and tests); one asked for while a round is in progress starts as soon as that one ends.
     */
    public void runNow()
    {
        nextRoundNs = clock.nanoTime();
        runRequested = phase != IDLE;
    }

    /**
     * @return rounds that ran to their end (complete or not) while this node led.
     */
    public long roundsCompleted()
    {
        return roundsCompleted;
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
        final Ring ring = ringSupplier.get();
        if (ring == null || ring.nodeCount() == 0)
        {
            nextRoundNs = nowNs + context.reclaimIntervalNs();
            return 0;
        }
        counters.increment(NodeCounter.RECLAIM_ROUNDS);
        roundStartNs = nowNs;
        final int nodes = ring.nodeCount();
        nodeIds = new int[nodes];
        listed = new boolean[nodes];
        listingDone = new boolean[nodes];
        listedAtNs = new long[nodes];
        clockInstance = new long[nodes];
        lastListed = new ChunkId[nodes];
        slotOf.clear();
        candidates.reset(nodes);
        inSlice = 0;
        unreferenced = 0;
        ordered = 0;
        dropped = 0;
        failedDrops = 0;
        for (int slot = 0; slot < nodes; slot++)
        {
            nodeIds[slot] = ring.nodes().get(slot).id();
            slotOf.put(nodeIds[slot], slot);
            requests.add(Request.candidates(slot, sliceStart));
        }
        phase = CANDIDATES;
        return 1 + requests.sendUnsent();
    }

    private void onCandidates(
        final Request request, final int messageType, final DirectBuffer buffer, final int offset, final int length)
        throws MalformedMessageException
    {
        final int slot = request.slot;
        if (messageType != MessageTypes.RECLAIM_CANDIDATES_RESPONSE ||
            candidatesResponse.wrap(buffer, offset, length).status() != Status.OK)
        {
            fail("node " + nodeIds[slot] + " did not list its idle chunks");
            return;
        }
        if (!listed[slot])
        {
            listed[slot] = true;
            listedAtNs[slot] = candidatesResponse.listedAtNs();
            clockInstance[slot] = candidatesResponse.clockInstance();
        }
        else if (clockInstance[slot] != candidatesResponse.clockInstance())
        {
            fail("node " + nodeIds[slot] + " restarted while listing its idle chunks");
            return;
        }
        ChunkId last = null;
        for (int i = 0; i < candidatesResponse.count(); i++)
        {
            last = candidatesResponse.chunkId(i);
            candidates.add(slot, last);
        }
        if (!candidatesResponse.more() || last == null)
        {
            listingDone[slot] = true;
        }
        else if (candidates.size() < context.reclaimMaxCandidates())
        {
            requests.add(Request.candidates(slot, last));
        }
        else
        {
            lastListed[slot] = last;
        }
    }

    /**
     * Every listing ended or stopped at the bound: the round's slice ends at the lowest id where one stopped.
     */
    private int afterCandidates()
    {
        sliceEnd = null;
        for (int slot = 0; slot < nodeIds.length; slot++)
        {
            if (!listingDone[slot] && (sliceEnd == null || lastListed[slot].compareTo(sliceEnd) < 0))
            {
                sliceEnd = lastListed[slot];
            }
        }
        if (candidates.size() == 0)
        {
            return endRound(null);
        }
        final List<Integer> ids = new ArrayList<>(nodeIds.length);
        for (final int nodeId : nodeIds)
        {
            ids.add(nodeId);
        }
        merge = new ManifestMerge(ids);
        manifestsInFlight = 0;
        phase = REFERENCES;
        return 1;
    }

    private int walk()
    {
        int work = 0;
        int nodeId;
        while ((nodeId = merge.nextPageWanted()) != ManifestMerge.NO_NODE)
        {
            requests.add(Request.list(slotOf.get(nodeId), merge.token(nodeId)));
            work++;
        }
        ManifestMerge.Name name;
        while (manifestsInFlight < MANIFESTS_IN_FLIGHT && (name = merge.next()) != null)
        {
            work++;
            final FileStat newest = name.newest();
            if (newest.tombstone())
            {
                continue;
            }
            final IntArrayList holders = new IntArrayList();
            for (final Map.Entry<Integer, FileStat> holder : name.holders().entrySet())
            {
                if (holder.getValue().version().equals(newest.version()))
                {
                    holders.addInt(slotOf.get(holder.getKey()));
                }
            }
            requests.add(Request.manifest(name.name(), newest.version(), holders));
            manifestsInFlight++;
        }
        work += requests.sendUnsent();
        if (phase == REFERENCES && merge.isDone() && manifestsInFlight == 0 && requests.isEmpty())
        {
            work += startDrops();
        }
        return work;
    }

    private void onListPage(
        final Request request, final int messageType, final DirectBuffer buffer, final int offset, final int length)
        throws MalformedMessageException
    {
        if (messageType != MessageTypes.LIST_MANIFESTS_RESPONSE ||
            listResponse.wrap(buffer, offset, length).status() != Status.OK)
        {
            fail("node " + nodeIds[request.slot] + " did not list its manifests");
            return;
        }
        merge.onPage(nodeIds[request.slot], ManifestMerge.entries(listResponse), ManifestMerge.nextToken(listResponse));
    }

    private void onManifest(
        final Request request, final int messageType, final DirectBuffer buffer, final int offset, final int length)
        throws MalformedMessageException
    {
        if (messageType == MessageTypes.GET_MANIFEST_RESPONSE &&
            manifestResponse.wrap(buffer, offset, length).status() == Status.OK)
        {
            try
            {
                final ManifestDecoder manifest = manifestResponse.manifest(manifestDecoder);
                // A newer version (a put since the listing) is the one that counts; an older one is no answer.
                if (manifest.name().equals(request.name) && !request.version.isNewerThan(manifest.version()))
                {
                    if (!manifest.isTombstone())
                    {
                        for (int i = 0; i < manifest.chunkCount(); i++)
                        {
                            candidates.reference(manifest.buffer(), manifest.chunkIdOffset(i));
                        }
                    }
                    manifestsInFlight--;
                    return;
                }
            }
            catch (final CorruptManifestException ex)
            {
                // Another holder may have a sound copy.
            }
        }
        nextHolder(request);
    }

    private void nextHolder(final Request request)
    {
        if (++request.holder < request.holders.size())
        {
            requests.add(request);
        }
        else
        {
            fail("no node answered with the newest manifest of " + request.name);
        }
    }

    private int startDrops()
    {
        final boolean[] drop = new boolean[candidates.size()];
        for (int index = 0; index < drop.length; index++)
        {
            if (sliceEnd == null || candidates.id(index).compareTo(sliceEnd) <= 0)
            {
                inSlice++;
                drop[index] = !candidates.isReferenced(index);
                unreferenced += drop[index] ? 1 : 0;
            }
        }
        counters.add(NodeCounter.RECLAIM_CANDIDATES, inSlice);
        counters.add(NodeCounter.RECLAIM_UNREFERENCED, unreferenced);
        final int batch = DROP_BATCH;
        for (int slot = 0; slot < nodeIds.length; slot++)
        {
            final IntArrayList listedBy = candidates.listedBy(slot);
            List<ChunkId> ids = new ArrayList<>();
            for (int i = 0; i < listedBy.size(); i++)
            {
                final int index = listedBy.getInt(i);
                if (drop[index])
                {
                    ids.add(candidates.id(index));
                    ordered++;
                    if (ids.size() == batch)
                    {
                        dropQueue.add(Request.drop(slot, ids));
                        ids = new ArrayList<>();
                    }
                }
            }
            if (!ids.isEmpty())
            {
                dropQueue.add(Request.drop(slot, ids));
            }
        }
        dropsInFlight = 0;
        phase = DROPS;
        return 1;
    }

    private int dispatchDrops()
    {
        int work = 0;
        while (dropsInFlight < DROPS_IN_FLIGHT && !dropQueue.isEmpty())
        {
            requests.add(dropQueue.poll());
            dropsInFlight++;
            work++;
        }
        work += requests.sendUnsent();
        if (dropsInFlight == 0 && dropQueue.isEmpty())
        {
            work += endRound(null);
        }
        return work;
    }

    private void onDropped(
        final Request request, final int messageType, final DirectBuffer buffer, final int offset, final int length)
        throws MalformedMessageException
    {
        if (messageType != MessageTypes.DROP_CHUNKS_RESPONSE ||
            dropResponse.wrap(buffer, offset, length).count() != request.ids.size())
        {
            dropFailed(request);
            return;
        }
        dropsInFlight--;
        int n = 0;
        for (int i = 0; i < request.ids.size(); i++)
        {
            n += dropResponse.get(i) ? 1 : 0;
        }
        dropped += n;
        counters.add(NodeCounter.RECLAIM_CHUNKS_DROPPED, n);
    }

    private void fail(final String why)
    {
        counters.increment(NodeCounter.RECLAIM_ROUNDS_INCOMPLETE);
        endRound(why);
    }

    private int endRound(final String incomplete)
    {
        final long nowNs = clock.nanoTime();
        listener.onReclaimRound(
            incomplete, inSlice, unreferenced, ordered, dropped, failedDrops, nowNs - roundStartNs);
        roundsCompleted++;
        if (incomplete == null && sliceEnd != null)
        {
            sliceStart = sliceEnd;
            nextRoundNs = nowNs;
        }
        else
        {
            if (incomplete == null)
            {
                sliceStart = null;
            }
            nextRoundNs = nowNs + context.reclaimIntervalNs();
        }
        if (runRequested)
        {
            nextRoundNs = nowNs;
            runRequested = false;
        }
        clearRound();
        return 1;
    }

    private void clearRound()
    {
        requests.clear();
        dropQueue.clear();
        merge = null;
        candidates.reset(0);
        phase = IDLE;
    }

    private int encodeBody(final Request request)
    {
        switch (request.kind)
        {
            case Request.CANDIDATES:
                return candidatesRequest.wrap(scratch, 0).graceNs(context.reclaimGraceNs())
                    .maxEntries(Math.min(ReclaimCandidatesRequestDescriptor.MAX_ENTRIES, context.reclaimMaxCandidates()))
                    .after(request.after)
                    .encodedLength();
            case Request.LIST:
                listRequest.wrap(scratch, 0).maxEntries(ManifestMerge.PAGE_ENTRIES).includeTombstones(true)
                    .prefix(scratch, 0, 0);
                if (request.token != null)
                {
                    listRequest.pageToken(new UnsafeBuffer(request.token), 0, request.token.length);
                }
                return listRequest.encodedLength();
            case Request.MANIFEST:
                return manifestRequest.wrap(scratch, 0).name(request.name).encodedLength();
            default:
                dropRequest.wrap(scratch, 0).term(term.getAsLong());
                for (final ChunkId id : request.ids)
                {
                    dropRequest.addChunkId(id);
                }
                return dropRequest.untouchedSince(listedAtNs[request.slot], clockInstance[request.slot])
                    .encodedLength();
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
            envelope.wrap(nodeIds[request.destinationSlot()], request.messageType(), scratch, encodeBody(request));
        }

        @Override
        public void onResponse(
            final Request request, final int messageType, final DirectBuffer buffer, final int offset,
            final int length)
            throws MalformedMessageException
        {
            switch (request.kind)
            {
                case Request.CANDIDATES:
                    onCandidates(request, messageType, buffer, offset, length);
                    break;
                case Request.LIST:
                    onListPage(request, messageType, buffer, offset, length);
                    break;
                case Request.MANIFEST:
                    onManifest(request, messageType, buffer, offset, length);
                    break;
                default:
                    onDropped(request, messageType, buffer, offset, length);
                    break;
            }
        }

        @Override
        public void onFailed(final Request request)
        {
            switch (request.kind)
            {
                case Request.CANDIDATES:
                    fail("node " + nodeIds[request.slot] + " did not list its idle chunks");
                    break;
                case Request.LIST:
                    fail("node " + nodeIds[request.slot] + " did not list its manifests");
                    break;
                case Request.MANIFEST:
                    nextHolder(request);
                    break;
                default:
                    dropFailed(request);
                    break;
            }
        }
    }

    private void dropFailed(final Request request)
    {
        dropsInFlight--;
        failedDrops += request.ids.size();
        counters.add(NodeCounter.RECLAIM_DROP_FAILURES, request.ids.size());
    }

    /**
     * A request in flight or waiting to be sent.
     */
    private static final class Request
    {
        static final int CANDIDATES = 0;
        static final int LIST = 1;
        static final int MANIFEST = 2;
        static final int DROP = 3;

        private final int kind;
        private final int slot;
        private ChunkId after;
        private byte[] token;
        private String name;
        private Version version;
        private IntArrayList holders;
        private int holder;
        private List<ChunkId> ids;

        Request(final int kind, final int slot)
        {
            this.kind = kind;
            this.slot = slot;
        }

        static Request candidates(final int slot, final ChunkId after)
        {
            final Request request = new Request(CANDIDATES, slot);
            request.after = after;
            return request;
        }

        static Request list(final int slot, final byte[] token)
        {
            final Request request = new Request(LIST, slot);
            request.token = token;
            return request;
        }

        static Request manifest(final String name, final Version version, final IntArrayList holders)
        {
            final Request request = new Request(MANIFEST, -1);
            request.name = name;
            request.version = version;
            request.holders = holders;
            return request;
        }

        static Request drop(final int slot, final List<ChunkId> ids)
        {
            final Request request = new Request(DROP, slot);
            request.ids = ids;
            return request;
        }

        int destinationSlot()
        {
            return kind == MANIFEST ? holders.getInt(holder) : slot;
        }

        int messageType()
        {
            switch (kind)
            {
                case CANDIDATES:
                    return MessageTypes.RECLAIM_CANDIDATES_REQUEST;
                case LIST:
                    return MessageTypes.LIST_MANIFESTS_REQUEST;
                case MANIFEST:
                    return MessageTypes.GET_MANIFEST_REQUEST;
                default:
                    return MessageTypes.DROP_CHUNKS_REQUEST;
            }
        }
    }
}

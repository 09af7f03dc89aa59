package io.rfs.replication.repair;

import io.rfs.replication.node.NodeCounter;
import io.rfs.replication.node.NodeCounters;
import io.rfs.replication.protocol.ChunkBitmapDecoder;
import io.rfs.replication.protocol.DropManifestsRequestDescriptor;
import io.rfs.replication.protocol.DropManifestsRequestEncoder;
import io.rfs.replication.protocol.GetManifestRequestEncoder;
import io.rfs.replication.protocol.GetManifestResponseDecoder;
import io.rfs.replication.protocol.MalformedMessageException;
import io.rfs.replication.protocol.MessageTypes;
import io.rfs.replication.protocol.PutManifestRequestDescriptor;
import io.rfs.replication.protocol.PutManifestRequestEncoder;
import io.rfs.replication.protocol.PutManifestResponseDecoder;
import io.rfs.replication.protocol.RangeDigestRequestDescriptor;
import io.rfs.replication.protocol.RangeDigestRequestEncoder;
import io.rfs.replication.protocol.RangeDigestResponseDecoder;
import io.rfs.replication.protocol.RangeManifestsRequestEncoder;
import io.rfs.replication.protocol.RangeManifestsResponseDecoder;
import io.rfs.replication.protocol.Status;
import io.rfs.replication.ring.Ring;
import io.rfs.replication.transport.ResponseListener;
import io.rfs.store.manifest.CorruptManifestException;
import io.rfs.store.manifest.ManifestDecoder;
import io.rfs.store.manifest.Version;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Int2IntHashMap;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The leader's manifest repair: with every repair round the {@link RepairScheduler} starts, compares the replicas'
 * manifest digests ({@link ManifestDigests}) per ring range of the names' positions and brings the newest version of
 * each name (tombstones included) to every owner that lacks it or holds an older one.
 * <ol>
 *     <li><b>Digests.</b> Every node of the ring, and every node out of it that the leader still reaches
 *     ({@link RetiredNodes}), is asked for its manifest digests ({@code RangeDigestRequest} with
 *     the manifests flag), 256 ranges per request. A range whose answering replicas (at least two) agree is in
 *     sync; a node that does not answer, has another ring or answers without the flag is left out.</li>
 *     <li><b>Names.</b> For the differing ranges, a few at a time, each answering replica lists its names and the
 *     version of its newest manifest of each ({@code RangeManifestsRequest}, paged).</li>
 *     <li><b>Copies.</b> For each name some replica holds a newer version of than another, the leader fetches the
 *     manifest from a replica with the newest version ({@code GetManifestRequest}) and writes it to each replica
 *     behind ({@code PutManifestRequest}). A node keeps a manifest only if it is newer than the one it holds, so a
 *     copy is idempotent and never undoes a newer write made meanwhile; it is a plain write, not a leader order.</li>
 *     <li><b>Surplus manifests.</b> A range whose N owners all answered and that another node (of the ring, or retired
 *     from it) still holds names in (its digest counts some; left by a ring change) is listed too, owners and those
 *     holders. A
 *     holder's newest version is a copy source for an owner behind, and the holder is ordered to drop the name
 *     ({@code DropManifestsRequest}, with the term) once every owner listed it at that version or newer
 *     ({@link SurplusManifests} has the rule). Drops planned by one ring are not sent once another is in force.</li>
 * </ol>
 * <b>Throttle.</b> At most {@code repair.max.in.flight} names in copy at once, and the repair bandwidth's token
 * bucket per node ({@link RepairThrottle}): a copy starts while its source's and first target's buckets are
 * positive and takes the manifest's length from the source and every target.
 * <p>
 * <b>Leadership.</b> Works only while this node leads; a pass in progress is dropped when it stops leading.
 * <p>
 * <b>Threads.</b> The network agent's thread (it owns the {@link RequestChannel}); time from the injected clock.
 */
public final class ManifestRepair implements Agent, ResponseListener
{
    /** Differing ranges listed and repaired together, which bounds the names held in memory. */
    static final int RANGES_PER_STEP = 8;
    /** Names asked for per page. */
    static final int PAGE_ENTRIES = 512;

    private static final long NOT_REFUSED = Long.MIN_VALUE;
    private static final int IDLE = 0;
    private static final int DIGESTS = 1;
    private static final int LISTS = 2;
    private static final int COPIES = 3;

    private final RepairContext context;
    private final NanoClock clock;
    private final RequestChannel channel;
    private final BooleanSupplier isLeader;
    private final Supplier<Ring> ringSupplier;
    private final LongSupplier roundsStarted;
    private final LongSupplier bandwidth;
    private final NodeCounters counters;
    private final Long2ObjectHashMap<Request> requests = new Long2ObjectHashMap<>();
    private final ArrayDeque<Request> unsent = new ArrayDeque<>();
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[4096]);
    private final RangeDigestRequestEncoder digestRequest = new RangeDigestRequestEncoder();
    private final RangeDigestResponseDecoder digestResponse = new RangeDigestResponseDecoder();
    private final RangeManifestsRequestEncoder namesRequest = new RangeManifestsRequestEncoder();
    private final RangeManifestsResponseDecoder namesResponse = new RangeManifestsResponseDecoder();
    private final GetManifestRequestEncoder getRequest = new GetManifestRequestEncoder();
    private final GetManifestResponseDecoder getResponse = new GetManifestResponseDecoder();
    private final PutManifestRequestEncoder putRequest = new PutManifestRequestEncoder();
    private final PutManifestResponseDecoder putResponse = new PutManifestResponseDecoder();
    private final ChunkBitmapDecoder dropResponse = new ChunkBitmapDecoder(MessageTypes.DROP_MANIFESTS_RESPONSE);
    private final LongSupplier term;
    private final ManifestDecoder manifest = new ManifestDecoder();
    private final Int2IntHashMap slotOf = new Int2IntHashMap(-1);
    private final int[] replicas = new int[Ring.MAX_REPLICATION_FACTOR];
    private final List<Integer> differing = new ArrayList<>();
    private final List<RangeListing> listings = new ArrayList<>();
    private final List<Copy> copies = new ArrayList<>();
    private final List<Request> drops = new ArrayList<>();

    private int phase = IDLE;
    private long lastRoundsStarted;
    private Ring ring;
    private long fingerprint;
    private int[] nodeIds = new int[0];
    private long[][] digests = new long[0][];
    private boolean[][] answered = new boolean[0][];
    private int nextDiffering;
    private int nextCopy;
    private int copiesInFlight;
    private int nextDrop;
    private int dropsInFlight;
    private RepairThrottle throttle;
    private long passesCompleted;
    private RetiredNodes retiredNodes = RetiredNodes.NONE;

    /**
     * @param context       concluded repair settings.
     * @param clock         the node's clock.
     * @param channel       how requests reach nodes, this one included.
     * @param isLeader      whether this node leads now.
     * @param term          the current term, which drop orders carry.
     * @param ringSupplier  the ring in force, or null.
     * @param roundsStarted repair rounds started so far ({@code REPAIR_ROUNDS}): a pass starts with each round.
     * @param bandwidth     the repair bandwidth per node in force, bytes per second.
     * @param counters      the node's counters, of which this agent writes the {@code REPAIR_MANIFEST*} ones.
     */
    public ManifestRepair(
        final RepairContext context,
        final NanoClock clock,
        final RequestChannel channel,
        final BooleanSupplier isLeader,
        final LongSupplier term,
        final Supplier<Ring> ringSupplier,
        final LongSupplier roundsStarted,
        final LongSupplier bandwidth,
        final NodeCounters counters)
    {
        this.context = context;
        this.clock = clock;
        this.channel = channel;
        this.isLeader = isLeader;
        this.term = term;
        this.ringSupplier = ringSupplier;
        this.roundsStarted = roundsStarted;
        this.bandwidth = bandwidth;
        this.counters = counters;
        this.lastRoundsStarted = roundsStarted.getAsLong();
    }

    @Override
    public String roleName()
    {
        return "rfs-manifest-repair";
    }

    /**
     * @return passes that ran to their end while this node led.
     */
    public long passesCompleted()
    {
        return passesCompleted;
    }

    /**
     * @param retiredNodes the nodes out of the ring that passes also ask, as holders only; none until set.
     */
    public void retiredNodes(final RetiredNodes retiredNodes)
    {
        this.retiredNodes = retiredNodes;
    }

    /**
     * @return true while a pass is in progress.
     */
    public boolean isPassInProgress()
    {
        return phase != IDLE;
    }

    @Override
    public int doWork()
    {
        if (!context.enabled())
        {
            return 0;
        }
        if (!isLeader.getAsBoolean())
        {
            if (phase != IDLE)
            {
                abort();
            }
            lastRoundsStarted = roundsStarted.getAsLong();
            return 0;
        }
        switch (phase)
        {
            case IDLE:
                final long rounds = roundsStarted.getAsLong();
                if (rounds == lastRoundsStarted)
                {
                    return 0;
                }
                lastRoundsStarted = rounds;
                return startPass();
            case DIGESTS:
                return sendUnsent() + (requests.isEmpty() && unsent.isEmpty() ? compare() : 0);
            case LISTS:
                return sendUnsent() + (requests.isEmpty() && unsent.isEmpty() ? plan() : 0);
            default:
                return dispatch();
        }
    }

    private int startPass()
    {
        ring = ringSupplier.get();
        if (ring == null || ring.tokenCount() == 0)
        {
            return 0;
        }
        fingerprint = ring.fingerprint();
        nodeIds = RetiredNodes.askedIn(ring, retiredNodes);
        final int nodes = nodeIds.length;
        final int ranges = ring.tokenCount();
        slotOf.clear();
        digests = new long[nodes][];
        answered = new boolean[nodes][];
        throttle = new RepairThrottle(bandwidth.getAsLong(), nodes, clock.nanoTime());
        for (int slot = 0; slot < nodes; slot++)
        {
            slotOf.put(nodeIds[slot], slot);
            digests[slot] = new long[ranges * 3];
            answered[slot] = new boolean[ranges];
            for (int first = 0; first < ranges; first += RangeDigestRequestDescriptor.MAX_COUNT)
            {
                final Request request = new Request(Request.DIGESTS, slot);
                request.range = first;
                request.count = Math.min(RangeDigestRequestDescriptor.MAX_COUNT, ranges - first);
                unsent.add(request);
            }
        }
        phase = DIGESTS;
        return 1 + sendUnsent();
    }

    private void abort()
    {
        requests.clear();
        unsent.clear();
        listings.clear();
        differing.clear();
        copies.clear();
        copiesInFlight = 0;
        drops.clear();
        dropsInFlight = 0;
        phase = IDLE;
    }

    /**
     * Sends the requests waiting; one refused is tried again on later duty cycles for up to
     * {@code repair.request.timeout}, then counts as failed.
     */
    private int sendUnsent()
    {
        int sent = 0;
        final long nowNs = clock.nanoTime();
        for (int i = unsent.size(); i > 0; i--)
        {
            final Request request = unsent.poll();
            final DirectBuffer body = request.kind == Request.PUT ? request.copy.put :
                request.kind == Request.DROP ? request.dropBody : scratch;
            final int length = request.kind == Request.PUT ? request.copy.put.capacity() :
                request.kind == Request.DROP ? request.dropLength : encode(request);
            final long correlationId = channel.send(nodeIds[request.slot], request.messageType(), body, 0, length,
                this, context.requestTimeoutNs());
            if (correlationId != RequestChannel.REFUSED)
            {
                requests.put(correlationId, request);
                sent++;
            }
            else if (request.refusedSinceNs == NOT_REFUSED)
            {
                request.refusedSinceNs = nowNs;
                unsent.add(request);
            }
            else if (nowNs - request.refusedSinceNs >= context.requestTimeoutNs())
            {
                onFailed(request);
            }
            else
            {
                unsent.add(request);
            }
        }
        return sent;
    }

    private int encode(final Request request)
    {
        switch (request.kind)
        {
            case Request.DIGESTS:
                return digestRequest.wrap(scratch, 0).ringFingerprint(fingerprint)
                    .ranges(request.range, request.count).manifests(true).encodedLength();
            case Request.NAMES:
                return namesRequest.wrap(scratch, 0).ringFingerprint(fingerprint).range(request.range)
                    .maxEntries(PAGE_ENTRIES).after(request.after).encodedLength();
            default:
                return getRequest.wrap(scratch, 0).name(request.copy.name).encodedLength();
        }
    }

    @Override
    public void onResponse(
        final long correlationId, final int sourceNodeId, final int messageType, final DirectBuffer buffer,
        final int offset, final int length)
    {
        final Request request = requests.remove(correlationId);
        if (request == null)
        {
            return;
        }
        try
        {
            switch (request.kind)
            {
                case Request.DIGESTS:
                    onDigests(request, messageType, buffer, offset, length);
                    break;
                case Request.NAMES:
                    onNames(request, messageType, buffer, offset, length);
                    break;
                case Request.GET:
                    onFetched(request.copy, messageType, buffer, offset, length);
                    break;
                case Request.DROP:
                    onDropped(messageType == MessageTypes.DROP_MANIFESTS_RESPONSE ?
                        dropResponse.wrap(buffer, offset, length) : null);
                    break;
                default:
                    onPut(request.copy, messageType == MessageTypes.PUT_MANIFEST_RESPONSE &&
                        isStored(putResponse.wrap(buffer, offset, length).status()));
                    break;
            }
        }
        catch (final MalformedMessageException ex)
        {
            onFailed(request);
        }
    }

    @Override
    public void onTimeout(final long correlationId)
    {
        final Request request = requests.remove(correlationId);
        if (request != null)
        {
            onFailed(request);
        }
    }

    private void onFailed(final Request request)
    {
        switch (request.kind)
        {
            case Request.GET:
                counters.add(NodeCounter.REPAIR_MANIFEST_COPY_FAILURES, request.copy.targetSlots.size());
                copiesInFlight--;
                break;
            case Request.PUT:
                onPut(request.copy, false);
                break;
            case Request.DROP:
                onDropped(null);
                break;
            default:
                counters.increment(NodeCounter.REPAIR_MANIFEST_ANSWERS_MISSED);
                if (request.kind == Request.NAMES)
                {
                    request.listing.failed = true;
                }
                break;
        }
    }

    private void onDigests(
        final Request request, final int messageType, final DirectBuffer buffer, final int offset, final int length)
        throws MalformedMessageException
    {
        if (messageType != MessageTypes.RANGE_DIGEST_RESPONSE ||
            digestResponse.wrap(buffer, offset, length).status() != Status.OK || !digestResponse.manifests() ||
            digestResponse.firstRange() != request.range || digestResponse.count() != request.count)
        {
            counters.increment(NodeCounter.REPAIR_MANIFEST_ANSWERS_MISSED);
            return;
        }
        final long[] values = digests[request.slot];
        for (int i = 0; i < request.count; i++)
        {
            final int range = request.range + i;
            values[range * 3] = digestResponse.lane0(i);
            values[range * 3 + 1] = digestResponse.lane1(i);
            values[range * 3 + 2] = digestResponse.held(i);
            answered[request.slot][range] = true;
        }
    }

    private int compare()
    {
        differing.clear();
        nextDiffering = 0;
        for (int range = 0; range < ring.tokenCount(); range++)
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
                if (first < 0)
                {
                    first = slot;
                }
                else
                {
                    for (int lane = 0; lane < 3; lane++)
                    {
                        differs |= digests[first][range * 3 + lane] != digests[slot][range * 3 + lane];
                    }
                }
            }
            if (compared >= Math.min(2, n) && differs)
            {
                counters.increment(NodeCounter.REPAIR_MANIFEST_RANGES_DIFFERENT);
                differing.add(range);
            }
            else if (compared == ring.replicaCount() && n == compared && hasHolders(range, n))
            {
                differing.add(range);
            }
        }
        return 1 + nextStep();
    }

    /**
     * @return true if a node of the ring that does not own the range answered with names held in it.
     */
    private boolean hasHolders(final int range, final int n)
    {
        for (int slot = 0; slot < nodeIds.length; slot++)
        {
            if (answered[slot][range] && digests[slot][range * 3 + 2] > 0 && !isOwner(slot, n))
            {
                return true;
            }
        }
        return false;
    }

    private boolean isOwner(final int slot, final int n)
    {
        for (int k = 0; k < n; k++)
        {
            if (replicas[k] == nodeIds[slot])
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Lists the next few differing ranges (and ranges with surplus manifests), or ends the pass if none is left.
     */
    private int nextStep()
    {
        listings.clear();
        copies.clear();
        nextCopy = 0;
        drops.clear();
        nextDrop = 0;
        if (nextDiffering >= differing.size())
        {
            phase = IDLE;
            passesCompleted++;
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
                }
            }
            listing.ownerCount = listing.slots.size();
            if (listing.ownerCount == ring.replicaCount())
            {
                for (int slot = 0; slot < nodeIds.length; slot++)
                {
                    if (answered[slot][range] && digests[slot][range * 3 + 2] > 0 && !isOwner(slot, n))
                    {
                        listing.slots.add(slot);
                    }
                }
            }
            for (final int slot : listing.slots)
            {
                unsent.add(Request.names(slot, range, null, listing));
            }
            listings.add(listing);
        }
        phase = LISTS;
        return 1;
    }

    private void onNames(
        final Request request, final int messageType, final DirectBuffer buffer, final int offset, final int length)
        throws MalformedMessageException
    {
        final RangeListing listing = request.listing;
        if (messageType != MessageTypes.RANGE_MANIFESTS_RESPONSE ||
            namesResponse.wrap(buffer, offset, length).status() != Status.OK)
        {
            counters.increment(NodeCounter.REPAIR_MANIFEST_ANSWERS_MISSED);
            listing.failed = true;
            return;
        }
        final int k = listing.slots.indexOf(request.slot);
        String last = null;
        for (int i = 0; i < namesResponse.count(); i++)
        {
            last = namesResponse.name(i);
            final Version[] versions = listing.names.computeIfAbsent(last, name -> new Version[listing.slots.size()]);
            versions[k] = namesResponse.version(i);
        }
        if (namesResponse.hasMore() && last != null)
        {
            unsent.add(Request.names(request.slot, request.range, last, listing));
        }
    }

    /**
     * Turns the finished listings into copies: for each name, from a replica with its newest version to every
     * replica without it. A listing that failed is left for the next round (a replica that did not list may hold
     * the newest version).
     */
    private int plan()
    {
        int turn = 0;
        for (final RangeListing listing : listings)
        {
            if (listing.failed)
            {
                continue;
            }
            for (final Map.Entry<String, Version[]> e : listing.names.entrySet())
            {
                final Version[] versions = e.getValue();
                int newest = -1;
                for (int k = 0; k < versions.length; k++)
                {
                    if (versions[k] != null && (newest < 0 || versions[k].isNewerThan(versions[newest])))
                    {
                        newest = k;
                    }
                }
                final Copy copy = new Copy(e.getKey());
                int holders = 0;
                for (int k = 0; k < versions.length; k++)
                {
                    if (versions[k] == null || versions[newest].isNewerThan(versions[k]))
                    {
                        if (k < listing.ownerCount)
                        {
                            copy.targetSlots.add(listing.slots.get(k));
                        }
                    }
                    else
                    {
                        holders++;
                    }
                    if (SurplusManifests.mayDrop(versions, listing.ownerCount, k))
                    {
                        addDrop(listing.slots.get(k), e.getKey(), versions[k]);
                    }
                }
                if (!copy.targetSlots.isEmpty())
                {
                    int skip = turn++ % holders;
                    for (int k = 0; k < versions.length; k++)
                    {
                        if (versions[k] != null && !versions[newest].isNewerThan(versions[k]) && skip-- == 0)
                        {
                            copy.sourceSlot = listing.slots.get(k);
                            break;
                        }
                    }
                    copies.add(copy);
                }
            }
        }
        for (final Request drop : drops)
        {
            drop.dropLength = drop.encoder.encodedLength();
            drop.encoder = null;
        }
        phase = COPIES;
        return 1;
    }

    /**
     * Adds a name to the drop order being filled for a holder, or to a new one once that one is full.
     */
    private void addDrop(final int slot, final String name, final Version version)
    {
        Request order = null;
        for (int i = drops.size() - 1; i >= 0; i--)
        {
            if (drops.get(i).slot == slot)
            {
                order = drops.get(i);
                break;
            }
        }
        if (order == null || order.encoder.count() == DropManifestsRequestDescriptor.MAX_COUNT)
        {
            order = new Request(Request.DROP, slot);
            order.dropBody = new ExpandableArrayBuffer(1024);
            order.encoder = new DropManifestsRequestEncoder().wrap(order.dropBody, 0).term(term.getAsLong());
            drops.add(order);
        }
        order.encoder.addEntry(name.getBytes(StandardCharsets.UTF_8), version);
        counters.increment(NodeCounter.REPAIR_MANIFEST_DROPS_SCHEDULED);
    }

    private int dispatch()
    {
        throttle.bytesPerSecond(bandwidth.getAsLong());
        throttle.refill(clock.nanoTime());
        int work = sendUnsent();
        while (nextCopy < copies.size() && copiesInFlight < context.maxInFlight())
        {
            final Copy copy = copies.get(nextCopy);
            if (!throttle.mayStart(copy.sourceSlot, copy.targetSlots.get(0)))
            {
                break;
            }
            nextCopy++;
            copiesInFlight++;
            unsent.add(Request.get(copy));
            work += 1 + sendUnsent();
        }
        work += dispatchDrops();
        if (nextCopy == copies.size() && copiesInFlight == 0 && nextDrop == drops.size() && dropsInFlight == 0 &&
            unsent.isEmpty() && requests.isEmpty())
        {
            work += 1 + nextStep();
        }
        return work;
    }

    /**
     * Sends drop orders (with the term of their planning), a few at a time; none once the ring in force is not the
     * one the listings were made by.
     */
    private int dispatchDrops()
    {
        final Ring inForce = ringSupplier.get();
        if (nextDrop < drops.size() && (inForce == null || inForce.fingerprint() != fingerprint))
        {
            nextDrop = drops.size();
            return 1;
        }
        int work = 0;
        while (nextDrop < drops.size() && dropsInFlight < context.maxInFlight())
        {
            dropsInFlight++;
            unsent.add(drops.get(nextDrop++));
            work += 1 + sendUnsent();
        }
        return work;
    }

    private void onDropped(final ChunkBitmapDecoder answer)
    {
        dropsInFlight--;
        if (answer == null)
        {
            counters.increment(NodeCounter.REPAIR_MANIFEST_ANSWERS_MISSED);
            return;
        }
        for (int i = 0; i < answer.count(); i++)
        {
            if (answer.get(i))
            {
                counters.increment(NodeCounter.REPAIR_MANIFESTS_DROPPED);
            }
        }
    }

    private void onFetched(
        final Copy copy, final int messageType, final DirectBuffer buffer, final int offset, final int length)
        throws MalformedMessageException
    {
        if (messageType != MessageTypes.GET_MANIFEST_RESPONSE ||
            getResponse.wrap(buffer, offset, length).status() != Status.OK || !isNamed(copy.name))
        {
            counters.add(NodeCounter.REPAIR_MANIFEST_COPY_FAILURES, copy.targetSlots.size());
            copiesInFlight--;
            return;
        }
        final int manifestLength = getResponse.manifestLength();
        copy.put = new UnsafeBuffer(new byte[PutManifestRequestDescriptor.MANIFEST_OFFSET + manifestLength]);
        putRequest.wrap(copy.put, 0).manifest(buffer, getResponse.manifestOffset(), manifestLength);
        copy.putsLeft = copy.targetSlots.size();
        for (final int target : copy.targetSlots)
        {
            throttle.take(copy.sourceSlot, target, manifestLength);
            final Request put = new Request(Request.PUT, target);
            put.copy = copy;
            unsent.add(put);
        }
    }

    private boolean isNamed(final String name)
    {
        try
        {
            return getResponse.manifest(manifest).name().equals(name);
        }
        catch (final CorruptManifestException ex)
        {
            return false;
        }
    }

    private void onPut(final Copy copy, final boolean stored)
    {
        counters.increment(stored ? NodeCounter.REPAIR_MANIFESTS_COPIED : NodeCounter.REPAIR_MANIFEST_COPY_FAILURES);
        if (--copy.putsLeft == 0)
        {
            copiesInFlight--;
        }
    }

    private static boolean isStored(final Status status)
    {
        return status == Status.OK || status == Status.ALREADY_HAD;
    }

    /**
     * The names of one differing range, as its answering replicas listed them: per name, each replica's newest
     * version, or null where it holds none.
     */
    private static final class RangeListing
    {
        private final List<Integer> slots = new ArrayList<>();
        private final TreeMap<String, Version[]> names = new TreeMap<>();
        /** The first slots are the range's owners that answered; the rest hold names they do not own. */
        private int ownerCount;
        private boolean failed;
    }

    /**
     * One name's newest manifest, from a source replica to the replicas behind.
     */
    private static final class Copy
    {
        private final String name;
        private final List<Integer> targetSlots = new ArrayList<>();
        private int sourceSlot;
        private UnsafeBuffer put;
        private int putsLeft;

        Copy(final String name)
        {
            this.name = name;
        }
    }

    /**
     * A request in flight or waiting to be sent.
     */
    private static final class Request
    {
        static final int DIGESTS = 0;
        static final int NAMES = 1;
        static final int GET = 2;
        static final int PUT = 3;
        static final int DROP = 4;

        private final int kind;
        private final int slot;
        private int range;
        private int count;
        private long refusedSinceNs = NOT_REFUSED;
        private String after;
        private RangeListing listing;
        private Copy copy;
        private MutableDirectBuffer dropBody;
        private DropManifestsRequestEncoder encoder;
        private int dropLength;

        Request(final int kind, final int slot)
        {
            this.kind = kind;
            this.slot = slot;
        }

        static Request names(final int slot, final int range, final String after, final RangeListing listing)
        {
            final Request request = new Request(NAMES, slot);
            request.range = range;
            request.after = after;
            request.listing = listing;
            return request;
        }

        static Request get(final Copy copy)
        {
            final Request request = new Request(GET, copy.sourceSlot);
            request.copy = copy;
            return request;
        }

        int messageType()
        {
            switch (kind)
            {
                case DIGESTS:
                    return MessageTypes.RANGE_DIGEST_REQUEST;
                case NAMES:
                    return MessageTypes.RANGE_MANIFESTS_REQUEST;
                case GET:
                    return MessageTypes.GET_MANIFEST_REQUEST;
                case DROP:
                    return MessageTypes.DROP_MANIFESTS_REQUEST;
                default:
                    return MessageTypes.PUT_MANIFEST_REQUEST;
            }
        }
    }
}

package io.rfs.replication.transport.fault;

import io.rfs.replication.protocol.FrameDescriptor;
import io.rfs.replication.transport.MessageHandler;
import io.rfs.store.ConfigurationException;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.IntHashSet;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.NanoClock;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * A network in one thread, for the deterministic simulator and the cluster tests: every offered message is copied
 * and scheduled for delivery at the injected clock's time plus a latency drawn from its link's seeded random
 * stream, and faults ({@link LinkFaults}: drop, duplicate, reorder, delay) and partitions (per direction, per pair)
 * apply on the way. Given one seed, one sequence of calls and one sequence of clock times, it delivers the same
 * messages, in the same order, at the same times: a failing seed replays.
 * <pre>{@code
 * final CachedNanoClock clock = new CachedNanoClock();
 * final SimulatedNetwork network = new SimulatedNetwork(new SimulatedNetwork.Context().seed(seed).nanoClock(clock));
 * final Transport a = network.newTransport(1);
 * final Transport b = network.newTransport(2);
 * network.faults(1, 2).dropProbability(0.1);
 * network.partition(1, 3);                  // both directions, until heal(1, 3)
 * a.offer(2, type, correlationId, body, 0, length);
 * clock.advance(network.nextDeliveryTimeNs() - clock.nanoTime());
 * b.poll(handler, 10);
 * }</pre>
 * <b>Semantics.</b> A dropped or partitioned message is accepted by {@code offer} (the sender cannot tell) and
 * counted. A partition also drops the messages in flight on its links when they come due, as a cut cable would.
 * Each link (a direction of a pair) has its own random stream, derived from the seed and the pair, so the traffic
 * on one link does not change the faults on another. Without reordering or duplication each link is FIFO.
 * Back-pressure: a node has room for {@link Context#inboxCapacity()} messages in flight to it; offers beyond are
 * refused. Ties in delivery time go in offer order.
 * <p>
 * <b>Threads.</b> Single-threaded: the simulation's one thread does everything.
 */
public final class SimulatedNetwork
{
    private final Context context;
    private final NanoClock clock;
    private final Int2ObjectHashMap<Inbox> inboxes = new Int2ObjectHashMap<>();
    private final Long2ObjectHashMap<Link> links = new Long2ObjectHashMap<>();
    private final IntHashSet isolated = new IntHashSet();
    private final ArrayDeque<Envelope> pool = new ArrayDeque<>();
    private long sequence;
    private long delivered;
    private long dropped;
    private long partitioned;
    private long duplicated;
    private long reordered;
    private long refused;

    /**
     * @param context concluded here if it has not been.
     */
    public SimulatedNetwork(final Context context)
    {
        this.context = context.conclude();
        this.clock = context.nanoClock();
    }

    /**
     * Adds a node.
     *
     * @param nodeId its id, not already on the network.
     * @return its endpoint; closing it removes the node and loses the messages in flight to it.
     */
    public SimulatedTransport newTransport(final int nodeId)
    {
        if (inboxes.containsKey(nodeId))
        {
            throw new IllegalArgumentException("nodeId=" + nodeId + " is already on this network");
        }
        final Inbox inbox = new Inbox();
        inboxes.put(nodeId, inbox);
        return new SimulatedTransport(this, nodeId, inbox);
    }

    /**
     * @param sourceNodeId      sender.
     * @param destinationNodeId receiver.
     * @return the faults of that direction, created from {@link Context#defaultFaults()} on first use; change them
     * in place.
     */
    public LinkFaults faults(final int sourceNodeId, final int destinationNodeId)
    {
        return link(sourceNodeId, destinationNodeId).faults;
    }

    /**
     * Cuts both directions between two nodes.
     *
     * @param a one node.
     * @param b the other.
     */
    public void partition(final int a, final int b)
    {
        link(a, b).blocked = true;
        link(b, a).blocked = true;
    }

    /**
     * Cuts one direction: {@code from} can no longer reach {@code to}; the other way still works.
     *
     * @param from sender.
     * @param to   receiver.
     */
    public void partitionOneWay(final int from, final int to)
    {
        link(from, to).blocked = true;
    }

    /**
     * Mends both directions between two nodes.
     *
     * @param a one node.
     * @param b the other.
     */
    public void heal(final int a, final int b)
    {
        link(a, b).blocked = false;
        link(b, a).blocked = false;
    }

    /**
     * Mends one direction.
     *
     * @param from sender.
     * @param to   receiver.
     */
    public void healOneWay(final int from, final int to)
    {
        link(from, to).blocked = false;
    }

    /**
     * Cuts a node off from every other, present or future, until {@link #healAll()} or {@link #rejoin}.
     *
     * @param nodeId the node.
     */
    public void isolate(final int nodeId)
    {
        isolated.add(nodeId);
    }

    /**
     * Ends a node's isolation; partitions of its links stay.
     *
     * @param nodeId the node.
     */
    public void rejoin(final int nodeId)
    {
        isolated.remove(nodeId);
    }

    /**
     * Mends every partition and isolation.
     */
    public void healAll()
    {
        isolated.clear();
        for (final Link link : links.values())
        {
            link.blocked = false;
        }
    }

    /**
     * @param from sender.
     * @param to   receiver.
     * @return true if messages from {@code from} to {@code to} are being dropped by a partition or isolation.
     */
    public boolean isPartitioned(final int from, final int to)
    {
        if (isolated.contains(from) || isolated.contains(to))
        {
            return true;
        }
        final Link link = links.get(key(from, to));
        return link != null && link.blocked;
    }

    /**
     * @return the earliest time a message in flight comes due, or {@link Long#MAX_VALUE} if none: where a
     * simulator may move its clock next.
     */
    public long nextDeliveryTimeNs()
    {
        long next = Long.MAX_VALUE;
        for (final Inbox inbox : inboxes.values())
        {
            next = Math.min(next, inbox.nextDeliveryTimeNs());
        }
        return next;
    }

    /**
     * @param nodeId a node.
     * @return messages in flight to it.
     */
    public int inFlight(final int nodeId)
    {
        final Inbox inbox = inboxes.get(nodeId);
        return inbox == null ? 0 : inbox.queue.size();
    }

    public long deliveredCount()
    {
        return delivered;
    }

    /**
     * @return messages lost to the drop fault.
     */
    public long droppedCount()
    {
        return dropped;
    }

    /**
     * @return messages lost to partitions and isolations, when offered or when due.
     */
    public long partitionedCount()
    {
        return partitioned;
    }

    public long duplicatedCount()
    {
        return duplicated;
    }

    public long reorderedCount()
    {
        return reordered;
    }

    /**
     * @return offers refused: unknown node or no room in flight to it.
     */
    public long refusedCount()
    {
        return refused;
    }

    /**
     * @return the settings in force.
     */
    public Context context()
    {
        return context;
    }

    boolean send(
        final int source,
        final int destination,
        final int messageType,
        final long correlationId,
        final DirectBuffer fields,
        final int fieldsOffset,
        final int fieldsLength,
        final DirectBuffer payload,
        final int payloadOffset,
        final int payloadLength)
    {
        final int length = fieldsLength + payloadLength;
        if (fieldsLength < 0 || payloadLength < 0 || length > context.maxMessageLength())
        {
            throw new IllegalArgumentException("fieldsLength=" + fieldsLength + " payloadLength=" + payloadLength +
                ": body must be 0.." + context.maxMessageLength() + " bytes");
        }
        final Inbox inbox = inboxes.get(destination);
        if (inbox == null || inbox.queue.size() >= context.inboxCapacity())
        {
            refused++;
            return false;
        }
        final Link link = link(source, destination);
        if (link.blocked || isolated.contains(source) || isolated.contains(destination))
        {
            partitioned++;
            return true;
        }
        final LinkFaults faults = link.faults;
        final SplittableRandom random = link.random;
        if (faults.dropProbability() > 0 && random.nextDouble() < faults.dropProbability())
        {
            dropped++;
            return true;
        }
        final long nowNs = clock.nanoTime();
        long deliverAtNs = nowNs + latency(faults, random);
        if (faults.reorderProbability() > 0 && random.nextDouble() < faults.reorderProbability())
        {
            reordered++;
            deliverAtNs += 1 + random.nextLong(faults.reorderDelayNs());
        }
        else
        {
            deliverAtNs = Math.max(deliverAtNs, link.lastDeliverAtNs);
            link.lastDeliverAtNs = deliverAtNs;
        }
        enqueue(inbox, deliverAtNs, source, destination, messageType, correlationId, fields, fieldsOffset,
            fieldsLength, payload, payloadOffset, payloadLength);

        if (faults.duplicateProbability() > 0 && random.nextDouble() < faults.duplicateProbability() &&
            inbox.queue.size() < context.inboxCapacity())
        {
            duplicated++;
            enqueue(inbox, nowNs + latency(faults, random), source, destination, messageType, correlationId, fields,
                fieldsOffset, fieldsLength, payload, payloadOffset, payloadLength);
        }
        return true;
    }

    int deliver(final int nodeId, final MessageHandler handler, final int messageLimit)
    {
        final Inbox inbox = inboxes.get(nodeId);
        if (inbox == null)
        {
            return 0;
        }
        final long nowNs = clock.nanoTime();
        int count = 0;
        Envelope envelope;
        while (count < messageLimit && (envelope = inbox.queue.peek()) != null && envelope.deliverAtNs - nowNs <= 0)
        {
            inbox.queue.poll();
            try
            {
                if (isPartitioned(envelope.source, envelope.destination))
                {
                    partitioned++;
                    continue;
                }
                count++;
                delivered++;
                handler.onMessage(envelope.source, envelope.messageType, envelope.correlationId, envelope.body, 0,
                    envelope.length);
            }
            finally
            {
                pool.addLast(envelope);
            }
        }
        return count;
    }

    void remove(final int nodeId)
    {
        final Inbox inbox = inboxes.remove(nodeId);
        if (inbox != null)
        {
            pool.addAll(inbox.queue);
            inbox.queue.clear();
        }
    }

    private void enqueue(
        final Inbox inbox,
        final long deliverAtNs,
        final int source,
        final int destination,
        final int messageType,
        final long correlationId,
        final DirectBuffer fields,
        final int fieldsOffset,
        final int fieldsLength,
        final DirectBuffer payload,
        final int payloadOffset,
        final int payloadLength)
    {
        final Envelope envelope = pool.isEmpty() ? new Envelope() : pool.pollFirst();
        envelope.deliverAtNs = deliverAtNs;
        envelope.sequence = ++sequence;
        envelope.source = source;
        envelope.destination = destination;
        envelope.messageType = messageType;
        envelope.correlationId = correlationId;
        envelope.body.putBytes(0, fields, fieldsOffset, fieldsLength);
        if (payloadLength > 0)
        {
            envelope.body.putBytes(fieldsLength, payload, payloadOffset, payloadLength);
        }
        envelope.length = fieldsLength + payloadLength;
        inbox.queue.add(envelope);
    }

    private static long latency(final LinkFaults faults, final SplittableRandom random)
    {
        final long min = faults.minLatencyNs();
        final long max = faults.maxLatencyNs();
        return max > min ? min + random.nextLong(max - min + 1) : min;
    }

    private Link link(final int source, final int destination)
    {
        final long key = key(source, destination);
        Link link = links.get(key);
        if (link == null)
        {
            link = new Link(new LinkFaults(context.defaultFaults()), new SplittableRandom(mix(context.seed(), key)));
            links.put(key, link);
        }
        return link;
    }

    private static long key(final int source, final int destination)
    {
        return ((long)source << 32) | (destination & 0xFFFF_FFFFL);
    }

    private static long mix(final long seed, final long key)
    {
        long z = seed + 0x9E37_79B9_7F4A_7C15L * (key + 1);
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }

    private static final class Link
    {
        private final LinkFaults faults;
        private final SplittableRandom random;
        private boolean blocked;
        private long lastDeliverAtNs = Long.MIN_VALUE;

        private Link(final LinkFaults faults, final SplittableRandom random)
        {
            this.faults = faults;
            this.random = random;
        }
    }

    static final class Inbox
    {
        private final PriorityQueue<Envelope> queue = new PriorityQueue<>(Envelope.ORDER);

        /**
         * @return when the earliest message in flight here comes due, or {@link Long#MAX_VALUE} if none.
         */
        long nextDeliveryTimeNs()
        {
            final Envelope head = queue.peek();
            return head == null ? Long.MAX_VALUE : head.deliverAtNs;
        }
    }

    private static final class Envelope
    {
        private static final Comparator<Envelope> ORDER = (a, b) ->
        {
            final int byTime = Long.compare(a.deliverAtNs, b.deliverAtNs);
            return byTime != 0 ? byTime : Long.compare(a.sequence, b.sequence);
        };

        private final ExpandableArrayBuffer body = new ExpandableArrayBuffer(128);
        private long deliverAtNs;
        private long sequence;
        private int source;
        private int destination;
        private int messageType;
        private long correlationId;
        private int length;
    }

    /**
     * Configuration of a {@link SimulatedNetwork}.
     */
    public static final class Context
    {
        /** Default seed of the links' random streams. */
        public static final long SEED_DEFAULT = 1;
        /** Default most messages in flight to one node. */
        public static final int INBOX_CAPACITY_DEFAULT = 4096;
        /** Default largest body, as a frame of the default maximum carries. */
        public static final int MAX_MESSAGE_LENGTH_DEFAULT =
            FrameDescriptor.MAX_FRAME_LENGTH_DEFAULT - FrameDescriptor.HEADER_LENGTH;
        /** Default least latency of a new link: 100 microseconds. */
        public static final long MIN_LATENCY_NS_DEFAULT = TimeUnit.MICROSECONDS.toNanos(100);
        /** Default greatest latency of a new link: 1 millisecond. */
        public static final long MAX_LATENCY_NS_DEFAULT = TimeUnit.MILLISECONDS.toNanos(1);

        private long seed = SEED_DEFAULT;
        private NanoClock nanoClock;
        private int inboxCapacity = INBOX_CAPACITY_DEFAULT;
        private int maxMessageLength = MAX_MESSAGE_LENGTH_DEFAULT;
        private final LinkFaults defaultFaults =
            new LinkFaults(null).latency(MIN_LATENCY_NS_DEFAULT, MAX_LATENCY_NS_DEFAULT);

        /**
         * Checks the settings.
         *
         * @return this.
         * @throws ConfigurationException naming the first setting that is wrong.
         */
        public Context conclude()
        {
            if (nanoClock == null)
            {
                throw new ConfigurationException("nanoClock", null, "must be set: the simulation's clock");
            }
            if (inboxCapacity < 1)
            {
                throw new ConfigurationException("inboxCapacity", inboxCapacity, "must be positive");
            }
            if (maxMessageLength < 0)
            {
                throw new ConfigurationException("maxMessageLength", maxMessageLength, "must not be negative");
            }
            return this;
        }

        public long seed()
        {
            return seed;
        }

        /**
         * @param seed seed of every link's random stream; default {@link #SEED_DEFAULT}.
         * @return this.
         */
        public Context seed(final long seed)
        {
            this.seed = seed;
            return this;
        }

        public NanoClock nanoClock()
        {
            return nanoClock;
        }

        /**
         * @param nanoClock the simulation's clock, usually a {@code CachedNanoClock} it steps. Required.
         * @return this.
         */
        public Context nanoClock(final NanoClock nanoClock)
        {
            this.nanoClock = nanoClock;
            return this;
        }

        public int inboxCapacity()
        {
            return inboxCapacity;
        }

        /**
         * @param inboxCapacity most messages in flight to one node; default {@link #INBOX_CAPACITY_DEFAULT}.
         * @return this.
         */
        public Context inboxCapacity(final int inboxCapacity)
        {
            this.inboxCapacity = inboxCapacity;
            return this;
        }

        public int maxMessageLength()
        {
            return maxMessageLength;
        }

        /**
         * @param maxMessageLength largest body; default {@link #MAX_MESSAGE_LENGTH_DEFAULT}.
         * @return this.
         */
        public Context maxMessageLength(final int maxMessageLength)
        {
            this.maxMessageLength = maxMessageLength;
            return this;
        }

        /**
         * @return the faults every link starts with (latency {@link #MIN_LATENCY_NS_DEFAULT} to
         * {@link #MAX_LATENCY_NS_DEFAULT}, no other fault); change them before the links are first used.
         */
        public LinkFaults defaultFaults()
        {
            return defaultFaults;
        }
    }
}

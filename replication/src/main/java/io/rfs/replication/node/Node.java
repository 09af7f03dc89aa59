package io.rfs.replication.node;

import io.rfs.replication.transport.PendingRequests;
import io.rfs.replication.cluster.ClusterAgent;
import io.rfs.replication.cluster.Role;
import io.rfs.replication.repair.ChunkReclaimer;
import io.rfs.replication.repair.ChunkTouches;
import io.rfs.replication.repair.ManifestDigests;
import io.rfs.replication.repair.ManifestRepair;
import io.rfs.replication.repair.RepairBandwidth;
import io.rfs.replication.repair.RangeDigests;
import io.rfs.replication.repair.RepairContext;
import io.rfs.replication.repair.RepairControl;
import io.rfs.replication.repair.RepairScheduler;
import io.rfs.replication.repair.RingInForce;
import io.rfs.replication.ring.Ring;
import io.rfs.replication.transport.Transport;
import io.rfs.store.ConfigurationException;
import io.rfs.store.chunk.ChunkId;
import org.agrona.BufferUtil;
import org.agrona.CloseHelper;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.CompositeAgent;
import org.agrona.concurrent.OneToOneConcurrentArrayQueue;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;

import java.io.IOException;
import java.util.Queue;

/**
 * One node assembled from its parts, with no threads of its own: its store, a {@link NodeAgent} on the given
 * transport, a {@link ClusterAgent} (heartbeats, election, cluster-metadata log) on the same thread, a
 * {@link StorageAgent} with its {@link HintedHandoffAgent} and {@link NodeScrubber}, and the two bounded rings
 * between them.
 * {@link NodeServer} runs the agents on threads; tests and the simulator step them by hand on one thread:
 * <pre>{@code
 * try (Node node = Node.open(context.nanoClock(clock), network.newTransport(1)))
 * {
 *     client.offer(1, MessageTypes.PUT_CHUNK_REQUEST, correlationId, body, 0, length);
 *     node.networkAgent().doWork();   // takes the request, queues it for the disk
 *     node.storageAgent().doWork();   // verifies, appends, forces, queues the acknowledgement
 *     node.networkAgent().doWork();   // sends it
 * }
 * }</pre>
 * or as one agent, {@link #agent()}. Closing the node closes the transport first (no payload is read from a
 * segment after that), then the store.
 */
public final class Node implements AutoCloseable
{
    /** Corrupt chunks found by the scrub and not yet reported; more at once are left to the digest comparison. */
    static final int SCRUB_REPORT_QUEUE_CAPACITY = 1024;

    private final NodeContext context;
    private final Transport transport;
    private final NodeStore store;
    private final NodeCounters counters = new NodeCounters();
    private final NodeAgent networkAgent;
    private final RingBuffer storageCommands;
    private final RingBuffer storageResults;
    private final StorageAgent storageAgent;
    private final HintedHandoffAgent handoffAgent;
    private final PendingRequests pendingRequests;
    private final ClusterAgent clusterAgent;
    private final RangeDigests digests;
    private final ChunkTouches touches;
    private final ManifestDigests manifestDigests;
    private final RepairScheduler repairScheduler;
    private final ChunkReclaimer reclaimer;
    private final ManifestRepair manifestRepair;
    private final RepairBandwidth repairBandwidth;
    private final NodeScrubber scrubber;
    private final NodeCompactor compactor;
    private final TombstonePurger tombstonePurger;
    private final ScrubReporter scrubReporter;
    private final MembershipService membership;
    private final RingInForce ringInForce;
    private boolean closed;

    private Node(
        final NodeContext context, final Transport transport, final NodeStore store, final ClusterAgent clusterAgent,
        final RepairBandwidth bandwidth)
    {
        this.context = context;
        this.repairBandwidth = bandwidth;
        this.transport = transport;
        this.store = store;
        this.clusterAgent = clusterAgent;
        final RingBuffer commands = newRing(context.storageQueueCapacity());
        final RingBuffer results = newRing(context.storageResultsCapacity());
        this.storageCommands = commands;
        this.storageResults = results;
        final int maxMessageLength = transport.maxMessageLength();
        if (commands.maxMsgLength() - StorageCommandDescriptor.HEADER_LENGTH < maxMessageLength)
        {
            throw new ConfigurationException(NodeContext.STORAGE_QUEUE_CAPACITY_PROP, context.storageQueueCapacity(),
                "an eighth of it must take the transport's largest message, " + maxMessageLength + " bytes, and a " +
                StorageCommandDescriptor.HEADER_LENGTH + "-byte header");
        }
        final int minResults = ManifestListing.minResponseLength() + StorageResultDescriptor.HEADER_LENGTH;
        if (results.maxMsgLength() < minResults)
        {
            throw new ConfigurationException(NodeContext.STORAGE_RESULTS_CAPACITY_PROP,
                context.storageResultsCapacity(), "an eighth of it must take a listing page of " + minResults +
                " bytes");
        }
        final RepairContext repair = context.repairContext();
        this.ringInForce = new RingInForce(ringInForce(clusterAgent, repair));
        this.digests = new RangeDigests(repair.digestKey());
        store.chunks().indexListener(digests);
        digests.rebuild(ringInForce.get(), store.chunks());
        this.manifestDigests = new ManifestDigests(repair.digestKey());
        store.manifests().indexListener(manifestDigests);
        manifestDigests.rebuild(ringInForce.get(), store.manifests());
        this.handoffAgent = new HintedHandoffAgent(context, store, results, maxMessageLength, counters);
        this.touches = new ChunkTouches(context.nanoClock().nanoTime());
        this.storageAgent = new StorageAgent(context, store, commands, results, maxMessageLength, counters,
            handoffAgent, new RangeQueries(store.chunks(), digests, store.manifests(), manifestDigests, ringInForce),
            touches);
        this.pendingRequests = new PendingRequests(new PendingRequests.Context().nanoClock(context.nanoClock()));
        final StorageProxy storageProxy = new StorageProxy(commands);
        final OutboundRequests outbound = new OutboundRequests(
            transport, pendingRequests, storageProxy, context.handoffRequestTimeoutNs(), counters);
        final NodeRequests requests = new NodeRequests(transport, pendingRequests, storageProxy, counters);
        final ChunkCopier copier = new ChunkCopier(
            requests, counters, clusterAgent::term, clusterAgent::leaderId, repair.copyTimeoutNs(), repair.requestTimeoutNs(),
            context.nanoClock());
        requests.copier(copier);
        final ResultSender sender = new ResultSender(transport, results, context.nanoClock(),
            context.responseTimeoutNs(), counters, context.errorHandler(), outbound, requests);
        this.networkAgent = new NodeAgent(
            context, transport, pendingRequests, storageProxy, sender, counters, clusterAgent, requests, copier);
        this.repairScheduler = new RepairScheduler(repair, context.nanoClock(), requests,
            () -> clusterAgent.role() == Role.LEADER, clusterAgent::term,
            () -> ringInForce(clusterAgent, repair), ringInForce, counters, repair.repairListener());
        this.reclaimer = new ChunkReclaimer(repair, context.nanoClock(), requests,
            () -> clusterAgent.role() == Role.LEADER, clusterAgent::term, () -> ringInForce(clusterAgent, repair),
            counters, repair.repairListener());
        this.compactor = new NodeCompactor(context, store.chunks(), store.manifests(), results, counters,
            System.out);
        this.tombstonePurger = new TombstonePurger(context, store.manifests(), store.hints(), counters);
        repairScheduler.bandwidth(bandwidth.get());
        this.manifestRepair = new ManifestRepair(repair, context.nanoClock(), requests,
            () -> clusterAgent.role() == Role.LEADER, clusterAgent::term, () -> ringInForce(clusterAgent, repair),
            () -> counters.get(NodeCounter.REPAIR_ROUNDS), repairScheduler::bandwidth, counters);
        repairScheduler.retiredNodes(clusterAgent::reachableRetiredNodes);
        manifestRepair.retiredNodes(clusterAgent::reachableRetiredNodes);
        final Queue<ChunkId> corruptFound = new OneToOneConcurrentArrayQueue<>(SCRUB_REPORT_QUEUE_CAPACITY);
        this.scrubber = new NodeScrubber(context.scrubContext(), store.chunks(),
            context.dataDirectory().resolve(ScrubProgress.DIRECTORY), context.nanoClock(), context.epochClock(),
            storageAgent::serviceTimeEwmaNs, counters, corruptFound, context.errorHandler());
        this.scrubReporter = new ScrubReporter(corruptFound, transport, context.nodeId(), clusterAgent::leaderId,
            clusterAgent::term, repairScheduler, counters);
        networkAgent.scrubReports(scrubReporter);
        networkAgent.leaderOrders(new LeaderOrders(clusterAgent::term, clusterAgent::leaderId));
        networkAgent.repairControl(new RepairControl(repair, transport, repairScheduler, manifestRepair, reclaimer,
            bandwidth, () -> clusterAgent.role() == Role.LEADER, clusterAgent::leaderId, clusterAgent::term, counters));
        this.membership = new MembershipService(clusterAgent, transport, repair, repairScheduler,
            networkAgent::addMember, () -> ringInForce(clusterAgent, repair), context.nanoClock(),
            context.errorHandler(), context.notes(), counters, 2 * context.clusterContext().heartbeatIntervalNs());
        networkAgent.membership(membership);
    }

    /**
     * Opens the node's store (recovering it) and assembles the node around the transport.
     *
     * @param context   concluded here if it has not been.
     * @param transport the node's endpoint, owned by the node from now on (closed with it, or here on failure).
     * @return the node, ready to be stepped or run.
     * @throws ConfigurationException if a setting does not fit (the queues, the data directory's node id).
     * @throws IOException            if the store cannot be opened.
     */
    public static Node open(final NodeContext context, final Transport transport) throws IOException
    {
        NodeStore store = null;
        ClusterAgent cluster = null;
        try
        {
            context.conclude();
            if (transport.localNodeId() != context.nodeId())
            {
                throw new ConfigurationException(NodeContext.NODE_ID_PROP, context.nodeId(),
                    "differs from the transport's node id " + transport.localNodeId());
            }
            store = NodeStore.open(context);
            final Node[] node = new Node[1];
            context.clusterContext().load(() -> node[0] == null ? 0 :
                (int)Math.min(Integer.MAX_VALUE, node[0].networkAgent.inProgress()));
            cluster = ClusterAgent.open(context.clusterContext(), transport);
            final RepairBandwidth bandwidth = RepairBandwidth.open(context.dataDirectory(),
                context.repairContext().bandwidth(), context.errorHandler());
            node[0] = new Node(context, transport, store, cluster, bandwidth);
            return node[0];
        }
        catch (final IOException | RuntimeException ex)
        {
            CloseHelper.quietCloseAll(transport, cluster, store);
            throw ex;
        }
    }

    /**
     * @return the background scrub; it reads the store, so it runs on the storage agent's thread
     * ({@link #storageSideAgent()}).
     */
    public NodeScrubber scrubber()
    {
        return scrubber;
    }

    /**
     * @return what reclaims the bytes of dropped chunks; it compacts the store, so it runs on the storage agent's
     * thread ({@link #storageSideAgent()}).
     */
    public NodeCompactor compactor()
    {
        return compactor;
    }

    /**
     * @return the agent that forgets tombstones older than {@code storage.tombstone.grace} (storage thread).
     */
    public TombstonePurger tombstonePurger()
    {
        return tombstonePurger;
    }

    /**
     * @return what carries the scrub's findings to the leader; the network agent's thread ({@link #networkAgents()}).
     */
    public ScrubReporter scrubReporter()
    {
        return scrubReporter;
    }

    private static Ring ringInForce(final ClusterAgent cluster, final RepairContext repair)
    {
        final Ring committed = cluster.ring();
        return committed != null ? committed : repair.ring();
    }

    /**
     * @return the ring this node places keys by (the committed one, else the configured one), as the network thread
     * last published it; any thread may read it.
     */
    public RingInForce ringInForce()
    {
        return ringInForce;
    }

    /**
     * @return the leader's repair scheduler; it sends on the transport, so it runs on the network agent's thread
     * ({@link #networkAgents()}), and works only while this node leads.
     */
    public RepairScheduler repairScheduler()
    {
        return repairScheduler;
    }

    /**
     * @return the leader's reclaim of chunks no manifest references; on the network agent's thread
     * ({@link #networkAgents()}), working only while this node leads.
     */
    public ChunkReclaimer reclaimer()
    {
        return reclaimer;

    }

    /**
     * @return the leader's manifest repair, which runs a pass with each repair round; it sends on the transport, so
     * it runs on the network agent's thread ({@link #networkAgents()}).
     */
    public ManifestRepair manifestRepair()
    {
        return manifestRepair;
    }

    /**
     * @return the repair bandwidth in force on this node, kept across restarts; read from any thread.
     */
    public RepairBandwidth repairBandwidth()
    {
        return repairBandwidth;
    }

    /**
     * @return ring membership: operators' changes, the committed ring for clients, nodes gone; on the network
     * agent's thread ({@link #networkAgents()}).
     */
    public MembershipService membership()
    {
        return membership;
    }

    /**
     * @return the per-range digests of this node's chunk ids; the storage agent's thread only.
     */
    public RangeDigests rangeDigests()
    {
        return digests;
    }

    /**
     * @return when each held chunk was last stored or asked to be stored here; the storage agent's thread only.
     */
    public ChunkTouches chunkTouches()
    {
        return touches;

    }

    /**
     * @return the per-range digests of this node's manifests; the storage agent's thread only.
     */
    public ManifestDigests manifestDigests()
    {
        return manifestDigests;
    }

    /**
     * @return the node's store; the storage agent's thread only.
     */
    NodeStore store()
    {
        return store;
    }

    private static RingBuffer newRing(final int capacity)
    {
        return new OneToOneRingBuffer(
            new UnsafeBuffer(BufferUtil.allocateDirectAligned(NodeContext.ringLength(capacity), 64)));
    }

    /**
     * @return the settings in force.
     */
    public NodeContext context()
    {
        return context;
    }

    /**
     * @return the agent that owns the transport.
     */
    public NodeAgent networkAgent()
    {
        return networkAgent;
    }

    /**
     * @return the agent that owns the store.
     */
    public StorageAgent storageAgent()
    {
        return storageAgent;
    }

    /**
     * @return the agent that hands hinted chunks and manifests to their owners; it runs on the storage agent's
     * thread ({@link #storageSideAgent()}).
     */
    public HintedHandoffAgent handoffAgent()
    {
        return handoffAgent;
    }

    /**
     * @return the storage agent, the handoff agent, the scrubber, the compactor and the tombstone purger as one, for
     * the storage thread (they share the store).
     */
    public Agent storageSideAgent()
    {
        return new CompositeAgent(storageAgent, handoffAgent, scrubber, compactor, tombstonePurger);
    }

    /**
     * @return the requests this node has sent to other nodes and awaits answers to; the network agent's thread
     * only. The network agent routes every response and error to it and expires it each duty cycle.
     */
    public PendingRequests pendingRequests()
    {
        return pendingRequests;
    }

    /**
     * @return the agent of membership, election and the cluster-metadata log; it offers on the transport, so it runs
     * on the network agent's thread ({@link #networkAgents()}).
     */
    public ClusterAgent clusterAgent()
    {
        return clusterAgent;
    }

    /**
     * @return the agents that share the transport's thread: the network agent, which polls the transport and hands
     * cluster messages to the cluster agent, then the cluster agent.
     */
    public Agent networkAgents()
    {
        return new CompositeAgent(networkAgent, clusterAgent, repairScheduler, reclaimer, manifestRepair,
            scrubReporter, membership);
    }

    /**
     * @return the node's endpoint, owned by the network agent's thread.
     */
    Transport transport()
    {
        return transport;
    }

    /**
     * @return the ring through which the network thread's agents hand requests to the storage thread's.
     */
    RingBuffer storageCommands()
    {
        return storageCommands;
    }

    /**
     * @return the ring through which the storage thread's agents hand results to the network thread's.
     */
    RingBuffer storageResults()
    {
        return storageResults;
    }

    /**
     * @return every agent as one, for a single thread (network, cluster, repair, reclaim, scrub reports, storage,
     * handoff, then scrub, each duty cycle).
     */
    public Agent agent()
    {
        return new CompositeAgent(networkAgent, clusterAgent, repairScheduler, reclaimer, manifestRepair,
            scrubReporter, membership, storageAgent, handoffAgent, scrubber, compactor, tombstonePurger);
    }

    /**
     * @return the node's counters.
     */
    public NodeCounters counters()
    {
        return counters;
    }

    /**
     * Closes the transport, then the cluster log, then the store (forcing it and releasing the data directory's
     * lock). The agents must have stopped.
     */
    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            CloseHelper.closeAll(transport, clusterAgent, store);
        }
    }
}

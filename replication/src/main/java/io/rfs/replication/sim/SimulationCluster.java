package io.rfs.replication.sim;

import io.rfs.replication.cluster.Role;
import io.rfs.replication.node.Node;
import io.rfs.replication.node.NodeContext;
import io.rfs.replication.node.TransportKind;
import io.rfs.replication.repair.RepairListener;
import io.rfs.replication.ring.Ring;
import io.rfs.replication.ring.RingNode;
import io.rfs.replication.transport.fault.SimulatedNetwork;
import io.rfs.replication.transport.fault.SimulatedTransport;
import io.rfs.store.chunk.ChunkId;
import org.agrona.CloseHelper;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.CachedNanoClock;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The simulated nodes (ids 1 to {@code nodeCount} at first, all voters; nodes added later are learners with the
 * next ids, and a node removed from the ring is retired for good), ring of N = 3, on one {@link SimulatedNetwork}, one virtual
 * nano clock and one virtual epoch clock, each node on its own {@link SimulatedDisk} in its own data directory. A
 * node is crashed by closing it with its disk told the closing forces do not count, then tearing its unforced
 * writes; it is restarted by opening a new {@link Node} on the same directory, as a new process would.
 */
final class SimulationCluster implements AutoCloseable
{
    static final int REPLICATION_FACTOR = 3;
    /** The first client's id; the others follow. */
    static final int CLIENT_ID = 100;
    /** Nodes a run may add over its initial ones. */
    static final int MAX_ADDED_NODES = 16;
    static final int MAX_MESSAGE_LENGTH = 64 * 1024;
    static final long EPOCH_START_MS = 1_700_000_000_000L;
    static final long REPAIR_INTERVAL_NS = TimeUnit.SECONDS.toNanos(5);
    /**
     * The background scrub's coverage deadline: rot nobody reads is found (and reported to the leader, which repairs
     * it) within it. A pass over a simulated node's few megabytes takes some tens of virtual seconds.
     */
    static final long SCRUB_PERIOD_NS = TimeUnit.SECONDS.toNanos(60);
    /** Cap on the scrub's rate, which keeps its hashing from dominating a simulation's wall-clock time. */
    static final long SCRUB_BYTES_PER_SECOND = 128 * 1024;
    /** How soon a node that did work is stepped again: work begets work (a storage result to send, say). */
    static final long BUSY_TICK_NS = TimeUnit.MICROSECONDS.toNanos(100);
    /**
     * How often a node with nothing to do is stepped anyway: its agents' timers (heartbeats every 100 ms, election
     * timeouts of 500 ms and more, request timeouts, repair rounds) are polled, so they fire at most this late.
     */
    static final long IDLE_TICK_NS = TimeUnit.MILLISECONDS.toNanos(5);

    final CachedNanoClock nanoClock = new CachedNanoClock();
    final CachedEpochClock epochClock = new CachedEpochClock();
    final SimulatedNetwork network;
    private final int voterCount;
    private Ring ring;
    private int nodeCount;
    private final boolean[] retired;
    private final Path root;
    private final EventLog events;
    private final Node[] nodes;
    private final Agent[] agents;
    private final long[] nextStepNs;
    private final SimulatedTransport[] transports;
    private final SimulatedDisk[] disks;
    private final long seed;
    private final Runnable onError;
    private final boolean lyingForces;
    private double forceFailureProbability;

    SimulationCluster(
        final long seed, final int nodeCount, final Path root, final EventLog events, final boolean lyingForces,
        final Runnable onError) throws IOException
    {
        this.seed = seed;
        this.nodeCount = nodeCount;
        this.voterCount = nodeCount;
        this.root = root;
        this.events = events;
        this.onError = onError;
        this.lyingForces = lyingForces;
        final int capacity = nodeCount + MAX_ADDED_NODES + 1;
        this.nodes = new Node[capacity];
        this.agents = new Agent[capacity];
        this.nextStepNs = new long[capacity];
        this.transports = new SimulatedTransport[capacity];
        this.disks = new SimulatedDisk[capacity];
        this.retired = new boolean[capacity];
        epochClock.update(EPOCH_START_MS);
        final SimulatedNetwork.Context networkContext = new SimulatedNetwork.Context()
            .seed(seed).nanoClock(nanoClock).maxMessageLength(MAX_MESSAGE_LENGTH);
        this.network = new SimulatedNetwork(networkContext);
        Ring ring = Ring.empty(REPLICATION_FACTOR, 16);
        for (int id = 1; id <= nodeCount; id++)
        {
            ring = ring.withNode(RingNode.of(id, address(id)));
        }
        this.ring = ring;
        for (int id = 1; id <= nodeCount; id++)
        {
            newDisk(id);
            start(id);
        }
    }

    /**
     * @return the highest node id so far: ids 1 to this are the nodes, retired ones included.
     */
    int nodeCount()
    {
        return nodeCount;
    }

    /**
     * @return whether the node is one of the initial ones, which vote.
     */
    boolean isVoter(final int id)
    {
        return id <= voterCount;
    }

    int voterCount()
    {
        return voterCount;
    }

    /**
     * @return whether the node was taken out of the ring and stopped for good.
     */
    boolean isRetired(final int id)
    {
        return retired[id];
    }

    /**
     * @return the ring in force as the simulator knows it: the initial one, then each committed change's.
     */
    Ring ring()
    {
        return ring;
    }

    void ring(final Ring ring)
    {
        this.ring = ring;
    }

    SimulatedTransport newClientTransport(final int clientId)
    {
        return network.newTransport(clientId);
    }

    /**
     * Starts a new node, with the next id and a new directory, as a learner that knows every node so far; it holds
     * nothing until a change commits it to the ring and repair copies it its ranges.
     *
     * @return its id, or 0 if the run has added as many nodes as it may.
     */
    int addNode() throws IOException
    {
        if (nodeCount + 1 >= nodes.length)
        {
            return 0;
        }
        final int id = ++nodeCount;
        newDisk(id).forceFailureProbability(forceFailureProbability);
        start(id);
        return id;
    }

    /**
     * Stops a node taken out of the ring for good: it is never restarted.
     */
    void retire(final int id)
    {
        retired[id] = true;
        CloseHelper.quietClose(nodes[id]);
        nodes[id] = null;
        agents[id] = null;
        events.record("node " + id + " retired");
    }

    static String address(final int id)
    {
        return "127.0.0.1:" + (7600 + id);
    }

    private SimulatedDisk newDisk(final int id)
    {
        if (disks[id] == null)
        {
            disks[id] = new SimulatedDisk(id, new SplittableRandom(seed * 31 + id), events);
            disks[id].lyingForces(lyingForces);
        }
        return disks[id];
    }

    Node node(final int id)
    {
        return nodes[id];
    }

    boolean isUp(final int id)
    {
        return nodes[id] != null;
    }

    SimulatedDisk disk(final int id)
    {
        return disks[id];
    }

    Path chunksDirectory(final int id)
    {
        return root.resolve("node-" + id).resolve("chunks");
    }

    void forceFailureProbability(final double probability)
    {
        this.forceFailureProbability = probability;
        for (int id = 1; id <= nodeCount; id++)
        {
            disks[id].forceFailureProbability(probability);
        }
    }

    /**
     * Steps each live node that has something to do (network side, cluster agent, repair scheduler, storage,
     * handoff, scrub): one that a message has come due for, one that did work when last stepped ({@link #BUSY_TICK_NS}
     * later), and any other {@link #IDLE_TICK_NS} after its last step, which is how often its timers are polled.
     * Nodes with none of these are left alone: stepping them would find nothing to do, and most of a run's duty cycles
     * are one node's (a message delivered, its answer sent).
     *
     * @return how many nodes were stepped.
     */
    int stepDueNodes()
    {
        final long nowNs = nanoClock.nanoTime();
        int stepped = 0;
        for (int id = 1; id <= nodeCount; id++)
        {
            if (agents[id] != null && (nextStepNs[id] - nowNs <= 0 || transports[id].nextDeliveryTimeNs() - nowNs <= 0))
            {
                int nodeWork = 0;
                try
                {
                    nodeWork = agents[id].doWork();
                }
                catch (final Exception ex)
                {
                    // an AgentRunner hands it to the error handler and goes on; only a failed force is expected
                    events.record("node " + id + " agent threw " + relative(ex.toString()));
                    if (!SimulatedDisk.isForceFailure(ex))
                    {
                        onError.run();
                    }
                    nodeWork = 1;
                }
                nextStepNs[id] = nextStepNs(nowNs, nodeWork);
                stepped++;
            }
        }
        return stepped;
    }

    /**
     * @param nowNs when an agent (a node's, a client's) was stepped.
     * @param work  what it did.
     * @return when to step it again if no message comes for it first: soon if it did work, else one idle tick later.
     * (Polling every idle agent at the same multiples of {@link #IDLE_TICK_NS} instead, so that their polls share
     * duty cycles, ran about 10 % faster, but that changes every run's timing too; see docs/SIMULATOR.md.)
     */
    static long nextStepNs(final long nowNs, final int work)
    {
        return nowNs + (work > 0 ? BUSY_TICK_NS : IDLE_TICK_NS);
    }

    /**
     * @return the earliest time a live node must be stepped, for a message or for its own sake, or
     * {@link Long#MAX_VALUE} if no node is up.
     */
    long nextStepNs()
    {
        long next = Long.MAX_VALUE;
        for (int id = 1; id <= nodeCount; id++)
        {
            if (agents[id] != null)
            {
                next = Math.min(next, Math.min(nextStepNs[id], transports[id].nextDeliveryTimeNs()));
            }
        }
        return next;
    }

    /**
     * @return the live node that leads in the highest term, or 0.
     */
    int leader()
    {
        int leader = 0;
        long term = -1;
        for (int id = 1; id <= nodeCount; id++)
        {
            if (nodes[id] != null && nodes[id].clusterAgent().role() == Role.LEADER &&
                nodes[id].clusterAgent().term() > term)
            {
                leader = id;
                term = nodes[id].clusterAgent().term();
            }
        }
        return leader;
    }

    void crash(final int id) throws IOException
    {
        disks[id].crashing();
        CloseHelper.quietClose(nodes[id]);
        nodes[id] = null;
        agents[id] = null;
        final long lost = disks[id].tearUnforced();
        events.record("node " + id + " crashed, " + lost + " unforced bytes lost");
    }

    void start(final int id) throws IOException
    {
        disks[id].opening(true);
        final Node node;
        try
        {
            transports[id] = network.newTransport(id);
            node = Node.open(context(id), transports[id]);
        }
        finally
        {
            disks[id].opening(false);
        }
        nodes[id] = node;
        agents[id] = node.agent();
        nextStepNs[id] = nanoClock.nanoTime();
        events.record("node " + id + " started");
    }

    private NodeContext context(final int id)
    {
        final NodeContext context = new NodeContext()
            .nodeId(id)
            .address(address(id))
            .transport(TransportKind.SHM)
            .dataDirectory(root.resolve("node-" + id))
            .storageQueueCapacity(1024 * 1024)
            .storageResultsCapacity(1024 * 1024)
            .chunkSegmentCapacity(1024 * 1024)
            .manifestSegmentCapacity(1024 * 1024)
            .random(new SplittableRandom(seed * 1_000_003L + id))
            .nanoClock(nanoClock)
            .epochClock(epochClock)
            .disk(disks[id])
            .errorHandler(error -> events.record("node " + id + " error: " + relative(error.getMessage())))
            .notes(new PrintStream(new LineSink(line -> events.record("node " + id + " " + line)), true,
                StandardCharsets.UTF_8));
        for (int peer = 1; peer <= nodeCount; peer++)
        {
            if (!retired[peer])
            {
                context.seed(peer, address(peer));
            }
        }
        for (int voter = 1; voter <= voterCount; voter++)
        {
            context.voter(voter);
        }
        context.scrubContext().periodNs(SCRUB_PERIOD_NS).maxBandwidth(SCRUB_BYTES_PER_SECOND);
        context.repairContext().ring(ring).intervalNs(REPAIR_INTERVAL_NS).repairListener(new RepairListener()
        {
            @Override
            public void onUnrecoverable(final ChunkId chunk, final int[] replicas)
            {
                events.record("node " + id + " repair: chunk " + chunk.toShortHex() + " unrecoverable on " +
                    Arrays.toString(replicas));
            }

            @Override
            public void onRoundCompleted(
                final long rangesCompared, final long rangesDifferent, final long chunksCopied,
                final long bytesCopied, final long copyFailures, final long durationNs, final long copyingNs)
            {
                if (chunksCopied > 0 || copyFailures > 0)
                {
                    events.record("node " + id + " repair round: " + rangesDifferent + " ranges differ, " +
                        chunksCopied + " chunks copied, " + copyFailures + " copies failed");
                }
            }
        });
        return context;
    }

    /**
     * @return the text with the run's (random) directory taken out, so that the event log replays.
     */
    String relative(final String text)
    {
        return text == null ? null : text.replace(root.toString(), "$DATA");
    }

    /**
     * A node's notes, line by line, into the event log: they are part of the run (and of its hash), and a run's
     * output is its summary only.
     */
    private static final class LineSink extends OutputStream
    {
        private final Consumer<String> lines;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        private LineSink(final Consumer<String> lines)
        {
            this.lines = lines;
        }

        @Override
        public void write(final int b)
        {
            if (b == '\n')
            {
                lines.accept(line.toString(StandardCharsets.UTF_8));
                line.reset();
            }
            else
            {
                line.write(b);
            }
        }
    }

    @Override
    public void close()
    {
        for (int id = 1; id <= nodeCount; id++)
        {
            CloseHelper.quietClose(nodes[id]);
            nodes[id] = null;
        }
    }
}

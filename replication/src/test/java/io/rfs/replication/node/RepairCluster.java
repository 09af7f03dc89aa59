package io.rfs.replication.node;

import io.rfs.replication.cluster.Role;
import io.rfs.replication.protocol.MessageTypes;
import io.rfs.replication.repair.RepairListener;
import io.rfs.replication.ring.Ring;
import io.rfs.replication.ring.RingNode;
import io.rfs.replication.transport.shm.InProcessNetwork;
import io.rfs.replication.transport.shm.SharedMemoryContext;
import io.rfs.store.chunk.ChunkId;
import org.agrona.CloseHelper;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.CachedNanoClock;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three real nodes (ids 1 to 3) holding every chunk (N = 3; or sharing them with node 4), a member 4 that never starts (its id is the test's
 * "deposed leader"), and a test client, on one in-process shared-memory network and one cached clock. Every live
 * node's agents, the cluster agent and the repair scheduler included, are stepped by {@link #step}, which also moves
 * the clock by {@link #STEP_NS}; a node's storage side can be stalled.
 */
final class RepairCluster implements AutoCloseable
{
    static final int NODES = 3;
    static final int OUTSIDER = 4;
    static final int CLIENT_ID = 100;
    static final long STEP_NS = TimeUnit.MILLISECONDS.toNanos(5);

    final CachedNanoClock nanoClock = new CachedNanoClock();
    final CachedEpochClock epochClock = new CachedEpochClock();
    final List<Throwable> errors = new ArrayList<>();
    final List<ChunkId> unrecoverable = new ArrayList<>();
    /** Each reclaim round's end, as "complete n candidates, n unreferenced, n dropped" or "incomplete why". */
    final List<String> reclaims = new ArrayList<>();
    final InProcessNetwork network = new InProcessNetwork(
        new SharedMemoryContext().inboxCapacity(4 * 1024 * 1024).nanoClock(nanoClock));
    final TestClient client = new TestClient(network.newTransport(CLIENT_ID));
    final TestClient outsider = new TestClient(network.newTransport(OUTSIDER));
    private final Path root;
    private final UnaryOperator<NodeContext> settings;
    private final Node[] nodes = new Node[NODES + 1];
    private final Agent[] networkSides = new Agent[NODES + 1];
    private final Agent[] storageSides = new Agent[NODES + 1];
    private final boolean[] storageStalled = new boolean[NODES + 1];
    private final Ring ring;

    RepairCluster(final Path root, final UnaryOperator<NodeContext> settings) throws IOException
    {
        this(root, settings, false);
    }

    /**
     * @param outsiderInRing whether member 4, which never starts, owns ranges too (N = 3 over four nodes).
     */
    RepairCluster(final Path root, final UnaryOperator<NodeContext> settings, final boolean outsiderInRing)
        throws IOException
    {
        this.root = root;
        this.settings = settings;
        epochClock.update(1_700_000_000_000L);
        Ring ring = Ring.empty(NODES, 16);
        for (int id = 1; id <= (outsiderInRing ? OUTSIDER : NODES); id++)
        {
            ring = ring.withNode(RingNode.of(id, address(id)));
        }
        this.ring = ring;
        for (int id = 1; id <= NODES; id++)
        {
            nodes[id] = Node.open(context(id), network.newTransport(id));
            networkSides[id] = nodes[id].networkAgents();
            storageSides[id] = nodes[id].storageSideAgent();
        }
    }

    private NodeContext context(final int id)
    {
        final NodeContext context = steppedNode(id, address(id), root, nanoClock, epochClock, errors);
        for (int peer = 1; peer <= OUTSIDER; peer++)
        {
            context.seed(peer, address(peer));
        }
        context.repairContext().ring(ring).intervalNs(TimeUnit.HOURS.toNanos(1))
            .reclaimIntervalNs(TimeUnit.HOURS.toNanos(1))
            .repairListener(new RepairListener()
            {
                @Override
                public void onUnrecoverable(final ChunkId chunk, final int[] replicas)
                {
                    unrecoverable.add(chunk);
                }

                @Override
                public void onReclaimRound(
                    final String incomplete, final long candidates, final long unreferenced, final long ordered,
                    final long dropped, final long failed, final long durationNs)
                {
                    reclaims.add(incomplete != null ? "incomplete " + incomplete : "complete " + candidates +
                        " candidates, " + unreferenced + " unreferenced, " + dropped + " dropped");
                }
            });
        return settings.apply(context);
    }

    /**
     * The settings of a node of a stepped in-process cluster: shared memory, small queues and segments, a random
     * seeded by its id, the cluster's clocks, errors collected.
     */
    static NodeContext steppedNode(
        final int id, final String address, final Path root, final CachedNanoClock nanoClock,
        final CachedEpochClock epochClock, final List<Throwable> errors)
    {
        return new NodeContext()
            .nodeId(id)
            .address(address)
            .transport(TransportKind.SHM)
            .dataDirectory(root.resolve("node-" + id))
            .storageQueueCapacity(4 * 1024 * 1024)
            .storageResultsCapacity(1024 * 1024)
            .chunkSegmentCapacity(16 * 1024 * 1024)
            .manifestSegmentCapacity(1024 * 1024)
            .random(new SplittableRandom(id))
            .nanoClock(nanoClock)
            .epochClock(epochClock)
            // tests write versions by hand with timestamps near 1970: their tombstones must not look expired
            .tombstoneGraceNs(TimeUnit.DAYS.toNanos(100 * 365))
            .errorHandler(errors::add);
    }

    private static String address(final int id)
    {
        return "127.0.0.1:" + (7500 + id);
    }

    Path chunksDirectory(final int id)
    {
        return chunksDirectory(root, id);
    }

    static Path chunksDirectory(final Path root, final int id)
    {
        return root.resolve("node-" + id).resolve("chunks");
    }

    Node node(final int id)
    {
        return nodes[id];
    }

    long counter(final int id, final NodeCounter counter)
    {
        return nodes[id].counters().get(counter);
    }

    void step()
    {
        nanoClock.advance(STEP_NS);
        epochClock.advance(TimeUnit.NANOSECONDS.toMillis(STEP_NS));
        for (int id = 1; id <= NODES; id++)
        {
            try
            {
                networkSides[id].doWork();
                if (!storageStalled[id])
                {
                    storageSides[id].doWork();
                }
            }
            catch (final Exception ex)
            {
                throw new AssertionError(ex);
            }
        }
        client.poll();
        outsider.poll();
        // the members' heartbeats, votes and log replication to member 4 are not what the tests look at
        outsider.responses.removeIf(r -> r.type() >= MessageTypes.HEARTBEAT && r.type() <= MessageTypes.PRE_VOTE);
    }

    /**
     * Stops (or resumes) stepping a node's storage side: its storage queue fills while its network side goes on.
     */
    void stallStorage(final int id, final boolean stall)
    {
        storageStalled[id] = stall;
    }

    void stepUntil(final BooleanSupplier done, final int maxSteps)
    {
        for (int i = 0; i < maxSteps && !done.getAsBoolean(); i++)
        {
            step();
        }
        assertThat(done.getAsBoolean()).as("reached within " + maxSteps + " steps").isTrue();
    }

    /**
     * @return the leader's id, after stepping until there is one.
     */
    int awaitLeader()
    {
        stepUntil(() -> leader() > 0, 2_000);
        return leader();
    }

    int leader()
    {
        for (int id = 1; id <= NODES; id++)
        {
            if (nodes[id].clusterAgent().role() == Role.LEADER)
            {
                return id;
            }
        }
        return 0;
    }

    /**
     * Runs one repair round on the leader to its end.
     */
    void repairRound()
    {
        final Node leader = nodes[awaitLeader()];
        final long rounds = leader.counters().get(NodeCounter.REPAIR_ROUNDS);
        leader.repairScheduler().runNow();
        stepUntil(() -> leader.counters().get(NodeCounter.REPAIR_ROUNDS) > rounds &&
            !leader.repairScheduler().isRoundInProgress(), 200_000);
    }

    @Override
    public void close()
    {
        for (int id = 1; id <= NODES; id++)
        {
            CloseHelper.quietClose(nodes[id]);
        }
        client.transport.close();
        outsider.transport.close();
    }
}

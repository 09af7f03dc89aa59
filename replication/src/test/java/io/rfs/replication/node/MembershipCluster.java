package io.rfs.replication.node;

import io.rfs.replication.cluster.Role;
import io.rfs.replication.protocol.GetManifestResponseDecoder;
import io.rfs.replication.protocol.MalformedMessageException;
import io.rfs.replication.protocol.MembershipRequestEncoder;
import io.rfs.replication.protocol.MembershipResponseDecoder;
import io.rfs.replication.protocol.MessageTypes;
import io.rfs.replication.repair.RepairScheduler;
import io.rfs.replication.ring.Ring;
import io.rfs.replication.ring.RingNode;
import io.rfs.replication.transport.shm.InProcessNetwork;
import io.rfs.replication.transport.shm.SharedMemoryContext;
import io.rfs.store.chunk.ChunkId;
import io.rfs.store.manifest.Manifest;
import org.agrona.CloseHelper;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Up to {@link #MAX_NODES} real nodes on one in-process shared-memory network and one cached clock, stepped by hand
 * ({@link #step}); the voting members and the ring at start are the test's choice, nodes can be started as
 * learners and stopped (no longer stepped: a crash as far as the others can tell), and a test client sends
 * requests.
 */
final class MembershipCluster implements AutoCloseable
{
    static final int MAX_NODES = 5;
    static final int CLIENT_ID = 100;
    static final long STEP_NS = TimeUnit.MILLISECONDS.toNanos(5);
    static final int VNODES = 16;
    /** Small, so that the drops of a rebalance start a compaction. */
    static final int COMPACTION_THRESHOLD = 64 * 1024;

    final CachedNanoClock nanoClock = new CachedNanoClock();
    private final Consumer<NodeContext> configure;
    final CachedEpochClock epochClock = new CachedEpochClock();
    final List<Throwable> errors = new ArrayList<>();
    final InProcessNetwork network = new InProcessNetwork(
        new SharedMemoryContext().inboxCapacity(4 * 1024 * 1024).nanoClock(nanoClock));
    final TestClient client = new TestClient(network.newTransport(CLIENT_ID));
    private final Path root;
    private final int[] voters;
    private final Ring initialRing;
    private final long nodeGoneAfterNs;
    private final Node[] nodes = new Node[MAX_NODES + 1];
    private final Agent[] agents = new Agent[MAX_NODES + 1];

    /**
     * @param root            where the data directories go.
     * @param voters          the voting members; they are started.
     * @param ringNodes       the nodes of the configured ring (N = 3, {@link #VNODES} vnodes).
     * @param nodeGoneAfterNs {@code repair.node.gone.after}.
     */
    MembershipCluster(final Path root, final int[] voters, final int[] ringNodes, final long nodeGoneAfterNs)
        throws IOException
    {
        this(root, voters, ringNodes, nodeGoneAfterNs, context -> {});
    }

    /**
     * @param root            where the data directories go.
     * @param voters          the voting members; they are started.
     * @param ringNodes       the nodes of the configured ring (N = 3, {@link #VNODES} vnodes).
     * @param nodeGoneAfterNs {@code repair.node.gone.after}.
     * @param configure       changes every node's context last, before it opens.
     */
    MembershipCluster(
        final Path root,
        final int[] voters,
        final int[] ringNodes,
        final long nodeGoneAfterNs,
        final Consumer<NodeContext> configure) throws IOException
    {
        this.root = root;
        this.configure = configure;
        this.voters = voters.clone();
        this.nodeGoneAfterNs = nodeGoneAfterNs;
        epochClock.update(1_700_000_000_000L);
        Ring ring = Ring.empty(3, VNODES);
        for (final int id : ringNodes)
        {
            ring = ring.withNode(RingNode.of(id, address(id)));
        }
        this.initialRing = ring;
        for (final int id : voters)
        {
            start(id);
        }
    }

    /**
     * Starts a node (a learner if it is not a voting member).
     */
    void start(final int id) throws IOException
    {
        final NodeContext context =
            RepairCluster.steppedNode(id, address(id), root, nanoClock, epochClock, errors);
        for (int peer = 1; peer <= MAX_NODES; peer++)
        {
            context.seed(peer, address(peer));
        }
        for (final int voter : voters)
        {
            context.voter(voter);
        }
        context.repairContext().ring(initialRing).intervalNs(TimeUnit.HOURS.toNanos(1))
            .nodeGoneAfterNs(nodeGoneAfterNs);
        context.compactionGarbageThreshold(COMPACTION_THRESHOLD);
        configure.accept(context);
        nodes[id] = Node.open(context, network.newTransport(id));
        agents[id] = nodes[id].agent();
    }

    /**
     * Closes a node and opens it again on its data directory.
     */
    void restart(final int id) throws IOException
    {
        nodes[id].close();
        start(id);
    }

    /**
     * Stops stepping a node: to the others it is a crashed process.
     */
    void crash(final int id)
    {
        agents[id] = null;
    }

    /**
     * Steps a crashed node again, as if it came back after a pause.
     */
    void resume(final int id)
    {
        agents[id] = nodes[id].agent();
    }

    /**
     * Has the leader run one repair round now and steps until it ends, its manifest pass included.
     */
    void repairRound()
    {
        final Node leader = nodes[awaitLeader()];
        final RepairScheduler scheduler = leader.repairScheduler();
        final long before = scheduler.roundsCompleted();
        scheduler.runNow();
        stepUntil(() -> scheduler.roundsCompleted() > before, 20_000);
        step();
        stepUntil(() -> !leader.manifestRepair().isPassInProgress(), 20_000);
    }

    static String address(final int id)
    {
        return "127.0.0.1:" + (7600 + id);
    }

    Node node(final int id)
    {
        return nodes[id];
    }

    void step()
    {
        nanoClock.advance(STEP_NS);
        for (int id = 1; id <= MAX_NODES; id++)
        {
            if (agents[id] != null)
            {
                try
                {
                    agents[id].doWork();
                }
                catch (final Exception ex)
                {
                    throw new AssertionError(ex);
                }
            }
        }
        client.poll();
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
     * @return the leader's id, after stepping until there is one and it has committed its term's first entry.
     */
    int awaitLeader()
    {
        stepUntil(() -> leader() > 0 &&
            nodes[leader()].clusterAgent().log().commitIndex() == nodes[leader()].clusterAgent().log().lastIndex(),
            2_000);
        return leader();
    }

    /**
     * Steps until the leader has applied a ring change and its rebalancing rounds found every range in sync.
     */
    void awaitRebalanced()
    {
        final Node leader = nodes[awaitLeader()];
        stepUntil(() -> leader.clusterAgent().ring() != null && leader.membership().rebalancingVersion() < 0 &&
            leader.counters().get(NodeCounter.REPAIR_ROUNDS) > 0, 400_000);
    }

    int leader()
    {
        for (int id = 1; id <= MAX_NODES; id++)
        {
            if (agents[id] != null && nodes[id].clusterAgent().role() == Role.LEADER)
            {
                return id;
            }
        }
        return 0;
    }

    /**
     * Sends a membership request to a node and steps until it is answered.
     *
     * @return the answer.
     */
    MembershipResponseDecoder membership(final int node, final MembershipRequestEncoder request)
    {
        final long correlationId = client.send(node, MessageTypes.MEMBERSHIP_REQUEST,
            (UnsafeBuffer)request.buffer(), request.encodedLength());
        stepUntil(() -> client.responses.stream().anyMatch(r -> r.correlationId() == correlationId), 20_000);
        final TestClient.Response response = client.response(correlationId, MessageTypes.MEMBERSHIP_RESPONSE);
        try
        {
            return new MembershipResponseDecoder().wrap(response.body(), 0, response.body().capacity());
        }
        catch (final Exception ex)
        {
            throw new AssertionError(ex);
        }
    }

    /**
     * Puts a chunk on the given nodes and steps until each has answered.
     */
    ChunkId put(final byte[] raw, final int... owners)
    {
        final ChunkId id = client.codec().hash(raw, raw.length);
        final List<Long> requests = new ArrayList<>();
        for (final int owner : owners)
        {
            requests.add(client.putChunk(owner, id, raw, false));
        }
        stepUntil(() -> requests.stream().allMatch(
            r -> client.responses.stream().anyMatch(m -> m.correlationId() == r)), 1_000);
        return id;
    }

    /**
     * Writes a manifest to the given nodes and steps until each has answered.
     */
    void putManifest(final Manifest manifest, final int... nodes)
    {
        final long[] requests = new long[nodes.length];
        for (int i = 0; i < nodes.length; i++)
        {
            requests[i] = client.putManifest(nodes[i], manifest);
        }
        stepUntil(() -> Arrays.stream(requests).allMatch(
            r -> client.responses.stream().anyMatch(response -> response.correlationId() == r)), 1_000);
    }

    /**
     * @return the node's answer to a read of the name's newest manifest.
     */
    GetManifestResponseDecoder getManifest(final int node, final String name) throws MalformedMessageException
    {
        final long request = client.getManifest(node, name);
        stepUntil(() -> client.responses.stream().anyMatch(r -> r.correlationId() == request), 1_000);
        return client.getManifestResponse(request);
    }

    /**
     * @return a request to take the node out of the ring.
     */
    static MembershipRequestEncoder removal(final int id)
    {
        return new MembershipRequestEncoder().wrap(new UnsafeBuffer(new byte[1024]), 0).remove(id);
    }

    /**
     * @return where the node keeps its chunk segments.
     */
    Path chunksDirectory(final int id)
    {
        return RepairCluster.chunksDirectory(root, id);
    }

    /**
     * @return which of the ids the node holds.
     */
    boolean[] held(final int node, final List<ChunkId> ids)
    {
        final long request = client.hasChunks(node, ids.toArray(new ChunkId[0]));
        stepUntil(() -> client.responses.stream().anyMatch(r -> r.correlationId() == request), 1_000);
        try
        {
            final var bitmap = client.hasChunksResponse(request);
            final boolean[] held = new boolean[bitmap.count()];
            for (int i = 0; i < held.length; i++)
            {
                held[i] = bitmap.get(i);
            }
            return held;
        }
        catch (final Exception ex)
        {
            throw new AssertionError(ex);
        }
    }

    /**
     * @return the chunk's bytes as the node sends them, re-hashed there first (uncompressed, verified).
     */
    byte[] read(final int node, final ChunkId id)
    {
        final long request = client.getChunk(node, id, false, true);
        stepUntil(() -> client.responses.stream().anyMatch(r -> r.correlationId() == request), 1_000);
        try
        {
            final var response = client.getChunkResponse(request);
            assertThat(response.status()).isEqualTo(io.rfs.replication.protocol.Status.OK);
            final byte[] bytes = new byte[response.payloadLength()];
            response.buffer().getBytes(response.payloadOffset(), bytes);
            return bytes;
        }
        catch (final Exception ex)
        {
            throw new AssertionError(ex);
        }
    }

    @Override
    public void close()
    {
        for (int id = 1; id <= MAX_NODES; id++)
        {
            CloseHelper.quietClose(nodes[id]);
        }
        client.transport.close();
    }
}

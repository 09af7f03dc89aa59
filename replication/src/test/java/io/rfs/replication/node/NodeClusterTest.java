package io.rfs.replication.node;

import io.rfs.replication.cluster.ClusterAgent;
import io.rfs.replication.cluster.MemberState;
import io.rfs.replication.cluster.Role;
import io.rfs.replication.protocol.LogEntryDescriptor;
import io.rfs.replication.protocol.MessageTypes;
import io.rfs.replication.protocol.RingResponseDecoder;
import io.rfs.replication.ring.Ring;
import io.rfs.replication.ring.RingCodec;
import io.rfs.replication.transport.fault.SimulatedNetwork;
import io.rfs.replication.transport.fault.SimulatedTransport;
import io.rfs.store.ConfigurationException;
import org.agrona.CloseHelper;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Whole nodes (store, network, storage and cluster agents) on a simulated network, each stepped as one agent: the
 * node routes heartbeats, votes and log replication to its cluster agent, which elects a leader.
 */
class NodeClusterTest
{
    private static final long SEED = Long.getLong("rfs.test.seed", 99L);
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @TempDir
    Path directory;

    private final CachedNanoClock clock = new CachedNanoClock();
    private final Map<Integer, Node> nodes = new HashMap<>();
    private final Map<Integer, Agent> agents = new HashMap<>();

    @AfterEach
    void close()
    {
        CloseHelper.closeAll(nodes.values());
    }

    private NodeContext context(final int id)
    {
        final NodeContext context = new NodeContext().nodeId(id).address("127.0.0.1:" + (7400 + id))
            .transport(TransportKind.SHM).dataDirectory(directory.resolve("node-" + id))
            .storageQueueCapacity(1024 * 1024).storageResultsCapacity(1024 * 1024)
            .chunkSegmentCapacity(1024 * 1024).manifestSegmentCapacity(1024 * 1024)
            .nanoClock(clock).epochClock(new CachedEpochClock()).random(new SplittableRandom(SEED + id));
        for (int member = 1; member <= 3; member++)
        {
            context.seed(member, "127.0.0.1:" + (7400 + member));
        }
        return context;
    }

    private void stepAll() throws Exception
    {
        for (final Agent agent : agents.values())
        {
            agent.doWork();
        }
    }

    @Test
    void shouldElectALeaderAmongNodesSteppedAsOneAgentEach() throws Exception
    {
        final SimulatedNetwork network = new SimulatedNetwork(new SimulatedNetwork.Context().seed(SEED)
            .nanoClock(clock).maxMessageLength(64 * 1024));
        for (int id = 1; id <= 3; id++)
        {
            final Node node = Node.open(context(id), network.newTransport(id));
            nodes.put(id, node);
            agents.put(id, node.agent());
        }

        int leader = -1;
        for (int t = 0; t < 5_000 && leader < 0; t++)
        {
            clock.advance(MS);
            stepAll();
            for (final Node node : nodes.values())
            {
                if (node.clusterAgent().role() == Role.LEADER)
                {
                    leader = node.context().nodeId();
                }
            }
        }
        for (int t = 0; t < 500; t++)
        {
            clock.advance(MS);
            stepAll();
        }

        assertThat(leader).as("seed %d", SEED).isPositive();
        for (final Node node : nodes.values())
        {
            final ClusterAgent cluster = node.clusterAgent();
            assertThat(cluster.leaderId()).as("seed %d", SEED).isEqualTo(leader);
            assertThat(cluster.log().commitIndex()).as("seed %d", SEED).isZero();
            assertThat(cluster.members()).extracting(m -> m.state()).containsOnly(MemberState.UP);
            assertThat(node.counters().get(NodeCounter.UNSUPPORTED)).isZero();
        }
        final Path data = nodes.get(leader).context().dataDirectory();
        assertThat(Files.size(data.resolve("cluster").resolve("vote"))).isEqualTo(32);
        assertThat(data.resolve("cluster").resolve("log")).exists();
    }

    @Test
    void shouldGiveAClientOfANodeCutOffFromTheLeaderTheRingItsPeerCommitted() throws Exception
    {
        final SimulatedNetwork network = new SimulatedNetwork(new SimulatedNetwork.Context().seed(SEED)
            .nanoClock(clock).maxMessageLength(64 * 1024));
        for (int id = 1; id <= 3; id++)
        {
            final Node node = Node.open(context(id), network.newTransport(id));
            nodes.put(id, node);
            agents.put(id, node.agent());
        }
        assertThat(stepUntil(() -> leader() > 0 && nodes.get(leader()).clusterAgent().log().commitIndex() >= 0,
            5_000)).as("seed %d: a leader", SEED).isTrue();
        final int leader = leader();
        final int stale = leader % 3 + 1;
        network.partition(leader, stale);
        final ClusterAgent leading = nodes.get(leader).clusterAgent();
        final Ring changed = nodes.get(leader).ringInForce().get().withWeight(stale, 300);
        final long index = leading.propose(LogEntryDescriptor.TYPE_WEIGHT_CHANGE, changed);
        assertThat(stepUntil(() -> leading.ringVersion() == changed.version(), 2_000)).as("committed").isTrue();

        assertThat(stepUntil(() -> nodes.get(stale).ringInForce().get().version() == changed.version(), 3_000))
            .as("seed %d: node %d places keys by the committed ring", SEED, stale).isTrue();
        final SimulatedTransport client = network.newTransport(100);
        final AtomicReference<Ring> answer = new AtomicReference<>();
        client.offer(stale, MessageTypes.RING_REQUEST, 1, new UnsafeBuffer(new byte[0]), 0, 0);
        stepUntil(() ->
        {
            client.poll((source, type, correlationId, buffer, offset, length) ->
            {
                if (type == MessageTypes.RING_RESPONSE)
                {
                    try
                    {
                        final RingResponseDecoder response = new RingResponseDecoder().wrap(buffer, offset, length);
                        answer.set(RingCodec.decode(response.buffer(), response.ringOffset(), response.ringLength()));
                    }
                    catch (final java.io.IOException ex)
                    {
                        throw new AssertionError(ex);
                    }
                }
            }, 16);
            return answer.get() != null;
        }, 1_000);
        client.close();

        assertThat(answer.get()).as("the ring its client is given").isEqualTo(changed);
        assertThat(nodes.get(stale).clusterAgent().log().lastIndex()).as("not through the log").isLessThan(index);
        assertThat(nodes.get(stale).counters().get(NodeCounter.UNEXPECTED)).as("the answer reached the cluster agent")
            .isZero();
    }

    private int leader()
    {
        for (final Node node : nodes.values())
        {
            if (node.clusterAgent().role() == Role.LEADER)
            {
                return node.context().nodeId();
            }
        }
        return -1;
    }

    private boolean stepUntil(final BooleanSupplier done, final int maxMillis) throws Exception
    {
        for (int t = 0; t < maxMillis && !done.getAsBoolean(); t++)
        {
            clock.advance(MS);
            stepAll();
        }
        return done.getAsBoolean();
    }

    @Test
    void shouldReadTheClusterSettingsAndRefuseTimingsThatCannotWork()
    {
        final Map<String, String> settings = new HashMap<>(Map.of(
            "node.id", "1", "node.address", "127.0.0.1:7401", "data.directory", directory.toString(),
            "transport", "shm", "heartbeat.interval", "50ms", "election.timeout", "300ms",
            "failure.phi.threshold", "9.5", "failure.phi.suspect", "2", "failure.window", "50",
            "failure.min.deviation", "10ms"));
        settings.put("failure.acceptable.pause", "0ms");

        final NodeContext context = NodeProperties.parse(settings).conclude();

        assertThat(context.clusterContext().heartbeatIntervalNs()).isEqualTo(50 * MS);
        assertThat(context.clusterContext().electionTimeoutNs()).isEqualTo(300 * MS);
        assertThat(context.clusterContext().phiThreshold()).isEqualTo(9.5);
        assertThat(context.clusterContext().phiSuspectThreshold()).isEqualTo(2.0);
        assertThat(context.clusterContext().failureWindow()).isEqualTo(50);
        assertThat(context.clusterContext().failureMinDeviationNs()).isEqualTo(10 * MS);
        assertThat(context.clusterContext().failureAcceptablePauseNs()).isZero();
        assertThat(context.clusterContext().directory()).isEqualTo(directory.resolve("cluster"));

        settings.put("election.timeout", "100ms");
        assertThatThrownBy(() -> NodeProperties.parse(settings).conclude())
            .isInstanceOf(ConfigurationException.class).hasMessageStartingWith("election.timeout=100000000ns");
        settings.put("election.timeout", "1s");
        settings.put("failure.phi.threshold", "1");
        assertThatThrownBy(() -> NodeProperties.parse(settings).conclude())
            .isInstanceOf(ConfigurationException.class).hasMessageStartingWith("failure.phi.threshold=1.0");
        settings.put("failure.phi.threshold", "high");
        assertThatThrownBy(() -> NodeProperties.parse(settings))
            .isInstanceOf(ConfigurationException.class).hasMessageStartingWith("failure.phi.threshold=high");
    }
}

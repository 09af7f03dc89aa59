package io.rfs.replication.cluster;

import io.rfs.replication.protocol.MessageTypes;
import io.rfs.replication.protocol.RingResponseDecoder;
import io.rfs.replication.ring.Ring;
import io.rfs.replication.ring.RingCodec;
import io.rfs.replication.transport.fault.SimulatedTransport;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A heartbeat's newer ring version makes a node with no live leader ask the sender for its committed ring.
 */
class RingCatchUpTest
{
    private static final long SEED = Long.getLong("rfs.test.seed", 11L);
    private static final int CLIENT = 99;

    @TempDir
    Path directory;

    private SimulatedCluster cluster;

    @AfterEach
    void close()
    {
        if (cluster != null)
        {
            cluster.close();
            assertThat(cluster.violations).as("%s", cluster).isEmpty();
        }
    }

    @Test
    void shouldPutInForceAPeersCommittedRingWhenCutOffFromTheLeader()
    {
        cluster = new SimulatedCluster(SEED, directory, 3, UnaryOperator.identity());
        final int leader = electLeader();
        final int stale = other(leader, -1);
        final int peer = other(leader, stale);
        cluster.network.partition(leader, stale);

        final long index = commit(leader, peer);
        final Ring committed = cluster.agent(leader).ring();
        final long took = cluster.runUntil(() -> cluster.agent(stale).ringVersion() == committed.version(), 3_000);

        assertThat(took).as("%s: the ring from node %d", cluster, peer).isNotNegative();
        assertThat(cluster.agent(stale).ring().fingerprint()).isEqualTo(committed.fingerprint());
        assertThat(cluster.agent(stale).log().lastIndex()).as("%s: not through the log", cluster).isLessThan(index);
    }

    @Test
    void shouldKeepTheNewerRingWhileItsLaggingLogAppliesTheOlderOnes()
    {
        cluster = new SimulatedCluster(SEED, directory, 3, UnaryOperator.identity());
        final int leader = electLeader();
        final int stale = other(leader, -1);
        final int peer = other(leader, stale);
        cluster.network.partition(leader, stale);
        commit(leader, peer);
        final long index = commit(leader, peer);
        final long newest = cluster.agent(leader).ringVersion();
        assertThat(cluster.runUntil(() -> cluster.agent(stale).ringVersion() == newest, 3_000))
            .as("%s", cluster).isNotNegative();

        cluster.network.heal(leader, stale);
        long lowest = newest;
        for (int ms = 0; ms < 3_000 && cluster.agent(stale).log().commitIndex() < index; ms++)
        {
            cluster.step();
            lowest = Math.min(lowest, cluster.agent(stale).ringVersion());
        }

        assertThat(cluster.agent(stale).log().commitIndex()).as("%s: the log caught up", cluster)
            .isGreaterThanOrEqualTo(index);
        assertThat(lowest).as("%s: never an older ring", cluster).isEqualTo(newest);
        assertThat(cluster.agent(stale).ring().fingerprint()).isEqualTo(cluster.agent(leader).ring().fingerprint());
    }

    @Test
    void shouldAnswerARingRequestWithTheCommittedRingNotAnUncommittedOne()
    {
        cluster = new SimulatedCluster(SEED, directory, 3, UnaryOperator.identity());
        final int leader = electLeader();
        commit(leader, other(leader, -1));
        final Ring committed = cluster.agent(leader).ring();
        for (final int id : cluster.ids())
        {
            if (id != leader)
            {
                cluster.stop(id);
            }
        }
        assertThat(cluster.propose()).as("%s", cluster).isPositive();
        assertThat(cluster.agent(leader).newestRing().version()).isGreaterThan(committed.version());
        final long strangersBefore = cluster.agent(leader).fromStrangersCount();

        final Ring answered = askRing(leader);

        assertThat(answered.version()).as("%s", cluster).isEqualTo(committed.version());
        assertThat(answered.fingerprint()).isEqualTo(committed.fingerprint());
        assertThat(cluster.agent(leader).fromStrangersCount()).as("a client is not taken for a peer")
            .isEqualTo(strangersBefore);
    }

    @Test
    void shouldAskNoPeerForItsRingWhileItsLeaderIsLive()
    {
        cluster = new SimulatedCluster(SEED, directory, 3, UnaryOperator.identity());
        final int leader = electLeader();
        for (int change = 0; change < 5; change++)
        {
            commit(leader, other(leader, -1));
        }
        final long newest = cluster.agent(leader).ringVersion();
        assertThat(cluster.runUntil(() -> Arrays.stream(cluster.ids())
            .allMatch(id -> cluster.agent(id).ringVersion() == newest), 2_000)).as("%s", cluster).isNotNegative();

        for (final int id : cluster.ids())
        {
            assertThat(cluster.agent(id).ringsFromPeersCount()).as("%s: node %d", cluster, id).isZero();
        }
    }

    private int electLeader()
    {
        final long took = cluster.runUntil(() -> cluster.soleLeader() > 0 &&
            cluster.agent(cluster.soleLeader()).log().commitIndex() >= 0, 5_000);
        assertThat(took).as("%s: a leader within 5 s", cluster).isNotNegative();
        return cluster.soleLeader();
    }

    private int other(final int leader, final int besides)
    {
        return Arrays.stream(cluster.ids()).filter(id -> id != leader && id != besides).findFirst().orElseThrow();
    }

    /**
     * Has the leader propose a change and steps until {@code follower} applied it.
     *
     * @return the change's index.
     */
    private long commit(final int leader, final int follower)
    {
        final long index = cluster.propose();
        assertThat(index).as("%s", cluster).isPositive();
        final long took = cluster.runUntil(() -> cluster.agent(follower).log().commitIndex() >= index &&
            cluster.agent(leader).log().commitIndex() >= index, 2_000);
        assertThat(took).as("%s: committed", cluster).isNotNegative();
        return index;
    }

    /**
     * Sends a {@code RingRequest} as a client does and steps until the answer comes.
     */
    private Ring askRing(final int node)
    {
        final SimulatedTransport client = cluster.network.newTransport(CLIENT);
        final AtomicReference<Ring> answer = new AtomicReference<>();
        client.offer(node, MessageTypes.RING_REQUEST, 1, new UnsafeBuffer(new byte[0]), 0, 0);
        final long took = cluster.runUntil(() ->
        {
            client.poll((source, type, correlationId, buffer, offset, length) ->
            {
                if (type == MessageTypes.RING_RESPONSE && correlationId == 1)
                {
                    try
                    {
                        final RingResponseDecoder response = new RingResponseDecoder().wrap(buffer, offset, length);
                        answer.set(RingCodec.decode(response.buffer(), response.ringOffset(), response.ringLength()));
                    }
                    catch (final IOException ex)
                    {
                        throw new AssertionError("node " + source + " answered a bad ring", ex);
                    }
                }
            }, 16);
            return answer.get() != null;
        }, 1_000);
        client.close();
        assertThat(took).as("%s: answered", cluster).isNotNegative();
        return answer.get();
    }
}

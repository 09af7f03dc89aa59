package io.rfs.replication.cluster;

import io.rfs.replication.protocol.LogEntryDescriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

class ElectionTest
{
    private static final long SEED = Long.getLong("rfs.test.seed", 20261128L);

    @TempDir
    Path directory;

    private SimulatedCluster cluster;

    private SimulatedCluster cluster(final int size)
    {
        cluster = new SimulatedCluster(SEED, directory, size, UnaryOperator.identity());
        return cluster;
    }

    @AfterEach
    void close()
    {
        if (cluster != null)
        {
            cluster.close();
            assertThat(cluster.violations).as("%s", cluster).isEmpty();
        }
    }

    private int electLeader()
    {
        final long took = cluster.runUntil(() -> cluster.soleLeader() > 0 &&
            cluster.agent(cluster.soleLeader()).log().commitIndex() >= 0, 5_000);
        assertThat(took).as("%s: a leader within 5 s", cluster).isNotNegative();
        return cluster.soleLeader();
    }

    @Test
    void shouldElectOneLeaderThatEveryNodeFollowsAndCommitItsNoop()
    {
        cluster(3);

        final int leader = electLeader();
        cluster.runFor(300);

        assertThat(cluster.leaders()).as("%s", cluster).containsExactly(leader);
        final long term = cluster.agent(leader).term();
        for (final int id : cluster.ids())
        {
            final ClusterAgent agent = cluster.agent(id);
            assertThat(agent.leaderId()).as("%s: node %d", cluster, id).isEqualTo(leader);
            assertThat(agent.term()).as("%s", cluster).isEqualTo(term);
            assertThat(agent.log().commitIndex()).as("%s: the noop is committed everywhere", cluster).isZero();
            assertThat(agent.log().entry(0).type()).isEqualTo(LogEntryDescriptor.TYPE_NOOP);
        }
    }

    @Test
    void shouldElectANewLeaderInAHigherTermWhenTheLeaderStops()
    {
        cluster(5);
        final int first = electLeader();
        final long firstTerm = cluster.agent(first).term();
        cluster.runFor(500);

        cluster.stop(first);
        final long took = cluster.runUntil(() -> cluster.soleLeader() > 0, 10_000);

        assertThat(took).as("%s: a new leader", cluster).isNotNegative();
        final int second = cluster.soleLeader();
        assertThat(second).isNotEqualTo(first);
        assertThat(cluster.agent(second).term()).as("%s", cluster).isGreaterThan(firstTerm);
        assertThat(took).as("%s: fail-over within a few election timeouts (500 ms to 1 s each)", cluster)
            .isLessThan(4_000);
        System.out.printf("seed %d: leader %d stopped; leader %d elected after %d simulated ms%n", SEED, first,
            second, took);
    }

    @Test
    void shouldFailOverWithinAFewElectionTimeoutsOverTwentyLeaderStops()
    {
        cluster(5);
        electLeader();
        final java.util.List<Long> took = new java.util.ArrayList<>();
        for (int kill = 0; kill < 20; kill++)
        {
            cluster.runFor(1_000 + 13L * kill);
            final int leader = cluster.soleLeader();
            assertThat(leader).as("%s", cluster).isPositive();
            cluster.stop(leader);
            final long ms = cluster.runUntil(() -> cluster.soleLeader() > 0, 10_000);
            assertThat(ms).as("%s: kill %d", cluster, kill).isNotNegative().isLessThan(4_000);
            took.add(ms);
            cluster.start(leader);
        }
        took.sort(Long::compare);
        System.out.printf("seed %d: leader fail-over after median %d ms, max %d ms, min %d ms (simulated, 20 " +
            "stops, 5 nodes, election timeout 500 ms to 1 s)%n", SEED, took.get(10), took.get(19), took.get(0));
    }

    @Test
    void shouldElectNoLeaderInAMinorityAndKeepOneInTheMajority()
    {
        cluster(5);
        final int leader = electLeader();
        final int other = leader == 1 ? 2 : 1;
        final int[] minority = {leader, other};
        final int[] majority = java.util.Arrays.stream(cluster.ids()).filter(id -> id != leader && id != other)
            .toArray();
        for (final int a : minority)
        {
            for (final int b : majority)
            {
                cluster.network.partition(a, b);
            }
        }

        cluster.runFor(5_000);

        assertThat(cluster.leadersAmong(minority)).as("%s: the old leader stepped down", cluster).isEmpty();
        assertThat(cluster.leadersAmong(majority)).as("%s", cluster).hasSize(1);
        final long committedBefore = cluster.globalCommit();
        assertThat(cluster.propose()).as("%s", cluster).isPositive();
        cluster.runFor(500);
        assertThat(cluster.globalCommit()).as("%s: the majority commits", cluster).isGreaterThan(committedBefore);
        cluster.runFor(3_000);
        assertThat(cluster.leadersAmong(minority)).as("%s", cluster).isEmpty();
    }

    @Test
    void shouldNotRaiseTheTermOrDeposeTheLeaderWhenAPartitionedNodeRejoins()
    {
        cluster(5);
        final int leader = electLeader();
        cluster.runFor(500);
        final long term = cluster.agent(leader).term();
        final int lonely = leader == 1 ? 2 : 1;
        for (final int id : cluster.ids())
        {
            if (id != lonely)
            {
                cluster.network.partition(lonely, id);
            }
        }

        cluster.runFor(10_000);
        assertThat(cluster.agent(lonely).preVoteRoundsCount()).as("%s: it kept asking", cluster).isGreaterThan(5);
        assertThat(cluster.agent(lonely).electionsCount()).as("%s: but never won a pre-vote", cluster).isZero();
        assertThat(cluster.agent(lonely).term()).as("%s: so its term stayed", cluster).isEqualTo(term);
        cluster.network.healAll();
        cluster.runFor(3_000);

        assertThat(cluster.leaders()).as("%s: the same leader", cluster).containsExactly(leader);
        for (final int id : cluster.ids())
        {
            assertThat(cluster.agent(id).term()).as("%s: node %d", cluster, id).isEqualTo(term);
            assertThat(cluster.agent(id).leaderId()).as("%s: node %d", cluster, id).isEqualTo(leader);
        }
    }

    @Test
    void shouldKeepTheMinoritysTermsWhileItIsCutOff()
    {
        cluster(5);
        final int leader = electLeader();
        cluster.runFor(500);
        final long term = cluster.agent(leader).term();
        final int[] minority = {leader == 1 ? 2 : 1, leader == 3 ? 4 : 3};
        for (final int a : minority)
        {
            for (final int b : cluster.ids())
            {
                if (b != minority[0] && b != minority[1])
                {
                    cluster.network.partition(a, b);
                }
            }
        }

        cluster.runFor(8_000);

        assertThat(cluster.leadersAmong(minority)).as("%s", cluster).isEmpty();
        assertThat(cluster.leaders()).as("%s: the majority keeps its leader", cluster).containsExactly(leader);
        for (final int id : minority)
        {
            assertThat(cluster.agent(id).term()).as("%s: node %d asked, never campaigned", cluster, id)
                .isEqualTo(term);
        }
        assertThat(cluster.agent(leader).term()).as("%s", cluster).isEqualTo(term);
    }

    @Test
    void shouldConvergeToOneLeaderAfterAPartitionHeals()
    {
        cluster(5);
        electLeader();
        cluster.network.partition(1, 2);
        cluster.network.partition(1, 3);
        cluster.network.partition(4, 5);
        cluster.network.partition(2, 5);
        cluster.runFor(4_000);

        cluster.network.healAll();
        final long took = cluster.runUntil(() ->
        {
            final int leader = cluster.soleLeader();
            if (leader < 0)
            {
                return false;
            }
            for (final int id : cluster.ids())
            {
                if (cluster.agent(id).leaderId() != leader ||
                    cluster.agent(id).log().commitIndex() != cluster.agent(leader).log().commitIndex())
                {
                    return false;
                }
            }
            return true;
        }, 10_000);

        assertThat(took).as("%s: one leader that all follow, logs committed alike", cluster).isNotNegative();
    }

    @Test
    void shouldCommitAChangeOnAMajorityAndApplyItsRingOnEveryNode()
    {
        cluster(3);
        final int leader = electLeader();
        cluster.stop(leader == 3 ? 2 : 3);

        final long index = cluster.propose();
        cluster.runFor(300);

        assertThat(index).isEqualTo(1);
        for (final int id : cluster.ids())
        {
            if (cluster.isRunning(id))
            {
                assertThat(cluster.agent(id).log().commitIndex()).as("%s", cluster).isEqualTo(1);
                assertThat(cluster.agent(id).ring().nodes()).as("%s", cluster).hasSize(3);
                assertThat(cluster.agent(id).ringVersion()).isEqualTo(cluster.agent(id).ring().version());
            }
        }
    }

    @Test
    void shouldRestartANodeFromItsPersistedTermVoteAndLog()
    {
        cluster(3);
        final int leader = electLeader();
        cluster.propose();
        cluster.runFor(200);
        cluster.propose();
        cluster.runFor(500);
        final int follower = leader == 1 ? 2 : 1;
        final long term = cluster.agent(follower).term();
        assertThat(cluster.agent(follower).log().lastIndex()).as("%s", cluster).isEqualTo(2);

        cluster.stop(follower);
        cluster.runFor(200);
        cluster.propose();
        cluster.runFor(200);
        cluster.start(follower);

        final ClusterAgent restarted = cluster.agent(follower);
        assertThat(restarted.term()).as("term from the vote file").isEqualTo(term);
        assertThat(restarted.log().lastIndex()).as("entries from the log file").isEqualTo(2);
        assertThat(restarted.log().commitIndex()).as("commit is learnt again").isEqualTo(-1);
        cluster.runFor(500);
        assertThat(restarted.log().lastIndex()).as("%s: caught up", cluster).isEqualTo(3);
        assertThat(restarted.log().commitIndex()).as("%s", cluster).isEqualTo(3);
        assertThat(restarted.ring()).as("%s: re-applied", cluster).isNotNull();
        assertThat(restarted.leaderId()).isEqualTo(leader);
    }

    @Test
    void shouldRestartTheWholeClusterWithTheSameLogAndALeaderAgain()
    {
        cluster(3);
        electLeader();
        cluster.propose();
        cluster.runFor(500);
        final long committed = cluster.globalCommit();
        for (final int id : cluster.ids())
        {
            cluster.stop(id);
        }
        cluster.runFor(100);
        for (final int id : cluster.ids())
        {
            cluster.start(id);
        }

        final int leader = electLeader();
        cluster.runFor(500);

        assertThat(cluster.agent(leader).log().commitIndex()).as("%s: old entries and the new noop", cluster)
            .isEqualTo(committed + 1);
    }
}

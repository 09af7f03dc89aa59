package io.rfs.replication.cluster;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

class HeartbeatTest
{
    private static final long SEED = Long.getLong("rfs.test.seed", 7L);

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

    private MemberView view(final int observer, final int member)
    {
        return cluster.agent(observer).members().stream().filter(m -> m.nodeId() == member).findFirst()
            .orElseThrow();
    }

    @Test
    void shouldShowEveryMemberUpWithWhatItsHeartbeatsCarry()
    {
        final int[] load = {0};
        cluster = new SimulatedCluster(SEED, directory, 3, c -> c.nodeId() == 2 ? c.load(() -> load[0]) : c);
        load[0] = 17;
        cluster.runUntil(() -> cluster.soleLeader() > 0, 5_000);
        cluster.runFor(1_000);
        final int leader = cluster.soleLeader();

        final List<MemberView> view = cluster.agent(1).members();

        assertThat(view).extracting(MemberView::nodeId).containsExactly(1, 2, 3);
        assertThat(view).extracting(MemberView::state).as("%s", cluster).containsOnly(MemberState.UP);
        assertThat(view).allSatisfy(m ->
        {
            assertThat(m.leaderId()).as("%s", cluster).isEqualTo(leader);
            assertThat(m.term()).isEqualTo(cluster.agent(leader).term());
            assertThat(m.phi()).isLessThan(1.0);
        });
        assertThat(view(1, 2).load()).isEqualTo(17);
        assertThat(view(1, 3).lastHeardNs()).isGreaterThan(cluster.clock.nanoTime() - 150 * SimulatedCluster.MS);
    }

    @Test
    void shouldDeclareAStoppedNodeDownAtTheDefaultSettingsAndReportHowLongItTook()
    {
        cluster = new SimulatedCluster(SEED, directory, 3, UnaryOperator.identity());
        cluster.runFor(3_000);
        final List<Long> downMs = new ArrayList<>();
        final List<Long> suspectMs = new ArrayList<>();
        for (int kill = 0; kill < 20; kill++)
        {
            final int victim = 1 + kill % 3;
            final int observer = victim % 3 + 1;
            cluster.runFor(1_000 + kill * 7);
            cluster.stop(victim);
            suspectMs.add(cluster.runUntil(() -> view(observer, victim).state() != MemberState.UP, 5_000));
            downMs.add(cluster.runUntil(() -> view(observer, victim).state() == MemberState.DOWN, 5_000) +
                suspectMs.get(kill));
            cluster.start(victim);
            cluster.runUntil(() -> view(observer, victim).state() == MemberState.UP, 5_000);
        }
        downMs.sort(Long::compare);
        suspectMs.sort(Long::compare);

        System.out.printf("seed %d: stopped node declared DOWN after median %d ms, max %d ms (min %d); SUSPECT " +
            "after median %d ms (simulated, 20 kills, heartbeat 100 ms, phi 8, min deviation 25 ms, pause " +
            "150 ms)%n", SEED, downMs.get(10), downMs.get(19), downMs.get(0), suspectMs.get(10));
        assertThat(downMs.get(0)).as("seed %d: %s", SEED, downMs).isGreaterThan(250L);
        assertThat(downMs.get(19)).as("seed %d: %s", SEED, downMs).isLessThan(500L);
    }

    @Test
    void shouldNotDeclareANodeDownForAPauseWithinTheAllowance()
    {
        cluster = new SimulatedCluster(SEED, directory, 3, UnaryOperator.identity());
        cluster.runFor(3_000);

        cluster.pause(3, true);
        final List<MemberState> seen = new ArrayList<>();
        for (int i = 0; i < 200; i++)
        {
            cluster.step();
            seen.add(view(1, 3).state());
        }
        cluster.pause(3, false);
        cluster.runFor(50);

        assertThat(seen).as("seed %d: a 200 ms stall", SEED).doesNotContain(MemberState.DOWN);
        assertThat(view(1, 3).state()).isEqualTo(MemberState.UP);
    }
}

package io.rfs.replication.sim;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The checker is not blind: with a rule of the store broken on purpose, the simulator reports a violation within a
 * few seeds (docs/SIMULATOR.md states which).
 */
class SimulationBrokenRuleTest
{
    private static final int MAX_SEEDS = 5;

    private static SimulationResult firstFailure(final UnaryOperator<Simulation.Context> broken)
    {
        for (long seed = 1; seed <= MAX_SEEDS; seed++)
        {
            final SimulationResult result = Simulation.run(
                broken.apply(new Simulation.Context().seed(seed).virtualTimeNs(TimeUnit.SECONDS.toNanos(60))));
            if (!result.passed())
            {
                return result;
            }
        }
        return null;
    }

    @Test
    void shouldCatchAClientThatSkipsTheChecksumOnRead()
    {
        final SimulationResult failure = firstFailure(context -> context.skipReadChecksum(true));

        assertThat(failure).as("a violation within %d seeds", MAX_SEEDS).isNotNull();
        assertThat(failure.violations().get(0)).contains("fail its SHA-256");
    }

    @Test
    void shouldCatchADiskWhoseForcesLie()
    {
        final SimulationResult failure = firstFailure(context -> context.lyingForces(true));

        assertThat(failure).as("a violation within %d seeds", MAX_SEEDS).isNotNull();
        assertThat(failure.violations().get(0)).containsAnyOf("older than acknowledged", "found nothing",
            "read back different", "unreadable", "not healthy");
    }

    @Test
    void shouldCatchVerifyFindingRotWhereTheModelHasNone()
    {
        final SimulationResult failure = firstFailure(context -> context.rotOnAnyNode(true));

        assertThat(failure).as("a violation within %d seeds", MAX_SEEDS).isNotNull();
        assertThat(failure.violations().get(0)).contains("verify found", "corrupt");
    }
}

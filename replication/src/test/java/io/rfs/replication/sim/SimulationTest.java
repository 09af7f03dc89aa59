package io.rfs.replication.sim;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class SimulationTest
{
    /** Seeds every build runs, each for {@link #VIRTUAL_SECONDS} of faults then healing. */
    private static final long FIRST_SEED = 1;
    private static final int SEEDS = 6;
    private static final long VIRTUAL_SECONDS = 60;

    private static Simulation.Context seed(final long seed)
    {
        return new Simulation.Context().seed(seed).virtualTimeNs(TimeUnit.SECONDS.toNanos(VIRTUAL_SECONDS));
    }

    @Test
    void shouldHoldEveryInvariantOnTheFixedSeedsWithAllFaultsAndOperatorOperations()
    {
        final Map<String, Long> outcomes = new TreeMap<>();
        for (long seed = FIRST_SEED; seed < FIRST_SEED + SEEDS; seed++)
        {
            final SimulationResult result = Simulation.run(seed(seed));
            assertThat(result.violations()).as(result.describe()).isEmpty();
            assertThat(result.acknowledged()).as("seed %d acknowledged writes", seed).isPositive();
            assertThat(result.faults().values().stream().mapToLong(Long::longValue).sum())
                .as("seed %d injected faults", seed).isPositive();
            result.outcomes().forEach((outcome, n) -> outcomes.merge(outcome, n, Long::sum));
        }
        assertThat(outcomes).as("the operator's operations ran, and membership changes committed")
            .containsKeys("add-node committed", "remove-node committed", "repair started", "verify healthy");
    }

    @Test
    void shouldProduceTheSameEventLogWhenASeedRunsTwice()
    {
        final SimulationResult first = Simulation.run(seed(11));
        final SimulationResult second = Simulation.run(seed(11));

        assertThat(second.eventHash()).isEqualTo(first.eventHash());
        assertThat(second.describe()).isEqualTo(first.describe());
        assertThat(Simulation.run(seed(12)).eventHash()).as("another seed, another run").isNotEqualTo(first.eventHash());
    }
}

package io.rfs.replication.ring;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LoadTargetsTest
{
    @Test
    void shouldShareEquallyAmongEqualNodes()
    {
        final double[] targets = LoadTargets.replicaTargets(3, new int[]{ 100, 100, 100, 100 }, new int[4], 1);

        assertThat(targets).containsExactly(new double[]{ 0.75, 0.75, 0.75, 0.75 }, within(1e-12));
    }

    @Test
    void shouldFollowWeightsButNeverExceedOneReplicaOfEverything()
    {
        final double[] targets = LoadTargets.replicaTargets(3, new int[]{ 1000, 100, 100, 100 }, new int[4], 1);

        assertThat(targets[0]).isCloseTo(1.0, within(1e-9));
        assertThat(targets[1]).isCloseTo(2.0 / 3, within(1e-9));
        assertThat(sum(targets)).isCloseTo(3.0, within(1e-9));
    }

    @Test
    void shouldGiveEachOfNZonesOneCopyOfEverything()
    {
        final int[] zoneOfNode = { 0, 0, 0, 0, 1, 1, 2 };
        final double[] targets = LoadTargets.replicaTargets(3, new int[]{ 100, 100, 100, 100, 100, 100, 100 },
            zoneOfNode, 3);

        assertThat(targets[0]).isCloseTo(0.25, within(1e-9));
        assertThat(targets[4]).isCloseTo(0.5, within(1e-9));
        assertThat(targets[6]).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void shouldGiveEveryZoneAtLeastOneCopyWhenFewerZonesThanN()
    {
        final int[] zoneOfNode = { 0, 1, 1, 1, 1, 1 };
        final double[] targets = LoadTargets.replicaTargets(3, new int[]{ 100, 100, 100, 100, 100, 100 },
            zoneOfNode, 2);

        assertThat(targets[0]).isCloseTo(1.0, within(1e-9));
        assertThat(targets[1]).isCloseTo(0.4, within(1e-9));
    }

    @Test
    void shouldGiveFewerReplicasThanNWhenFewerNodes()
    {
        assertThat(sum(LoadTargets.replicaTargets(5, new int[]{ 100, 300 }, new int[2], 1))).isCloseTo(2.0,
            within(1e-9));
    }

    private static double sum(final double[] values)
    {
        double sum = 0;
        for (final double value : values)
        {
            sum += value;
        }
        return sum;
    }
}

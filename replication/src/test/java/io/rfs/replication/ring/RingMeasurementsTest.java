package io.rfs.replication.ring;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The measurements behind the choices in docs/RING.md, slow enough to stay out of the default run:
 * {@code mvn -q -B -ntp -o test -pl store,replication -am -Pslow -Dtest=RingMeasurementsTest
 * -Dsurefire.failIfNoSpecifiedTests=false}, figures in
 * {@code replication/target/surefire-reports/io.rfs.replication.ring.RingMeasurementsTest-output.txt}.
 */
@Tag("slow")
class RingMeasurementsTest
{
    @Test
    void shouldMeasureBalanceAgainstVnodes()
    {
        for (final int vnodes : new int[]{ 16, 32, 64, 128, 256 })
        {
            final long start = System.nanoTime();
            Ring ring = Ring.empty(3, vnodes);
            double worst = 0;
            int worstAt = 0;
            for (int id = 1; id <= 100; id++)
            {
                ring = ring.withNode(Rings.node(id));
                final double maxLoadOverMean = RingPlanner.report(ring).maxLoadOverMean();
                if (maxLoadOverMean > worst)
                {
                    worst = maxLoadOverMean;
                    worstAt = id;
                }
            }
            System.out.printf(Locale.ROOT, "vnodes=%d worst maxLoadOverMean over 1..100 nodes %.4f (at %d nodes), " +
                "100 nodes built in %d ms, %d bytes encoded%n", vnodes, worst, worstAt,
                (System.nanoTime() - start) / 1_000_000, RingCodec.encodedLength(ring));
            if (vnodes == Ring.DEFAULT_VNODES)
            {
                assertThat(worst).isLessThanOrEqualTo(1.05);
            }
        }
    }

    @Test
    void shouldMeasureBalanceAfterRemovalsAndWeightChanges()
    {
        Ring ring = Rings.equalNodes(20, Ring.DEFAULT_VNODES, 3, 0);
        print("20 equal nodes", ring);
        for (final int id : new int[]{ 7, 13, 2 })
        {
            ring = ring.withoutNode(id);
            print("remove " + id, ring);
        }
        ring = ring.withNode(Rings.node(21));
        print("add 21", ring);
        ring = ring.withWeight(5, 50);
        print("weight 5 to 50", ring);
        ring = ring.withWeight(9, 200);
        print("weight 9 to 200", ring);
    }

    private static void print(final String step, final Ring ring)
    {
        final RingPlanReport report = RingPlanner.report(ring);
        System.out.printf(Locale.ROOT, "%-16s nodes=%d load/ideal %.4f..%.4f%n", step, ring.nodeCount(),
            report.minLoadOverIdeal(), report.maxLoadOverIdeal());
    }
}

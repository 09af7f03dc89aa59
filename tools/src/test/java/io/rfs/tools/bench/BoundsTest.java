package io.rfs.tools.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class BoundsTest
{
    private static final double MIB = 1024 * 1024;
    private static final List<Limit> LIMITS = List.of(
        new Limit(MachineLimits.SHA256, "sha", 900 * MIB, Limit.BYTES_PER_SECOND),
        new Limit(MachineLimits.LZ4_COMPRESS_RANDOM, "lz4", 5000 * MIB, Limit.BYTES_PER_SECOND),
        new Limit(MachineLimits.DISK_WRITE, "disk", 600 * MIB, Limit.BYTES_PER_SECOND),
        new Limit(MachineLimits.DISK_WRITE_PARALLEL, "disk x3", 450 * MIB, Limit.BYTES_PER_SECOND),
        new Limit(MachineLimits.FSYNC_P50, "fsync", 500, Limit.MICROSECONDS),
        new Limit(MachineLimits.TCP_LOOPBACK, "tcp", 1200 * MIB, Limit.BYTES_PER_SECOND),
        new Limit(MachineLimits.TCP_RTT_P50, "rtt", 20, Limit.MICROSECONDS));

    @Test
    void shouldBoundALargePutByTheSlowestStageAndALargeGetBySha256() throws Exception
    {
        final Bounds bounds = new Bounds(LIMITS, 3, false);

        final OperationResult put = bounds.apply(result(OperationResult.Direction.WRITE, true, 1, 75 * MIB));
        assertThat(put.bound().value()).isCloseTo(150 * MIB, within(1.0));
        assertThat(put.bound().reason()).isEqualTo("disk, 3 writers / N=3");
        assertThat(put.ratio()).isCloseTo(0.5, within(0.01));

        final OperationResult get = bounds.apply(result(OperationResult.Direction.READ, true, 1, 450 * MIB));
        assertThat(get.bound().value()).isCloseTo(900 * MIB, within(1.0));
        assertThat(get.bound().reason()).isEqualTo("SHA-256 1 core");
        assertThat(get.ratio()).isCloseTo(0.5, within(0.01));
    }

    @Test
    void shouldAddLoopbackBandwidthOverTcp() throws Exception
    {
        final Bounds bounds = new Bounds(List.of(LIMITS.get(0), LIMITS.get(5)), 3, true);
        assertThat(bounds.apply(result(OperationResult.Direction.WRITE, true, 1, MIB)).bound().value())
            .as("1200 MiB/s of loopback carries 3 copies").isCloseTo(400 * MIB, within(1.0));
        assertThat(bounds.apply(result(OperationResult.Direction.READ, true, 1, MIB)).bound().reason())
            .isEqualTo("SHA-256 1 core");
    }

    @Test
    void shouldMeasureSmallPutsAgainstOneFsyncStreamAndSmallGetsAgainstOneRoundTripStreamOnlyOverTcp()
        throws Exception
    {
        final OperationResult put = new Bounds(LIMITS, 3, false)
            .apply(result(OperationResult.Direction.WRITE, false, 16, 1000));
        assertThat(put.bound().value()).as("1 / 500 us, whatever the clients").isCloseTo(2000, within(0.01));
        assertThat(put.bound().unit()).isEqualTo(Bound.OPERATIONS_PER_SECOND);
        assertThat(put.bound().reason()).isEqualTo("1 / fsync p50");
        assertThat(put.ratio()).isCloseTo(0.5, within(0.001));

        assertThat(new Bounds(LIMITS, 3, false).apply(result(OperationResult.Direction.READ, false, 16, 1000)).bound())
            .as("shared memory has no measured bound").isNull();
        final OperationResult get = new Bounds(LIMITS, 3, true)
            .apply(result(OperationResult.Direction.READ, false, 16, 7000));
        assertThat(get.bound().value()).as("1 / 20 us").isCloseTo(50_000, within(0.01));
        assertThat(get.bound().reason()).isEqualTo("1 / TCP round trip p50");
        assertThat(get.ratio()).isCloseTo(0.14, within(0.001));
    }

    @Test
    void shouldGiveTheSmallWorkloadsRowsIssue5sTargetsAndOtherRowsNone() throws Exception
    {
        final Bounds bounds = new Bounds(LIMITS, 3, true);
        final OperationResult put = bounds.apply(result("small", OperationResult.Direction.WRITE, false, 16, 1000));
        assertThat(put.bound().target()).isEqualTo(Bounds.SMALL_PUT_TARGET);
        assertThat(put.targetMet()).as("1000 of 2000 ops/s is 0.5x").isTrue();
        assertThat(Figures.target(put)).isEqualTo("0.50x met");

        final OperationResult get = bounds.apply(result("small", OperationResult.Direction.READ, false, 16, 7000));
        assertThat(get.bound().target()).isEqualTo(Bounds.SMALL_GET_TARGET);
        assertThat(get.targetMet()).as("7000 of 50000 ops/s is 0.14x").isFalse();
        assertThat(Figures.target(get)).isEqualTo("0.15x NOT met");

        final OperationResult mixed = bounds.apply(result("mixed", OperationResult.Direction.WRITE, false, 16, 1000));
        assertThat(mixed.bound().hasTarget()).isFalse();
        assertThat(mixed.targetMet()).isNull();
        assertThat(Figures.target(mixed)).isEqualTo("-");
        assertThat(bounds.apply(result("small", OperationResult.Direction.WRITE, true, 1, MIB)).targetMet())
            .as("a byte bound has no target").isNull();
    }

    @Test
    void shouldLeaveAResultWithoutABoundWhenNoLimitWasMeasured() throws Exception
    {
        final OperationResult result = new Bounds(List.of(), 3, true)
            .apply(result(OperationResult.Direction.WRITE, true, 1, MIB));
        assertThat(result.bound()).isNull();
        assertThat(result.ratio()).isNaN();
    }

    @Test
    void shouldBoundARepairsCopyRateByTheDurableWriteBandwidthOfOneWriter() throws Exception
    {
        // 150 MiB copied in 0.5 s of copying: 300 MiB/s against 600 MiB/s of disk.write.
        final RepairResult repair = new Bounds(LIMITS, 3, false).apply(new RepairResult("failover", "QUORUM",
            new ClusterRepairer.Figures(true, 150, (long)(150 * MIB), 500_000_000L, 2_000_000_000L), null));
        assertThat(repair.bytesPerSecond()).isCloseTo(300 * MIB, within(1.0));
        assertThat(repair.bound().value()).isCloseTo(600 * MIB, within(1.0));
        assertThat(repair.bound().reason()).isEqualTo("disk write, 1 writer");
        assertThat(repair.ratio()).isCloseTo(0.5, within(0.001));
        assertThat(repair.cells()).containsExactly("failover", "QUORUM", "yes", "2.0 s", "150", "150.0", "300.0",
            "600.0 MiB/s (disk write, 1 writer)", "0.50x");
    }

    @Test
    void shouldGiveNoRepairRatioWithoutCopiesOrWithoutLimits() throws Exception
    {
        final ClusterRepairer.Figures nothing = new ClusterRepairer.Figures(true, 0, 0, 0, 1_000_000_000L);
        assertThat(new Bounds(LIMITS, 3, false).apply(new RepairResult("failover", "ONE", nothing, null)).ratio())
            .as("nothing copied").isNaN();
        final RepairResult unbounded = new Bounds(List.of(), 3, false).apply(new RepairResult("failover", "ONE",
            new ClusterRepairer.Figures(false, 1, 1024, 1_000_000L, 1_000_000_000L), null));
        assertThat(unbounded.bound()).isNull();
        assertThat(unbounded.ratio()).isNaN();
        assertThat(unbounded.cells().get(2)).isEqualTo("NO");
    }

    /**
     * A result of {@code figure} bytes or operations per second, measured over one second.
     */
    private static OperationResult result(final OperationResult.Direction direction, final boolean byteBound,
        final int clients, final double figure)
    {
        return result("w", direction, byteBound, clients, figure);
    }

    private static OperationResult result(final String workload, final OperationResult.Direction direction,
        final boolean byteBound, final int clients, final double figure)
    {
        final long count = (long)figure;
        final Measurement measurement = new Measurement(byteBound ? 1 : count, 0, byteBound ? count : 0,
            1_000_000_000L, Measurement.newHistogram(), null);
        return new OperationResult(workload, "QUORUM", "op", direction, null, clients, measurement, byteBound, null);
    }
}

package io.rfs.tools.bench;

import java.util.List;
import java.util.Locale;

/**
 * What a repair did after the failover workload started its node again: how long until the cluster was healthy,
 * what it copied and how fast while copying, against what bounds that rate on this machine.
 *
 * @param workload e.g. {@code failover}.
 * @param level    the consistency level of the workload's requests, e.g. {@code QUORUM}.
 * @param repair   the repair's figures.
 * @param bound    the data directory's durable write bandwidth ({@code disk.write}): every copied chunk is forced
 *                 to the restarted node's disk, one writer; or null if the limits were not measured.
 */
public record RepairResult(String workload, String level, ClusterRepairer.Figures repair, Bound bound)
{
    /** Table header of {@link #cells()}. */
    static final List<String> HEADER = List.of(
        "workload", "level", "healthy", "after", "chunks", "MiB", "MiB/s copying", "bound", "ratio");

    /**
     * @param bound what bounds the copy rate.
     * @return this result with that bound.
     */
    public RepairResult withBound(final Bound bound)
    {
        return new RepairResult(workload, level, repair, bound);
    }

    /**
     * @return raw bytes copied per second of the rounds' copying time, or 0 if nothing was copied.
     */
    public double bytesPerSecond()
    {
        return repair.copyingNs() > 0 ? repair.bytes() * 1e9 / repair.copyingNs() : 0;
    }

    /**
     * @return the copy rate over its bound, or NaN without a bound or without copies.
     */
    public double ratio()
    {
        return bound == null || !(bound.value() > 0) || repair.bytes() == 0 ? Double.NaN :
            bytesPerSecond() / bound.value();
    }

    /**
     * @return the cells of {@link #HEADER}.
     */
    List<String> cells()
    {
        return List.of(workload, level, repair.healthy() ? "yes" : "NO",
            String.format(Locale.ROOT, "%.1f s", repair.elapsedNs() / 1e9), Long.toString(repair.chunks()),
            Figures.mib(repair.bytes()), repair.bytes() == 0 ? "-" : Figures.mib(bytesPerSecond()),
            Figures.bound(bound), Figures.ratio(ratio()));
    }
}

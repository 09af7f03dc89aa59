package io.rfs.tools.bench;

/**
 * One row of a benchmark's results: one kind of operation, in one phase of one workload, at one consistency level.
 *
 * @param workload    e.g. {@code small}.
 * @param level       the consistency level, e.g. {@code QUORUM}.
 * @param operation   e.g. {@code put 4KiB}.
 * @param direction   whether the operation writes or reads.
 * @param phase       for a workload with phases ({@code failover}): {@code before}, {@code during} or
 *                    {@code after}; else null.
 * @param clients     concurrent clients.
 * @param measurement what was measured.
 * @param byteBound   true if the figure that matters is bytes per second (large files), false if operations per
 *                    second.
 * @param bound       what bounds the figure on this machine, or null if no limit applies or none was measured.
 */
public record OperationResult(
    String workload,
    String level,
    String operation,
    Direction direction,
    String phase,
    int clients,
    Measurement measurement,
    boolean byteBound,
    Bound bound)
{
    /**
     * Whether an operation stores or fetches: the two are bounded by different limits.
     */
    public enum Direction
    {
        /** A put. */
        WRITE,
        /** A get. */
        READ
    }

    /**
     * @param bound what bounds this result's figure.
     * @return this result with that bound.
     */
    public OperationResult withBound(final Bound bound)
    {
        return new OperationResult(workload, level, operation, direction, phase, clients, measurement, byteBound, bound);
    }

    /**
     * @return the figure the bound applies to: bytes per second or operations per second.
     */
    public double figure()
    {
        return byteBound ? measurement.bytesPerSecond() : measurement.operationsPerSecond();
    }

    /**
     * @return the figure over its bound (1.0 = as fast as the machine allows), or NaN without a bound.
     */
    public double ratio()
    {
        return bound == null || !(bound.value() > 0) ? Double.NaN : figure() / bound.value();
    }

    /**
     * @return true if the figure reached its bound's target ratio, false if it fell short, null if there is none.
     */
    public Boolean targetMet()
    {
        return bound == null || !bound.hasTarget() ? null : ratio() >= bound.target();
    }

    /**
     * @return e.g. {@code small QUORUM put 4KiB} or {@code failover ALL get during}.
     */
    public String label()
    {
        return workload + " " + level + " " + operation + (phase != null ? " " + phase : "");
    }
}

package io.rfs.tools.bench;

/**
 * The most a workload's figure could be on this machine, derived from the {@link Limit}s, with how it was derived.
 *
 * @param value  the bound, in the unit of the figure it bounds ({@link #BYTES_PER_SECOND} or
 *               {@link #OPERATIONS_PER_SECOND}).
 * @param unit   that unit.
 * @param reason how the bound follows from the limits, e.g. {@code SHA-256 1 core}.
 */
public record Bound(double value, String unit, String reason)
{
    /** The figure bounded is content bytes per second. */
    public static final String BYTES_PER_SECOND = "B/s";
    /** The figure bounded is operations per second. */
    public static final String OPERATIONS_PER_SECOND = "ops/s";
}

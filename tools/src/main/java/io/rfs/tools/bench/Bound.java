package io.rfs.tools.bench;

/**
 * What a workload's figure is measured against on this machine, derived from the {@link Limit}s, with how it was
 * derived, and the share of it the figure is meant to reach where one was set.
 *
 * @param value  the bound, in the unit of the figure it bounds ({@link #BYTES_PER_SECOND} or
 *               {@link #OPERATIONS_PER_SECOND}).
 * @param unit   that unit.
 * @param reason how the bound follows from the limits, e.g. {@code SHA-256 1 core}.
 * @param target the ratio (figure over bound) the figure is meant to reach, or NaN if none was set.
 */
public record Bound(double value, String unit, String reason, double target)
{
    /** The figure bounded is content bytes per second. */
    public static final String BYTES_PER_SECOND = "B/s";
    /** The figure bounded is operations per second. */
    public static final String OPERATIONS_PER_SECOND = "ops/s";

    /**
     * A bound without a target.
     *
     * @param value  the bound.
     * @param unit   its unit.
     * @param reason how it follows from the limits.
     */
    public Bound(final double value, final String unit, final String reason)
    {
        this(value, unit, reason, Double.NaN);
    }

    /**
     * @return true if a target ratio was set.
     */
    public boolean hasTarget()
    {
        return !Double.isNaN(target);
    }
}

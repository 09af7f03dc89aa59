package io.rfs.tools.bench;

/**
 * One thing this machine can do, measured in the same run as the workloads, so that a workload's figure can be
 * read as a fraction of what bounds it.
 *
 * @param key   stable name for JSON and for {@link Bound}s, e.g. {@code sha256}.
 * @param label what was measured, for people.
 * @param value the figure.
 * @param unit  its unit: {@link #BYTES_PER_SECOND}, {@link #MICROSECONDS} or {@link #RATIO}.
 */
public record Limit(String key, String label, double value, String unit)
{
    /** Bytes per second. */
    public static final String BYTES_PER_SECOND = "B/s";
    /** Microseconds. */
    public static final String MICROSECONDS = "us";
    /** A plain ratio. */
    public static final String RATIO = "x";
}

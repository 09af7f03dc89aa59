package io.rfs.store.manifest;

/**
 * The version of a manifest: a hybrid logical clock timestamp and the id of the node that wrote it. Versions are
 * totally ordered, timestamp first, node id second, so that every node picks the same winner.
 *
 * @param timestamp hybrid logical clock value: physical milliseconds in the high 48 bits, a logical counter in
 *                  the low 16 (see {@link HybridLogicalClock}).
 * @param nodeId    the writer's node id.
 */
public record Version(long timestamp, int nodeId) implements Comparable<Version>
{
    /** Lower than every real version. */
    public static final Version ZERO = new Version(0, 0);

    @Override
    public int compareTo(final Version o)
    {
        final int c = Long.compareUnsigned(timestamp, o.timestamp);
        return c != 0 ? c : Integer.compare(nodeId, o.nodeId);
    }

    /**
     * @param other another version.
     * @return true if this version wins over {@code other}.
     */
    public boolean isNewerThan(final Version other)
    {
        return compareTo(other) > 0;
    }

    /**
     * @return the physical part in milliseconds since the epoch.
     */
    public long physicalMs()
    {
        return timestamp >>> HybridLogicalClock.LOGICAL_BITS;
    }

    @Override
    public String toString()
    {
        return physicalMs() + "." + (timestamp & HybridLogicalClock.LOGICAL_MASK) + "@" + nodeId;
    }
}

package io.rfs.tools.bench;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Derives, from the machine's {@link Limit}s, the bound of each workload figure, so that a figure can be printed as
 * a ratio to it. Every node of the cluster under test runs on this machine, so a put's N copies share one disk, and
 * with TCP one loopback.
 * <ul>
 * <li>Large put (bytes/s): the slowest of SHA-256 on one core (the whole-file digest is one pass that cannot be
 * split), LZ4 compression of random data (each chunk is tried), the data directory's durable write bandwidth with N
 * writers at once (the N replicas' nodes write at the same time) divided by N, and over TCP loopback bandwidth
 * divided by N.</li>
 * <li>Large get (bytes/s): SHA-256 on one core (every chunk is re-hashed), and over TCP loopback bandwidth.</li>
 * <li>Small put (ops/s): one stream of forced writes, 1 / fsync p50. A client waits for at least one forced write
 * per put, so without group commit all clients together could not go much beyond it; group commit shares one
 * fsync among the puts that are waiting, so a ratio above 1 is possible and means it did.</li>
 * <li>Repair copy rate (bytes/s while copying): the data directory's durable write bandwidth with one writer, since
 * every chunk copied to the restarted node is forced to its disk. Hashing and the network are not counted: the
 * node verifies each copy (SHA-256) on its storage thread, so a ratio well below 1 can be either.</li>
 * <li>Small get (ops/s), over TCP only: one stream of loopback round trips of a 4 KiB request and an 8-byte answer,
 * 1 / round trip p50. A get needs at least two round trips in turn (the manifest, then the chunk); concurrent
 * clients overlap them. The embedded cluster talks over shared memory, which has no measured bound.</li>
 * </ul>
 * Both operation bounds are issue 5's references: for the {@code small} workload its rows carry the targets,
 * {@link #SMALL_PUT_TARGET} and {@link #SMALL_GET_TARGET}.
 */
public final class Bounds
{
    /** Issue 5: small puts should reach half of 1 / fsync p50, which group commit makes reachable. */
    public static final double SMALL_PUT_TARGET = 0.5;
    /** Issue 5: small gets over TCP should reach 0.15 of 1 / (4 KiB loopback round trip p50). */
    public static final double SMALL_GET_TARGET = 0.15;
    private final Map<String, Limit> limits = new HashMap<>();
    private final int replicationFactor;
    private final boolean overTcp;

    /**
     * @param limits            the machine's limits.
     * @param replicationFactor N of the cluster under test.
     * @param overTcp           true if its nodes and client talk over loopback TCP.
     */
    public Bounds(final List<Limit> limits, final int replicationFactor, final boolean overTcp)
    {
        limits.forEach(limit -> this.limits.put(limit.key(), limit));
        this.replicationFactor = replicationFactor;
        this.overTcp = overTcp;
    }

    /**
     * @param result a result without a bound.
     * @return it with its bound, or unchanged if none applies.
     */
    public OperationResult apply(final OperationResult result)
    {
        final Bound bound = result.byteBound() ? byteBound(result.direction()) : operationBound(result);
        return bound == null ? result : result.withBound(bound);
    }

    /**
     * @param repair a repair without a bound.
     * @return it with the durable write bandwidth as its bound, or unchanged if that was not measured.
     */
    public RepairResult apply(final RepairResult repair)
    {
        final Bound bound = lowest(null, MachineLimits.DISK_WRITE, 1, "disk write, 1 writer");
        return bound == null ? repair : repair.withBound(bound);
    }

    private Bound byteBound(final OperationResult.Direction direction)
    {
        final int n = replicationFactor;
        Bound bound = lowest(null, MachineLimits.SHA256, 1, "SHA-256 1 core");
        if (direction == OperationResult.Direction.WRITE)
        {
            bound = lowest(bound, MachineLimits.LZ4_COMPRESS_RANDOM, 1, "LZ4 compress");
            bound = limits.containsKey(MachineLimits.DISK_WRITE_PARALLEL) ?
                lowest(bound, MachineLimits.DISK_WRITE_PARALLEL, 1.0 / n, "disk, " + n + " writers / N=" + n) :
                lowest(bound, MachineLimits.DISK_WRITE, 1.0 / n, "disk write / N=" + n);
            if (overTcp)
            {
                bound = lowest(bound, MachineLimits.TCP_LOOPBACK, 1.0 / n, "loopback TCP / N=" + n);
            }
        }
        else if (overTcp)
        {
            bound = lowest(bound, MachineLimits.TCP_LOOPBACK, 1, "loopback TCP");
        }
        return bound;
    }

    private Bound operationBound(final OperationResult result)
    {
        final boolean targeted = SmallFilesWorkload.NAME.equals(result.workload());
        if (result.direction() == OperationResult.Direction.WRITE)
        {
            final Limit fsync = limits.get(MachineLimits.FSYNC_P50);
            return fsync == null ? null : new Bound(1e6 / fsync.value(), Bound.OPERATIONS_PER_SECOND,
                "1 / fsync p50", targeted ? SMALL_PUT_TARGET : Double.NaN);
        }
        final Limit rtt = limits.get(MachineLimits.TCP_RTT_P50);
        return rtt == null || !overTcp ? null : new Bound(1e6 / rtt.value(), Bound.OPERATIONS_PER_SECOND,
            "1 / TCP round trip p50", targeted ? SMALL_GET_TARGET : Double.NaN);
    }

    private Bound lowest(final Bound current, final String key, final double factor, final String reason)
    {
        final Limit limit = limits.get(key);
        if (limit == null)
        {
            return current;
        }
        final double value = limit.value() * factor;
        return current == null || value < current.value() ? new Bound(value, Bound.BYTES_PER_SECOND, reason) : current;
    }
}

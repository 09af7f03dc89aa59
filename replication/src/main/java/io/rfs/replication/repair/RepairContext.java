package io.rfs.replication.repair;

import io.rfs.replication.ring.Ring;
import io.rfs.store.ConfigurationException;

import java.util.concurrent.TimeUnit;

/**
 * Settings of repair: how often the leader compares the replicas of every ring range, and how hard it may copy.
 * A node fills it from its properties ({@code repair.*}, docs/CONFIGURATION.md); tests build it directly.
 * {@link #conclude()} checks it and fills in defaults.
 */
public final class RepairContext
{
    /** Whether this node, when leader, schedules repairs. */
    public static final String ENABLED_PROP = "repair.enabled";
    public static final boolean ENABLED_DEFAULT = true;
    /** Time from the start of one repair round to the start of the next. */
    public static final String INTERVAL_PROP = "repair.interval";
    public static final long INTERVAL_NS_DEFAULT = TimeUnit.SECONDS.toNanos(60);
    /** Repair copying per node, as source or target, in bytes per second (averaged; one order may burst above). */
    public static final String BANDWIDTH_PROP = "repair.bandwidth";
    public static final long BANDWIDTH_DEFAULT = 32L * 1024 * 1024;
    /** Copy orders in flight from the leader at once, over all nodes; at most one per target node. */
    public static final String MAX_IN_FLIGHT_PROP = "repair.max.in.flight";
    public static final int MAX_IN_FLIGHT_DEFAULT = 4;
    /** Most chunk ids per copy order (also bounded to one second of {@code repair.bandwidth} in bytes). */
    public static final String COPY_BATCH_PROP = "repair.copy.batch";
    public static final int COPY_BATCH_DEFAULT = 64;
    /** How long the leader waits for a digest or id-list answer. */
    public static final String REQUEST_TIMEOUT_PROP = "repair.request.timeout";
    public static final long REQUEST_TIMEOUT_NS_DEFAULT = TimeUnit.SECONDS.toNanos(5);
    /** How long the leader waits for a copy order's answer, and a node for each chunk it fetches. */
    public static final String COPY_TIMEOUT_PROP = "repair.copy.timeout";
    public static final long COPY_TIMEOUT_NS_DEFAULT = TimeUnit.SECONDS.toNanos(60);
    /**
     * How long the leader must not hear from a node of the ring before it commits the node gone (out of the ring)
     * and repair re-replicates its data; 0 never does.
     */
    public static final String NODE_GONE_AFTER_PROP = "repair.node.gone.after";
    public static final long NODE_GONE_AFTER_NS_DEFAULT = TimeUnit.MINUTES.toNanos(10);

    /** Whether the leader, while its repair is enabled, reclaims chunks that no manifest references. */
    public static final String RECLAIM_ENABLED_PROP = "repair.reclaim.enabled";
    public static final boolean RECLAIM_ENABLED_DEFAULT = true;
    /** Time from the end of one reclaim pass over the id space to the start of the next. */
    public static final String RECLAIM_INTERVAL_PROP = "repair.reclaim.interval";
    public static final long RECLAIM_INTERVAL_NS_DEFAULT = TimeUnit.HOURS.toNanos(1);
    /**
     * How long a chunk must have gone without a put storing it, or asking to store it, on its node before it may be
     * reclaimed: far longer than any put takes between its first chunk and its manifest.
     */
    public static final String RECLAIM_GRACE_PROP = "repair.reclaim.grace";
    public static final long RECLAIM_GRACE_NS_DEFAULT = TimeUnit.HOURS.toNanos(1);
    /** Most distinct idle chunk ids the leader holds in one reclaim round (about 60 bytes each). */
    public static final String RECLAIM_MAX_CANDIDATES_PROP = "repair.reclaim.max.candidates";
    public static final int RECLAIM_MAX_CANDIDATES_DEFAULT = 262_144;

    private boolean enabled = ENABLED_DEFAULT;
    private boolean reclaimEnabled = RECLAIM_ENABLED_DEFAULT;
    private long reclaimIntervalNs = RECLAIM_INTERVAL_NS_DEFAULT;
    private long reclaimGraceNs = RECLAIM_GRACE_NS_DEFAULT;
    private int reclaimMaxCandidates = RECLAIM_MAX_CANDIDATES_DEFAULT;
    private long intervalNs = INTERVAL_NS_DEFAULT;
    private long bandwidth = BANDWIDTH_DEFAULT;
    private int maxInFlight = MAX_IN_FLIGHT_DEFAULT;
    private int copyBatch = COPY_BATCH_DEFAULT;
    private long requestTimeoutNs = REQUEST_TIMEOUT_NS_DEFAULT;
    private long copyTimeoutNs = COPY_TIMEOUT_NS_DEFAULT;
    private long nodeGoneAfterNs = NODE_GONE_AFTER_NS_DEFAULT;
    private Ring ring;
    private DigestKey digestKey;
    private RepairListener repairListener;

    /**
     * Checks every setting.
     *
     * @return this.
     * @throws ConfigurationException naming the first setting that is wrong.
     */
    public RepairContext conclude()
    {
        positive(INTERVAL_PROP, intervalNs, "ns");
        positive(BANDWIDTH_PROP, bandwidth, "");
        positive(REQUEST_TIMEOUT_PROP, requestTimeoutNs, "ns");
        positive(COPY_TIMEOUT_PROP, copyTimeoutNs, "ns");
        positive(RECLAIM_INTERVAL_PROP, reclaimIntervalNs, "ns");
        positive(RECLAIM_GRACE_PROP, reclaimGraceNs, "ns");
        if (reclaimMaxCandidates < 1 || reclaimMaxCandidates > 1 << 26)
        {
            throw new ConfigurationException(RECLAIM_MAX_CANDIDATES_PROP, reclaimMaxCandidates,
                "must be 1.." + (1 << 26));
        }
        if (nodeGoneAfterNs < 0)
        {
            throw new ConfigurationException(NODE_GONE_AFTER_PROP, nodeGoneAfterNs + "ns", "must not be negative");
        }
        if (maxInFlight < 1 || maxInFlight > 1024)
        {
            throw new ConfigurationException(MAX_IN_FLIGHT_PROP, maxInFlight, "must be 1..1024");
        }
        if (copyBatch < 1 || copyBatch > io.rfs.replication.protocol.CopyChunksRequestDescriptor.MAX_COUNT)
        {
            throw new ConfigurationException(COPY_BATCH_PROP, copyBatch,
                "must be 1.." + io.rfs.replication.protocol.CopyChunksRequestDescriptor.MAX_COUNT);
        }
        if (repairListener == null)
        {
            repairListener = RepairListener.LOG;
        }
        if (digestKey == null)
        {
            digestKey = DigestKey.of(null);
        }
        return this;
    }

    private static void positive(final String name, final long value, final String unit)
    {
        if (value <= 0)
        {
            throw new ConfigurationException(name, value + unit, "must be positive");
        }
    }

    public boolean enabled()
    {
        return enabled;
    }

    /**
     * @param enabled whether this node schedules repairs while it leads. Default {@link #ENABLED_DEFAULT}.
     * @return this.
     */
    public RepairContext enabled(final boolean enabled)
    {
        this.enabled = enabled;
        return this;
    }

    public boolean reclaimEnabled()
    {
        return reclaimEnabled;
    }

    /**
     * @param reclaimEnabled whether the leader reclaims unreferenced chunks. Default
     *                       {@link #RECLAIM_ENABLED_DEFAULT}.
     * @return this.
     */
    public RepairContext reclaimEnabled(final boolean reclaimEnabled)
    {
        this.reclaimEnabled = reclaimEnabled;
        return this;
    }

    public long reclaimIntervalNs()
    {
        return reclaimIntervalNs;
    }

    /**
     * @param reclaimIntervalNs time between reclaim passes over the id space. Default
     *                          {@link #RECLAIM_INTERVAL_NS_DEFAULT}.
     * @return this.
     */
    public RepairContext reclaimIntervalNs(final long reclaimIntervalNs)
    {
        this.reclaimIntervalNs = reclaimIntervalNs;
        return this;
    }

    public long reclaimGraceNs()
    {
        return reclaimGraceNs;
    }

    /**
     * @param reclaimGraceNs how long a chunk goes untouched on its node before it may be reclaimed. Default
     *                       {@link #RECLAIM_GRACE_NS_DEFAULT}.
     * @return this.
     */
    public RepairContext reclaimGraceNs(final long reclaimGraceNs)
    {
        this.reclaimGraceNs = reclaimGraceNs;
        return this;
    }

    public int reclaimMaxCandidates()
    {
        return reclaimMaxCandidates;
    }

    /**
     * @param reclaimMaxCandidates most idle ids held by the leader per round. Default
     *                             {@link #RECLAIM_MAX_CANDIDATES_DEFAULT}.
     * @return this.
     */
    public RepairContext reclaimMaxCandidates(final int reclaimMaxCandidates)
    {
        this.reclaimMaxCandidates = reclaimMaxCandidates;
        return this;
    }

    public long intervalNs()
    {
        return intervalNs;
    }

    /**
     * @param intervalNs time between the starts of repair rounds. Default {@link #INTERVAL_NS_DEFAULT}.
     * @return this.
     */
    public RepairContext intervalNs(final long intervalNs)
    {
        this.intervalNs = intervalNs;
        return this;
    }

    public long bandwidth()
    {
        return bandwidth;
    }

    /**
     * @param bandwidth bytes per second of repair copying per node. Default {@link #BANDWIDTH_DEFAULT}.
     * @return this.
     */
    public RepairContext bandwidth(final long bandwidth)
    {
        this.bandwidth = bandwidth;
        return this;
    }

    public int maxInFlight()
    {
        return maxInFlight;
    }

    /**
     * @param maxInFlight copy orders in flight at once. Default {@link #MAX_IN_FLIGHT_DEFAULT}.
     * @return this.
     */
    public RepairContext maxInFlight(final int maxInFlight)
    {
        this.maxInFlight = maxInFlight;
        return this;
    }

    public int copyBatch()
    {
        return copyBatch;
    }

    /**
     * @param copyBatch most ids per copy order. Default {@link #COPY_BATCH_DEFAULT}.
     * @return this.
     */
    public RepairContext copyBatch(final int copyBatch)
    {
        this.copyBatch = copyBatch;
        return this;
    }

    public long requestTimeoutNs()
    {
        return requestTimeoutNs;
    }

    /**
     * @param requestTimeoutNs wait for a digest or id-list answer. Default {@link #REQUEST_TIMEOUT_NS_DEFAULT}.
     * @return this.
     */
    public RepairContext requestTimeoutNs(final long requestTimeoutNs)
    {
        this.requestTimeoutNs = requestTimeoutNs;
        return this;
    }

    public long nodeGoneAfterNs()
    {
        return nodeGoneAfterNs;
    }

    /**
     * @param nodeGoneAfterNs how long a node of the ring goes unheard before the leader commits it gone; 0 never.
     *                        Default {@link #NODE_GONE_AFTER_NS_DEFAULT}, long enough for a restart or a reboot,
     *                        short enough that a lost disk is not left at N - 1 copies for hours.
     * @return this.
     */
    public RepairContext nodeGoneAfterNs(final long nodeGoneAfterNs)
    {
        this.nodeGoneAfterNs = nodeGoneAfterNs;
        return this;
    }

    public long copyTimeoutNs()
    {
        return copyTimeoutNs;
    }

    /**
     * @param copyTimeoutNs wait for a copy order's answer (leader) or a fetched chunk (node). Default
     *                      {@link #COPY_TIMEOUT_NS_DEFAULT}.
     * @return this.
     */
    public RepairContext copyTimeoutNs(final long copyTimeoutNs)
    {
        this.copyTimeoutNs = copyTimeoutNs;
        return this;
    }

    /**
     * @return the ring repair uses until the cluster-metadata log commits one, or null.
     */
    public Ring ring()
    {
        return ring;
    }

    /**
     * @param ring the ring every node and client builds from the same settings (the node's default is the seeds'
     *             ring, as a client builds it); the committed ring of the cluster log takes over once there is one.
     * @return this.
     */
    public RepairContext ring(final Ring ring)
    {
        this.ring = ring;
        return this;
    }

    public DigestKey digestKey()
    {
        return digestKey;
    }

    /**
     * @param digestKey the key of the range digests, the same on every node. Default: derived from the cluster
     *                  secret by the node ({@link DigestKey#of}).
     * @return this.
     */
    public RepairContext digestKey(final DigestKey digestKey)
    {
        this.digestKey = digestKey;
        return this;
    }

    public RepairListener repairListener()
    {
        return repairListener;
    }

    /**
     * @param repairListener told of chunks no replica holds a sound copy of. Default {@link RepairListener#LOG}.
     * @return this.
     */
    public RepairContext repairListener(final RepairListener repairListener)
    {
        this.repairListener = repairListener;
        return this;
    }
}

package io.rfs.replication.node;

import io.rfs.store.ConfigurationException;

import java.util.concurrent.TimeUnit;

/**
 * Settings of a node's background scrub ({@link NodeScrubber}): the coverage deadline, the most it may read, and
 * the request latency above which it backs off. A node fills it from its properties ({@code scrub.*},
 * docs/CONFIGURATION.md); tests build it directly. {@link #conclude()} checks it.
 */
public final class ScrubContext
{
    /** Every chunk held is re-hashed at least once within this period; 0 turns the scrub off. */
    public static final String PERIOD_PROP = "scrub.period";
    public static final long PERIOD_NS_DEFAULT = TimeUnit.DAYS.toNanos(7);
    /** The most raw bytes per second the scrub re-hashes, however far behind its deadline it is. */
    public static final String MAX_BANDWIDTH_PROP = "scrub.max.bandwidth";
    public static final long MAX_BANDWIDTH_DEFAULT = 64L * 1024 * 1024;
    /** Storage service time (an average) above which the scrub slows down in proportion. */
    public static final String LATENCY_TARGET_PROP = "scrub.latency.target";
    public static final long LATENCY_TARGET_NS_DEFAULT = TimeUnit.MILLISECONDS.toNanos(20);

    private long periodNs = PERIOD_NS_DEFAULT;
    private long maxBandwidth = MAX_BANDWIDTH_DEFAULT;
    private long latencyTargetNs = LATENCY_TARGET_NS_DEFAULT;

    /**
     * Checks every setting.
     *
     * @return this.
     * @throws ConfigurationException naming the first setting that is wrong.
     */
    public ScrubContext conclude()
    {
        if (periodNs < 0 || (periodNs > 0 && periodNs < TimeUnit.SECONDS.toNanos(1)))
        {
            throw new ConfigurationException(PERIOD_PROP, periodNs + "ns", "must be 0 (off) or at least 1s");
        }
        if (maxBandwidth <= 0)
        {
            throw new ConfigurationException(MAX_BANDWIDTH_PROP, maxBandwidth, "must be positive");
        }
        if (latencyTargetNs <= 0)
        {
            throw new ConfigurationException(LATENCY_TARGET_PROP, latencyTargetNs + "ns", "must be positive");
        }
        return this;
    }

    public long periodNs()
    {
        return periodNs;
    }

    /**
     * @param periodNs the coverage deadline, 0 for no scrub. Default {@link #PERIOD_NS_DEFAULT}.
     * @return this.
     */
    public ScrubContext periodNs(final long periodNs)
    {
        this.periodNs = periodNs;
        return this;
    }

    public long maxBandwidth()
    {
        return maxBandwidth;
    }

    /**
     * @param maxBandwidth raw bytes per second the scrub may re-hash at most. Default {@link #MAX_BANDWIDTH_DEFAULT}.
     * @return this.
     */
    public ScrubContext maxBandwidth(final long maxBandwidth)
    {
        this.maxBandwidth = maxBandwidth;
        return this;
    }

    public long latencyTargetNs()
    {
        return latencyTargetNs;
    }

    /**
     * @param latencyTargetNs storage service time above which the scrub slows. Default
     *                        {@link #LATENCY_TARGET_NS_DEFAULT}.
     * @return this.
     */
    public ScrubContext latencyTargetNs(final long latencyTargetNs)
    {
        this.latencyTargetNs = latencyTargetNs;
        return this;
    }
}

package io.rfs.replication.transport.fault;

/**
 * What the network does to the messages of one direction of one pair of nodes: latency drawn uniformly from
 * {@code [minLatencyNs, maxLatencyNs]}, and independent chances that a message is dropped, duplicated (the copy
 * gets its own latency) or reordered (held back by up to {@code reorderDelayNs} more, so later messages overtake
 * it). Without reordering or duplication a link is FIFO. Mutable: a test or the simulator changes it at any time,
 * and it applies to messages offered from then on.
 */
public final class LinkFaults
{
    private long minLatencyNs;
    private long maxLatencyNs;
    private double dropProbability;
    private double duplicateProbability;
    private double reorderProbability;
    private long reorderDelayNs;

    LinkFaults(final LinkFaults template)
    {
        if (template != null)
        {
            set(template);
        }
    }

    /**
     * @param other faults to copy.
     * @return this.
     */
    public LinkFaults set(final LinkFaults other)
    {
        this.minLatencyNs = other.minLatencyNs;
        this.maxLatencyNs = other.maxLatencyNs;
        this.dropProbability = other.dropProbability;
        this.duplicateProbability = other.duplicateProbability;
        this.reorderProbability = other.reorderProbability;
        this.reorderDelayNs = other.reorderDelayNs;
        return this;
    }

    /**
     * @param minLatencyNs least one-way latency, not negative.
     * @param maxLatencyNs greatest, at least {@code minLatencyNs}.
     * @return this.
     */
    public LinkFaults latency(final long minLatencyNs, final long maxLatencyNs)
    {
        if (minLatencyNs < 0 || maxLatencyNs < minLatencyNs)
        {
            throw new IllegalArgumentException("minLatencyNs=" + minLatencyNs + " maxLatencyNs=" + maxLatencyNs +
                ": need 0 <= min <= max");
        }
        this.minLatencyNs = minLatencyNs;
        this.maxLatencyNs = maxLatencyNs;
        return this;
    }

    /**
     * @param probability chance that a message is lost, 0 to 1.
     * @return this.
     */
    public LinkFaults dropProbability(final double probability)
    {
        this.dropProbability = checkProbability("dropProbability", probability);
        return this;
    }

    /**
     * @param probability chance that a message arrives twice, 0 to 1.
     * @return this.
     */
    public LinkFaults duplicateProbability(final double probability)
    {
        this.duplicateProbability = checkProbability("duplicateProbability", probability);
        return this;
    }

    /**
     * @param probability chance that a message is held back, 0 to 1.
     * @param maxDelayNs  most extra delay of a held-back message, positive if the probability is.
     * @return this.
     */
    public LinkFaults reorder(final double probability, final long maxDelayNs)
    {
        checkProbability("reorderProbability", probability);
        if (maxDelayNs < 0 || (probability > 0 && maxDelayNs == 0))
        {
            throw new IllegalArgumentException("reorderDelayNs=" + maxDelayNs + " must be positive to reorder");
        }
        this.reorderProbability = probability;
        this.reorderDelayNs = maxDelayNs;
        return this;
    }

    private static double checkProbability(final String name, final double probability)
    {
        if (!(probability >= 0.0 && probability <= 1.0))
        {
            throw new IllegalArgumentException(name + "=" + probability + " is outside 0..1");
        }
        return probability;
    }

    public long minLatencyNs()
    {
        return minLatencyNs;
    }

    public long maxLatencyNs()
    {
        return maxLatencyNs;
    }

    public double dropProbability()
    {
        return dropProbability;
    }

    public double duplicateProbability()
    {
        return duplicateProbability;
    }

    public double reorderProbability()
    {
        return reorderProbability;
    }

    public long reorderDelayNs()
    {
        return reorderDelayNs;
    }

    @Override
    public String toString()
    {
        return "LinkFaults{latency=" + minLatencyNs + ".." + maxLatencyNs + "ns, drop=" + dropProbability +
            ", duplicate=" + duplicateProbability + ", reorder=" + reorderProbability + " up to " + reorderDelayNs +
            "ns}";
    }
}

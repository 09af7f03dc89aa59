package io.rfs.replication.cluster;

import io.rfs.store.ConfigurationException;
import org.agrona.collections.Int2ObjectHashMap;

/**
 * The phi-accrual failure detector of Hayashibara et al. ("The phi accrual failure detector", 2004): for each peer it
 * keeps a bounded window of heartbeat inter-arrival times and turns the time since the last arrival into phi, the
 * negative decimal logarithm of the probability that a heartbeat would still be this late if the peer were alive.
 * phi 1 means a 10% chance of a false alarm, phi 8 one in a hundred million.
 * <p>
 * <b>Distribution.</b> Arrival intervals are modelled as normal, with mean and standard deviation of the window, and
 * the normal tail is computed with the logistic approximation Akka uses (no {@code erf}). It is exact to 0.001
 * within two standard deviations and overstates phi further out (7.3 for an exact 6.5 at five deviations), so a
 * threshold of 8 is reached at about 5.2 deviations rather than 5.6; the thresholds here are set against this
 * function. The exponential model (Cassandra's) was not chosen: its phi is {@code elapsed / (mean * ln 10)}, which
 * ignores the variance, so a steady link and a jittery one get the same verdict and the only tuning left is the
 * threshold. With the normal model a steady peer is declared down soon after it stops, while a peer whose
 * heartbeats have been jittery is given time in proportion to its jitter.
 * <p>
 * <b>Guards.</b> Two settings keep a loaded but live node from being declared dead: a floor on the standard
 * deviation ({@code minStdDevNs}; a perfectly steady history would otherwise make one late heartbeat fatal), and an
 * acceptable pause ({@code acceptablePauseNs}) added to the mean, which covers a GC pause or a stalled disk that the
 * history has not seen. The time to declare a stopped peer down is therefore about
 * {@code mean + acceptablePause + y * max(stdDev, minStdDev)} after its last heartbeat, where {@code y} is the
 * quantile of the threshold (about 3.1 for phi 3, 5.2 for phi 8).
 * <p>
 * <b>Allocation.</b> A peer's history is allocated once, when it is first heard of; heartbeats and phi queries
 * allocate nothing. Mean and deviation are recomputed over the window on each arrival (at most
 * {@code windowSize} additions), so there is no drift from running sums.
 * <p>
 * <b>Threads.</b> Single writer: the owning agent's thread. Time comes from the caller (the agent's injected clock).
 */
public final class PhiAccrualFailureDetector
{
    private final int windowSize;
    private final long firstIntervalNs;
    private final double minStdDevNs;
    private final long acceptablePauseNs;
    private final double suspectThreshold;
    private final double downThreshold;
    private final Int2ObjectHashMap<History> histories = new Int2ObjectHashMap<>();

    /**
     * @param windowSize        inter-arrival samples kept per peer, at least 2.
     * @param firstIntervalNs   the interval assumed before any has been measured: the heartbeat interval.
     * @param minStdDevNs       floor on the standard deviation, positive.
     * @param acceptablePauseNs added to the mean interval, not negative.
     * @param suspectThreshold  phi from which a peer is {@link MemberState#SUSPECT}, positive.
     * @param downThreshold     phi from which a peer is {@link MemberState#DOWN}, at least {@code suspectThreshold}.
     * @throws ConfigurationException naming the first argument that is wrong.
     */
    public PhiAccrualFailureDetector(
        final int windowSize,
        final long firstIntervalNs,
        final long minStdDevNs,
        final long acceptablePauseNs,
        final double suspectThreshold,
        final double downThreshold)
    {
        if (windowSize < 2)
        {
            throw new ConfigurationException("windowSize", windowSize, "must be at least 2");
        }
        if (firstIntervalNs <= 0)
        {
            throw new ConfigurationException("firstIntervalNs", firstIntervalNs, "must be positive");
        }
        if (minStdDevNs <= 0)
        {
            throw new ConfigurationException("minStdDevNs", minStdDevNs, "must be positive");
        }
        if (acceptablePauseNs < 0)
        {
            throw new ConfigurationException("acceptablePauseNs", acceptablePauseNs, "must not be negative");
        }
        if (!(suspectThreshold > 0))
        {
            throw new ConfigurationException("suspectThreshold", suspectThreshold, "must be positive");
        }
        if (!(downThreshold >= suspectThreshold))
        {
            throw new ConfigurationException("downThreshold", downThreshold,
                "must be at least suspectThreshold=" + suspectThreshold);
        }
        this.windowSize = windowSize;
        this.firstIntervalNs = firstIntervalNs;
        this.minStdDevNs = minStdDevNs;
        this.acceptablePauseNs = acceptablePauseNs;
        this.suspectThreshold = suspectThreshold;
        this.downThreshold = downThreshold;
    }

    /**
     * Records a heartbeat's arrival.
     *
     * @param peer  the sender.
     * @param nowNs arrival time on the agent's clock.
     */
    public void heartbeat(final int peer, final long nowNs)
    {
        History history = histories.get(peer);
        if (history == null)
        {
            history = new History(windowSize);
            histories.put(peer, history);
            history.add(firstIntervalNs);
            history.lastArrivalNs = nowNs;
            return;
        }
        final long intervalNs = nowNs - history.lastArrivalNs;
        if (intervalNs <= 0)
        {
            return; // a duplicate delivered in the same instant says nothing about the interval
        }
        history.add(intervalNs);
        history.lastArrivalNs = nowNs;
    }

    /**
     * @param peer  a peer.
     * @param nowNs the time to judge at.
     * @return phi, 0 if the peer has never been heard from (see {@link #state}).
     */
    public double phi(final int peer, final long nowNs)
    {
        final History history = histories.get(peer);
        if (history == null)
        {
            return 0.0;
        }
        return phi(nowNs - history.lastArrivalNs, history.meanNs + acceptablePauseNs,
            Math.max(history.stdDevNs, minStdDevNs));
    }

    /**
     * @param peer  a peer.
     * @param nowNs the time to judge at.
     * @return its state: {@link MemberState#UNKNOWN} until its first heartbeat, then by phi against the thresholds.
     */
    public MemberState state(final int peer, final long nowNs)
    {
        if (!histories.containsKey(peer))
        {
            return MemberState.UNKNOWN;
        }
        final double phi = phi(peer, nowNs);
        if (phi >= downThreshold)
        {
            return MemberState.DOWN;
        }
        return phi >= suspectThreshold ? MemberState.SUSPECT : MemberState.UP;
    }

    /**
     * @param peer a peer.
     * @return when its last heartbeat arrived, or {@link Long#MIN_VALUE} if none has.
     */
    public long lastArrivalNs(final int peer)
    {
        final History history = histories.get(peer);
        return history == null ? Long.MIN_VALUE : history.lastArrivalNs;
    }

    /**
     * @param peer a peer.
     * @return mean inter-arrival time of its window, or 0 if never heard from.
     */
    public double meanIntervalNs(final int peer)
    {
        final History history = histories.get(peer);
        return history == null ? 0.0 : history.meanNs;
    }

    /**
     * Forgets a peer (it left the cluster); it is {@link MemberState#UNKNOWN} until heard from again.
     *
     * @param peer the peer.
     */
    public void remove(final int peer)
    {
        histories.remove(peer);
    }

    /**
     * phi for a normal distribution of intervals, with the logistic approximation of its tail.
     *
     * @param elapsedNs time since the last arrival.
     * @param meanNs    expected interval, acceptable pause included.
     * @param stdDevNs  standard deviation, floor applied.
     * @return phi, not negative.
     */
    static double phi(final long elapsedNs, final double meanNs, final double stdDevNs)
    {
        final double y = (elapsedNs - meanNs) / stdDevNs;
        final double e = Math.exp(-y * (1.5976 + 0.070566 * y * y));
        final double phi = elapsedNs > meanNs ? -Math.log10(e / (1.0 + e)) : -Math.log10(1.0 - 1.0 / (1.0 + e));
        return phi > 0.0 ? phi : 0.0;
    }

    private static final class History
    {
        private final long[] intervals;
        private int count;
        private int next;
        private long lastArrivalNs;
        private double meanNs;
        private double stdDevNs;

        private History(final int windowSize)
        {
            intervals = new long[windowSize];
        }

        private void add(final long intervalNs)
        {
            intervals[next] = intervalNs;
            next = next + 1 == intervals.length ? 0 : next + 1;
            if (count < intervals.length)
            {
                count++;
            }
            double sum = 0;
            for (int i = 0; i < count; i++)
            {
                sum += intervals[i];
            }
            final double mean = sum / count;
            double squares = 0;
            for (int i = 0; i < count; i++)
            {
                final double d = intervals[i] - mean;
                squares += d * d;
            }
            meanNs = mean;
            stdDevNs = Math.sqrt(squares / count);
        }
    }
}

package io.rfs.replication.client;

import org.agrona.collections.Int2ObjectHashMap;

/**
 * A passive health tracker: the client's own requests tell it which nodes answer. After
 * {@link #failureThreshold()} consecutive failures (timeouts, errors) a node is ejected for {@link #ejectNs()} on
 * the injected clock, so reads stop picking it; once that passes it is tried again, and a single success clears it.
 * A failure detector (heartbeats, phi accrual) can feed it too through {@link #markDown(int, long)}.
 * <p>
 * This is the outlier ejection of a load balancer, not a membership decision: an ejected node is still a replica,
 * still written to, and still read from when no healthier replica is left.
 * <p>
 * <b>Threads.</b> Single writer: the client agent's thread.
 */
public final class NodeHealth
{
    /** Default consecutive failures that eject a node. */
    public static final int FAILURE_THRESHOLD_DEFAULT = 3;
    /** Default time an ejected node is skipped. */
    public static final long EJECT_NS_DEFAULT = 5_000_000_000L;

    private final int failureThreshold;
    private final long ejectNs;
    private final Int2ObjectHashMap<State> states = new Int2ObjectHashMap<>();

    private static final class State
    {
        int consecutiveFailures;
        boolean down;
        long downUntilNs;
    }

    /**
     * @param failureThreshold consecutive failures that eject a node, at least 1.
     * @param ejectNs          how long an ejected node is skipped, positive.
     */
    public NodeHealth(final int failureThreshold, final long ejectNs)
    {
        if (failureThreshold < 1)
        {
            throw new IllegalArgumentException("failureThreshold=" + failureThreshold + " must be at least 1");
        }
        if (ejectNs <= 0)
        {
            throw new IllegalArgumentException("ejectNs=" + ejectNs + " must be positive");
        }
        this.failureThreshold = failureThreshold;
        this.ejectNs = ejectNs;
    }

    /**
     * @return consecutive failures that eject a node.
     */
    public int failureThreshold()
    {
        return failureThreshold;
    }

    /**
     * @return how long an ejected node is skipped.
     */
    public long ejectNs()
    {
        return ejectNs;
    }

    /**
     * A request to the node succeeded: it is healthy.
     *
     * @param nodeId the node.
     */
    public void onSuccess(final int nodeId)
    {
        final State state = states.get(nodeId);
        if (state != null)
        {
            state.consecutiveFailures = 0;
            state.down = false;
        }
    }

    /**
     * A request to the node failed or timed out.
     *
     * @param nodeId the node.
     * @param nowNs  the injected clock's time.
     */
    public void onFailure(final int nodeId, final long nowNs)
    {
        final State state = states.computeIfAbsent(nodeId, id -> new State());
        state.consecutiveFailures++;
        if (state.consecutiveFailures >= failureThreshold)
        {
            state.down = true;
            state.downUntilNs = nowNs + ejectNs;
        }
    }

    /**
     * Marks a node down until a time, as a failure detector decides.
     *
     * @param nodeId    the node.
     * @param untilNs   when it may be tried again, on the injected clock.
     */
    public void markDown(final int nodeId, final long untilNs)
    {
        final State state = states.computeIfAbsent(nodeId, id -> new State());
        state.down = true;
        state.downUntilNs = untilNs;
    }

    /**
     * @param nodeId the node.
     * @param nowNs  the injected clock's time.
     * @return false while the node is ejected.
     */
    public boolean isUp(final int nodeId, final long nowNs)
    {
        final State state = states.get(nodeId);
        return state == null || !state.down || nowNs - state.downUntilNs >= 0;
    }
}

package io.rfs.replication.transport;

import org.agrona.concurrent.IdleStrategy;

/**
 * An {@link IdleStrategy} that spins a little, then blocks on a {@link Waiter} (a selector, a park) until there is
 * work, a wake-up or a timeout, instead of Agrona's back-off through yields and ever longer parks.
 * <p>
 * <b>Why.</b> A back-off that ends in 1 ms parks costs a thread switch per yield and per park, each time the agent
 * goes idle, which on a data transfer is after every read: nodes spent about a third of their CPU on it in a 1 GiB
 * get, and an idle three-node cluster 0.2 CPU-seconds per second. Waiting on readiness wakes exactly when there is
 * something to do, once, and sooner than the back-off's last park would have.
 * <p>
 * <b>The timeout</b> bounds how late a duty cycle that only the clock triggers can run (heartbeats, request
 * time-outs, keepalives, repair pacing): those run at most {@code maxWaitNs} late.
 */
public final class WaitingIdleStrategy implements IdleStrategy
{
    private final Waiter waiter;
    private final int maxSpins;
    private final long maxWaitNs;
    private int spins;

    /**
     * @param waiter    what to block on once spun out.
     * @param maxSpins  idle duty cycles spun through (with {@link Thread#onSpinWait()}) before waiting, to catch work
     *                  that follows at once without a system call.
     * @param maxWaitNs the longest wait.
     */
    public WaitingIdleStrategy(final Waiter waiter, final int maxSpins, final long maxWaitNs)
    {
        if (maxSpins < 0 || maxWaitNs <= 0)
        {
            throw new IllegalArgumentException("maxSpins=" + maxSpins + " maxWaitNs=" + maxWaitNs);
        }
        this.waiter = waiter;
        this.maxSpins = maxSpins;
        this.maxWaitNs = maxWaitNs;
    }

    @Override
    public void idle(final int workCount)
    {
        if (workCount > 0)
        {
            reset();
        }
        else
        {
            idle();
        }
    }

    @Override
    public void idle()
    {
        if (spins < maxSpins)
        {
            spins++;
            Thread.onSpinWait();
        }
        else
        {
            waiter.await(maxWaitNs);
        }
    }

    @Override
    public void reset()
    {
        spins = 0;
    }

    @Override
    public String alias()
    {
        return "waiting";
    }
}

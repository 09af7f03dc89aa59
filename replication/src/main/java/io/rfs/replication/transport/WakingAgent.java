package io.rfs.replication.transport;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.ringbuffer.RingBuffer;

/**
 * Runs an agent and, after any duty cycle in which it queued something on the ring another thread consumes, wakes
 * that thread's {@link Waiter}: one wake per duty cycle, not per message, and none while nothing was queued. This is
 * what lets the consumer block in a {@link WaitingIdleStrategy} without adding latency.
 */
public final class WakingAgent implements Agent
{
    private final Agent agent;
    private final RingBuffer ring;
    private final Waiter consumer;

    /**
     * @param agent    the agent to run.
     * @param ring     a ring it produces into.
     * @param consumer the waiter of the thread that consumes the ring.
     */
    public WakingAgent(final Agent agent, final RingBuffer ring, final Waiter consumer)
    {
        this.agent = agent;
        this.ring = ring;
        this.consumer = consumer;
    }

    @Override
    public void onStart()
    {
        agent.onStart();
    }

    @Override
    public int doWork() throws Exception
    {
        final long before = ring.producerPosition();
        final int work = agent.doWork();
        if (ring.producerPosition() != before)
        {
            consumer.wake();
        }
        return work;
    }

    @Override
    public void onClose()
    {
        agent.onClose();
    }

    @Override
    public String roleName()
    {
        return agent.roleName();
    }
}

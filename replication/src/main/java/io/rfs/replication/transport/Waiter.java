package io.rfs.replication.transport;

/**
 * What an idle agent thread blocks on instead of polling in a loop: its transport's I/O readiness, or a plain park;
 * either ends early when another thread calls {@link #wake()}. {@link WaitingIdleStrategy} uses one; a
 * {@link WakingAgent} wakes the thread that consumes what its agent queued.
 * <p>
 * A wake that comes while the owner is not waiting is kept, not lost: the owner's next {@link #await} returns at
 * once. So a producer may queue, then wake, without knowing whether the consumer is asleep.
 */
public interface Waiter
{
    /**
     * Blocks until there is I/O to do, {@link #wake()} is called (or was, since the last wait), or {@code timeoutNs}
     * passes; it may also return early for no reason. The owning thread only.
     *
     * @param timeoutNs the longest wait.
     */
    void await(long timeoutNs);

    /**
     * Ends the owner's current wait, or the next one if it is not waiting. Any thread.
     */
    void wake();
}

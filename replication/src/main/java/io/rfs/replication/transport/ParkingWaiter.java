package io.rfs.replication.transport;

import java.util.concurrent.locks.LockSupport;

/**
 * A {@link Waiter} that parks the owning thread: for an agent fed by in-memory queues, which have no readiness to
 * wait on. The owner is the thread of the first {@link #await}; a {@link #wake()} before that is lost, which costs at
 * most one wait's timeout.
 */
public final class ParkingWaiter implements Waiter
{
    private volatile Thread owner;

    @Override
    public void await(final long timeoutNs)
    {
        if (owner == null)
        {
            owner = Thread.currentThread();
        }
        LockSupport.parkNanos(this, timeoutNs);
    }

    /**
     * Unparks the owner. Cheap when it is not parked: HotSpot then only sets its permit, without a system call.
     */
    @Override
    public void wake()
    {
        final Thread thread = owner;
        if (thread != null)
        {
            LockSupport.unpark(thread);
        }
    }
}

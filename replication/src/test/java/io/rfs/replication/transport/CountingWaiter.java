package io.rfs.replication.transport;

/**
 * A {@link Waiter} that only counts its calls.
 */
final class CountingWaiter implements Waiter
{
    int waits;
    int wakes;

    @Override
    public void await(final long timeoutNs)
    {
        waits++;
    }

    @Override
    public void wake()
    {
        wakes++;
    }
}

package io.rfs.replication.transport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(60)
class ParkingWaiterTest
{
    private static final long FOREVER_NS = TimeUnit.HOURS.toNanos(1);

    private final ParkingWaiter waiter = new ParkingWaiter();

    @Test
    void shouldKeepAWakeThatCameBeforeTheWait()
    {
        waiter.await(1);
        waiter.wake();
        waiter.await(FOREVER_NS);
    }

    @Test
    void shouldEndAWaitWhenWokenFromAnotherThread() throws InterruptedException
    {
        final CountDownLatch bound = new CountDownLatch(1);
        final CountDownLatch done = new CountDownLatch(1);
        final Thread owner = new Thread(() ->
        {
            waiter.await(1);
            bound.countDown();
            waiter.await(FOREVER_NS);
            done.countDown();
        });
        owner.setDaemon(true);
        owner.start();
        bound.await();
        waiter.wake();
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
    }
}

package io.rfs.replication.transport;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WaitingIdleStrategyTest
{
    private final CountingWaiter waiter = new CountingWaiter();
    private final WaitingIdleStrategy idle = new WaitingIdleStrategy(waiter, 3, 1_000_000);

    @Test
    void shouldSpinBeforeWaitingWhenIdle()
    {
        idle.idle(0);
        idle.idle(0);
        idle.idle(0);
        assertThat(waiter.waits).isZero();

        idle.idle(0);
        idle.idle(0);
        assertThat(waiter.waits).isEqualTo(2);
    }

    @Test
    void shouldSpinAgainWhenWorkWasDone()
    {
        for (int i = 0; i < 5; i++)
        {
            idle.idle(0);
        }
        idle.idle(1);
        idle.idle(0);
        idle.idle(0);
        idle.idle(0);
        assertThat(waiter.waits).isEqualTo(2);
    }

    @Test
    void shouldRefuseANonPositiveWait()
    {
        assertThatThrownBy(() -> new WaitingIdleStrategy(waiter, 3, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}

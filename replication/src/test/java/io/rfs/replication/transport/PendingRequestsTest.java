package io.rfs.replication.transport;

import io.rfs.store.ConfigurationException;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PendingRequestsTest
{
    /** Run with {@code -Drfs.test.seed=N} to replay a failure; every message names the seed it used. */
    private static final long SEED = Long.getLong("rfs.test.seed", ThreadLocalRandom.current().nextLong());
    private static final int PEER = 7;
    private static final UnsafeBuffer BODY = new UnsafeBuffer(new byte[16]);

    private final CachedNanoClock clock = new CachedNanoClock();
    private final RecordingListener listener = new RecordingListener();

    private PendingRequests pending(final int capacity)
    {
        return new PendingRequests(new PendingRequests.Context().capacity(capacity).nanoClock(clock));
    }

    @Test
    void shouldCompleteARequestWithItsResponseOnce()
    {
        final PendingRequests pending = pending(4);
        final long id = pending.register(PEER, listener, 1_000);

        assertThat(id).isPositive();
        assertThat(pending.onResponse(id, PEER, 33, BODY, 0, 16)).isTrue();
        assertThat(pending.onResponse(id, PEER, 33, BODY, 0, 16)).isFalse();
        clock.advance(5_000);
        assertThat(pending.expire(clock.nanoTime())).isZero();

        assertThat(listener.events).containsExactly("response " + id + " from 7 type 33");
        assertThat(pending.size()).isZero();
        assertThat(pending.unmatchedResponses()).isEqualTo(1);
    }

    @Test
    void shouldTimeOutAtTheDeadlineAndNotBefore()
    {
        final PendingRequests pending = pending(4);
        clock.update(1_000_000);
        final long id = pending.register(PEER, listener, 500);

        clock.advance(499);
        assertThat(pending.expire(clock.nanoTime())).isZero();
        assertThat(pending.nextDeadlineNs()).isEqualTo(1_000_500);
        clock.advance(1);
        assertThat(pending.expire(clock.nanoTime())).isEqualTo(1);

        assertThat(listener.events).containsExactly("timeout " + id);
        assertThat(pending.onResponse(id, PEER, 33, BODY, 0, 0)).isFalse();
        assertThat(listener.events).hasSize(1);
        assertThat(pending.timeouts()).isEqualTo(1);
        assertThat(pending.nextDeadlineNs()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void shouldExpireInDeadlineOrder()
    {
        final PendingRequests pending = pending(8);
        final long late = pending.register(PEER, listener, 300);
        final long early = pending.register(PEER, listener, 100);
        final long middle = pending.register(PEER, listener, 200);

        clock.advance(1_000);
        pending.expire(clock.nanoTime());

        assertThat(listener.events).containsExactly("timeout " + early, "timeout " + middle, "timeout " + late);
    }

    @Test
    void shouldRefuseBeyondCapacityAndAcceptOnceASlotFrees()
    {
        final PendingRequests pending = pending(2);
        final long first = pending.register(PEER, listener, 100);
        pending.register(PEER, listener, 100);

        assertThat(pending.register(PEER, listener, 100)).isEqualTo(PendingRequests.REFUSED);
        assertThat(pending.refusals()).isEqualTo(1);

        pending.onResponse(first, PEER, 1, BODY, 0, 0);
        final long third = pending.register(PEER, listener, 100);
        assertThat(third).isPositive().isNotEqualTo(first);
        assertThat(pending.isPending(first)).isFalse();
        assertThat(pending.isPending(third)).isTrue();
    }

    @Test
    void shouldDropAResponseFromAnotherNode()
    {
        final PendingRequests pending = pending(2);
        final long id = pending.register(PEER, listener, 100);

        assertThat(pending.onResponse(id, PEER + 1, 33, BODY, 0, 0)).isFalse();

        assertThat(pending.isPending(id)).isTrue();
        assertThat(listener.events).isEmpty();
    }

    @Test
    void shouldNotMistakeAStaleIdForTheRequestThatReusedItsSlot()
    {
        final PendingRequests pending = pending(1);
        final long old = pending.register(PEER, listener, 100);
        clock.advance(100);
        pending.expire(clock.nanoTime());
        final long reused = pending.register(PEER, listener, 100);

        assertThat(pending.onResponse(old, PEER, 1, BODY, 0, 0)).isFalse();
        assertThat(pending.onResponse(reused, PEER, 1, BODY, 0, 0)).isTrue();
        assertThat(pending.onResponse(0, PEER, 1, BODY, 0, 0)).isFalse();
        assertThat(pending.onResponse(-5, PEER, 1, BODY, 0, 0)).isFalse();
    }

    @Test
    void shouldCancelWithoutACallback()
    {
        final PendingRequests pending = pending(2);
        final long id = pending.register(PEER, listener, 100);

        assertThat(pending.cancel(id)).isTrue();
        assertThat(pending.cancel(id)).isFalse();
        clock.advance(1_000);
        pending.expire(clock.nanoTime());

        assertThat(listener.events).isEmpty();
    }

    @Test
    void shouldLetAListenerRetryFromItsTimeout()
    {
        final PendingRequests pending = pending(1);
        final List<Long> ids = new ArrayList<>();
        final ResponseListener retrying = new ResponseListener()
        {
            public void onResponse(final long id, final int src, final int type, final DirectBuffer b, final int o,
                final int l)
            {
            }

            public void onTimeout(final long id)
            {
                if (ids.size() < 3)
                {
                    ids.add(pending.register(PEER, this, 100));
                }
            }
        };
        ids.add(pending.register(PEER, retrying, 100));

        for (int i = 0; i < 5; i++)
        {
            clock.advance(100);
            pending.expire(clock.nanoTime());
        }

        assertThat(ids).hasSize(3).doesNotContain(PendingRequests.REFUSED);
        assertThat(pending.timeouts()).isEqualTo(3);
    }

    @Test
    void shouldRefuseABadContext()
    {
        assertThatThrownBy(() -> pending(0)).isInstanceOf(ConfigurationException.class)
            .hasMessage("capacity=0: must be 1..1048576");
        assertThatThrownBy(() -> pending(2).register(PEER, listener, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldEndEveryRequestExactlyOnceUnderRandomTraffic()
    {
        final SplittableRandom random = new SplittableRandom(SEED);
        final int capacity = 1 + random.nextInt(64);
        final PendingRequests pending = pending(capacity);
        final Long2LongHashMap deadlineById = new Long2LongHashMap(-1);
        final Map<Long, Integer> endings = new HashMap<>();
        final ResponseListener counting = new ResponseListener()
        {
            public void onResponse(final long id, final int src, final int type, final DirectBuffer b, final int o,
                final int l)
            {
                endings.merge(id, 1, Integer::sum);
                assertThat(clock.nanoTime()).as("seed=" + SEED).isLessThan(deadlineById.get(id));
            }

            public void onTimeout(final long id)
            {
                endings.merge(id, 1, Integer::sum);
                assertThat(clock.nanoTime()).as("seed=" + SEED).isGreaterThanOrEqualTo(deadlineById.get(id));
            }
        };
        final List<Long> issued = new ArrayList<>();
        for (int step = 0; step < 20_000; step++)
        {
            switch (random.nextInt(4))
            {
                case 0:
                {
                    final long timeout = 1 + random.nextInt(1_000);
                    final long id = pending.register(PEER, counting, timeout);
                    if (id == PendingRequests.REFUSED)
                    {
                        assertThat(pending.size()).as("seed=" + SEED).isEqualTo(capacity);
                    }
                    else
                    {
                        assertThat(endings).as("seed=" + SEED).doesNotContainKey(id);
                        deadlineById.put(id, clock.nanoTime() + timeout);
                        issued.add(id);
                    }
                    break;
                }
                case 1:
                    if (!issued.isEmpty())
                    {
                        final long id = issued.get(random.nextInt(issued.size()));
                        final boolean wasPending = pending.isPending(id);
                        assertThat(pending.onResponse(id, PEER, 1, BODY, 0, 0)).as("seed=" + SEED)
                            .isEqualTo(wasPending);
                    }
                    break;
                case 2:
                    clock.advance(random.nextInt(200));
                    pending.expire(clock.nanoTime());
                    break;
                default:
                    pending.expire(clock.nanoTime());
                    break;
            }
        }
        clock.advance(10_000);
        pending.expire(clock.nanoTime());

        assertThat(pending.size()).as("seed=" + SEED).isZero();
        assertThat(endings.keySet()).as("seed=" + SEED).containsExactlyInAnyOrderElementsOf(issued);
        assertThat(endings.values()).as("seed=" + SEED).containsOnly(1);
    }

    @Test
    void shouldNotAllocateInSteadyState()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final PendingRequests pending = pending(1024);
        final ResponseListener quiet = new ResponseListener()
        {
            public void onResponse(final long id, final int src, final int type, final DirectBuffer b, final int o,
                final int l)
            {
            }

            public void onTimeout(final long id)
            {
            }
        };
        final long[] ids = new long[512];
        int allocatingRounds = 0;
        for (int round = 0; round < 300; round++)
        {
            final long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < ids.length; i++)
            {
                ids[i] = pending.register(PEER, quiet, 1_000 + i);
            }
            for (int i = 0; i < ids.length; i += 2)
            {
                pending.onResponse(ids[i], PEER, 1, BODY, 0, 0);
            }
            clock.advance(10_000);
            pending.expire(clock.nanoTime());
            final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            if (round > 200 && allocated != 0)
            {
                allocatingRounds++;
            }
        }
        // Allocation-free code allocates nothing in nearly every round; a JIT recompilation may cost one round.
        assertThat(allocatingRounds).as("of 99 steady-state rounds, rounds that allocated").isLessThanOrEqualTo(3);
    }

    private static final class RecordingListener implements ResponseListener
    {
        final List<String> events = new ArrayList<>();

        @Override
        public void onResponse(
            final long correlationId, final int sourceNodeId, final int messageType, final DirectBuffer buffer,
            final int offset, final int length)
        {
            events.add("response " + correlationId + " from " + sourceNodeId + " type " + messageType);
        }

        @Override
        public void onTimeout(final long correlationId)
        {
            events.add("timeout " + correlationId);
        }
    }
}

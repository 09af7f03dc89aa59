package io.rfs.replication.ring;

import org.agrona.collections.IntHashSet;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntPredicate;

import static org.assertj.core.api.Assertions.assertThat;

class PreferenceListTest
{
    private static final long SEED = Long.getLong("rfs.test.seed", ThreadLocalRandom.current().nextLong());

    private final PreferenceList preferences = new PreferenceList();

    @Test
    void shouldStartWithTheReplicasAndListEveryNodeOnce()
    {
        final SplittableRandom random = new SplittableRandom(SEED);
        for (final int zones : new int[]{0, 2, 3, 5})
        {
            final Ring ring = Rings.equalNodes(4 + random.nextInt(9), 32, 3, zones);
            final int[] all = new int[ring.nodeCount()];
            final int[] replicas = new int[ring.replicaCount()];
            for (int i = 0; i < 500; i++)
            {
                final long position = random.nextLong();
                final String as = "seed=" + SEED + " zones=" + zones + " position=" + position;

                assertThat(preferences.all(ring, position, all)).as(as).isEqualTo(ring.nodeCount());
                ring.replicas(position, replicas);

                assertThat(Arrays.copyOf(all, replicas.length)).as(as).isEqualTo(replicas);
                assertThat(Arrays.stream(all).distinct().count()).as(as).isEqualTo(ring.nodeCount());
            }
        }
    }

    @Test
    void shouldListFallbacksAfterTheReplicasLeavingOutSkippedNodes()
    {
        final Ring ring = Rings.equalNodes(8, 32, 3, 0);
        final long position = 0x1234_5678_9ABC_DEF0L;
        final int[] all = new int[8];
        preferences.all(ring, position, all);
        final int down = all[4];
        final int[] fallbacks = new int[8];

        final int n = preferences.fallbacks(ring, position, id -> id == down, fallbacks);

        assertThat(Arrays.copyOf(fallbacks, n)).containsExactly(all[3], all[5], all[6], all[7]);
        assertThat(preferences.fallbacks(ring, position, id -> false, new int[2])).isEqualTo(2);
    }

    @Test
    void shouldHaveNoFallbacksWhenEveryNodeIsAReplica()
    {
        final Ring ring = Rings.equalNodes(3, 32, 3, 0);

        assertThat(preferences.fallbacks(ring, 42, id -> false, new int[4])).isZero();
        assertThat(preferences.substitutes(ring, 42, id -> true, new int[3], new int[3])).isZero();
        assertThat(preferences.all(Ring.empty(), 42, new int[1])).isZero();
    }

    @Test
    void shouldStandInForADownReplicaWithANodeOfItsZone()
    {
        final SplittableRandom random = new SplittableRandom(SEED);
        final Ring ring = Rings.equalNodes(9, 32, 3, 3);
        final int[] replicas = new int[3];
        final int[] fallbacks = new int[3];
        final int[] hintedFor = new int[3];
        for (int i = 0; i < 200; i++)
        {
            final long position = random.nextLong();
            ring.replicas(position, replicas);
            final int down = replicas[random.nextInt(3)];

            final int n = preferences.substitutes(ring, position, id -> id == down, fallbacks, hintedFor);

            final String as = "seed=" + SEED + " position=" + position;
            assertThat(n).as(as).isEqualTo(1);
            assertThat(hintedFor[0]).as(as).isEqualTo(down);
            assertThat(ring.node(fallbacks[0]).zone()).as(as).isEqualTo(ring.node(down).zone());
            assertThat(replicas).as(as).doesNotContain(fallbacks[0]);
        }
    }

    @Test
    void shouldChooseDistinctLiveStandInsAndStopWhenNoneIsLeft()
    {
        final Ring ring = Rings.equalNodes(5, 32, 3, 0);
        final long position = -7L;
        final int[] all = new int[5];
        preferences.all(ring, position, all);
        final IntHashSet down = new IntHashSet();
        down.add(all[0]);
        down.add(all[1]);
        down.add(all[2]);
        down.add(all[3]);
        final IntPredicate isDown = down::contains;
        final int[] fallbacks = new int[3];
        final int[] hintedFor = new int[3];

        final int n = preferences.substitutes(ring, position, isDown, fallbacks, hintedFor);

        assertThat(n).isEqualTo(1);
        assertThat(fallbacks[0]).isEqualTo(all[4]);
        assertThat(hintedFor[0]).isEqualTo(all[0]);

        down.remove(all[3]);
        assertThat(preferences.substitutes(ring, position, isDown, fallbacks, hintedFor)).isEqualTo(2);
        assertThat(Arrays.copyOf(fallbacks, 2)).containsExactly(all[3], all[4]);
        assertThat(Arrays.copyOf(hintedFor, 2)).containsExactly(all[0], all[1]);
    }

    @Test
    void shouldNotAllocateOnceWarm()
    {
        final Ring ring = Rings.equalNodes(12, 64, 3, 3);
        final int[] fallbacks = new int[4];
        final int[] hintedFor = new int[4];
        final IntPredicate isDown = id -> id % 4 == 0;
        final long[] positions = new SplittableRandom(3).longs(1024).toArray();
        long sum = lookUp(ring, positions, isDown, fallbacks, hintedFor);
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long thread = Thread.currentThread().getId();
        final long before = threads.getThreadAllocatedBytes(thread);
        for (int round = 0; round < 20; round++)
        {
            sum += lookUp(ring, positions, isDown, fallbacks, hintedFor);
        }
        final long allocated = threads.getThreadAllocatedBytes(thread) - before;

        assertThat(allocated).as("bytes allocated by 20480 walks (sum %d)", sum).isZero();
    }

    private long lookUp(
        final Ring ring, final long[] positions, final IntPredicate isDown, final int[] fallbacks,
        final int[] hintedFor)
    {
        long sum = 0;
        for (final long position : positions)
        {
            sum += preferences.fallbacks(ring, position, isDown, fallbacks) + fallbacks[0];
            sum += preferences.substitutes(ring, position + 1, isDown, fallbacks, hintedFor) + hintedFor[0];
        }
        return sum;
    }
}

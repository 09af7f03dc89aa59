package io.rfs.replication.ring;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Properties that must hold for every membership and every change sequence, checked over random ones. Run with
 * {@code -Drfs.test.seed=N} to replay a failure; every message names the seed.
 */
class RingPropertyTest
{
    private static final long SEED = Long.getLong("rfs.test.seed", ThreadLocalRandom.current().nextLong());

    @Test
    void shouldKeepEveryInvariantThroughRandomChangeSequences() throws Exception
    {
        final SplittableRandom random = new SplittableRandom(SEED);
        for (int iteration = 0; iteration < 12; iteration++)
        {
            final int replicationFactor = 1 + random.nextInt(4);
            final int vnodes = 4 << random.nextInt(3);
            final int zones = random.nextInt(6);
            final int[] nextId = { 1 };
            Ring ring = Ring.empty(replicationFactor, vnodes);
            for (int step = 0; step < 14; step++)
            {
                final Ring before = ring;
                ring = Rings.randomChange(before, random, zones, nextId);
                final String context = context(iteration, step) + " N=" + replicationFactor + " vnodes=" + vnodes +
                    " zones=" + zones + " " + ring;

                checkReplicas(ring, random, context);
                checkMovementOnlyInvolvesTheChangedNode(before, ring, context);
                checkDiffIsExact(before, ring, random, context);
                assertThat(RingCodec.decode(RingCodec.encode(ring))).as(context).isEqualTo(ring);
            }
        }
    }

    @Test
    void shouldBuildIdenticalRingsFromTheSameHistory()
    {
        final SplittableRandom random = new SplittableRandom(SEED);
        for (int iteration = 0; iteration < 6; iteration++)
        {
            final long historySeed = random.nextLong();
            final int zones = random.nextInt(5);
            final Ring a = replay(historySeed, zones, 16);
            final Ring b = replay(historySeed, zones, 16);

            assertThat(b).as(context(iteration, 0)).isEqualTo(a);
            assertThat(RingCodec.encode(b)).as(context(iteration, 0)).isEqualTo(RingCodec.encode(a));
        }
    }

    @Test
    void shouldMoveAtMostATenthMoreThanTheIdealWhenAddingOrRemovingANode()
    {
        final SplittableRandom random = new SplittableRandom(SEED);
        for (int iteration = 0; iteration < 4; iteration++)
        {
            final int count = 5 + random.nextInt(16);
            final Ring ring = Rings.equalNodes(count, 256, 3, 0);
            final Ring added = ring.withNode(Rings.node(count + 1));
            final Ring removed = ring.withoutNode(1 + random.nextInt(count));
            final String context = context(iteration, 0) + " nodes=" + count;

            final RingPlanReport add = RingPlanner.report(ring, added);
            final RingPlanReport remove = RingPlanner.report(ring, removed);

            assertThat(add.change().idealFraction()).as(context).isCloseTo(1.0 / (count + 1), within(1e-9));
            assertThat(add.change().movedOverIdeal()).as(context).isLessThanOrEqualTo(1.1);
            assertThat(remove.change().idealFraction()).as(context).isCloseTo(1.0 / count, within(1e-9));
            assertThat(remove.change().movedOverIdeal()).as(context).isLessThanOrEqualTo(1.1);
            assertThat(add.change().otherMoves()).as(context).isZero();
            assertThat(remove.change().otherMoves()).as(context).isZero();
        }
    }

    private static Ring replay(final long seed, final int zones, final int vnodes)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final int[] nextId = { 1 };
        Ring ring = Ring.empty(3, vnodes);
        for (int step = 0; step < 16; step++)
        {
            ring = Rings.randomChange(ring, random, zones, nextId);
        }
        return ring;
    }

    private static void checkReplicas(final Ring ring, final SplittableRandom random, final String context)
    {
        final int[] replicas = new int[ring.replicationFactor()];
        final boolean zoneRule = ring.zoneCount() >= ring.replicationFactor();
        for (int sample = 0; sample < 64 && ring.tokenCount() > 0; sample++)
        {
            final int index = random.nextInt(ring.tokenCount());
            final int n = ring.replicasAt(index, replicas);
            final int[] set = Arrays.copyOf(replicas, n);
            assertThat(n).as(context).isEqualTo(Math.min(ring.replicationFactor(), ring.nodeCount()));
            assertThat(set).as(context).doesNotHaveDuplicates().containsExactly(Rings.referenceReplicas(ring, index));
            assertThat(set[0]).as(context).isEqualTo(ring.tokenOwner(index));
            if (zoneRule)
            {
                final Set<String> zones = new HashSet<>();
                for (final int id : set)
                {
                    zones.add(ring.node(id).zone());
                }
                assertThat(zones).as(context + " token " + index).hasSize(n);
            }
        }
    }

    /**
     * Only the changed node's tokens change, so every replica that joins or leaves a range is that node, except the
     * one that takes its place when it leaves (or that it displaces when it joins).
     */
    private static void checkMovementOnlyInvolvesTheChangedNode(
        final Ring before, final Ring after, final String context)
    {
        final Set<Integer> changed = new HashSet<>();
        for (final RingNode node : after.nodes())
        {
            if (!before.contains(node.id()) || before.node(node.id()).weight() != node.weight())
            {
                changed.add(node.id());
            }
        }
        for (final RingNode node : before.nodes())
        {
            if (!after.contains(node.id()))
            {
                changed.add(node.id());
            }
        }
        for (final RangeMove move : RingDiff.between(before, after).moves())
        {
            final int[] joined = move.joined();
            final int[] left = move.left();
            assertThat(joined.length + left.length).as(context + " " + move).isPositive();
            final boolean involvesChanged = Arrays.stream(joined).anyMatch(changed::contains) ||
                Arrays.stream(left).anyMatch(changed::contains);
            assertThat(involvesChanged).as(context + " " + move).isTrue();
            assertThat(joined.length).as(context + " " + move).isLessThanOrEqualTo(1);
            assertThat(left.length).as(context + " " + move).isLessThanOrEqualTo(1);
        }
    }

    private static void checkDiffIsExact(
        final Ring before, final Ring after, final SplittableRandom random, final String context)
    {
        final RingDiff diff = RingDiff.between(before, after);
        final int[] a = new int[Ring.MAX_REPLICATION_FACTOR];
        final int[] b = new int[Ring.MAX_REPLICATION_FACTOR];
        for (int sample = 0; sample < 200; sample++)
        {
            final long position = sample < 100 || after.tokenCount() == 0 ? random.nextLong() :
                after.token(random.nextInt(after.tokenCount())) + random.nextInt(3) - 1;
            final int[] old = Rings.sorted(Arrays.copyOf(a, before.replicas(position, a)));
            final int[] now = Rings.sorted(Arrays.copyOf(b, after.replicas(position, b)));
            final RangeMove move = diff.moves().stream().filter(m -> m.contains(position)).findFirst().orElse(null);
            if (Arrays.equals(old, now))
            {
                assertThat(move).as(context + " position " + RangeMove.hex(position)).isNull();
            }
            else
            {
                assertThat(move).as(context + " position " + RangeMove.hex(position)).isNotNull();
                assertThat(Rings.sorted(move.from())).as(context).containsExactly(old);
                assertThat(Rings.sorted(move.to())).as(context).containsExactly(now);
            }
        }
        for (int i = 1; i < diff.moves().size(); i++)
        {
            final RangeMove previous = diff.moves().get(i - 1);
            final RangeMove current = diff.moves().get(i);
            final boolean sameSets = Arrays.equals(previous.from(), current.from()) &&
                Arrays.equals(previous.to(), current.to());
            assertThat(sameSets && previous.end() == current.start()).as(context + " unmerged neighbours").isFalse();
        }
    }

    private static String context(final int iteration, final int step)
    {
        return "seed=" + SEED + " (replay with -Drfs.test.seed=" + SEED + ") iteration=" + iteration + " step=" + step;
    }
}

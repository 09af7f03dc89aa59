package io.rfs.replication.ring;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The allocator keeps replica sets, token ownership and node loads up to date incrementally as tokens come and go;
 * these tests hold that state to a recomputation from scratch, over random insertions and deletions and every zone
 * regime (one zone, fewer zones than N, at least N zones), including nodes that gain their first token or lose their
 * last.
 */
class WorkingRingTest
{
    private static final long SEED = Long.getLong("rfs.test.seed", ThreadLocalRandom.current().nextLong());

    @Test
    void shouldMatchARecomputationAfterRandomInsertionsAndDeletions()
    {
        final SplittableRandom random = new SplittableRandom(SEED);
        for (int iteration = 0; iteration < 30; iteration++)
        {
            final int replicationFactor = 1 + random.nextInt(4);
            final int nodeCount = 2 + random.nextInt(8);
            final int zoneCount = 1 + random.nextInt(5);
            final int[] zoneOfNode = new int[nodeCount];
            for (int i = 0; i < nodeCount; i++)
            {
                zoneOfNode[i] = random.nextInt(zoneCount);
            }
            final int initial = 1 + random.nextInt(20);
            final long[] tokens = new long[initial];
            final int[] owners = new int[initial];
            for (int i = 0; i < initial; i++)
            {
                tokens[i] = random.nextLong();
                owners[i] = random.nextInt(Math.max(1, nodeCount / 2));
            }
            sortUnsigned(tokens);
            final WorkingRing ring = new WorkingRing(replicationFactor, zoneOfNode, zoneCount, tokens, owners,
                distinct(tokens));
            for (int step = 0; step < 60; step++)
            {
                final String context = "seed=" + SEED + " (replay with -Drfs.test.seed=" + SEED + ") iteration=" +
                    iteration + " step=" + step + " N=" + replicationFactor + " zones=" + zoneCount;
                final int index = random.nextInt(ring.count);
                if (ring.count > 1 && random.nextInt(3) == 0 && ring.tokensOfNode[ring.owners[index]] > 0)
                {
                    ring.delete(index);
                }
                else if (ring.count == 1 || Long.compareUnsigned(ring.width(index), 2) >= 0)
                {
                    final double size = ring.size(index);
                    ring.insert(index, random.nextInt(nodeCount), size * random.nextDouble());
                }
                assertMatchesRecomputation(ring, zoneOfNode, zoneCount, context);
            }
        }
    }

    private static void assertMatchesRecomputation(
        final WorkingRing ring, final int[] zoneOfNode, final int zoneCount, final String context)
    {
        for (int i = 1; i < ring.count; i++)
        {
            assertThat(Long.compareUnsigned(ring.tokens[i - 1], ring.tokens[i])).as(context).isNegative();
        }
        final WorkingRing fresh = new WorkingRing(ring.replicationFactor, zoneOfNode, zoneCount, ring.tokens,
            ring.owners, ring.count);
        assertThat(ring.replicaCount).as(context).isEqualTo(fresh.replicaCount);
        assertThat(ring.replicaLoad).as(context).containsExactly(fresh.replicaLoad, within(1e-12));
        assertThat(Arrays.copyOf(ring.ownership, ring.count)).as(context)
            .containsExactly(Arrays.copyOf(fresh.ownership, fresh.count), within(1e-12));
        for (int i = 0; i < ring.count; i++)
        {
            final int base = i * ring.replicationFactor;
            assertThat(Arrays.copyOfRange(ring.sets, base, base + ring.replicaCount)).as(context + " set " + i)
                .containsExactly(Arrays.copyOfRange(fresh.sets, base, base + fresh.replicaCount));
            assertThat(Arrays.copyOfRange(ring.setDistances, base, base + ring.replicaCount)).as(context)
                .containsExactly(Arrays.copyOfRange(fresh.setDistances, base, base + fresh.replicaCount));
            assertThat(ring.examined[i]).as(context + " examined " + i).isEqualTo(fresh.examined[i]);
        }
        double total = 0;
        for (final double load : ring.replicaLoad)
        {
            total += load;
        }
        assertThat(total).as(context).isCloseTo(ring.replicaCount, within(1e-9));
    }

    private static void sortUnsigned(final long[] tokens)
    {
        for (int i = 0; i < tokens.length; i++)
        {
            tokens[i] ^= Long.MIN_VALUE;
        }
        Arrays.sort(tokens);
        for (int i = 0; i < tokens.length; i++)
        {
            tokens[i] ^= Long.MIN_VALUE;
        }
    }

    /** Moves duplicates (vanishingly unlikely) out of the way and returns how many distinct tokens lead. */
    private static int distinct(final long[] tokens)
    {
        int n = tokens.length == 0 ? 0 : 1;
        for (int i = 1; i < tokens.length; i++)
        {
            if (tokens[i] != tokens[n - 1])
            {
                tokens[n++] = tokens[i];
            }
        }
        return n;
    }
}

package io.rfs.replication.ring;

import java.util.Arrays;

/**
 * A ring under construction: tokens in unsigned order with their owners, and, kept up to date as tokens come and
 * go, every range's replicas, the token that makes each of them a replica (at what distance the walk met it), how far
 * the walk looked, each token's ownership (the ranges it makes its node a replica of) and each node's replica load.
 * <p>
 * Inserting or deleting a token changes only the ranges whose replica walk reaches it, which are the unbroken run of
 * ranges just before it (walk ends move forward as the start does), so {@link #insert} and {@link #delete} update
 * that run, the split or merged range, and the loads, in time proportional to the run rather than the ring; the
 * arrays shift by one, a memory move. {@link #recomputeAll()} is the reference they are tested against. Loads are
 * fractions of the key space. The {@link TokenAllocator} reads the arrays directly. Not thread safe.
 */
final class WorkingRing
{
    private static final double TWO_POW_64 = 0x1p64;

    final int replicationFactor;
    final ReplicaSelector selector;
    final double[] replicaLoad;
    final int[] tokensOfNode;

    long[] tokens;
    int[] owners;
    double[] ownership;
    int[] sets;
    int[] setDistances;
    int[] examined;
    int[] stamps;
    int count;
    int replicaCount;
    private int[] affected;

    /**
     * @param replicationFactor N.
     * @param zoneOfNode        zone index of each node index.
     * @param zoneCount         number of zone indices.
     * @param tokens            the ring's tokens in unsigned order; copied.
     * @param owners            node index of each token; copied.
     * @param tokenCount        how many tokens there are.
     */
    WorkingRing(
        final int replicationFactor,
        final int[] zoneOfNode,
        final int zoneCount,
        final long[] tokens,
        final int[] owners,
        final int tokenCount)
    {
        this.replicationFactor = replicationFactor;
        final int nodeCount = zoneOfNode.length;
        selector = new ReplicaSelector(replicationFactor, zoneOfNode, zoneCount);
        replicaLoad = new double[nodeCount];
        tokensOfNode = new int[nodeCount];
        final int capacity = Math.max(16, tokenCount + tokenCount / 4);
        this.tokens = Arrays.copyOf(tokens, capacity);
        this.owners = Arrays.copyOf(owners, capacity);
        ownership = new double[capacity];
        sets = new int[capacity * replicationFactor];
        setDistances = new int[capacity * replicationFactor];
        examined = new int[capacity];
        stamps = new int[capacity];
        affected = new int[capacity];
        count = tokenCount;
        for (int i = 0; i < tokenCount; i++)
        {
            tokensOfNode[owners[i]]++;
        }
        recomputeAll();
    }

    /**
     * Recomputes every replica set, ownership and load from scratch. The allocator keeps them up to date
     * incrementally; this is the reference the tests hold it to, and the fallback when a change alters which nodes
     * or zones own tokens.
     */
    void recomputeAll()
    {
        selector.reset(owners, count);
        replicaCount = selector.replicaCount();
        Arrays.fill(replicaLoad, 0);
        Arrays.fill(ownership, 0, count, 0);
        for (int i = 0; i < count; i++)
        {
            computeSet(i);
        }
        for (int i = 0; i < count; i++)
        {
            addRange(i, 1);
        }
    }

    /**
     * The hashed tokens of the first N nodes. The mix is a bijection of (seed, k), so two such tokens never collide;
     * one that happens to equal an allocated token is skipped.
     */
    void addHashedTokens(final int node, final int tokenCount, final int seed)
    {
        final long[] added = new long[tokenCount];
        int n = 0;
        for (long k = 0; n < tokenCount; k++)
        {
            final long token = mix(((long)seed << 32) | k);
            if (indexOf(token) < 0)
            {
                added[n++] = token;
            }
        }
        final long[] sorted = sortUnsigned(added);
        final long[] mergedTokens = new long[count + tokenCount];
        final int[] mergedOwners = new int[count + tokenCount];
        int i = 0;
        int j = 0;
        for (int m = 0; m < mergedTokens.length; m++)
        {
            if (j == tokenCount || (i < count && Long.compareUnsigned(tokens[i], sorted[j]) < 0))
            {
                mergedTokens[m] = tokens[i];
                mergedOwners[m] = owners[i++];
            }
            else
            {
                mergedTokens[m] = sorted[j++];
                mergedOwners[m] = node;
            }
        }
        ensureCapacity(mergedTokens.length);
        System.arraycopy(mergedTokens, 0, tokens, 0, mergedTokens.length);
        System.arraycopy(mergedOwners, 0, owners, 0, mergedTokens.length);
        count = mergedTokens.length;
        tokensOfNode[node] += tokenCount;
        recomputeAll();
    }

    private static long[] sortUnsigned(final long[] values)
    {
        final long[] flipped = new long[values.length];
        for (int i = 0; i < values.length; i++)
        {
            flipped[i] = values[i] ^ Long.MIN_VALUE;
        }
        Arrays.sort(flipped);
        for (int i = 0; i < flipped.length; i++)
        {
            flipped[i] ^= Long.MIN_VALUE;
        }
        return flipped;
    }

    /**
     * SplitMix64's finalizer: a bijection on 64-bit values that spreads every input bit over the output.
     *
     * @param value input.
     * @return its mix.
     */
    static long mix(final long value)
    {
        long z = value + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Inserts a token of {@code node} into range {@code index} at {@code fraction} of the key space past the range's
     * start, and brings sets, ownerships and loads up to date.
     *
     * @return the new token's index.
     */
    int insert(final int index, final int node, final double fraction)
    {
        final long width = width(index);
        long offset = toUnsigned(fraction * TWO_POW_64);
        if (Long.compareUnsigned(offset, 1) < 0)
        {
            offset = 1;
        }
        if (Long.compareUnsigned(offset, width - 1) > 0)
        {
            offset = width - 1;
        }
        final long token = tokens[wrap(index - 1)] + offset;
        // The range of token 0 wraps past the top: the new token sorts last unless it wrapped too.
        final int position = index == 0 && Long.compareUnsigned(token, tokens[count - 1]) > 0 ? count : index;
        final int split = position == index ? index + 1 : 0;
        final int activeNodes = selector.activeNodes();
        final int activeZones = selector.activeZones();

        final int affectedCount = collectAffected(index);
        for (int k = 0; k < affectedCount; k++)
        {
            addRange(affected[k], -1);
        }
        addRange(index, -1);

        ensureCapacity(count + 1);
        final int tail = count - position;
        System.arraycopy(tokens, position, tokens, position + 1, tail);
        System.arraycopy(owners, position, owners, position + 1, tail);
        System.arraycopy(ownership, position, ownership, position + 1, tail);
        System.arraycopy(examined, position, examined, position + 1, tail);
        System.arraycopy(stamps, position, stamps, position + 1, tail);
        System.arraycopy(sets, position * replicationFactor, sets, (position + 1) * replicationFactor,
            tail * replicationFactor);
        System.arraycopy(setDistances, position * replicationFactor, setDistances,
            (position + 1) * replicationFactor, tail * replicationFactor);
        tokens[position] = token;
        owners[position] = node;
        ownership[position] = 0;
        stamps[position] = 0;
        count++;
        tokensOfNode[node]++;
        selector.tokenInserted(owners, count, node);

        if (selector.activeNodes() != activeNodes || selector.activeZones() != activeZones)
        {
            recomputeAll();
            return position;
        }
        for (int k = 0; k < affectedCount; k++)
        {
            affected[k] = affected[k] < position ? affected[k] : affected[k] + 1;
            computeSet(affected[k]);
        }
        computeSet(position);
        computeSet(split);
        for (int k = 0; k < affectedCount; k++)
        {
            addRange(affected[k], 1);
        }
        addRange(position, 1);
        addRange(split, 1);
        return position;
    }

    void delete(final int index)
    {
        final int node = owners[index];
        final int activeNodes = selector.activeNodes();
        final int activeZones = selector.activeZones();
        final int affectedCount = collectAffected(index);
        for (int k = 0; k < affectedCount; k++)
        {
            addRange(affected[k], -1);
        }
        addRange(index, -1);
        final int next = wrap(index + 1);
        if (next != index && find(affected, 0, affectedCount, next) < 0)
        {
            addRange(next, -1);
        }

        final int tail = count - index - 1;
        System.arraycopy(tokens, index + 1, tokens, index, tail);
        System.arraycopy(owners, index + 1, owners, index, tail);
        System.arraycopy(ownership, index + 1, ownership, index, tail);
        System.arraycopy(examined, index + 1, examined, index, tail);
        System.arraycopy(stamps, index + 1, stamps, index, tail);
        System.arraycopy(sets, (index + 1) * replicationFactor, sets, index * replicationFactor,
            tail * replicationFactor);
        System.arraycopy(setDistances, (index + 1) * replicationFactor, setDistances, index * replicationFactor,
            tail * replicationFactor);
        count--;
        tokensOfNode[node]--;
        selector.tokenDeleted(count, node);

        if (selector.activeNodes() != activeNodes || selector.activeZones() != activeZones)
        {
            recomputeAll();
            return;
        }
        final int merged = next > index ? next - 1 : next;
        int recomputed = 0;
        for (int k = 0; k < affectedCount; k++)
        {
            final int j = affected[k] < index ? affected[k] : affected[k] - 1;
            if (j != merged)
            {
                affected[recomputed++] = j;
                computeSet(j);
            }
        }
        computeSet(merged);
        for (int k = 0; k < recomputed; k++)
        {
            addRange(affected[k], 1);
        }
        addRange(merged, 1);
    }

    /**
     * Lists the ranges before {@code index} whose replica walk reaches token {@code index}: the only ones whose
     * replicas a token inserted before it, or its deletion, can change. Walk ends move forward as the start does, so
     * the list is the unbroken run of ranges just before {@code index}.
     */
    private int collectAffected(final int index)
    {
        int n = 0;
        for (int steps = 1; steps < count; steps++)
        {
            final int j = wrap(index - steps);
            if (steps >= examined[j])
            {
                break;
            }
            affected[n++] = j;
        }
        return n;
    }

    private void computeSet(final int index)
    {
        final int base = index * replicationFactor;
        examined[index] = selector.select(index, sets, base);
        System.arraycopy(selector.lastDistances(), 0, setDistances, base, selector.lastCount());
    }

    private void addRange(final int index, final int sign)
    {
        final double size = sign * size(index);
        final int base = index * replicationFactor;
        for (int k = 0; k < replicaCount; k++)
        {
            replicaLoad[sets[base + k]] += size;
            ownership[wrap(index + setDistances[base + k])] += size;
        }
    }

    int indexOf(final long token)
    {
        int low = 0;
        int high = count - 1;
        while (low <= high)
        {
            final int mid = (low + high) >>> 1;
            final int c = Long.compareUnsigned(tokens[mid], token);
            if (c < 0)
            {
                low = mid + 1;
            }
            else if (c > 0)
            {
                high = mid - 1;
            }
            else
            {
                return mid;
            }
        }
        return -1;
    }

    private void ensureCapacity(final int capacity)
    {
        if (capacity > tokens.length)
        {
            final int newCapacity = Math.max(capacity, tokens.length + (tokens.length >> 1));
            tokens = Arrays.copyOf(tokens, newCapacity);
            owners = Arrays.copyOf(owners, newCapacity);
            ownership = Arrays.copyOf(ownership, newCapacity);
            examined = Arrays.copyOf(examined, newCapacity);
            stamps = Arrays.copyOf(stamps, newCapacity);
            affected = Arrays.copyOf(affected, newCapacity);
            sets = Arrays.copyOf(sets, newCapacity * replicationFactor);
            setDistances = Arrays.copyOf(setDistances, newCapacity * replicationFactor);
        }
    }

    int wrap(final int index)
    {
        if (index < 0)
        {
            return index + count;
        }
        return index >= count ? index - count : index;
    }

    /** Width of range {@code index} as an unsigned count of positions; 0 stands for the whole space. */
    long width(final int index)
    {
        if (count == 1)
        {
            return 0;
        }
        return tokens[index] - tokens[wrap(index - 1)];
    }

    double size(final int index)
    {
        if (count == 1)
        {
            return 1.0;
        }
        return Ring.toFraction(width(index));
    }

    private static long toUnsigned(final double value)
    {
        if (value >= 0x1p63)
        {
            return (long)(value - 0x1p63) + Long.MIN_VALUE;
        }
        return (long)value;
    }

    private static int find(final int[] array, final int offset, final int length, final int value)
    {
        for (int i = offset, end = offset + length; i < end; i++)
        {
            if (array[i] == value)
            {
                return i - offset;
            }
        }
        return -1;
    }
}

package io.rfs.replication.ring;

import java.util.Arrays;
import java.util.PriorityQueue;

/**
 * Chooses the tokens of one node given everybody else's, greedily, so that replica load ends up as close as it can
 * to the {@link LoadTargets}: the replication-aware scheme of Cassandra's token allocator, with the split point of
 * each range solved exactly instead of fixed at the midpoint, and the new node's share spread evenly over its tokens.
 * <p>
 * Other nodes' tokens never move: that is what keeps movement minimal. A token of node {@code y} inserted at
 * {@code t} inside range {@code (a, b]} makes {@code y} a replica of {@code (a, t]} and of the few ranges before it
 * whose replica walk reaches {@code t}; in each of those ranges exactly one replica drops out. Every replica of a
 * range is there because of one token, the first of its node the walk meets, so a token's <em>ownership</em> is the
 * sum of the ranges it makes its node a replica of, and a node's load the sum over its tokens. A candidate is scored by
 * how it changes, in units of "load per token",
 * <pre>
 *   GOAL_WEIGHT  * ((gain_y - goal) / tokens_y)^2                                   the new node: an even share
 *   + sum over the other nodes n: ((load_n - target_n) / tokens_n)^2                     relief where it is due
 *   + TOKEN_WEIGHT * sum over tokens t: (ownership_t - target_o / tokens_o)^2 / tokens_o^2   a regular ring
 * </pre>
 * where {@code goal} is what the new node still lacks divided by the tokens it has left to place. The token-level
 * term, as in Cassandra, keeps every token's ownership near the ideal, so that any later node can take an even share
 * from everybody: without it balance decays as the cluster grows. The per-token goal keeps the new node from taking
 * its whole share with its first tokens and then having to put the rest where they overload it. Gains and losses
 * are linear in the split offset {@code x = t - a}, so each candidate's score is a quadratic in {@code x}, minimised
 * in closed form.
 * <p>
 * Every range is a candidate. The best is taken, the ring updated in place ({@link WorkingRing}) and the candidates
 * near the new token re-evaluated. The rest are re-scored lazily: a candidate keeps the shape of its evaluation (who
 * gains and loses how much), so re-scoring it against current loads costs a few multiplications; one popped from the
 * queue is re-scored and taken if it is still within {@link #SLACK} of the next one's older score, after a last full
 * evaluation. Removing tokens (a lower weight) is the mirror image, by full scan over the node's tokens.
 * <p>
 * While there are at most N nodes every node holds every key, so token positions change no load; tokens are then
 * pseudo-random, derived from the node id, which leaves the irregular ranges the allocator needs to balance later
 * nodes well (an evenly spaced layout measured far worse).
 * <p>
 * The result is a deterministic function of the inputs: no randomness, no iteration over hashed collections, ties
 * broken by token value, and Java's floating point gives the same results on every platform. Not thread safe; one
 * instance per ring change.
 */
final class TokenAllocator
{
    /**
     * Weight of the new node's per-token goal against the other nodes' balance. Measured (worst max/mean load over 4
     * to 100 equal nodes of 256 vnodes): 16 to 256 all give 1.0013 to 1.0019 (docs/RING.md).
     */
    static final double GOAL_WEIGHT = 64;
    /** Weight of the token-level (regularity) term. Measured: 0 decays to 1.073 by 98 nodes; 0.1 to 1 stay ~1.002. */
    static final double TOKEN_WEIGHT = 0.3;
    /**
     * A re-scored candidate is taken if it is within this fraction of the next one's (older) score. Measured: 0.2
     * halves the time of an addition at 100 nodes against 0 with no loss of balance; 0.5 costs some.
     */
    static final double SLACK = 0.2;

    private static final double TWO_POW_64 = 0x1p64;
    private static final int NEW_TOKEN = -1;

    private final int replicationFactor;
    private final double[] replicaTarget;
    private final int[] finalTokensOfNode;
    private final WorkingRing ring;

    private int nextStamp;

    private final int[] scratch;
    private final int[] involvedNode;
    private final double[] involvedConstant;
    private final double[] involvedSlope;
    private int involvedCount;
    private int[] involvedToken;
    private double[] involvedTokenConstant;
    private double[] involvedTokenSlope;
    private int involvedTokenCount;

    private int allocatingNode = -1;
    private double tokenGoal;
    private double bestFraction;
    private double tokenA;
    private double tokenB;
    private double tokenC;
    private double maxFraction;

    /**
     * @param replicationFactor N.
     * @param zoneOfNode        zone index of each node index.
     * @param zoneCount         number of zone indices.
     * @param weights           weight of each node index, for the targets.
     * @param vnodes            tokens each node index will own once the change is done.
     * @param tokens            the ring's tokens in unsigned order; copied.
     * @param owners            node index of each token; copied.
     * @param tokenCount        how many tokens there are.
     */
    TokenAllocator(
        final int replicationFactor,
        final int[] zoneOfNode,
        final int zoneCount,
        final int[] weights,
        final int[] vnodes,
        final long[] tokens,
        final int[] owners,
        final int tokenCount)
    {
        this.replicationFactor = replicationFactor;
        replicaTarget = LoadTargets.replicaTargets(replicationFactor, weights, zoneOfNode, zoneCount);
        finalTokensOfNode = vnodes.clone();
        ring = new WorkingRing(replicationFactor, zoneOfNode, zoneCount, tokens, owners, tokenCount);

        scratch = new int[replicationFactor];
        final int maxInvolved = 4 * replicationFactor + 8;
        involvedNode = new int[maxInvolved];
        involvedConstant = new double[maxInvolved];
        involvedSlope = new double[maxInvolved];
        involvedToken = new int[maxInvolved];
        involvedTokenConstant = new double[maxInvolved];
        involvedTokenSlope = new double[maxInvolved];
    }

    /**
     * @return the number of tokens now in the ring.
     */
    int tokenCount()
    {
        return ring.count;
    }

    /**
     * @return the tokens, in unsigned order; the first {@link #tokenCount()} are in use.
     */
    long[] tokens()
    {
        return ring.tokens;
    }

    /**
     * @return the node index of each token; the first {@link #tokenCount()} are in use.
     */
    int[] owners()
    {
        return ring.owners;
    }

    /**
     * @return the ring under construction, for tests that hold its incremental state to a recomputation.
     */
    WorkingRing workingRing()
    {
        return ring;
    }

    /**
     * @return each node's ideal replica load.
     */
    double[] replicaTargets()
    {
        return replicaTarget;
    }

    /**
     * Gives a node {@code tokenCount} more tokens.
     *
     * @param node       node index.
     * @param tokenCount how many to add.
     * @param seed       the node's id, from which its tokens are derived while there are at most N nodes.
     */
    void addTokens(final int node, final int tokenCount, final int seed)
    {
        if (tokenCount <= 0)
        {
            return;
        }
        final int nodesAfter = ring.selector.activeNodes() + (ring.tokensOfNode[node] == 0 ? 1 : 0);
        if (nodesAfter <= replicationFactor)
        {
            ring.addHashedTokens(node, tokenCount, seed);
            return;
        }

        allocatingNode = node;
        int placed = 0;
        if (ring.tokensOfNode[node] == 0)
        {
            tokenGoal = replicaTarget[node] / tokenCount;
            placeFirstToken(node);
            placed++;
        }

        final PriorityQueue<Candidate> queue = new PriorityQueue<>(Math.max(16, ring.count));
        tokenGoal = Math.max(0, replicaTarget[node] - ring.replicaLoad[node]) / (tokenCount - placed);
        for (int i = 0; i < ring.count; i++)
        {
            offer(queue, i, node);
        }

        while (placed < tokenCount)
        {
            final Candidate best = queue.poll();
            if (best == null)
            {
                throw new IllegalStateException("no range left to split for node index " + node);
            }
            final int index = ring.indexOf(best.token);
            if (index < 0 || ring.stamps[index] != best.stamp)
            {
                continue;
            }
            final Candidate next = queue.peek();
            best.score = rescore(best);
            if (next != null && best.score > next.score + SLACK * Math.abs(next.score))
            {
                queue.add(best);
                continue;
            }
            final double score = evaluateInsert(index, node);
            if (score == Double.POSITIVE_INFINITY)
            {
                continue;
            }
            if (next != null && score > next.score + SLACK * Math.abs(next.score))
            {
                queue.add(capture(index, score));
                continue;
            }
            final int inserted = ring.insert(index, node, bestFraction);
            placed++;
            if (placed < tokenCount)
            {
                tokenGoal = Math.max(0, replicaTarget[node] - ring.replicaLoad[node]) / (tokenCount - placed);
                rescoreAround(queue, inserted, node);
            }
        }
        allocatingNode = -1;
    }

    /**
     * Takes {@code tokenCount} tokens away from a node, each time the one whose loss leaves the best balance.
     *
     * @param node       node index.
     * @param tokenCount how many to remove; the node must keep at least one.
     */
    void removeTokens(final int node, final int tokenCount)
    {
        if (tokenCount >= ring.tokensOfNode[node])
        {
            throw new IllegalArgumentException("node index " + node + " has " + ring.tokensOfNode[node] +
                " tokens, cannot remove " + tokenCount);
        }
        allocatingNode = node;
        for (int removed = 0; removed < tokenCount; removed++)
        {
            tokenGoal = Math.min(0, replicaTarget[node] - ring.replicaLoad[node]) / (tokenCount - removed);
            int bestIndex = -1;
            double bestScore = Double.POSITIVE_INFINITY;
            for (int i = 0; i < ring.count; i++)
            {
                if (ring.owners[i] == node)
                {
                    final double score = evaluateDelete(i);
                    if (bestIndex < 0 || compare(score, ring.tokens[i], bestScore, ring.tokens[bestIndex]) < 0)
                    {
                        bestIndex = i;
                        bestScore = score;
                    }
                }
            }
            ring.delete(bestIndex);
        }
        allocatingNode = -1;
    }

    /**
     * A node's first token changes which nodes (and maybe zones) own tokens, so it is weighed by a full scan, and
     * where it would make replica walks search the whole ring for a zone not seen before (fewer zones than N) it
     * simply halves the widest range.
     */
    private void placeFirstToken(final int node)
    {
        final boolean cheapWalks = ring.selector.activeZones() >= replicationFactor || ring.selector.zoneIsActive(node);
        int bestIndex = -1;
        double bestScore = Double.POSITIVE_INFINITY;
        double fraction = 0;
        for (int i = 0; i < ring.count; i++)
        {
            final double score = cheapWalks ? evaluateInsert(i, node) : -ring.size(i);
            if (score != Double.POSITIVE_INFINITY &&
                (bestIndex < 0 || compare(score, ring.tokens[i], bestScore, ring.tokens[bestIndex]) < 0))
            {
                bestIndex = i;
                bestScore = score;
                fraction = cheapWalks ? bestFraction : ring.size(i) / 2;
            }
        }
        if (bestIndex < 0)
        {
            throw new IllegalStateException("no range left to split for node index " + node);
        }
        ring.insert(bestIndex, node, fraction);
    }

    private void offer(final PriorityQueue<Candidate> queue, final int index, final int node)
    {
        final double score = evaluateInsert(index, node);
        ring.stamps[index] = ++nextStamp;
        if (score != Double.POSITIVE_INFINITY)
        {
            queue.add(capture(index, score));
        }
    }

    /**
     * Keeps the shape of the evaluation just made: the nodes it involves with their gains and losses, and the
     * token-level terms folded into three coefficients. Re-scoring from the shape is a few multiplications instead of
     * a dozen replica walks; the shape stays valid until the ranges it read change, when the candidate is
     * re-evaluated and stamped anew.
     */
    private Candidate capture(final int index, final double score)
    {
        final Candidate candidate = new Candidate(score, ring.tokens[index], ring.stamps[index], involvedCount);
        System.arraycopy(involvedNode, 0, candidate.nodes, 0, involvedCount);
        System.arraycopy(involvedConstant, 0, candidate.constants, 0, involvedCount);
        System.arraycopy(involvedSlope, 0, candidate.slopes, 0, involvedCount);
        candidate.tokenA = tokenA;
        candidate.tokenB = tokenB;
        candidate.tokenC = tokenC;
        candidate.maxFraction = maxFraction;
        return candidate;
    }

    private double rescore(final Candidate candidate)
    {
        return score(candidate.nodes, candidate.constants, candidate.slopes, candidate.nodeCount, candidate.tokenA,
            candidate.tokenB, candidate.tokenC, candidate.maxFraction);
    }

    /**
     * Re-scores the candidates whose evaluation reads a range the last insertion changed: the changed ranges
     * themselves and those whose predecessors' walks reach one of them.
     */
    private void rescoreAround(final PriorityQueue<Candidate> queue, final int inserted, final int node)
    {
        int first = inserted;
        for (int steps = 1; steps < ring.count; steps++)
        {
            final int j = ring.wrap(inserted - steps);
            if (steps >= ring.examined[j])
            {
                break;
            }
            first = j;
        }
        final int lastChanged = (inserted - first + ring.count) % ring.count + 1;
        int reach = lastChanged;
        for (int offset = 0; offset < ring.count && offset <= reach; offset++)
        {
            final int index = ring.wrap(first + offset);
            if (offset <= lastChanged)
            {
                reach = Math.max(reach, offset + ring.examined[index] - 1);
            }
            offer(queue, index, node);
        }
    }

    /**
     * Scores inserting a token of {@code node} into range {@code index}, at the best offset, which it leaves in
     * {@link #bestFraction}.
     *
     * @return the change of the objective (negative is better), or infinity if the range cannot take the token.
     */
    private double evaluateInsert(final int index, final int node)
    {
        if (ring.owners[index] == node)
        {
            return Double.POSITIVE_INFINITY;
        }
        final long width = ring.width(index);
        if (ring.count > 1 && Long.compareUnsigned(width, 2) < 0)
        {
            return Double.POSITIVE_INFINITY;
        }
        involvedCount = 0;
        involvedTokenCount = 0;
        for (int steps = 1; steps < ring.count; steps++)
        {
            final int j = ring.wrap(index - steps);
            if (steps >= ring.examined[j])
            {
                break;
            }
            final int start = j < index ? j : j + 1;
            ring.selector.selectWithInserted(start, index, node, scratch, 0);
            diffInserted(j, start, index, ring.size(j), 0);
        }
        ring.selector.selectWithInserted(index, index, node, scratch, 0);
        diffInserted(index, index, index, 0, 1);
        involveNode(node, 0, 0);

        double a = 0;
        double b = 0;
        double c = 0;
        for (int k = 0; k < involvedTokenCount; k++)
        {
            final int t = involvedToken[k];
            final int n = t == NEW_TOKEN ? node : ring.owners[t];
            final double tokensOfOwner = finalTokensOfNode[n];
            final double scale = TOKEN_WEIGHT / (tokensOfOwner * tokensOfOwner);
            final double ideal = replicaTarget[n] / tokensOfOwner;
            final double e0 = t == NEW_TOKEN ? 0 : ring.ownership[t] - ideal;
            final double e1 = (t == NEW_TOKEN ? 0 : ring.ownership[t]) - ideal + involvedTokenConstant[k];
            final double slope = involvedTokenSlope[k];
            a += scale * slope * slope;
            b += scale * 2 * e1 * slope;
            c += scale * (e1 * e1 - e0 * e0);
        }
        tokenA = a;
        tokenB = b;
        tokenC = c;
        maxFraction = Ring.toFraction(width - 1);
        return score(involvedNode, involvedConstant, involvedSlope, involvedCount, a, b, c, maxFraction);
    }

    /**
     * The change of the objective for the best split offset, which it leaves in {@link #bestFraction}: the node
     * terms from current loads plus the given token-level coefficients.
     */
    private double score(
        final int[] nodes,
        final double[] constants,
        final double[] slopes,
        final int nodeCount,
        final double tokenA,
        final double tokenB,
        final double tokenC,
        final double maxFraction)
    {
        double a = tokenA;
        double b = tokenB;
        double c = tokenC;
        for (int k = 0; k < nodeCount; k++)
        {
            final int n = nodes[k];
            final double scale = 1.0 / finalTokensOfNode[n];
            final double slope = slopes[k] * scale;
            if (n == allocatingNode)
            {
                final double miss = (constants[k] - tokenGoal) * scale;
                a += GOAL_WEIGHT * slope * slope;
                b += GOAL_WEIGHT * 2 * miss * slope;
                c += GOAL_WEIGHT * miss * miss;
                continue;
            }
            final double e0 = (ring.replicaLoad[n] - replicaTarget[n]) * scale;
            final double e1 = e0 + constants[k] * scale;
            a += slope * slope;
            b += 2 * e1 * slope;
            c += e1 * e1 - e0 * e0;
        }
        final double minFraction = 1 / TWO_POW_64;
        double x = a > 0 ? -b / (2 * a) : (b < 0 ? maxFraction : minFraction);
        x = Math.max(minFraction, Math.min(maxFraction, x));
        bestFraction = x;
        return (a * x + b) * x + c;
    }

    /**
     * Scores deleting token {@code index}.
     *
     * @return the change of the objective.
     */
    private double evaluateDelete(final int index)
    {
        involvedCount = 0;
        involvedTokenCount = 0;
        involveToken(index, 0, 0);
        for (int steps = 1; steps < ring.count; steps++)
        {
            final int j = ring.wrap(index - steps);
            if (steps >= ring.examined[j])
            {
                break;
            }
            final int start = j < index ? j : j - 1;
            ring.selector.selectWithDeleted(start, index, scratch, 0);
            diffDeleted(j, start, index, ring.size(j));
        }
        final int start = index == ring.count - 1 ? 0 : index;
        ring.selector.selectWithDeleted(start, index, scratch, 0);
        diffDeleted(index, start, index, ring.size(index));

        involveNode(ring.owners[index], 0, 0);
        double c = 0;
        for (int k = 0; k < involvedTokenCount; k++)
        {
            final int t = involvedToken[k];
            final int n = ring.owners[t];
            final double tokensOfOwner = finalTokensOfNode[n];
            final double scale = TOKEN_WEIGHT / (tokensOfOwner * tokensOfOwner);
            final double ideal = replicaTarget[n] / tokensOfOwner;
            final double e0 = ring.ownership[t] - ideal;
            final double e1 = e0 + involvedTokenConstant[k];
            c += t == index ? -scale * e0 * e0 : scale * (e1 * e1 - e0 * e0);
        }
        return score(involvedNode, involvedConstant, involvedSlope, involvedCount, 0, 0, c, 0);
    }

    /**
     * Records how range {@code index} changes when the selection in {@link #scratch} replaces its current one, with
     * a token inserted at {@code inserted}: nodes that join gain and nodes that leave lose
     * {@code constant + slope * x}, and so do the tokens that make them replicas.
     */
    private void diffInserted(
        final int index, final int start, final int inserted, final double constant, final double slope)
    {
        final int newCount = ring.selector.lastCount();
        final int[] newDistances = ring.selector.lastDistances();
        final int virtualCount = ring.count + 1;
        final int base = index * replicationFactor;
        for (int k = 0; k < newCount; k++)
        {
            final int n = scratch[k];
            final int position = (start + newDistances[k]) % virtualCount;
            final int token = position == inserted ? NEW_TOKEN : (position < inserted ? position : position - 1);
            final int old = find(ring.sets, base, ring.replicaCount, n);
            if (old < 0)
            {
                involveNode(n, constant, slope);
                involveToken(token, constant, slope);
            }
            else
            {
                final int oldToken = ring.wrap(index + ring.setDistances[base + old]);
                if (oldToken != token)
                {
                    involveToken(oldToken, -constant, -slope);
                    involveToken(token, constant, slope);
                }
            }
        }
        for (int k = 0; k < ring.replicaCount; k++)
        {
            final int n = ring.sets[base + k];
            if (find(scratch, 0, newCount, n) < 0)
            {
                involveNode(n, -constant, -slope);
                involveToken(ring.wrap(index + ring.setDistances[base + k]), -constant, -slope);
            }
        }
    }

    /**
     * Records how range {@code index} changes when the selection in {@link #scratch} replaces its current one, with
     * token {@code deleted} gone. The deleted token's own ownership simply disappears.
     */
    private void diffDeleted(final int index, final int start, final int deleted, final double constant)
    {
        final int newCount = ring.selector.lastCount();
        final int[] newDistances = ring.selector.lastDistances();
        final int virtualCount = ring.count - 1;
        final int base = index * replicationFactor;
        for (int k = 0; k < newCount; k++)
        {
            final int n = scratch[k];
            final int position = (start + newDistances[k]) % virtualCount;
            final int token = position < deleted ? position : position + 1;
            final int old = find(ring.sets, base, ring.replicaCount, n);
            if (old < 0)
            {
                involveNode(n, constant, 0);
                involveToken(token, constant, 0);
            }
            else
            {
                final int oldToken = ring.wrap(index + ring.setDistances[base + old]);
                if (oldToken != token)
                {
                    involveToken(oldToken, -constant, 0);
                    involveToken(token, constant, 0);
                }
            }
        }
        for (int k = 0; k < ring.replicaCount; k++)
        {
            final int n = ring.sets[base + k];
            if (find(scratch, 0, newCount, n) < 0)
            {
                involveNode(n, -constant, 0);
                involveToken(ring.wrap(index + ring.setDistances[base + k]), -constant, 0);
            }
        }
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

    private void involveNode(final int node, final double constant, final double slope)
    {
        for (int k = 0; k < involvedCount; k++)
        {
            if (involvedNode[k] == node)
            {
                involvedConstant[k] += constant;
                involvedSlope[k] += slope;
                return;
            }
        }
        if (involvedCount == involvedNode.length)
        {
            throw new IllegalStateException("too many nodes involved in one change: " + involvedCount);
        }
        involvedNode[involvedCount] = node;
        involvedConstant[involvedCount] = constant;
        involvedSlope[involvedCount] = slope;
        involvedCount++;
    }

    private void involveToken(final int token, final double constant, final double slope)
    {
        for (int k = 0; k < involvedTokenCount; k++)
        {
            if (involvedToken[k] == token)
            {
                involvedTokenConstant[k] += constant;
                involvedTokenSlope[k] += slope;
                return;
            }
        }
        if (involvedTokenCount == involvedToken.length)
        {
            final int length = involvedToken.length * 2;
            involvedToken = Arrays.copyOf(involvedToken, length);
            involvedTokenConstant = Arrays.copyOf(involvedTokenConstant, length);
            involvedTokenSlope = Arrays.copyOf(involvedTokenSlope, length);
        }
        involvedToken[involvedTokenCount] = token;
        involvedTokenConstant[involvedTokenCount] = constant;
        involvedTokenSlope[involvedTokenCount] = slope;
        involvedTokenCount++;
    }

    private static int compare(final double score1, final long token1, final double score2, final long token2)
    {
        final int c = Double.compare(score1, score2);
        return c != 0 ? c : Long.compareUnsigned(token1, token2);
    }

    private static final class Candidate implements Comparable<Candidate>
    {
        double score;
        final long token;
        final int stamp;
        final int nodeCount;
        final int[] nodes;
        final double[] constants;
        final double[] slopes;
        double tokenA;
        double tokenB;
        double tokenC;
        double maxFraction;

        Candidate(final double score, final long token, final int stamp, final int nodeCount)
        {
            this.score = score;
            this.token = token;
            this.stamp = stamp;
            this.nodeCount = nodeCount;
            nodes = new int[nodeCount];
            constants = new double[nodeCount];
            slopes = new double[nodeCount];
        }

        @Override
        public int compareTo(final Candidate o)
        {
            return compare(score, token, o.score, o.token);
        }
    }
}

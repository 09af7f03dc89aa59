package io.rfs.replication.ring;

import java.util.Arrays;

/**
 * The placement rule: which nodes hold the keys of one token range. The one implementation of it, used both to
 * precompute a {@link Ring}'s lookup table and by the {@link TokenAllocator} to weigh candidate tokens.
 * <p>
 * Walking clockwise from the range's token, number the distinct nodes met within each zone: the first node met of a
 * zone has rank 1, the second node of the same zone rank 2, and so on. The replicas are the {@code N} nodes with the
 * smallest (rank, position) pairs, in that order; with fewer than {@code N} nodes, all of them. So with at least
 * {@code N} zones the replicas are the first nodes of the first {@code N} zones met, never two in one zone; with
 * fewer zones every zone gets a replica before any gets a second, and so on, which spreads them as far as the zones
 * allow; with one zone they are simply the first {@code N} distinct nodes. The first replica is always the owner of
 * the range's token.
 * <p>
 * The walk stops as soon as no token further on could change the choice. How far it looked is returned: the set of a
 * range can change only if a token is inserted or removed within that distance, which is what lets the allocator
 * update a ring in place.
 * <p>
 * The walk runs over a token sequence with at most one token virtually inserted or deleted, so the allocator can
 * weigh a change without making it. Node and zone numbers are dense indices, not node ids. Not thread safe;
 * allocation-free after construction.
 */
final class ReplicaSelector
{
    private final int replicationFactor;
    private final int[] zoneOfNode;
    private final int[] tokensOfNode;
    private final int[] activeNodesInZone;
    private int activeNodes;
    private int activeZones;

    private int[] owners = new int[0];
    private int tokenCount;

    private int virtualIndex = -1;
    private int virtualOwner = -1;
    private boolean virtualInsert;

    private final int[] nodeStamp;
    private final int[] zoneStamp;
    private final int[] zoneSeen;
    private final int[] seenNodes;
    private final int[] seenRanks;
    private final int[] seenDistances;
    private final int[] lastDistances;
    private final int[] rankCount;
    private final int[] zoneHistogram;
    private int stamp;
    private int lastCount;

    /**
     * @param replicationFactor N.
     * @param zoneOfNode        zone index of each node index; the array is kept, not copied.
     * @param zoneCount         number of zone indices.
     */
    ReplicaSelector(final int replicationFactor, final int[] zoneOfNode, final int zoneCount)
    {
        this.replicationFactor = replicationFactor;
        this.zoneOfNode = zoneOfNode;
        final int nodeCount = zoneOfNode.length;
        tokensOfNode = new int[nodeCount];
        activeNodesInZone = new int[zoneCount];
        nodeStamp = new int[nodeCount];
        zoneStamp = new int[zoneCount];
        zoneSeen = new int[zoneCount];
        seenNodes = new int[nodeCount];
        seenRanks = new int[nodeCount];
        seenDistances = new int[nodeCount];
        lastDistances = new int[replicationFactor];
        rankCount = new int[replicationFactor + 2];
        zoneHistogram = new int[replicationFactor + 2];
    }

    /**
     * Points the selector at a token sequence and counts which nodes and zones own tokens in it.
     *
     * @param owners     node index of each token, in ring order; the array is read, not copied, and must not
     *                   change behind the selector's back except through {@link #tokenInserted} and
     *                   {@link #tokenDeleted}.
     * @param tokenCount how many of {@code owners} are in use.
     */
    void reset(final int[] owners, final int tokenCount)
    {
        this.owners = owners;
        this.tokenCount = tokenCount;
        Arrays.fill(tokensOfNode, 0);
        Arrays.fill(activeNodesInZone, 0);
        activeNodes = 0;
        activeZones = 0;
        for (int i = 0; i < tokenCount; i++)
        {
            addToken(owners[i]);
        }
        clearVirtual();
    }

    /**
     * Records that the owner array now holds one more token (the caller has already shifted it in).
     *
     * @param owners     the owner array, possibly reallocated.
     * @param tokenCount the new count.
     * @param owner      node index of the token added.
     */
    void tokenInserted(final int[] owners, final int tokenCount, final int owner)
    {
        this.owners = owners;
        this.tokenCount = tokenCount;
        addToken(owner);
    }

    /**
     * Records that the owner array now holds one token fewer (the caller has already shifted it out).
     *
     * @param tokenCount the new count.
     * @param owner      node index of the token removed.
     */
    void tokenDeleted(final int tokenCount, final int owner)
    {
        this.tokenCount = tokenCount;
        removeToken(owner);
    }

    /**
     * @return how many replicas a range has: N, or the number of nodes owning tokens if that is smaller.
     */
    int replicaCount()
    {
        return Math.min(replicationFactor, activeNodes);
    }

    /**
     * @return how many distinct nodes own tokens.
     */
    int activeNodes()
    {
        return activeNodes;
    }

    /**
     * @param node a node index.
     * @return true if a node of its zone owns tokens.
     */
    boolean zoneIsActive(final int node)
    {
        return activeNodesInZone[zoneOfNode[node]] > 0;
    }

    /**
     * @return how many zones have a node that owns tokens.
     */
    int activeZones()
    {
        return activeZones;
    }

    /**
     * @return for each replica of the last selection, in the same order, how many tokens past the start of the walk
     * it was first met: the token that makes it a replica. Valid up to {@link #lastCount()}.
     */
    int[] lastDistances()
    {
        return lastDistances;
    }

    /**
     * @return how many replicas the last selection wrote.
     */
    int lastCount()
    {
        return lastCount;
    }

    /**
     * Selects the replicas of the range ending at token {@code start} of the real sequence.
     *
     * @param start     token index.
     * @param dst       receives the node indices, most preferred first.
     * @param dstOffset where to write.
     * @return how many tokens the walk examined, 1 to the token count.
     */
    int select(final int start, final int[] dst, final int dstOffset)
    {
        clearVirtual();
        return walk(start, dst, dstOffset);
    }

    /**
     * Selects the replicas of a range as they would be if a token owned by {@code owner} were inserted at
     * {@code index}, before the token now there.
     *
     * @param start     index in the sequence with the token inserted ({@code index} is the inserted token).
     * @param index     where the token would go, 0 to the token count.
     * @param owner     node index of the inserted token's owner.
     * @param dst       receives the node indices, most preferred first.
     * @param dstOffset where to write.
     * @return how many tokens the walk examined.
     */
    int selectWithInserted(final int start, final int index, final int owner, final int[] dst, final int dstOffset)
    {
        virtualIndex = index;
        virtualOwner = owner;
        virtualInsert = true;
        if (tokensOfNode[owner] == 0)
        {
            addToken(owner);
            final int examined = walk(start, dst, dstOffset);
            removeToken(owner);
            clearVirtual();
            return examined;
        }
        final int examined = walk(start, dst, dstOffset);
        clearVirtual();
        return examined;
    }

    /**
     * Selects the replicas of a range as they would be if the token at {@code index} were deleted.
     *
     * @param start     index in the sequence with the token deleted.
     * @param index     the token that would go.
     * @param dst       receives the node indices, most preferred first.
     * @param dstOffset where to write.
     * @return how many tokens the walk examined.
     */
    int selectWithDeleted(final int start, final int index, final int[] dst, final int dstOffset)
    {
        final int owner = owners[index];
        virtualIndex = index;
        virtualOwner = owner;
        virtualInsert = false;
        removeToken(owner);
        final int examined = walk(start, dst, dstOffset);
        addToken(owner);
        clearVirtual();
        return examined;
    }

    private void clearVirtual()
    {
        virtualIndex = -1;
        virtualOwner = -1;
    }

    private int virtualLength()
    {
        if (virtualIndex < 0)
        {
            return tokenCount;
        }
        return virtualInsert ? tokenCount + 1 : tokenCount - 1;
    }

    private int ownerAt(final int position)
    {
        if (virtualIndex < 0 || position < virtualIndex)
        {
            return owners[position];
        }
        if (virtualInsert)
        {
            return position == virtualIndex ? virtualOwner : owners[position - 1];
        }
        return owners[position + 1];
    }

    private int walk(final int start, final int[] dst, final int dstOffset)
    {
        final int length = virtualLength();
        final int needed = Math.min(replicationFactor, activeNodes);
        lastCount = needed;
        if (needed == 0)
        {
            return 0;
        }

        if (++stamp == 0)
        {
            Arrays.fill(nodeStamp, 0);
            Arrays.fill(zoneStamp, 0);
            stamp = 1;
        }
        final int maxRank = replicationFactor + 1;
        Arrays.fill(rankCount, 0);
        Arrays.fill(zoneHistogram, 0);
        zoneHistogram[0] = activeZones;

        int seen = 0;
        int examined = 0;
        int position = start;
        while (examined < length)
        {
            final int node = ownerAt(position);
            examined++;
            if (++position == length)
            {
                position = 0;
            }
            if (nodeStamp[node] == stamp)
            {
                continue;
            }
            nodeStamp[node] = stamp;

            final int zone = zoneOfNode[node];
            if (zoneStamp[zone] != stamp)
            {
                zoneStamp[zone] = stamp;
                zoneSeen[zone] = 0;
            }
            final int before = zoneSeen[zone];
            final int after = before + 1;
            zoneSeen[zone] = after;
            zoneHistogram[Math.min(before, maxRank)]--;
            if (after < activeNodesInZone[zone])
            {
                zoneHistogram[Math.min(after, maxRank)]++;
            }
            final int rank = Math.min(after, maxRank);
            rankCount[rank]++;
            seenNodes[seen] = node;
            seenRanks[seen] = rank;
            seenDistances[seen] = examined - 1;
            seen++;

            if (seen >= needed && isDecided(needed))
            {
                break;
            }
        }

        final int cutoffRank = cutoffRank(needed);
        int written = 0;
        for (int rank = 1; rank <= cutoffRank && written < needed; rank++)
        {
            for (int i = 0; i < seen && written < needed; i++)
            {
                if (seenRanks[i] == rank)
                {
                    lastDistances[written] = seenDistances[i];
                    dst[dstOffset + written++] = seenNodes[i];
                }
            }
        }
        return examined;
    }

    private int cutoffRank(final int needed)
    {
        int total = 0;
        for (int rank = 1; rank < rankCount.length; rank++)
        {
            total += rankCount[rank];
            if (total >= needed)
            {
                return rank;
            }
        }
        return rankCount.length - 1;
    }

    /**
     * The choice is final when no node still unseen could rank before the last one chosen: an unseen node of a zone
     * already seen {@code s} times would rank {@code s + 1} at a later position, so it is beaten if
     * {@code s + 1 >= cutoff}.
     */
    private boolean isDecided(final int needed)
    {
        final int cutoff = cutoffRank(needed);
        for (int s = 0; s < cutoff - 1; s++)
        {
            if (zoneHistogram[s] > 0)
            {
                return false;
            }
        }
        return true;
    }

    private void addToken(final int owner)
    {
        if (tokensOfNode[owner]++ == 0)
        {
            activeNodes++;
            if (activeNodesInZone[zoneOfNode[owner]]++ == 0)
            {
                activeZones++;
            }
        }
    }

    private void removeToken(final int owner)
    {
        if (--tokensOfNode[owner] == 0)
        {
            activeNodes--;
            if (--activeNodesInZone[zoneOfNode[owner]] == 0)
            {
                activeZones--;
            }
        }
    }
}

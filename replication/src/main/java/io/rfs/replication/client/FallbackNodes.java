package io.rfs.replication.client;

import io.rfs.replication.ring.PreferenceList;
import io.rfs.replication.ring.Ring;

/**
 * The fallback nodes of one write's key, for a sloppy quorum: its {@link PreferenceList} beyond the N owners, taken
 * only once the write first needs a stand-in (most writes never do), and the rule that picks a stand-in for an owner
 * (RING.md "Fallback nodes", as {@link PreferenceList#substitutes} applies it): the first fallback that is up per
 * {@link NodeHealth} and not yet part of the write, one in the owner's zone first, so the write keeps the zone spread
 * the owners would have given it.
 * <p>
 * Preallocated per write and reused; allocation-free. <b>Threads.</b> The writer's.
 */
final class FallbackNodes
{
    /** Returned by {@link #pick} when no fallback is left. */
    static final int NONE = -1;

    private final Ring ring;
    private final PreferenceList preferences;
    private final NodeHealth health;
    private final int[] order;
    private long position;
    private int owners;
    private int count;

    /**
     * @param ring        the writer's ring.
     * @param preferences the writer's one preference list (it keeps scratch space; one per thread).
     * @param health      the client's health tracker.
     */
    FallbackNodes(final Ring ring, final PreferenceList preferences, final NodeHealth health)
    {
        this.ring = ring;
        this.preferences = preferences;
        this.health = health;
        this.order = new int[Math.max(1, ring.nodeCount())];
    }

    /**
     * Starts on a new write.
     *
     * @param position the key's ring position.
     * @param owners   how many owners the ring gave it.
     */
    void reset(final long position, final int owners)
    {
        this.position = position;
        this.owners = owners;
        this.count = -1;
    }

    /**
     * @param owner     the owner a stand-in is wanted for.
     * @param inWrite   the nodes the write already has (owners and stand-ins).
     * @param usedCount how many of {@code inWrite} are set.
     * @param nowNs     the writer's clock.
     * @return the node to ask, or {@link #NONE}.
     */
    int pick(final int owner, final int[] inWrite, final int usedCount, final long nowNs)
    {
        walk();
        final String zone = ring.node(owner).zone();
        int chosen = NONE;
        for (int i = owners; i < count; i++)
        {
            if (isCandidate(order[i], inWrite, usedCount, nowNs))
            {
                if (ring.node(order[i]).zone().equals(zone))
                {
                    return order[i];
                }
                if (chosen == NONE)
                {
                    chosen = order[i];
                }
            }
        }
        return chosen;
    }

    /**
     * @return fallbacks that {@link #pick} could still return; before the first pick, every node beyond the owners
     * (the list is not walked for a write that needs no stand-in).
     */
    int left(final int[] inWrite, final int usedCount, final long nowNs)
    {
        if (count < 0)
        {
            return Math.max(0, ring.nodeCount() - owners);
        }
        int left = 0;
        for (int i = owners; i < count; i++)
        {
            if (isCandidate(order[i], inWrite, usedCount, nowNs))
            {
                left++;
            }
        }
        return left;
    }

    private void walk()
    {
        if (count < 0)
        {
            count = preferences.all(ring, position, order);
        }
    }

    private boolean isCandidate(final int nodeId, final int[] inWrite, final int usedCount, final long nowNs)
    {
        if (!health.isUp(nodeId, nowNs))
        {
            return false;
        }
        for (int s = 0; s < usedCount; s++)
        {
            if (inWrite[s] == nodeId)
            {
                return false;
            }
        }
        return true;
    }
}

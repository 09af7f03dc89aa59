package io.rfs.replication.repair;

import io.rfs.replication.ring.Ring;
import org.agrona.collections.Int2IntHashMap;
import org.agrona.collections.IntArrayList;

/**
 * The rules by which the leader's repair deletes the copies a ring change leaves behind: a node that holds ids in a
 * range it does not own (by the ring in force) after an {@code add-node}, {@code remove-node} or {@code NODE_GONE}
 * keeps a surplus copy, which is dropped once every owner is seen to hold it.
 * <p>
 * <b>Which ranges.</b> A range is swept only when it is <i>settled</i> in a round: each of its N owners answered
 * this round's digest request, their digests are equal and none holds a quarantined id in it. A range whose owner is
 * down or did not answer, or that still differs (its copies are being made this round), is left for a later round:
 * nothing is dropped from anyone there. Its <i>holders</i> are the other nodes of the ring whose digest of the range
 * counts at least one id.
 * <p>
 * <b>Which ids.</b> The owners and holders of a settled range list their ids; a holder is ordered to drop exactly
 * the ids that every owner listed as held ({@link #toDrop}). An id that some owner lacks is never dropped: it is
 * copied from a holder to the owners that lack it ({@link #toCopy}), and dropped in a later round once they hold it.
 * A range whose listing failed at any owner or holder is skipped.
 * <p>
 * Stateless; the {@link RepairScheduler} asks and orders. Bit {@code k} of the masks stands for the {@code k}-th
 * node of a range's listing: the owners first ({@code ownerCount} of them), then the holders.
 */
final class SurplusCopies
{
    /** Nodes listed per range, owners included, so that one int holds a bit for each; more holders wait a round. */
    static final int MAX_LISTED = Integer.SIZE - 1;

    private SurplusCopies()
    {
    }

    /**
     * @param ring     the ring of the round.
     * @param range    a range (token index).
     * @param replicas scratch of {@link Ring#MAX_REPLICATION_FACTOR}.
     * @param slotOf   node id to the node's slot in the round.
     * @param answered per slot and range, whether the node's digest came.
     * @param digests  per slot, four longs per range: two digest lanes, ids held, ids quarantined.
     * @param holders  cleared, then filled with the slots of the range's holders if it is settled.
     * @return the number of owners (their slots are in {@code replicas}, as node ids) if the range is settled and has
     * holders, else 0.
     */
    static int settledWithHolders(
        final Ring ring,
        final int range,
        final int[] replicas,
        final Int2IntHashMap slotOf,
        final boolean[][] answered,
        final long[][] digests,
        final IntArrayList holders)
    {
        holders.clear();
        final int n = ring.replicasAt(range, replicas);
        if (n < ring.replicaCount())
        {
            return 0;
        }
        int firstSlot = -1;
        for (int k = 0; k < n; k++)
        {
            final int slot = slotOf.get(replicas[k]);
            if (slot < 0 || !answered[slot][range] || digests[slot][range * 4 + 3] != 0)
            {
                return 0;
            }
            if (firstSlot < 0)
            {
                firstSlot = slot;
            }
            for (int lane = 0; lane < 3; lane++)
            {
                if (digests[slot][range * 4 + lane] != digests[firstSlot][range * 4 + lane])
                {
                    return 0;
                }
            }
        }
        holders(range, replicas, n, slotOf, answered, digests, holders);
        return holders.isEmpty() ? 0 : n;
    }

    /**
     * The nodes of a round, owners aside, that hold ids in a range: a sound copy an owner lacks may be only there.
     *
     * @param range    a range (token index).
     * @param replicas the range's owners, as node ids.
     * @param n        how many owners.
     * @param slotOf   node id to the node's slot in the round.
     * @param answered per slot and range, whether the node's digest came.
     * @param digests  per slot, four longs per range: two digest lanes, ids held, ids quarantined.
     * @param holders  cleared, then filled with the slots of the nodes that answered and count at least one held id,
     *                 as many as fit beside the owners in {@link #MAX_LISTED}.
     */
    static void holders(
        final int range,
        final int[] replicas,
        final int n,
        final Int2IntHashMap slotOf,
        final boolean[][] answered,
        final long[][] digests,
        final IntArrayList holders)
    {
        holders.clear();
        for (int slot = 0; slot < answered.length && n + holders.size() < MAX_LISTED; slot++)
        {
            if (answered[slot][range] && digests[slot][range * 4 + 2] > 0 && !isOwner(slot, replicas, n, slotOf))
            {
                holders.addInt(slot);
            }
        }
    }

    /**
     * @param held        the listing nodes that hold the id.
     * @param quarantined the listing nodes that hold it quarantined.
     * @param ownerCount  how many of the listing's first nodes are owners.
     * @return the holders (bits at {@code ownerCount} and above) to drop the id: those that hold it, if every owner
     * holds it and none quarantined it; else none.
     */
    static int toDrop(final int held, final int quarantined, final int ownerCount)
    {
        final int owners = (1 << ownerCount) - 1;
        if ((held & owners) != owners || (quarantined & owners) != 0)
        {
            return 0;
        }
        return held & ~owners;
    }

    /**
     * @param held        the listing nodes that hold the id.
     * @param quarantined the listing nodes that hold it quarantined.
     * @param ownerCount  how many of the listing's first nodes are owners.
     * @return the owners that lack an id some holder has (they get a copy from a holder before any drop); none if
     * no holder has it or an owner quarantined it (the digest comparison repairs that range first).
     */
    static int toCopy(final int held, final int quarantined, final int ownerCount)
    {
        final int owners = (1 << ownerCount) - 1;
        if ((held & ~owners) == 0 || (quarantined & owners) != 0)
        {
            return 0;
        }
        return ~held & owners;
    }

    private static boolean isOwner(final int slot, final int[] replicas, final int n, final Int2IntHashMap slotOf)
    {
        for (int k = 0; k < n; k++)
        {
            if (slotOf.get(replicas[k]) == slot)
            {
                return true;
            }
        }
        return false;
    }
}

package io.rfs.replication.repair;

import io.rfs.replication.ring.Ring;

import java.util.Arrays;

/**
 * The nodes a committed change took out of the ring that the leader still reaches
 * ({@code ClusterAgent.reachableRetiredNodes()}). Repair asks them for digests like any node of the ring: owning no
 * range, they are holders of whatever they keep, so the surplus passes copy to the owners what only they hold and then
 * order them to drop everything every owner holds ({@link SurplusCopies}, {@link SurplusManifests}). A node removed
 * while down is not among them, and is asked nothing.
 * <p>
 * <b>Threads.</b> Called on the network agent's thread, once per round.
 */
@FunctionalInterface
public interface RetiredNodes
{
    /** No node is retired: a round asks the ring's nodes only. */
    RetiredNodes NONE = () -> new int[0];

    /**
     * @return the retired nodes reachable now, none of them in the ring in force.
     */
    int[] reachable();

    /**
     * @param ring    the ring of the round.
     * @param retired the retired nodes reachable.
     * @return the nodes a round asks, by slot: the ring's in ring order, then the retired ones the ring does not name.
     */
    static int[] askedIn(final Ring ring, final RetiredNodes retired)
    {
        final int[] extra = retired.reachable();
        final int[] ids = new int[ring.nodeCount() + extra.length];
        int n = 0;
        for (int slot = 0; slot < ring.nodeCount(); slot++)
        {
            ids[n++] = ring.nodes().get(slot).id();
        }
        for (final int id : extra)
        {
            if (!ring.contains(id))
            {
                ids[n++] = id;
            }
        }
        return n == ids.length ? ids : Arrays.copyOf(ids, n);
    }
}

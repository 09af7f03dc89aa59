package io.rfs.replication.node;

import io.rfs.replication.cluster.ClusterAgent;

import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * Decides whether an order that destroys data ({@code DropChunksRequest}, {@code DropManifestsRequest}) comes from the leader this node follows,
 * in this node's term. Stricter than the check on copy orders, which also take a newer term not heard of yet: a
 * drop from a leader this node does not know is refused, and the leader asks again once the node has caught up.
 * <p>
 * <b>Threads.</b> The network agent's thread.
 */
final class LeaderOrders
{
    private final LongSupplier currentTerm;
    private final IntSupplier currentLeader;

    LeaderOrders(final LongSupplier currentTerm, final IntSupplier currentLeader)
    {
        this.currentTerm = currentTerm;
        this.currentLeader = currentLeader;
    }

    /**
     * @param sender the node the order came from.
     * @param term   the term it carries.
     * @return null if the order is to be carried out, else why it is refused.
     */
    String refusal(final int sender, final long term)
    {
        final long ownTerm = currentTerm.getAsLong();
        final int leader = currentLeader.getAsInt();
        if (term == ownTerm && leader == sender && leader != ClusterAgent.NO_LEADER)
        {
            return null;
        }
        return "order of term " + term + " from node " + sender + " refused: this node is at term " + ownTerm +
            " with leader " + leader;
    }
}

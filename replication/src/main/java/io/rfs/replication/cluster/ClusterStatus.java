package io.rfs.replication.cluster;

import java.util.List;

/**
 * What a node's {@link ClusterAgent} last published about the cluster: its role, term and leader, and every voting
 * member as its failure detector sees it. An immutable snapshot that any thread may read (the node's HTTP endpoint,
 * status reports); the agent replaces it at each heartbeat tick, on every change of role, term or leader, and
 * within 5 ms of a change in the failure detector's verdict on a peer.
 *
 * @param nodeId      the publishing node.
 * @param role        its role in {@code term}.
 * @param term        its current term.
 * @param leaderId    the leader of {@code term} as it knows it, {@link ClusterAgent#NO_LEADER} if none.
 * @param ringVersion the version of the last committed ring it applied, 0 if none.
 * @param majority    how many voting members make a majority.
 * @param members     every voting member, this node first.
 * @param publishedNs when it was published, on the node's clock.
 * @param voter       whether the publishing node votes (false: a learner, which hears only the leader).
 */
public record ClusterStatus(
    int nodeId, Role role, long term, int leaderId, long ringVersion, int majority, List<MemberView> members,
    long publishedNs, boolean voter)
{
    public ClusterStatus
    {
        members = List.copyOf(members);
    }

    /**
     * @return members the failure detector holds up, this node included.
     */
    public int membersUp()
    {
        int up = 0;
        for (final MemberView member : members)
        {
            up += member.state() == MemberState.UP ? 1 : 0;
        }
        return up;
    }

    /**
     * A node that cannot reach a majority can neither elect nor follow a leader, and cannot gather a quorum of
     * replicas for most keys: load balancers should send clients elsewhere.
     *
     * @return whether at least a majority of the members are up as this node sees them; for a learner, which hears
     * only from the leader, whether the leader it follows is up.
     */
    public boolean majorityReachable()
    {
        if (!voter)
        {
            return members.stream().anyMatch(m -> m.nodeId() == leaderId && m.state() == MemberState.UP);
        }
        return membersUp() >= majority;
    }
}

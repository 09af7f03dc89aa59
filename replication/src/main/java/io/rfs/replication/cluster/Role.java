package io.rfs.replication.cluster;

/**
 * A node's part in the election of its current term.
 */
public enum Role
{
    /** Follows the leader of its term, if it knows one; stands for election when it stops hearing from it. */
    FOLLOWER,
    /** Has started an election for its term and voted for itself; waits for a majority. */
    CANDIDATE,
    /** Won its term's election: replicates the cluster-metadata log and commits changes. */
    LEADER
}

package io.rfs.replication.cluster;

/**
 * One member as this node sees it, a snapshot for status reports: failure detector verdict and what the member's
 * last heartbeat said.
 *
 * @param nodeId      the member.
 * @param state       the failure detector's verdict ({@link MemberState#UP} for this node itself).
 * @param phi         the detector's phi now (0 for this node).
 * @param lastHeardNs when its last heartbeat arrived on this node's clock, {@link Long#MIN_VALUE} if never.
 * @param term        the term its last heartbeat carried.
 * @param ringVersion the ring version its last heartbeat carried.
 * @param leaderId    the leader its last heartbeat named, -1 for none.
 * @param load        the load its last heartbeat carried.
 */
public record MemberView(
    int nodeId, MemberState state, double phi, long lastHeardNs, long term, long ringVersion, int leaderId, int load)
{
}

package io.rfs.replication.cluster;

/**
 * What the failure detector concludes about a peer, from its heartbeat arrival history.
 */
public enum MemberState
{
    /** No heartbeat has arrived from it yet. */
    UNKNOWN,
    /** Heartbeats arrive as expected: phi below the suspect threshold. */
    UP,
    /** Heartbeats are late: phi at or above the suspect threshold, below the down threshold. */
    SUSPECT,
    /** Heartbeats have stopped: phi at or above the down threshold. */
    DOWN
}

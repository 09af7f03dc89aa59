package io.rfs.replication.client;

/**
 * Why one replica did not acknowledge a write, or did not give a read what it asked for. None of these counts towards
 * W or R.
 */
public enum ReplicaFailure
{
    /** No answer before the write's deadline: the node is down, unreachable, slow, or its inbox refused the offer. */
    TIMED_OUT,
    /** The node found that the payload did not decompress to its raw length or did not hash to its id. */
    CORRUPT,
    /** The node's disk is full. */
    DISK_FULL,
    /** The node answered {@code ERROR}: its force or another storage step failed. */
    FAILED,
    /** The node answered with an {@code Error} message (overloaded, malformed, internal, ...). */
    REJECTED,
    /** The answer was of the wrong type, failed its decoder's checks or named another chunk. */
    BAD_RESPONSE,
    /**
     * A write: not sent, because {@link NodeHealth} had ejected the node after consecutive failed requests. In
     * {@code availability} mode a stand-in was asked instead; in {@code consistency} mode the write failed without
     * waiting for its deadline.
     */
    DOWN,
    /** A hinted write: the stand-in's hint log is full ({@code HINTS_FULL}); nothing was stored there. */
    HINTS_FULL,
    /**
     * A hinted write: the stand-in acknowledged without {@code HINT_RECORDED} (a node older than hints), so it will
     * not hand the data over, and the answer does not count towards W.
     */
    HINT_NOT_RECORDED,
    /** A read: the node does not hold the chunk. */
    NOT_FOUND,
    /** A read: the bytes the node sent did not decompress to their raw length or did not hash to the chunk's id. */
    MISMATCH
}

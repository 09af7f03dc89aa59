package io.rfs.replication.protocol;

/**
 * Outcome codes carried by the responses of the data path, one byte on the wire.
 */
public enum Status
{
    /** Done: stored, or found and returned. */
    OK(0),
    /** The node already had it; nothing was written. As good as {@link #OK} for a quorum. */
    ALREADY_HAD(1),
    /** The node does not have it. */
    NOT_FOUND(2),
    /** The node's disk is full; try another replica. */
    DISK_FULL(3),
    /** What was sent, or what the node holds, failed its checksum or digest; try another replica. */
    CORRUPT(4),
    /** Any other failure; the node logs the cause. */
    ERROR(5),
    /**
     * A hinted write refused: the node already holds {@code handoff.max.hints} hints not yet handed over. Try the
     * next fallback node, or fail. Sent only in answer to a hinted request, so only to writers that know it.
     */
    HINTS_FULL(6),
    /**
     * A range request named a ring (by fingerprint) other than the one the node summarises its chunks by; the
     * response carries the node's ring fingerprint. Sent only in answer to range requests.
     */
    RING_MISMATCH(7);

    private static final Status[] BY_CODE = values();

    private final int code;

    Status(final int code)
    {
        this.code = code;
    }

    /**
     * @return the code written on the wire.
     */
    public int code()
    {
        return code;
    }

    /**
     * @param code a code from the wire, any value.
     * @return its status, or null if the code is unknown.
     */
    public static Status get(final int code)
    {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    /**
     * @return the largest code of this version.
     */
    static int maxCode()
    {
        return BY_CODE.length - 1;
    }
}

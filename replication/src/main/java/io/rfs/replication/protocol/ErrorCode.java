package io.rfs.replication.protocol;

/**
 * Codes of an {@code Error} message, four bytes on the wire.
 */
public enum ErrorCode
{
    /** A frame or body failed a check; the connection closes after this message. */
    MALFORMED(1),
    /** The type id is not one this node knows; the connection closes. */
    UNKNOWN_TYPE(2),
    /** The peer's role may not send this type, or the peer is not authenticated; the connection closes. */
    NOT_AUTHORISED(3),
    /** {@code Hello} found no protocol version both sides speak; the connection closes. */
    NO_COMMON_VERSION(4),
    /** The node cannot take the request now; retry later or elsewhere. */
    OVERLOADED(5),
    /** A leader-only request reached a node that is not the leader; the text names the leader if known. */
    NOT_LEADER(6),
    /** Anything else; the node logs the cause. */
    INTERNAL(7);

    private static final ErrorCode[] BY_CODE = new ErrorCode[8];

    static
    {
        for (final ErrorCode code : values())
        {
            BY_CODE[code.code] = code;
        }
    }

    private final int code;

    ErrorCode(final int code)
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
     * @return its error code, or null if unknown (a later version's code: treat as {@link #INTERNAL}).
     */
    public static ErrorCode get(final int code)
    {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}

package io.rfs.replication.transport;

/**
 * What an authenticated peer is, as its credentials prove it: a cluster node, or a client of the cluster. A
 * transport learns the role during the handshake and hands it to the {@link MessageAuthorizer} with every frame.
 */
public enum PeerRole
{
    /** A member of the cluster: it proved the cluster secret, or holds a certificate naming {@code node-<id>}. */
    NODE(1),
    /** A client: it proved the client secret, or holds a certificate naming {@code client-<id>}. */
    CLIENT(2);

    private final int code;

    PeerRole(final int code)
    {
        this.code = code;
    }

    /**
     * @return the role's code on the wire.
     */
    public int code()
    {
        return code;
    }

    /**
     * @param code a role's code on the wire.
     * @return the role, or null if the code names none.
     */
    public static PeerRole fromCode(final int code)
    {
        switch (code)
        {
            case 1:
                return NODE;
            case 2:
                return CLIENT;
            default:
                return null;
        }
    }
}

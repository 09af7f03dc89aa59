package io.rfs.replication.transport;

import io.rfs.replication.protocol.MessageTypes;

/**
 * What an authenticated peer is, as its credentials prove it: a cluster node, or a client of the cluster. A
 * transport learns the role during the handshake and hands it to the {@link MessageAuthorizer} with every frame.
 */
public enum PeerRole
{
    /** A member of the cluster: it proved the cluster secret, or holds a certificate naming {@code node-<id>}. */
    NODE(MessageTypes.ROLE_NODE),
    /** A client: it proved the client secret, or holds a certificate naming {@code client-<id>}. */
    CLIENT(MessageTypes.ROLE_CLIENT);

    private final int code;

    PeerRole(final int code)
    {
        this.code = code;
    }

    /**
     * @return the role's code on the wire and in the registry: {@link MessageTypes#ROLE_NODE} or
     * {@link MessageTypes#ROLE_CLIENT}.
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
        if (code == MessageTypes.ROLE_NODE)
        {
            return NODE;
        }
        return code == MessageTypes.ROLE_CLIENT ? CLIENT : null;
    }
}

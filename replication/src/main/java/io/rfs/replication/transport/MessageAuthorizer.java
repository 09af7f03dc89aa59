package io.rfs.replication.transport;

import io.rfs.replication.protocol.MessageTypes;

/**
 * Decides whether a peer in a given role may send a message type. A transport asks for every frame it receives from
 * an authenticated peer, before the frame reaches a {@link MessageHandler}; a frame refused (including one of a type
 * the authorizer does not know) closes its connection and is counted, as any bad input is.
 * <p>
 * {@link #REGISTRY} answers from the message type registry's role table; an implementation is called on the
 * transport's thread and must neither block nor allocate. Checks that depend on cluster state (is the sender the current leader, is its
 * term current) belong to the node logic, which sees the authenticated source node id.
 */
@FunctionalInterface
public interface MessageAuthorizer
{
    /** The protocol's rule: the type is known and its "sent by" column includes the role. */
    MessageAuthorizer REGISTRY = (peerRole, messageType) -> MessageTypes.isAllowedFrom(messageType, peerRole.code());

    /**
     * @param peerRole    the sender's authenticated role.
     * @param messageType the frame's message type id.
     * @return true if the message may be delivered.
     */
    boolean isAuthorized(PeerRole peerRole, int messageType);
}

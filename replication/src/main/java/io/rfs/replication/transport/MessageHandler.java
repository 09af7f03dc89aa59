package io.rfs.replication.transport;

import org.agrona.DirectBuffer;

/**
 * Receives messages from a {@link Transport}.
 */
@FunctionalInterface
public interface MessageHandler
{
    /**
     * @param sourceNodeId  the authenticated sender.
     * @param messageType   the message type id.
     * @param correlationId the correlation id the sender gave.
     * @param buffer        holds the body; valid only during this call.
     * @param offset        where the body starts.
     * @param length        body length.
     */
    void onMessage(int sourceNodeId, int messageType, long correlationId, DirectBuffer buffer, int offset, int length);
}

package io.rfs.replication.transport;

import org.agrona.DirectBuffer;

/**
 * Learns how a request registered with {@link PendingRequests} ended: exactly one of the two methods is called,
 * exactly once, on the thread that drives the {@link PendingRequests}.
 */
public interface ResponseListener
{
    /**
     * The response arrived in time.
     *
     * @param correlationId the request's correlation id.
     * @param sourceNodeId  the node that answered, the one the request was sent to.
     * @param messageType   the response's type id ({@code Error} included).
     * @param buffer        holds the body; valid only during this call.
     * @param offset        where the body starts.
     * @param length        body length.
     */
    void onResponse(
        long correlationId, int sourceNodeId, int messageType, DirectBuffer buffer, int offset, int length);

    /**
     * No response came before the deadline; one that comes later is dropped.
     *
     * @param correlationId the request's correlation id.
     */
    void onTimeout(long correlationId);
}

package io.rfs.replication.transport;

/**
 * Told when a transport no longer reads the payload of a gather
 * {@link Transport#offer(int, int, long, org.agrona.DirectBuffer, int, int, org.agrona.DirectBuffer, int, int) offer}
 * that it sends without copying, so that the caller may reuse or unmap that memory. Called on the transport's thread,
 * once per such offer, in offer order per destination; it must not block.
 */
@FunctionalInterface
public interface PayloadReleaseHandler
{
    /** Ignores every release: for callers whose payloads never change (immutable, mapped chunks). */
    PayloadReleaseHandler NONE = (destinationNodeId, messageType, correlationId, written) ->
    {
    };

    /**
     * @param destinationNodeId the offer's destination.
     * @param messageType       the offer's message type id.
     * @param correlationId     the offer's correlation id.
     * @param written           true if every payload byte was handed to the network; false if the message was
     *                          dropped because its connection closed first.
     */
    void onPayloadReleased(int destinationNodeId, int messageType, long correlationId, boolean written);
}

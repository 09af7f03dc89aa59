package io.rfs.replication.node;

/**
 * Layout of a record in the results ring, which carries responses from the {@link StorageAgent} back to the
 * {@link NodeAgent} for sending. The record's type id is the response's message type ({@code Error} included); its
 * bytes are the destination and correlation id, an optional payload reference, and the response body's fields.
 * Integers are in the host's byte order: the ring never leaves the process.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                   Destination node id (i32)                   |  0
 *  +---------------------------------------------------------------+
 *  |               Payload length (i32), 0 if none                 |  4
 *  +---------------------------------------------------------------+
 *  |                     Correlation id (i64)                      |  8
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |             Payload address (i64), 0 if none                  | 16
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 Response fields (the body)                  ... 24
 *  +---------------------------------------------------------------+
 * </pre>
 * <b>Payload.</b> A chunk or manifest is not copied into the ring: the payload address is where its stored bytes
 * lie in a mapped segment of this node's store, and the node agent sends them after the fields with the transport's
 * gather offer, straight from the mapping. The store keeps every segment mapped until it is closed, and the node
 * never deletes segments while it serves (it does not compact), so the address stays valid until the transport is
 * closed, which {@link Node#close()} does before it closes the store.
 */
final class StorageResultDescriptor
{
    static final int DESTINATION_OFFSET = 0;
    static final int PAYLOAD_LENGTH_OFFSET = 4;
    static final int CORRELATION_ID_OFFSET = 8;
    static final int PAYLOAD_ADDRESS_OFFSET = 16;
    static final int HEADER_LENGTH = 24;
    static final int FIELDS_OFFSET = HEADER_LENGTH;

    private StorageResultDescriptor()
    {
    }
}

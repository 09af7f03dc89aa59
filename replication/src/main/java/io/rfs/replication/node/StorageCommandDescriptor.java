package io.rfs.replication.node;

/**
 * Layout of a record in the storage queue, the ring buffer that carries requests from the {@link NodeAgent} to the
 * {@link StorageAgent}. The record's type id is the request's message type; its bytes are the request's source and
 * correlation id followed by the request body exactly as it came off the transport, already checked by its decoder.
 * Integers are in the host's byte order: the ring never leaves the process.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                     Source node id (i32)                      |  0
 *  +---------------------------------------------------------------+
 *  |                       Reserved (i32)                          |  4
 *  +---------------------------------------------------------------+
 *  |                     Correlation id (i64)                      |  8
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 Request body (as received)                  ... 16
 *  +---------------------------------------------------------------+
 * </pre>
 * Every request record gets exactly one record back in the results ring ({@link StorageResultDescriptor}), which is
 * how the node agent knows when nothing is in progress.
 * <p>
 * One record type is not a request: {@link #TYPE_OUTBOUND_OUTCOME}, written by {@link OutboundRequests} to report how
 * a request that a storage-side agent sent (a handoff) ended. Its correlation id is that agent's tag, its source the
 * node the request went to, and its body one i32, the outcome ({@link OutboundRequests}). It gets nothing back.
 */
final class StorageCommandDescriptor
{
    static final int SOURCE_OFFSET = 0;
    static final int CORRELATION_ID_OFFSET = 8;
    static final int HEADER_LENGTH = 16;
    static final int BODY_OFFSET = HEADER_LENGTH;
    /** Record type of an outbound request's outcome; above every message type id (they are below 256). */
    static final int TYPE_OUTBOUND_OUTCOME = 1001;
    static final int OUTCOME_LENGTH = 4;

    private StorageCommandDescriptor()
    {
    }
}

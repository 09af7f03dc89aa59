package io.rfs.replication.transport.shm;

import org.agrona.concurrent.ringbuffer.RingBuffer;

/**
 * Finds the inbox a frame for a node goes into.
 */
@FunctionalInterface
interface InboxLookup
{
    /**
     * @param nodeId a node.
     * @return its inbox, or null if the node is unknown or its inbox is not open now.
     */
    RingBuffer find(int nodeId);
}

package io.rfs.replication.repair;

import io.rfs.replication.transport.PendingRequests;
import io.rfs.replication.transport.ResponseListener;
import org.agrona.DirectBuffer;

/**
 * How the repair scheduler asks nodes, this one included, and gets the answers: each request is registered for its
 * answer or timeout (one of the two, exactly once, on the caller's thread, never during {@link #send}).
 */
public interface RequestChannel
{
    /** {@link #send} could not send the request: no slot, or the destination's link refused it. */
    long REFUSED = PendingRequests.REFUSED;

    /**
     * @param destination a node id, this node's included.
     * @param type        the request's message type.
     * @param body        holds the body.
     * @param offset      where it starts.
     * @param length      its length.
     * @param listener    told of the answer or the timeout.
     * @param timeoutNs   how long to wait for the answer.
     * @return the request's correlation id, or {@link #REFUSED}.
     */
    long send(
        int destination, int type, DirectBuffer body, int offset, int length, ResponseListener listener,
        long timeoutNs);
}

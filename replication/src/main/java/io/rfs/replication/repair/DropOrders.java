package io.rfs.replication.repair;

import io.rfs.replication.protocol.MalformedMessageException;
import io.rfs.store.chunk.ChunkId;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.util.List;

/**
 * How the {@link ChunkReclaimer} orders a node to drop chunks: the wire form of the leader's drop order, which must
 * carry the leader's term (a deposed leader's order is refused) and the node's own clock reading from the listing the
 * ids came from, so that the node drops an id only if nothing stored or asked to store it since.
 */
public interface DropOrders
{
    /**
     * @return the request's message type.
     */
    int requestType();

    /**
     * @return most ids one order may carry.
     */
    int maxIds();

    /**
     * @param buffer           where to write the body.
     * @param offset           where it starts.
     * @param term             the leader's term.
     * @param untouchedSinceNs the node's clock reading at the listing: drop only ids not touched since.
     * @param clockInstance    the clock instance that listing named.
     * @param ids              the ids, 1 to {@link #maxIds()}.
     * @return the body's length.
     */
    int encode(
        MutableDirectBuffer buffer, int offset, long term, long untouchedSinceNs, long clockInstance,
        List<ChunkId> ids);

    /**
     * @param messageType the answer's type.
     * @param buffer      holds its body.
     * @param offset      where it starts.
     * @param length      its length.
     * @param idCount     ids the order carried.
     * @return how many the node dropped, or -1 if the answer is not the order's success response.
     * @throws MalformedMessageException if the answer does not decode.
     */
    int dropped(int messageType, DirectBuffer buffer, int offset, int length, int idCount)
        throws MalformedMessageException;
}

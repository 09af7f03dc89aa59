package io.rfs.replication.client;

import io.rfs.store.RfsException;

/**
 * Learns how a chunk fetch submitted to a {@link QuorumReader} ended: exactly one method, exactly once, on the
 * reader's thread.
 */
public interface ChunkFetchListener
{
    /**
     * A replica sent the chunk; its payload is in the fetch's destination array, not yet verified (the caller
     * verifies it off the agent thread and, on a mismatch, reports the replica and fetches again without it).
     *
     * @param fetchId       the id the fetch was submitted under.
     * @param nodeId        the replica that sent it.
     * @param compressed    true if the payload is LZ4-compressed.
     * @param payloadLength bytes of payload in the destination.
     */
    void onFetched(long fetchId, int nodeId, boolean compressed, int payloadLength);

    /**
     * No replica could send it: {@link io.rfs.store.MissingChunkException} if every one asked said it does not hold
     * it, {@link io.rfs.store.CorruptChunkException} if a copy was corrupt and no other could be had,
     * {@link QuorumReadException} if replicas could not be reached.
     *
     * @param fetchId the id the fetch was submitted under.
     * @param failure why.
     */
    void onFailed(long fetchId, RfsException failure);
}

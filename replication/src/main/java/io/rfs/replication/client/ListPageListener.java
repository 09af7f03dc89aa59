package io.rfs.replication.client;

import io.rfs.replication.protocol.ListManifestsResponseDecoder;
import io.rfs.store.RfsException;

/**
 * Learns how one {@code ListManifests} page request ended: exactly one method, exactly once, on the reader's thread.
 */
public interface ListPageListener
{
    /**
     * @param requestId the id {@link QuorumReader#listManifests} returned.
     * @param page      the page, wrapped and checked; valid only during this call.
     */
    void onPage(long requestId, ListManifestsResponseDecoder page);

    /**
     * @param requestId the id {@link QuorumReader#listManifests} returned.
     * @param failure   why the node gave no page.
     */
    void onFailed(long requestId, RfsException failure);
}

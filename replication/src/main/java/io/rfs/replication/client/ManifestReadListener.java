package io.rfs.replication.client;

import io.rfs.store.manifest.Manifest;

/**
 * Learns how a manifest read submitted to a {@link QuorumReader} ended: exactly one method, exactly once, on the
 * reader's thread.
 */
public interface ManifestReadListener
{
    /**
     * R owners answered.
     *
     * @param readId   the id {@link QuorumReader#readManifest} returned.
     * @param manifest the newest version among the answers (possibly a tombstone), or null if none holds the name.
     */
    void onRead(long readId, Manifest manifest);

    /**
     * R can no longer be reached.
     *
     * @param readId  the id {@link QuorumReader#readManifest} returned.
     * @param failure names each replica that failed and why.
     */
    void onFailed(long readId, QuorumReadException failure);
}

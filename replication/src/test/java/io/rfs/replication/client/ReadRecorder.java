package io.rfs.replication.client;

import io.rfs.store.RfsException;
import io.rfs.store.chunk.ChunkId;
import io.rfs.store.manifest.Manifest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps how each read and fetch ended, and every bad replica reported; fails the test if one ends twice.
 */
final class ReadRecorder implements ManifestReadListener, ChunkFetchListener, BadReplicaListener
{
    record Fetched(int nodeId, boolean compressed, int payloadLength)
    {
    }

    record Bad(int nodeId, ChunkId chunkId, ReplicaFailure reason)
    {
    }

    final Map<Long, Manifest> read = new HashMap<>();
    final Map<Long, QuorumReadException> readFailed = new HashMap<>();
    final Map<Long, Fetched> fetched = new HashMap<>();
    final Map<Long, RfsException> fetchFailed = new HashMap<>();
    final List<Bad> bad = new ArrayList<>();

    @Override
    public void onRead(final long readId, final Manifest manifest)
    {
        assertNotEnded(readId);
        read.put(readId, manifest);
    }

    @Override
    public void onFailed(final long readId, final QuorumReadException failure)
    {
        assertNotEnded(readId);
        readFailed.put(readId, failure);
    }

    @Override
    public void onFetched(final long fetchId, final int nodeId, final boolean compressed, final int payloadLength)
    {
        assertNotEnded(fetchId);
        fetched.put(fetchId, new Fetched(nodeId, compressed, payloadLength));
    }

    @Override
    public void onFailed(final long fetchId, final RfsException failure)
    {
        assertNotEnded(fetchId);
        fetchFailed.put(fetchId, failure);
    }

    @Override
    public void onBadReplica(final int nodeId, final ChunkId chunkId, final ReplicaFailure reason)
    {
        bad.add(new Bad(nodeId, chunkId, reason));
    }

    boolean hasEnded(final long id)
    {
        return read.containsKey(id) || readFailed.containsKey(id) || fetched.containsKey(id) ||
            fetchFailed.containsKey(id);
    }

    private void assertNotEnded(final long id)
    {
        assertThat(hasEnded(id)).as("request %s ended twice", id).isFalse();
    }
}

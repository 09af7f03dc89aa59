package io.rfs.tools.bench;

import io.rfs.replication.ConsistencyLevel;
import io.rfs.replication.client.RfsClient;
import io.rfs.store.FileStat;
import io.rfs.store.TransferListener;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The cluster a benchmark runs against: its client, shared by every benchmark client thread (an {@link RfsClient} is
 * thread-safe), how it is reached, and, where the benchmark may stop nodes, how.
 *
 * @param client the cluster's client, left open.
 * @param store  how the cluster is reached: {@code embedded} or {@code cluster}.
 * @param nodes  stops and starts nodes, or null where that is not possible.
 * @param repair  asks the leader to repair and waits for a healthy cluster, or null where that is not possible.
 * @param clients opens more clients with other read balancers, or null where that is not possible.
 */
public record BenchTarget(RfsClient client, String store, NodeControl nodes, ClusterRepairer repair,
    BalancedClientFactory clients)
{
    /**
     * @param other another client of the same cluster.
     * @return this target, reached through that client.
     */
    BenchTarget withClient(final RfsClient other)
    {
        return new BenchTarget(other, store, nodes, repair, clients);
    }

    /**
     * @return N, the replication factor of the cluster's ring.
     */
    public int replicationFactor()
    {
        return client.ring().replicationFactor();
    }

    /**
     * @return how many nodes the cluster has.
     */
    public int nodeCount()
    {
        return client.ring().nodeCount();
    }

    /**
     * @return true if the nodes talk over loopback TCP, so that loopback bandwidth bounds the data path.
     */
    public boolean overTcp()
    {
        return "cluster".equals(store);
    }

    /**
     * Stores a stream at a consistency level.
     *
     * @param name  the name.
     * @param in    the content.
     * @param level W.
     * @return the bytes stored.
     * @throws IOException if the put failed.
     */
    long put(final String name, final InputStream in, final ConsistencyLevel level) throws IOException
    {
        return client.put(name, in, level, TransferListener.NONE).size();
    }

    /**
     * Stores an array at a consistency level.
     *
     * @param name    the name.
     * @param content the content.
     * @param level   W.
     * @return the bytes stored.
     * @throws IOException if the put failed.
     */
    long put(final String name, final byte[] content, final ConsistencyLevel level) throws IOException
    {
        return put(name, new ByteArrayInputStream(content), level);
    }

    /**
     * Reads a file, every chunk verified, and drops its bytes.
     *
     * @param name  the name.
     * @param level R.
     * @return the bytes read.
     * @throws IOException if the get failed.
     */
    long get(final String name, final ConsistencyLevel level) throws IOException
    {
        final FileStat stat = client.get(name, OutputStream.nullOutputStream(), level, TransferListener.NONE);
        return stat.size();
    }
}

package io.rfs.tools;

import io.rfs.replication.client.BalancerKind;
import io.rfs.replication.client.ChunkCache;
import io.rfs.replication.client.ClientContext;
import io.rfs.replication.client.ClientProperties;
import io.rfs.replication.client.RfsClient;
import io.rfs.replication.cluster.EmbeddedCluster;
import io.rfs.store.FileStore;
import io.rfs.store.InvalidInputException;
import io.rfs.store.LocalFileStore;
import io.rfs.store.LocalStoreContext;
import io.rfs.store.chunk.ChunkingPolicy;
import org.agrona.CloseHelper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The store a data command runs against, open, with whatever must live as long as it: the single-node store, or a
 * cluster client together with the embedded cluster it talks to. Closing closes the client before the nodes, so
 * that nothing in flight is cut off by its own cluster going away.
 */
final class OpenedStore implements AutoCloseable
{
    /**
     * The embedded cluster's client id on its shared-memory network: above every node id the embedded cluster
     * can have ({@link EmbeddedCluster.Context#MAX_NODES}).
     */
    static final int EMBEDDED_CLIENT_ID = 1000;

    private final StoreMode mode;
    private final FileStore store;
    private final EmbeddedCluster cluster;
    private final AtomicInteger nextClient = new AtomicInteger();

    private OpenedStore(final StoreMode mode, final FileStore store, final EmbeddedCluster cluster)
    {
        this.mode = mode;
        this.store = store;
        this.cluster = cluster;
    }

    /**
     * @param mode          the mode asked for; {@link StoreMode#AUTO} is resolved against the data directory.
     * @param dataDirectory the data directory ({@code --data}, {@code $RFS_HOME}, {@code ~/.rfs}).
     * @param chunking      how puts cut files, or null for the default.
     * @return the open store.
     * @throws IOException a typed {@link io.rfs.store.RfsException} if it cannot be opened (locked by another
     *                     process, a bad cluster configuration, ...).
     */
    static OpenedStore open(final StoreMode mode, final Path dataDirectory, final ChunkingPolicy chunking)
        throws IOException
    {
        return open(mode, dataDirectory, chunking, ChunkCache.NONE);
    }

    /**
     * @param mode          as {@link #open(StoreMode, Path, ChunkingPolicy)}.
     * @param dataDirectory as {@link #open(StoreMode, Path, ChunkingPolicy)}.
     * @param chunking      as {@link #open(StoreMode, Path, ChunkingPolicy)}.
     * @param chunkCache    where a cluster client's gets look for chunks first; the single-node store reads its own
     *                      disk and uses none.
     * @return the open store.
     * @throws IOException as {@link #open(StoreMode, Path, ChunkingPolicy)}.
     */
    static OpenedStore open(final StoreMode mode, final Path dataDirectory, final ChunkingPolicy chunking,
        final ChunkCache chunkCache) throws IOException
    {
        if (Files.exists(dataDirectory) && !Files.isDirectory(dataDirectory))
        {
            throw new InvalidInputException("data directory " + dataDirectory + " exists and is not a directory");
        }
        final StoreMode resolved = mode.resolve(dataDirectory);
        switch (resolved)
        {
            case LOCAL:
                final LocalStoreContext local = new LocalStoreContext().dataDirectory(dataDirectory);
                if (chunking != null)
                {
                    local.chunking(chunking);
                }
                return new OpenedStore(resolved, LocalFileStore.open(local), null);

            case CLUSTER:
                final ClientContext remote = ClientProperties.load(new ClusterDirectory(dataDirectory).clientProperties())
                    .chunkCache(chunkCache);
                if (chunking != null)
                {
                    remote.chunking(chunking);
                }
                return new OpenedStore(resolved, RfsClient.connect(remote), null);

            default:
                return openEmbedded(dataDirectory, chunking, chunkCache);
        }
    }

    private static OpenedStore openEmbedded(final Path dataDirectory, final ChunkingPolicy chunking,
        final ChunkCache chunkCache) throws IOException
    {
        final EmbeddedCluster cluster = EmbeddedCluster.open(new EmbeddedCluster.Context()
            .rootDirectory(dataDirectory.resolve(StoreMode.EMBEDDED_DIRECTORY)));
        try
        {
            final ClientContext client = new ClientContext()
                .ring(cluster.ring())
                .transport(cluster.newClientTransport(EMBEDDED_CLIENT_ID))
                .clientId(EMBEDDED_CLIENT_ID)
                .chunkCache(chunkCache);
            if (chunking != null)
            {
                client.chunking(chunking);
            }
            return new OpenedStore(StoreMode.EMBEDDED, RfsClient.connect(client), cluster);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(cluster);
            throw ex;
        }
    }

    /**
     * Opens one more client of the embedded cluster, with its own endpoint and id, whose reads pick replicas by the
     * given balancer; the other settings are the ones every command's client has.
     *
     * @param balancer its {@code read.balancer}.
     * @return the client; the caller closes it.
     * @throws IllegalStateException if this is not the embedded cluster.
     */
    RfsClient newEmbeddedClient(final BalancerKind balancer)
    {
        if (cluster == null)
        {
            throw new IllegalStateException("only the embedded cluster's clients are opened here");
        }
        final int clientId = EMBEDDED_CLIENT_ID + nextClient.incrementAndGet();
        return RfsClient.connect(new ClientContext()
            .ring(cluster.ring())
            .transport(cluster.newClientTransport(clientId))
            .clientId(clientId)
            .balancer(balancer));
    }

    /**
     * @return the mode in use, never {@link StoreMode#AUTO}.
     */
    StoreMode mode()
    {
        return mode;
    }

    /**
     * @return the open store.
     */
    FileStore store()
    {
        return store;
    }

    /**
     * @return the embedded cluster the store's client talks to, or null in the other modes.
     */
    EmbeddedCluster cluster()
    {
        return cluster;
    }

    @Override
    public void close() throws IOException
    {
        try
        {
            store.close();
        }
        finally
        {
            if (cluster != null)
            {
                cluster.close();
            }
        }
    }
}

package io.rfs.replication.node;

import io.rfs.store.ConfigurationException;
import io.rfs.store.StoreDirectory;
import io.rfs.store.chunkstore.ChunkStore;
import io.rfs.store.manifest.HybridLogicalClock;
import io.rfs.store.manifest.ManifestStore;
import org.agrona.CloseHelper;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A node's disk: its locked data directory, chunk store, manifest store and hint log ({@link HintStore}), laid out
 * as a single-node store's are ({@code docs/FORMATS.md}), opened and recovered together and closed together.
 * <p>
 * <b>Threads.</b> Opened and closed by the thread that wires the node; used in between by the {@link StorageAgent}
 * only. The {@link NodeAgent} reads payloads from the mapped segments through the addresses the storage agent hands
 * it, never through this object.
 */
final class NodeStore implements AutoCloseable
{
    /** The hint log's directory, under the data directory. */
    static final String HINTS_DIRECTORY = "hints";

    private final StoreDirectory directory;
    private final ChunkStore chunks;
    private final ManifestStore manifests;
    private final HintStore hints;

    private NodeStore(
        final StoreDirectory directory, final ChunkStore chunks, final ManifestStore manifests, final HintStore hints)
    {
        this.directory = directory;
        this.chunks = chunks;
        this.manifests = manifests;
        this.hints = hints;
    }

    /**
     * Opens the data directory (creating it for a new node), taking its lock, and recovers both stores.
     *
     * @param context a concluded context.
     * @return the open store.
     * @throws ConfigurationException if the directory belongs to another node id.
     * @throws IOException            if the directory is locked by another process or cannot be recovered.
     */
    static NodeStore open(final NodeContext context) throws IOException
    {
        final StoreDirectory directory = StoreDirectory.open(
            context.dataDirectory(), context.nodeId(), context.disk());
        ChunkStore chunks = null;
        ManifestStore manifests = null;
        try
        {
            if (directory.nodeId() != context.nodeId())
            {
                throw new ConfigurationException(NodeContext.NODE_ID_PROP, context.nodeId(), "but data directory " +
                    context.dataDirectory() + " belongs to node " + directory.nodeId());
            }
            chunks = ChunkStore.open(
                directory.chunksDirectory(), context.disk(), context.chunkSegmentCapacity(), context.nodeId());
            manifests = ManifestStore.open(directory.manifestsDirectory(), context.disk(),
                context.manifestSegmentCapacity(), new HybridLogicalClock(context.epochClock()));
            final HintStore hints = HintStore.open(
                directory.root().resolve(HINTS_DIRECTORY), context.disk(), context.handoffMaxHints());
            return new NodeStore(directory, chunks, manifests, hints);
        }
        catch (final IOException | RuntimeException ex)
        {
            CloseHelper.quietClose(manifests);
            CloseHelper.quietClose(chunks);
            CloseHelper.quietClose(directory);
            throw ex;
        }
    }

    ChunkStore chunks()
    {
        return chunks;
    }

    ManifestStore manifests()
    {
        return manifests;
    }

    HintStore hints()
    {
        return hints;
    }

    /**
     * Forces both logs (everything acknowledged was forced already; this covers writes that were in progress when
     * the agents stopped), closes both stores and releases the directory's lock.
     */
    @Override
    public void close()
    {
        try
        {
            chunks.force();
            manifests.force();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("forcing the store of " + directory.root() + " on close failed", ex);
        }
        finally
        {
            CloseHelper.closeAll(hints, manifests, chunks, directory);
        }
    }
}

package io.rfs.tools;

import io.rfs.replication.cluster.EmbeddedCluster;
import io.rfs.replication.node.NodeContext;
import io.rfs.store.StoreDirectory;
import io.rfs.tools.bench.NodeControl;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Stops and starts nodes of the embedded cluster in this process, for {@code rfs bench}'s failover workload, and
 * slows one's chunk reads down for the balancers workload. A stopped node is closed and taken off the
 * in-process network: to its peers and the client, it no longer answers.
 */
final class EmbeddedNodeControl implements NodeControl
{
    private final EmbeddedCluster cluster;

    /**
     * @param cluster the running embedded cluster.
     */
    EmbeddedNodeControl(final EmbeddedCluster cluster)
    {
        this.cluster = cluster;
    }

    @Override
    public List<Integer> nodeIds()
    {
        final List<Integer> ids = new ArrayList<>();
        for (int id = 1; id <= cluster.context().nodes(); id++)
        {
            ids.add(id);
        }
        return ids;
    }

    @Override
    public String stop(final int nodeId)
    {
        cluster.stopNode(nodeId);
        return "closed and taken off the in-process network";
    }

    @Override
    public void start(final int nodeId) throws IOException
    {
        cluster.startNode(nodeId);
    }

    @Override
    public String wipeChunks(final int nodeId) throws IOException
    {
        cluster.stopNode(nodeId);
        final Path chunks = cluster.context().nodeDirectory(nodeId).resolve(StoreDirectory.CHUNKS_DIRECTORY);
        NodeRetirement.deleteTree(chunks);
        cluster.startNode(nodeId);
        return "closed, " + chunks + " deleted";
    }

    @Override
    public String slowDown(final int nodeId, final long chunkReadDelayNs) throws IOException
    {
        if (nodeId < 1 || nodeId > cluster.nodes().size())
        {
            throw new IllegalArgumentException("node " + nodeId + " is not in the cluster " + nodeIds());
        }
        cluster.nodes().get(nodeId - 1).node().storageAgent().chunkReadDelayNs(chunkReadDelayNs);
        return "given " + NodeContext.STORAGE_CHUNK_READ_DELAY_PROP + "=" + chunkReadDelayNs / 1000 +
            "us while running";
    }
}

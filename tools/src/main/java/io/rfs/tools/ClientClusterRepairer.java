package io.rfs.tools;

import io.rfs.replication.client.RfsClient;
import io.rfs.replication.ring.RingNode;
import io.rfs.tools.bench.ClusterRepairer;

import java.io.IOException;

/**
 * {@code rfs bench}'s way to the cluster's repair: the same requests as {@code rfs repair --wait} and
 * {@code rfs repair --bandwidth}, through the benchmark's client.
 */
final class ClientClusterRepairer implements ClusterRepairer
{
    private final RfsClient client;

    /**
     * @param client the benchmark's client, left open.
     */
    ClientClusterRepairer(final RfsClient client)
    {
        this.client = client;
    }

    @Override
    public Figures repairUntilHealthy(final long timeoutNs) throws IOException
    {
        final long startNs = System.nanoTime();
        final ClusterRepair.Outcome outcome = new ClusterRepair(client).untilHealthy(startNs + timeoutNs,
            RepairStatusView::enabled, status -> {});
        final ClusterRepair.Totals totals = outcome.totals();
        return new Figures(outcome.healthy(), totals.chunks(), totals.bytes(), totals.copyingNs(),
            System.nanoTime() - startNs);
    }

    @Override
    public long bandwidth() throws IOException
    {
        IOException last = null;
        for (final RingNode node : client.ring().nodes())
        {
            try
            {
                return new ClusterRepair(client).control(node.id(), false, 0).bandwidth();
            }
            catch (final IOException ex)
            {
                last = ex;
            }
        }
        throw new IOException("no node told its repair bandwidth", last);
    }

    @Override
    public void bandwidth(final long bytesPerSecond) throws IOException
    {
        for (final RingNode node : client.ring().nodes())
        {
            new ClusterRepair(client).control(node.id(), false, bytesPerSecond);
        }
    }
}

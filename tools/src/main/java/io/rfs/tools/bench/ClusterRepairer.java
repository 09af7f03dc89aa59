package io.rfs.tools.bench;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Asks the cluster's leader to repair now and waits until a round finds every range's replicas in sync, for the
 * failover and repair workloads' repair rates, and sets the nodes' repair bandwidth.
 */
public interface ClusterRepairer
{
    /**
     * What a repair copied and how long it took.
     *
     * @param healthy   whether a round that started after the request found the cluster healthy before the timeout.
     * @param chunks    chunks the finished rounds copied.
     * @param bytes     their raw bytes.
     * @param copyingNs time the rounds spent copying.
     * @param elapsedNs time from the request to the healthy round's end (or the timeout).
     */
    record Figures(boolean healthy, long chunks, long bytes, long copyingNs, long elapsedNs)
    {
    }

    /**
     * @param timeoutNs how long to wait for a healthy cluster.
     * @return what the repair did.
     * @throws IOException if no leader could be asked.
     */
    Figures repairUntilHealthy(long timeoutNs) throws IOException;

    /**
     * {@link #repairUntilHealthy} on a thread of its own, so that the benchmark's clients run while it is followed.
     *
     * @param timeoutNs how long to wait for a healthy cluster.
     * @return what the repair did, once done; an {@link IOException} is its cause if no leader could be asked.
     */
    default CompletableFuture<Figures> repairInBackground(final long timeoutNs)
    {
        return CompletableFuture.supplyAsync(() ->
        {
            try
            {
                return repairUntilHealthy(timeoutNs);
            }
            catch (final IOException ex)
            {
                throw new CompletionException(ex);
            }
        }, task ->
        {
            final Thread thread = new Thread(task, "rfs-bench-repair");
            thread.setDaemon(true);
            thread.start();
        });
    }

    /**
     * @return the repair bandwidth in force on the first node of the ring that answers, bytes per second.
     * @throws IOException if no node answered.
     */
    long bandwidth() throws IOException;

    /**
     * Sets the repair bandwidth on every node of the ring, as {@code rfs repair --bandwidth} does.
     *
     * @param bytesPerSecond bytes per second, positive.
     * @throws IOException if a node did not take it.
     */
    void bandwidth(long bytesPerSecond) throws IOException;
}

package io.rfs.tools.bench;

import java.io.IOException;

/**
 * Asks the cluster's leader to repair now and waits until a round finds every range's replicas in sync, for the
 * failover workload's repair rate.
 */
@FunctionalInterface
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
}

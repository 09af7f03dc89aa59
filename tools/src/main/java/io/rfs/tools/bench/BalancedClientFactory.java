package io.rfs.tools.bench;

import io.rfs.replication.client.BalancerKind;
import io.rfs.replication.client.RfsClient;

import java.io.IOException;

/**
 * Opens another client of the cluster under test, one whose reads pick each chunk's replica by the given policy, so
 * that the balancers workload can run the same load under each.
 */
@FunctionalInterface
public interface BalancedClientFactory
{
    /**
     * @param balancer the client's {@code read.balancer}.
     * @return a new client; the caller closes it.
     * @throws IOException if it cannot connect.
     */
    RfsClient open(BalancerKind balancer) throws IOException;
}

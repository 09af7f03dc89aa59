/**
 * Clusters assembled in one process: {@link io.rfs.replication.cluster.EmbeddedCluster}, several real nodes over
 * the in-process shared-memory transport, the store a new user gets with no setup.
 */
package io.rfs.replication.cluster;

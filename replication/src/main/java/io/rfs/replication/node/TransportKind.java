package io.rfs.replication.node;

/**
 * Which transport a node serves on (the {@code transport} setting).
 */
public enum TransportKind
{
    /** TCP between hosts, authenticated with the cluster secret. */
    TCP,
    /** Mapped-file shared memory between the processes of one host: inbox files in one directory. */
    SHM
}

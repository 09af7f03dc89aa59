package io.rfs.replication.node;

/**
 * How {@link NodeServer} runs a node's agents (the {@code threading} setting).
 */
public enum ThreadingMode
{
    /** One thread per agent: the network agent and the storage agent each on its own. The default. */
    DEDICATED,
    /** Both agents composed on one thread: for many nodes in one process (the embedded cluster). */
    SHARED
}

package io.rfs.tools;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which store a data command ({@code put}, {@code get}, {@code ls}, {@code stat}, {@code rm}, {@code verify}) works
 * on. Chosen with {@code --store}; {@link #AUTO} by default.
 */
enum StoreMode
{
    /**
     * {@link #CLUSTER} when {@code DATA/cluster/client.properties} exists ({@code rfs cluster start} wrote it),
     * else {@link #LOCAL} when {@code DATA} already holds a single-node store, else {@link #EMBEDDED}.
     */
    AUTO,
    /** The single-node store in the data directory itself: no replication. */
    LOCAL,
    /** Three nodes in this process over shared memory, under {@code DATA/embedded}: real replication, no setup. */
    EMBEDDED,
    /** The cluster that {@code DATA/cluster/client.properties} describes, over TCP. */
    CLUSTER;

    /** Directory under the data directory that holds the embedded cluster's nodes. */
    static final String EMBEDDED_DIRECTORY = "embedded";

    /** The file a single-node store's data directory always holds (see FORMATS.md, "Data directory"). */
    private static final String LOCAL_STORE_MARKER = "store.meta";

    /**
     * @param dataDirectory the data directory.
     * @return this mode, or for {@link #AUTO} the mode the data directory calls for.
     */
    StoreMode resolve(final Path dataDirectory)
    {
        if (this != AUTO)
        {
            return this;
        }
        if (Files.isRegularFile(new ClusterDirectory(dataDirectory).clientProperties()))
        {
            return CLUSTER;
        }
        if (Files.isRegularFile(dataDirectory.resolve(LOCAL_STORE_MARKER)))
        {
            return LOCAL;
        }
        return EMBEDDED;
    }
}

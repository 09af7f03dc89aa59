package io.rfs.replication.sim;

import java.util.Locale;

/**
 * The operations a simulation's workload issues, counted per kind in its summary.
 */
public enum OperationKind
{
    /** A put of a new file or a new version, at QUORUM. */
    PUT,
    /** A delete (a tombstone), at QUORUM. */
    DELETE,
    /** A get at QUORUM, each chunk verified. */
    GET,
    /** {@code rfs verify} of one file: each owner of each chunk re-hashes its copy. */
    VERIFY,
    /** {@code rfs repair}: the leader asked to start a round now. */
    REPAIR,
    /** {@code rfs cluster add-node}: a new node started as a learner and the leader asked to commit it. */
    ADD_NODE,
    /** {@code rfs cluster remove-node}: the leader asked to commit a ring without a node. */
    REMOVE_NODE;

    /**
     * @return the name in the summary: lower case, {@code -} for {@code _}.
     */
    public String label()
    {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}

package io.rfs.replication.client;

/**
 * One thing {@code rfs verify} found wrong on a cluster.
 *
 * @param nodeId  the node it concerns, or 0 if it concerns no single node (a chunk with no healthy copy at all).
 * @param kind    what is wrong.
 * @param file    the file it concerns, or null (an unreachable node).
 * @param chunkId the chunk's id in hex, or null (a manifest or a node).
 * @param detail  a sentence for the operator.
 */
public record ReplicaProblem(int nodeId, Kind kind, String file, String chunkId, String detail)
{
    /**
     * Kinds of problem, each with the name the report prints.
     */
    public enum Kind
    {
        /** An owner's copy of a chunk does not hash to its id (the node has quarantined it). */
        CORRUPT("corrupt"),
        /** An owner holds no copy of a chunk. */
        MISSING("missing"),
        /** A node that does not own a chunk holds a copy of it. */
        MISPLACED("mis-placed"),
        /** No owner holds a healthy copy of a chunk. */
        LOST("lost"),
        /** An owner of a file's name holds no manifest of it. */
        MANIFEST_MISSING("manifest-missing"),
        /** An owner of a file's name holds an older version of its manifest than the newest. */
        MANIFEST_STALE("manifest-stale"),
        /** A node that does not own a file's name holds a manifest of it. */
        MANIFEST_MISPLACED("manifest-mis-placed"),
        /** A named file does not exist. */
        NO_SUCH_FILE("no-such-file"),
        /** A node did not answer; what it holds was not checked. */
        UNREACHABLE("unreachable");

        private final String label;

        Kind(final String label)
        {
            this.label = label;
        }

        /**
         * @return the name the report prints.
         */
        public String label()
        {
            return label;
        }
    }
}

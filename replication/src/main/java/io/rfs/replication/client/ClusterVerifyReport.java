package io.rfs.replication.client;

/**
 * The counts of a cluster verify ({@link ClusterVerifier}); the problems themselves were streamed to its listener.
 *
 * @param files           live files checked.
 * @param chunks          chunk references checked (a chunk in two files counts twice).
 * @param bytes           bytes of those chunks.
 * @param healthy         chunks with a healthy copy on every owner.
 * @param underReplicated chunks with fewer healthy copies on their owners than owners (unreachable owners count as
 *                        not healthy: nothing shows their copies are).
 * @param lost            chunks with no healthy copy on any owner that answered.
 * @param corrupt         owners' copies found corrupt.
 * @param missing         owners' copies found missing.
 * @param misplaced       copies of chunks, and manifests, found on nodes that do not own them.
 * @param manifestProblems manifests missing, stale or mis-placed on a node.
 * @param unreachable     nodes that did not answer.
 * @param problems        problems reported, every kind.
 */
public record ClusterVerifyReport(
    long files, long chunks, long bytes, long healthy, long underReplicated, long lost, long corrupt, long missing,
    long misplaced, long manifestProblems, long unreachable, long problems)
{
    /**
     * @return true if nothing is wrong.
     */
    public boolean isClean()
    {
        return problems == 0 && underReplicated == 0;
    }
}

package io.rfs.replication.client;

/**
 * Learns how a write submitted to a {@link QuorumWriter} ended: exactly one of the two methods is called, exactly
 * once, from {@link QuorumWriter#doWork()} on the writer's thread. A listener may submit new writes from within
 * its callback.
 */
public interface WriteListener
{
    /**
     * W replicas acknowledged the write: it is forced on at least that many owners.
     *
     * @param writeId          the id {@link QuorumWriter} returned when the write was submitted.
     * @param acknowledgements replicas that answered {@code OK} or {@code ALREADY_HAD} by now, at least W.
     */
    void onWritten(long writeId, int acknowledgements);

    /**
     * W can no longer be reached: more than N - W replicas failed or timed out.
     *
     * @param writeId the id {@link QuorumWriter} returned when the write was submitted.
     * @param failure names each replica that failed and why.
     */
    void onFailed(long writeId, QuorumWriteException failure);
}

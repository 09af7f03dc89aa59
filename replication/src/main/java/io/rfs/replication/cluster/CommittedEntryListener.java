package io.rfs.replication.cluster;

import org.agrona.DirectBuffer;

/**
 * Told of each cluster-metadata log entry once it is committed, in index order, exactly once per process lifetime.
 * After a restart the committed prefix is told again as the node re-learns the commit index from the leader, so an
 * applier must be idempotent (applying the ring of a version already applied changes nothing).
 */
@FunctionalInterface
public interface CommittedEntryListener
{
    /**
     * @param index   the entry's index.
     * @param term    its term.
     * @param type    its type, one of {@code LogEntryDescriptor}'s.
     * @param payload holds the payload; valid only during the call.
     * @param offset  where it starts.
     * @param length  its length.
     */
    void onCommitted(long index, long term, int type, DirectBuffer payload, int offset, int length);
}

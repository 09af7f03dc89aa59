package io.rfs.replication.cluster;

import io.rfs.replication.ring.CorruptRingException;
import io.rfs.replication.ring.RingCodec;
import io.rfs.replication.ring.RingNode;
import org.agrona.ErrorHandler;

import java.util.ArrayList;
import java.util.List;

/**
 * The node ids each ring entry of a {@link ClusterLog} names, decoded once per entry.
 * <p>
 * The cluster agent learns who to hear from by looking at every ring in its log, each time its membership may have
 * changed: on every ring entry committed, so once per entry while a restarted node replays its log or a lagging one
 * catches up. Decoding each ring afresh there (a whole {@code Ring}, placement included) made that quadratic in the
 * log's length and the costliest thing a simulated cluster did. A log entry never changes once written; a truncated
 * index gets a new {@link ClusterLog.Entry}, which is why entries are recognised by identity. A corrupt entry is not
 * remembered, so it is reported each time, as before. Single-threaded: the cluster agent's thread.
 */
final class LoggedRingMembers
{
    private static final int[] NONE = new int[0];

    private final ErrorHandler errorHandler;
    private final List<ClusterLog.Entry> entries = new ArrayList<>();
    private final List<int[]> members = new ArrayList<>();

    LoggedRingMembers(final ErrorHandler errorHandler)
    {
        this.errorHandler = errorHandler;
    }

    /**
     * @param entry a ring entry of the log, at {@code entry.index()}.
     * @return the ids of the ring's nodes, or an empty array if the entry does not decode (reported each call).
     */
    int[] nodeIds(final ClusterLog.Entry entry)
    {
        final int index = Math.toIntExact(entry.index());
        if (index < entries.size() && entries.get(index) == entry)
        {
            return members.get(index);
        }
        final int[] ids;
        try
        {
            ids = RingCodec.decode(entry.payload(), 0, entry.payload().capacity()).nodes().stream()
                .mapToInt(RingNode::id).toArray();
        }
        catch (final CorruptRingException ex)
        {
            errorHandler.onError(ex);
            return NONE;
        }
        while (entries.size() <= index)
        {
            entries.add(null);
            members.add(null);
        }
        entries.set(index, entry);
        members.set(index, ids);
        return ids;
    }
}

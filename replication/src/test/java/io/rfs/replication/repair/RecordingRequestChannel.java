package io.rfs.replication.repair;

import io.rfs.replication.transport.ResponseListener;
import org.agrona.DirectBuffer;
import org.agrona.collections.IntArrayList;
import org.agrona.collections.IntHashSet;
import org.agrona.collections.LongArrayList;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link RequestChannel} for agents stepped by hand: it answers nothing, refuses the destinations it is told to,
 * and records every attempt (refused ones too) and what it took.
 */
final class RecordingRequestChannel implements RequestChannel
{
    final IntHashSet refusing = new IntHashSet();
    final IntArrayList destinations = new IntArrayList();
    final IntArrayList types = new IntArrayList();
    final List<String> asciiBodies = new ArrayList<>();
    final LongArrayList sentCorrelationIds = new LongArrayList();
    final LongArrayList sentTimeoutsNs = new LongArrayList();
    private long nextCorrelationId = 1;

    @Override
    public long send(
        final int destination, final int type, final DirectBuffer body, final int offset, final int length,
        final ResponseListener listener, final long timeoutNs)
    {
        destinations.addInt(destination);
        types.addInt(type);
        asciiBodies.add(body.getStringWithoutLengthAscii(offset, length));
        if (refusing.contains(destination))
        {
            return REFUSED;
        }
        sentCorrelationIds.addLong(nextCorrelationId);
        sentTimeoutsNs.addLong(timeoutNs);
        return nextCorrelationId++;
    }
}

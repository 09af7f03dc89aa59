package io.rfs.store.log;

import org.agrona.DirectBuffer;

/**
 * Receives the valid records of a {@link SegmentLog}, in log order.
 */
@FunctionalInterface
public interface RecordVisitor
{
    /**
     * @param location the record's location, see {@link SegmentLog#location(int, int)}.
     * @param buffer   the segment's buffer; valid only during the call.
     * @param offset   where the record's header starts in {@code buffer}.
     */
    void onRecord(long location, DirectBuffer buffer, int offset);
}

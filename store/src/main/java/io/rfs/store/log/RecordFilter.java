package io.rfs.store.log;

import org.agrona.DirectBuffer;

/**
 * Decides whether a record is still needed.
 */
@FunctionalInterface
public interface RecordFilter
{
    /**
     * @param location the record's location.
     * @param buffer   its segment's buffer.
     * @param offset   where its header starts.
     * @return true to keep it.
     */
    boolean test(long location, DirectBuffer buffer, int offset);
}

package io.rfs.store.log;

import org.agrona.DirectBuffer;

import static io.rfs.store.log.RecordDescriptor.*;

/**
 * A record found in a {@link SegmentLog}, read in place: where its payload lies in the mapped segment and what its
 * header says. A reusable flyweight, filled by {@code ChunkStore.locate} and {@code ManifestStore.locateCurrent}
 * once they have checked the header and the key, so that a server can send the stored bytes straight from the
 * mapping with a gather offer instead of copying them out.
 * <p>
 * The payload stays at {@link #payloadAddress()} for as long as the log is open and the segment is not deleted (by
 * compaction); whoever sends from it must keep both from happening until the send is done. Not thread safe; the
 * fields may be copied and handed to another thread.
 */
public final class StoredRecord
{
    private DirectBuffer buffer;
    private long location = -1;

    /**
     * Points this view at a record whose header the caller has checked.
     *
     * @param buffer   the record's segment.
     * @param location the record's location.
     * @return this.
     */
    public StoredRecord wrap(final DirectBuffer buffer, final long location)
    {
        this.buffer = buffer;
        this.location = location;
        return this;
    }

    /**
     * @return the segment's buffer.
     */
    public DirectBuffer buffer()
    {
        return buffer;
    }

    /**
     * @return the record's location in its log.
     */
    public long location()
    {
        return location;
    }

    /**
     * @return where the payload starts in {@link #buffer()}.
     */
    public int payloadOffset()
    {
        return SegmentLog.offset(location) + HEADER_LENGTH;
    }

    /**
     * @return the native address of the payload's first byte in the mapped segment.
     */
    public long payloadAddress()
    {
        return buffer.addressOffset() + payloadOffset();
    }

    /**
     * @return payload bytes as stored (compressed or not).
     */
    public int storedLength()
    {
        return buffer.getInt(SegmentLog.offset(location) + STORED_LENGTH_OFFSET);
    }

    /**
     * @return payload bytes before compression.
     */
    public int rawLength()
    {
        return buffer.getInt(SegmentLog.offset(location) + RAW_LENGTH_OFFSET);
    }

    /**
     * @return true if the payload is an LZ4 block of {@link #rawLength()} bytes.
     */
    public boolean isCompressed()
    {
        return (buffer.getShort(SegmentLog.offset(location) + FLAGS_OFFSET) & FLAG_COMPRESSED) != 0;
    }
}

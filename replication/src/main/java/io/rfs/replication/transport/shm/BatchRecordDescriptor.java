package io.rfs.replication.transport.shm;

import io.rfs.replication.protocol.FrameDescriptor;
import org.agrona.BitUtil;
import org.agrona.DirectBuffer;

/**
 * Layout of a batch record: one ring-buffer record (type id {@link #BATCH_RECORD_TYPE_ID}) that carries several
 * whole frames back to back, so that a producer pays one claim and one commit, and the consumer one record, for many
 * small messages. Integers are in the host's byte order, as everything in the ring. Specified in
 * {@code docs/PROTOCOL.md} section 7.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |        Used length (bytes of frames and padding after 8)      |  0
 *  +---------------------------------------------------------------+
 *  |                         Frame count                           |  4
 *  +---------------------------------------------------------------+
 *  |   Frame 1 (FrameDescriptor, checksum included), zero-padded   |  8
 *  |   to a multiple of 8 bytes                                   ...
 *  +---------------------------------------------------------------+
 *  |   Frame 2 ...                                                ...
 *  +---------------------------------------------------------------+
 *  |   Unused (the record's length is fixed when it is claimed)   ...
 *  +---------------------------------------------------------------+
 * </pre>
 * Every frame is checked on its own as in a single-frame record (header, length within the used bytes, checksum).
 */
public final class BatchRecordDescriptor
{
    /** Ring buffer message type id of a batch record. */
    public static final int BATCH_RECORD_TYPE_ID = 2;
    public static final int USED_LENGTH_OFFSET = 0;
    public static final int FRAME_COUNT_OFFSET = 4;
    /** Length of the batch header and offset of the first frame. */
    public static final int HEADER_LENGTH = 8;
    /** Each frame starts at a multiple of this from the first. */
    public static final int FRAME_ALIGNMENT = 8;
    /** Smallest batch: its header and one empty-bodied frame. */
    public static final int MIN_BATCH_LENGTH = HEADER_LENGTH + FrameDescriptor.HEADER_LENGTH;

    private BatchRecordDescriptor()
    {
    }

    /**
     * @param frameLength a frame's length.
     * @return the bytes it takes in a batch.
     */
    public static int alignedLength(final int frameLength)
    {
        return BitUtil.align(frameLength, FRAME_ALIGNMENT);
    }

    /**
     * @param buffer       holds the record.
     * @param index        where its data starts.
     * @param recordLength the record's data length, from the ring.
     * @return null if the batch header may be trusted, else what is wrong.
     */
    public static String checkHeader(final DirectBuffer buffer, final int index, final int recordLength)
    {
        if (recordLength < HEADER_LENGTH)
        {
            return "batch recordLength=" + recordLength;
        }
        final int used = buffer.getInt(index + USED_LENGTH_OFFSET);
        if (used < 0 || used > recordLength - HEADER_LENGTH)
        {
            return "batch usedLength=" + used + " outside 0.." + (recordLength - HEADER_LENGTH);
        }
        final int count = buffer.getInt(index + FRAME_COUNT_OFFSET);
        if (count < 0 || count > used / FrameDescriptor.HEADER_LENGTH)
        {
            return "batch frameCount=" + count + " for usedLength=" + used;
        }
        return null;
    }

    public static int usedLength(final DirectBuffer buffer, final int index)
    {
        return buffer.getInt(index + USED_LENGTH_OFFSET);
    }

    public static int frameCount(final DirectBuffer buffer, final int index)
    {
        return buffer.getInt(index + FRAME_COUNT_OFFSET);
    }
}

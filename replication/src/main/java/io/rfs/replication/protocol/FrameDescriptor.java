package io.rfs.replication.protocol;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.checksum.Crc32c;

/**
 * Layout of a frame: the unit every transport carries, a fixed 32-byte header and the message body. Integers are
 * little-endian. Specified in {@code docs/PROTOCOL.md}.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                        Magic 'RFSF'                           |  0
 *  +---------------+---------------+-------------------------------+
 *  |    Version    |     Flags     |         Message type          |  4
 *  +---------------+---------------+-------------------------------+
 *  |              Frame length (header + body, bytes)              |  8
 *  +---------------------------------------------------------------+
 *  |                       Source node id                          | 12
 *  +---------------------------------------------------------------+
 *  |                       Correlation id                          | 16
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                       Reserved (zero)                         | 24
 *  +---------------------------------------------------------------+
 *  |        CRC32C of header bytes 0..27, then of the body         | 28
 *  +---------------------------------------------------------------+
 *  |                          Body ...                             | 32
 *  +---------------------------------------------------------------+
 * </pre>
 * A receiver reads the header, checks magic, version and that the frame length lies within
 * [{@link #HEADER_LENGTH}, its maximum] before it allocates or reads anything else, then reads the body and checks
 * the checksum. Any failure closes the connection the frame came on.
 */
public final class FrameDescriptor
{
    /** 'R' 'F' 'S' 'F' read as a little-endian int. */
    public static final int MAGIC = 0x46534652;
    /** Protocol version written by this code. */
    public static final byte CURRENT_VERSION = 1;

    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 4;
    public static final int FLAGS_OFFSET = 5;
    public static final int TYPE_OFFSET = 6;
    public static final int LENGTH_OFFSET = 8;
    public static final int SOURCE_OFFSET = 12;
    public static final int CORRELATION_ID_OFFSET = 16;
    public static final int RESERVED_OFFSET = 24;
    public static final int CHECKSUM_OFFSET = 28;
    /** Length of the header and offset of the body. */
    public static final int HEADER_LENGTH = 32;

    /** Largest frame any endpoint accepts by default: a 4 MiB chunk and its fields fit with room to spare. */
    public static final int MAX_FRAME_LENGTH_DEFAULT = 8 * 1024 * 1024;

    private FrameDescriptor()
    {
    }

    /**
     * Writes a header; the checksum is written by {@link #writeChecksum} once the body is in place.
     *
     * @param buffer        destination.
     * @param offset        where the frame starts.
     * @param messageType   the message type id.
     * @param bodyLength    body bytes that will follow.
     * @param sourceNodeId  the sender.
     * @param correlationId the correlation id.
     */
    public static void writeHeader(
        final MutableDirectBuffer buffer,
        final int offset,
        final int messageType,
        final int bodyLength,
        final int sourceNodeId,
        final long correlationId)
    {
        buffer.putInt(offset + MAGIC_OFFSET, MAGIC);
        buffer.putByte(offset + VERSION_OFFSET, CURRENT_VERSION);
        buffer.putByte(offset + FLAGS_OFFSET, (byte)0);
        buffer.putShort(offset + TYPE_OFFSET, (short)messageType);
        buffer.putInt(offset + LENGTH_OFFSET, HEADER_LENGTH + bodyLength);
        buffer.putInt(offset + SOURCE_OFFSET, sourceNodeId);
        buffer.putLong(offset + CORRELATION_ID_OFFSET, correlationId);
        buffer.putInt(offset + RESERVED_OFFSET, 0);
        buffer.putInt(offset + CHECKSUM_OFFSET, 0);
    }

    /**
     * @param buffer holds a frame whose header and body are both in place, contiguously; off-heap (a direct or
     *               mapped buffer), since the CRC is computed over native memory.
     * @param offset where the frame starts.
     * @return the checksum the frame should carry.
     * @throws IllegalArgumentException if the buffer is on the heap or the frame length field does not lie within
     *                                  it; a receiver checks the header and the length it read first.
     */
    public static int computeChecksum(final DirectBuffer buffer, final int offset)
    {
        final int frameLength = buffer.getInt(offset + LENGTH_OFFSET);
        if (buffer.byteArray() != null)
        {
            throw new IllegalArgumentException("frame checksums need an off-heap buffer: Crc32c reads native memory");
        }
        if (frameLength < HEADER_LENGTH || offset < 0 || (long)offset + frameLength > buffer.capacity())
        {
            throw new IllegalArgumentException("frameLength=" + frameLength + " at offset=" + offset +
                " does not lie within capacity=" + buffer.capacity());
        }
        final long address = buffer.addressOffset();
        final int headerCrc = Crc32c.INSTANCE.compute(address, offset, CHECKSUM_OFFSET);
        final int bodyCrc = Crc32c.INSTANCE.compute(address, offset + HEADER_LENGTH, frameLength - HEADER_LENGTH);
        return headerCrc ^ Integer.rotateLeft(bodyCrc, 1);
    }

    /**
     * Fills in the checksum of a complete, contiguous frame.
     *
     * @param buffer holds the frame.
     * @param offset where it starts.
     */
    public static void writeChecksum(final MutableDirectBuffer buffer, final int offset)
    {
        buffer.putInt(offset + CHECKSUM_OFFSET, computeChecksum(buffer, offset));
    }

    /**
     * Checks the fields a receiver must trust before reading a body.
     *
     * @param buffer         holds at least {@link #HEADER_LENGTH} bytes of a frame.
     * @param offset         where the frame starts.
     * @param maxFrameLength the receiver's limit.
     * @return null if the header may be trusted, else what is wrong, for the log and the counters.
     */
    public static String checkHeader(final DirectBuffer buffer, final int offset, final int maxFrameLength)
    {
        final int magic = buffer.getInt(offset + MAGIC_OFFSET);
        if (magic != MAGIC)
        {
            return "magic=0x" + Integer.toHexString(magic);
        }
        final byte version = buffer.getByte(offset + VERSION_OFFSET);
        if (version != CURRENT_VERSION)
        {
            return "version=" + version;
        }
        final int length = buffer.getInt(offset + LENGTH_OFFSET);
        if (length < HEADER_LENGTH || length > maxFrameLength)
        {
            return "frameLength=" + length + " outside " + HEADER_LENGTH + ".." + maxFrameLength;
        }
        return null;
    }

    /**
     * @param buffer holds a complete frame, contiguously.
     * @param offset where it starts.
     * @return true if its checksum matches.
     */
    public static boolean isChecksumValid(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + CHECKSUM_OFFSET) == computeChecksum(buffer, offset);
    }

    /**
     * @param buffer holds a frame header.
     * @param offset where it starts.
     * @return the frame's total length.
     */
    public static int frameLength(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + LENGTH_OFFSET);
    }

    /**
     * @param buffer holds a frame header.
     * @param offset where it starts.
     * @return the message type id.
     */
    public static int messageType(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + TYPE_OFFSET) & 0xFFFF;
    }

    /**
     * @param buffer holds a frame header.
     * @param offset where it starts.
     * @return the sender's node id.
     */
    public static int sourceNodeId(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + SOURCE_OFFSET);
    }

    /**
     * @param buffer holds a frame header.
     * @param offset where it starts.
     * @return the correlation id.
     */
    public static long correlationId(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + CORRELATION_ID_OFFSET);
    }
}

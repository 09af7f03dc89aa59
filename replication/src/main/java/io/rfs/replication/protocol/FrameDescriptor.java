package io.rfs.replication.protocol;

import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.checksum.Crc32c;

import java.util.zip.CRC32C;

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
 *  |   CRC32C of the whole frame, with these four bytes as zero    | 28
 *  +---------------------------------------------------------------+
 *  |                          Body ...                             | 32
 *  +---------------------------------------------------------------+
 * </pre>
 * <b>Checksum.</b> The checksum is the CRC32C (Castagnoli, as {@link java.util.zip.CRC32C} computes it) of all
 * frame-length bytes, header and body, computed with bytes 28..31 taken as zero. A contiguous frame is checksummed in
 * one pass; a gather frame, whose body is fixed fields in one buffer and a bulk payload in another, combines the CRC
 * of its header and fields with the CRC of its payload ({@link Crc32cCombine}) and gets the same value, so a receiver
 * never knows how a frame was sent.
 * <p>
 * <b>Receiving.</b> A receiver reads the header, checks magic, version and that the frame length lies within
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
    /** Length of the checksum field. */
    public static final int CHECKSUM_LENGTH = 4;

    /** Largest frame any endpoint accepts by default: a 4 MiB chunk and its fields fit with room to spare. */
    public static final int MAX_FRAME_LENGTH_DEFAULT = 8 * 1024 * 1024;

    /** CRC32C of the four zero bytes that stand for the checksum field while it is computed. */
    private static final int CRC32C_OF_CHECKSUM_FIELD = 0x48674BC7;

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
     * Computes the checksum of a contiguous frame without changing the buffer.
     *
     * @param buffer holds a frame whose header and body are both in place, contiguously; on or off the heap.
     * @param offset where the frame starts.
     * @return the checksum the frame should carry.
     * @throws IllegalArgumentException if the frame length field does not lie within the buffer; a receiver checks
     *                                  the header and the length it read first.
     */
    public static int computeChecksum(final DirectBuffer buffer, final int offset)
    {
        final int frameLength = checkedFrameLength(buffer, offset);
        final int headCrc = Crc32cCombine.combine(
            crc32c(buffer, offset, CHECKSUM_OFFSET), CRC32C_OF_CHECKSUM_FIELD, CHECKSUM_LENGTH);
        final int bodyLength = frameLength - HEADER_LENGTH;
        return Crc32cCombine.combine(headCrc, crc32c(buffer, offset + HEADER_LENGTH, bodyLength), bodyLength);
    }

    /**
     * Fills in the checksum of a complete, contiguous frame.
     *
     * @param buffer holds the frame.
     * @param offset where it starts.
     */
    public static void writeChecksum(final MutableDirectBuffer buffer, final int offset)
    {
        final int frameLength = checkedFrameLength(buffer, offset);
        buffer.putInt(offset + CHECKSUM_OFFSET, 0);
        buffer.putInt(offset + CHECKSUM_OFFSET, crc32c(buffer, offset, frameLength));
    }

    /**
     * Fills in the checksum of a gather frame: its header and fixed fields are in {@code buffer}, its payload
     * elsewhere. The header's frame length must already count the payload.
     *
     * @param buffer        holds the header and the fields.
     * @param offset        where the frame starts.
     * @param headLength    header plus fields, the bytes in {@code buffer}.
     * @param payloadCrc    {@link #payloadChecksum} of the payload.
     * @param payloadLength payload bytes.
     */
    public static void writeChecksum(
        final MutableDirectBuffer buffer,
        final int offset,
        final int headLength,
        final int payloadCrc,
        final int payloadLength)
    {
        buffer.putInt(offset + CHECKSUM_OFFSET, 0);
        final int headCrc = crc32c(buffer, offset, headLength);
        buffer.putInt(offset + CHECKSUM_OFFSET, Crc32cCombine.combine(headCrc, payloadCrc, payloadLength));
    }

    /**
     * @param buffer holds a bulk payload.
     * @param offset where it starts.
     * @param length its length.
     * @return its CRC32C, for {@link #writeChecksum(MutableDirectBuffer, int, int, int, int)}.
     */
    public static int payloadChecksum(final DirectBuffer buffer, final int offset, final int length)
    {
        return crc32c(buffer, offset, length);
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
        return checkHeader(buffer, offset, maxFrameLength, CURRENT_VERSION);
    }

    /**
     * Checks the fields a receiver must trust before reading a body, on a connection that negotiated a version.
     *
     * @param buffer          holds at least {@link #HEADER_LENGTH} bytes of a frame.
     * @param offset          where the frame starts.
     * @param maxFrameLength  the receiver's limit.
     * @param expectedVersion the version the connection negotiated.
     * @return null if the header may be trusted, else what is wrong, for the log and the counters.
     */
    public static String checkHeader(
        final DirectBuffer buffer, final int offset, final int maxFrameLength, final int expectedVersion)
    {
        final int magic = buffer.getInt(offset + MAGIC_OFFSET);
        if (magic != MAGIC)
        {
            return "magic=0x" + Integer.toHexString(magic);
        }
        final byte version = buffer.getByte(offset + VERSION_OFFSET);
        if (version != expectedVersion)
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
     * The receiver's fast path of {@link #isChecksumValid}: one CRC pass over the frame. It zeroes the checksum field
     * for the pass and puts it back, so the buffer must be the receiver's own and not read by another thread.
     *
     * @param buffer holds a complete frame, contiguously.
     * @param offset where it starts.
     * @return true if its checksum matches.
     */
    public static boolean verifyChecksumInPlace(final MutableDirectBuffer buffer, final int offset)
    {
        final int frameLength = checkedFrameLength(buffer, offset);
        final int checksum = buffer.getInt(offset + CHECKSUM_OFFSET);
        buffer.putInt(offset + CHECKSUM_OFFSET, 0);
        final int computed = crc32c(buffer, offset, frameLength);
        buffer.putInt(offset + CHECKSUM_OFFSET, checksum);
        return computed == checksum;
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

    private static int checkedFrameLength(final DirectBuffer buffer, final int offset)
    {
        final int frameLength = buffer.getInt(offset + LENGTH_OFFSET);
        if (frameLength < HEADER_LENGTH || offset < 0 || (long)offset + frameLength > buffer.capacity())
        {
            throw new IllegalArgumentException("frameLength=" + frameLength + " at offset=" + offset +
                " does not lie within capacity=" + buffer.capacity());
        }
        return frameLength;
    }

    private static int crc32c(final DirectBuffer buffer, final int index, final int length)
    {
        final byte[] array = buffer.byteArray();
        if (array == null)
        {
            return Crc32c.INSTANCE.compute(buffer.addressOffset(), index, length);
        }
        buffer.boundsCheck(index, length);
        final CRC32C crc = new CRC32C();
        crc.update(array, (int)(buffer.addressOffset() - BufferUtil.ARRAY_BASE_OFFSET) + index, length);
        return (int)crc.getValue();
    }
}

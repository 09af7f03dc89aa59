package io.rfs.store.log;

import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.checksum.Crc32c;

/**
 * Layout of one record in a segment file: a fixed 64-byte header, then the payload, padded to 8 bytes.
 * Integers are little-endian; the 32-byte key is stored as its own bytes (a SHA-256 digest reads as
 * {@code sha256sum} prints it).
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                       Magic 'RFSR'                            |  0
 *  +---------------+---------------+-------------------------------+
 *  | Format version|  Record type  |             Flags             |  4
 *  +---------------+---------------+-------------------------------+
 *  |                  Stored length (payload bytes)                |  8
 *  +---------------------------------------------------------------+
 *  |               Raw length (bytes before compression)           | 12
 *  +---------------------------------------------------------------+
 *  |                                                               | 16
 *  |                     Key (32 bytes)                            |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                     Payload CRC32C                            | 48
 *  +---------------------------------------------------------------+
 *  |                     Reserved (8 bytes, zero)                  | 52
 *  +---------------------------------------------------------------+
 *  |               Header CRC32C of bytes 0..59                    | 60
 *  +---------------------------------------------------------------+
 *  |                 Payload (stored length bytes)               ...  64
 *  +---------------------------------------------------------------+
 *  |                 Zero padding to an 8-byte boundary            |
 *  +---------------------------------------------------------------+
 * </pre>
 * The header CRC lets recovery trust the lengths before it reads a payload; the payload CRC lets recovery find a
 * torn tail without re-hashing, and lets a scrub tell storage rot from a hashing bug. A reader additionally checks
 * the key against what it asked for (and, for chunks, the SHA-256 of the decompressed bytes).
 * Documented in {@code docs/FORMATS.md}.
 */
public final class RecordDescriptor
{
    /** 'R' 'F' 'S' 'R' read as a little-endian int. */
    public static final int MAGIC = 0x52534652;
    /** Format version written by this code. */
    public static final byte CURRENT_VERSION = 1;

    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 4;
    public static final int TYPE_OFFSET = 5;
    public static final int FLAGS_OFFSET = 6;
    public static final int STORED_LENGTH_OFFSET = 8;
    public static final int RAW_LENGTH_OFFSET = 12;
    public static final int KEY_OFFSET = 16;
    public static final int KEY_LENGTH = 32;
    public static final int PAYLOAD_CRC_OFFSET = 48;
    public static final int RESERVED_OFFSET = 52;
    public static final int HEADER_CRC_OFFSET = 60;
    /** Length of the header and offset of the payload. */
    public static final int HEADER_LENGTH = 64;
    /** Records start on this boundary. */
    public static final int ALIGNMENT = 8;

    /** A chunk: key is the chunk id, payload the (maybe compressed) bytes. */
    public static final byte TYPE_CHUNK = 1;
    /** A manifest: key is SHA-256 of the name, payload the encoded manifest. */
    public static final byte TYPE_MANIFEST = 2;
    /** Marks a sealed segment's end: nothing follows. Empty payload, zero key. */
    public static final byte TYPE_SEAL = 3;
    /**
     * A hint of the hint log (a node's {@code hints/} directory): the payload names the node a chunk or manifest is
     * kept for; key is the chunk id or SHA-256 of the manifest's name. Layout in {@code HintDescriptor}.
     */
    public static final byte TYPE_HINT = 4;
    /** Marks a hint delivered: the payload holds the hint record's location; key as the hint's. */
    public static final byte TYPE_HINT_DELIVERED = 5;

    /** Payload is LZ4 block compressed; raw length gives its decompressed size. */
    public static final short FLAG_COMPRESSED = 0x1;
    /** Record failed verification and must not be served or indexed again. */
    public static final short FLAG_QUARANTINED = 0x2;
    /**
     * Chunk record dropped on purpose (its node no longer owns it): never served or indexed again, and it also hides
     * any older copy of the same chunk that recovery met before it. A later put stores a fresh, unflagged record.
     */
    public static final short FLAG_DROPPED = 0x4;

    /** Largest payload a record may carry. */
    public static final int MAX_PAYLOAD_LENGTH = 64 * 1024 * 1024;

    private RecordDescriptor()
    {
    }

    /**
     * @param storedLength payload bytes.
     * @return bytes the whole record takes, padding included.
     */
    public static int recordLength(final int storedLength)
    {
        return BitUtil.align(HEADER_LENGTH + storedLength, ALIGNMENT);
    }

    /**
     * @param address start of the header in memory.
     * @return the CRC32C the header should carry.
     */
    public static int computeHeaderCrc(final long address)
    {
        return Crc32c.INSTANCE.compute(address, 0, HEADER_CRC_OFFSET);
    }

    /**
     * Checks everything about a header that can be checked without its payload.
     *
     * @param buffer    the segment.
     * @param offset    where the header starts.
     * @param limit     end of the readable part of the segment.
     * @return true if magic, version, type, lengths and header CRC are all valid and the record fits before limit.
     */
    public static boolean isValidHeader(final DirectBuffer buffer, final int offset, final int limit)
    {
        if (offset < 0 || offset + HEADER_LENGTH > limit)
        {
            return false;
        }
        if (buffer.getInt(offset + MAGIC_OFFSET) != MAGIC || buffer.getByte(offset + VERSION_OFFSET) != CURRENT_VERSION)
        {
            return false;
        }
        final byte type = buffer.getByte(offset + TYPE_OFFSET);
        if (type < TYPE_CHUNK || type > TYPE_HINT_DELIVERED)
        {
            return false;
        }
        final int storedLength = buffer.getInt(offset + STORED_LENGTH_OFFSET);
        final int rawLength = buffer.getInt(offset + RAW_LENGTH_OFFSET);
        if (storedLength < 0 || storedLength > MAX_PAYLOAD_LENGTH || rawLength < 0 || rawLength > MAX_PAYLOAD_LENGTH)
        {
            return false;
        }
        if ((long)offset + recordLength(storedLength) > limit)
        {
            return false;
        }
        return buffer.getInt(offset + HEADER_CRC_OFFSET) == computeHeaderCrc(buffer.addressOffset() + offset);
    }

    /**
     * @param buffer the segment.
     * @param offset where a valid header starts.
     * @return true if the payload matches its CRC32C.
     */
    public static boolean isValidPayload(final DirectBuffer buffer, final int offset)
    {
        final int storedLength = buffer.getInt(offset + STORED_LENGTH_OFFSET);
        final int crc = Crc32c.INSTANCE.compute(buffer.addressOffset(), offset + HEADER_LENGTH, storedLength);
        return crc == buffer.getInt(offset + PAYLOAD_CRC_OFFSET);
    }
}

package io.rfs.store.manifest;

import io.rfs.store.FileName;
import io.rfs.store.chunk.ChunkId;
import org.agrona.BitUtil;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * Layout of an encoded manifest (format version 1): a fixed 64-byte header, the name, zero padding to an 8-byte
 * boundary, then one 40-byte entry per chunk in file order.
 * <p>
 * Integers are little-endian ({@link #BYTE_ORDER}) whatever the platform. The whole-file SHA-256 and the chunk
 * ids are stored as their own 32 bytes, in the order {@code sha256sum} prints them. Every integer field is
 * naturally aligned relative to the start of the manifest.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                        Magic 'RFSM'                           |  0
 *  +---------------+---------------+-------------------------------+
 *  | Format version|     Flags     |      Name length (u16)        |  4
 *  +---------------+---------------+-------------------------------+
 *  |                 Version timestamp (HLC, i64)                  |  8
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                    Version node id (i32)                      | 16
 *  +---------------------------------------------------------------+
 *  |                      Chunk count (i32)                        | 20
 *  +---------------------------------------------------------------+
 *  |                   Size in bytes (i64)                         | 24
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                                                               | 32
 *  |                Whole-file SHA-256 (32 bytes)                  |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                Name (name length bytes, UTF-8)              ...  64
 *  +---------------------------------------------------------------+
 *  |              Zero padding to an 8-byte boundary               |
 *  +---------------------------------------------------------------+
 *  |          Chunk entries (chunk count x 40 bytes)             ...  E = align(64 + name length, 8)
 *  +---------------------------------------------------------------+
 *
 *  Chunk entry i, at E + 40 * i:
 *  +---------------------------------------------------------------+
 *  |                                                               |  0
 *  |                     Chunk id (32 bytes)                       |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |              Raw (uncompressed) length (i32)                  | 32
 *  +---------------------------------------------------------------+
 *  |                     Reserved (i32, zero)                      | 36
 *  +---------------------------------------------------------------+
 * </pre>
 * Flags: bit 0 is {@link #FLAG_TOMBSTONE}; the other bits are zero.
 * <p>
 * The encoding is canonical: one manifest has exactly one encoding. Reserved fields, padding and unknown flag bits
 * must be zero and the encoded length must match the header exactly, so a decoder refuses anything else rather than
 * guess. Any change to the layout or to the meaning of a field takes a new format version, and a reader refuses a
 * version it does not know. There is no checksum here: a manifest travels inside a checksummed container (a segment
 * record, a transport frame). Documented in {@code docs/FORMATS.md}.
 */
public final class ManifestDescriptor
{
    /** Byte order of every integer field. */
    public static final ByteOrder BYTE_ORDER = ByteOrder.LITTLE_ENDIAN;

    /** 'R' 'F' 'S' 'M' read as a little-endian int. */
    public static final int MAGIC = 0x4D534652;
    /** Format version written by this code, and the only one it reads. */
    public static final int CURRENT_VERSION = 1;

    /** The manifest is a delete; it has no chunks. */
    public static final int FLAG_TOMBSTONE = 0x1;
    /** Flag bits that format version 1 defines. */
    public static final int KNOWN_FLAGS = FLAG_TOMBSTONE;

    /** Longest name in UTF-8 bytes, the same as {@link FileName#MAX_BYTES}. */
    public static final int MAX_NAME_BYTES = FileName.MAX_BYTES;

    /**
     * Most chunks one manifest may list: 2^20, so that a 1 TiB file cut at the default chunk size of 1 MiB
     * (2^40 / 2^20 = 2^20 chunks) fits. The largest encoding is then {@code encodedLength(1024, MAX_CHUNKS)}, about
     * 40 MiB, inside the 64 MiB a segment record may carry ({@code RecordDescriptor.MAX_PAYLOAD_LENGTH}); and the sum
     * of the chunk lengths (at most 2^20 x (2^31 - 1)) cannot overflow a {@code long}. Larger files need larger
     * chunks.
     */
    public static final int MAX_CHUNKS = 1 << 20;

    public static final int MAGIC_OFFSET = 0;
    public static final int FORMAT_VERSION_OFFSET = 4;
    public static final int FLAGS_OFFSET = 5;
    public static final int NAME_LENGTH_OFFSET = 6;
    public static final int TIMESTAMP_OFFSET = 8;
    public static final int NODE_ID_OFFSET = 16;
    public static final int CHUNK_COUNT_OFFSET = 20;
    public static final int SIZE_OFFSET = 24;
    public static final int SHA256_OFFSET = 32;
    public static final int SHA256_LENGTH = 32;
    /** Length of the fixed header and offset of the name. */
    public static final int HEADER_LENGTH = 64;
    /** The chunk entries start on this boundary, relative to the start of the manifest. */
    public static final int ALIGNMENT = 8;

    /** Offset of the chunk id within an entry. */
    public static final int ENTRY_CHUNK_ID_OFFSET = 0;
    /** Offset of the raw length within an entry. */
    public static final int ENTRY_RAW_LENGTH_OFFSET = ChunkId.LENGTH;
    /** Offset of the reserved field within an entry. */
    public static final int ENTRY_RESERVED_OFFSET = ENTRY_RAW_LENGTH_OFFSET + 4;
    /** Length of one chunk entry. */
    public static final int ENTRY_LENGTH = ENTRY_RESERVED_OFFSET + 4;

    /** Bytes a reader needs to see the magic and the format version, enough to refuse a manifest it cannot read. */
    public static final int PREAMBLE_LENGTH = FORMAT_VERSION_OFFSET + 1;

    private ManifestDescriptor()
    {
    }

    /**
     * @param nameLength name length in UTF-8 bytes.
     * @return offset of the first chunk entry, relative to the start of the manifest.
     */
    public static int entriesOffset(final int nameLength)
    {
        return BitUtil.align(HEADER_LENGTH + nameLength, ALIGNMENT);
    }

    /**
     * @param nameLength name length in UTF-8 bytes, 0 to {@link #MAX_NAME_BYTES}.
     * @param chunkCount number of chunks, 0 to {@link #MAX_CHUNKS}.
     * @return bytes the whole manifest takes.
     */
    public static int encodedLength(final int nameLength, final int chunkCount)
    {
        return entriesOffset(nameLength) + chunkCount * ENTRY_LENGTH;
    }

    /**
     * @param nameLength name length in UTF-8 bytes.
     * @param index      chunk position in file order.
     * @return offset of that chunk's entry, relative to the start of the manifest.
     */
    public static int entryOffset(final int nameLength, final int index)
    {
        return entriesOffset(nameLength) + index * ENTRY_LENGTH;
    }

    /**
     * @param length bytes available for the manifest.
     * @throws CorruptManifestException if there are too few to hold the magic and format version.
     */
    public static void checkPreamble(final int length) throws CorruptManifestException
    {
        if (length < PREAMBLE_LENGTH)
        {
            throw new CorruptManifestException("truncated: length=" + length + ", the header needs " + HEADER_LENGTH);
        }
    }

    /**
     * @param magic the first four bytes read as a little-endian int.
     * @throws CorruptManifestException if they are not {@link #MAGIC}.
     */
    public static void checkMagic(final int magic) throws CorruptManifestException
    {
        if (magic != MAGIC)
        {
            throw new CorruptManifestException(
                "magic=0x" + Integer.toHexString(magic) + ", expected 0x" + Integer.toHexString(MAGIC) + " ('RFSM')");
        }
    }

    /**
     * @param formatVersion the unsigned format version byte.
     * @throws CorruptManifestException unless it is {@link #CURRENT_VERSION}.
     */
    public static void checkFormatVersion(final int formatVersion) throws CorruptManifestException
    {
        if (formatVersion != CURRENT_VERSION)
        {
            throw new CorruptManifestException(
                "formatVersion=" + formatVersion + " is not supported, this build reads version " + CURRENT_VERSION);
        }
    }

    /**
     * @param length bytes available for the manifest.
     * @throws CorruptManifestException if they cannot hold the fixed header.
     */
    public static void checkHeaderLength(final int length) throws CorruptManifestException
    {
        if (length < HEADER_LENGTH)
        {
            throw new CorruptManifestException("truncated: length=" + length + ", the header needs " + HEADER_LENGTH);
        }
    }

    /**
     * @param flags the unsigned flags byte.
     * @throws CorruptManifestException if a bit this format version does not define is set.
     */
    public static void checkFlags(final int flags) throws CorruptManifestException
    {
        if ((flags & ~KNOWN_FLAGS) != 0)
        {
            throw new CorruptManifestException("flags=0x" + Integer.toHexString(flags) + " has unknown bits set");
        }
    }

    /**
     * @param nameLength the unsigned name length field.
     * @throws CorruptManifestException unless it is 1 to {@link #MAX_NAME_BYTES}.
     */
    public static void checkNameLength(final int nameLength) throws CorruptManifestException
    {
        if (nameLength < 1 || nameLength > MAX_NAME_BYTES)
        {
            throw new CorruptManifestException(
                "nameLength=" + nameLength + " is outside 1.." + MAX_NAME_BYTES);
        }
    }

    /**
     * @param chunkCount the chunk count field.
     * @param tombstone  whether the tombstone flag is set.
     * @throws CorruptManifestException unless it is 0 to {@link #MAX_CHUNKS}, and 0 for a tombstone.
     */
    public static void checkChunkCount(final int chunkCount, final boolean tombstone) throws CorruptManifestException
    {
        if (chunkCount < 0 || chunkCount > MAX_CHUNKS)
        {
            throw new CorruptManifestException("chunkCount=" + chunkCount + " is outside 0.." + MAX_CHUNKS);
        }
        if (tombstone && chunkCount != 0)
        {
            throw new CorruptManifestException("chunkCount=" + chunkCount + " but a tombstone has no chunks");
        }
    }

    /**
     * @param length     bytes given for the manifest.
     * @param nameLength the name length field, already checked.
     * @param chunkCount the chunk count field, already checked.
     * @throws CorruptManifestException unless {@code length} is exactly what the header says the manifest takes.
     */
    public static void checkEncodedLength(final int length, final int nameLength, final int chunkCount)
        throws CorruptManifestException
    {
        final int expected = encodedLength(nameLength, chunkCount);
        if (length < expected)
        {
            throw new CorruptManifestException("truncated: length=" + length + " but nameLength=" + nameLength +
                " and chunkCount=" + chunkCount + " need " + expected);
        }
        if (length > expected)
        {
            throw new CorruptManifestException("length=" + length + " but nameLength=" + nameLength +
                " and chunkCount=" + chunkCount + " need exactly " + expected + " (trailing bytes)");
        }
    }

    /**
     * @param index     chunk position in file order.
     * @param rawLength the entry's raw length field.
     * @throws CorruptManifestException unless it is positive.
     */
    public static void checkChunkLength(final int index, final int rawLength) throws CorruptManifestException
    {
        if (rawLength <= 0)
        {
            throw new CorruptManifestException("chunkLength[" + index + "]=" + rawLength + " must be positive");
        }
    }

    /**
     * @param index padding byte position relative to the end of the name.
     * @param value the padding byte.
     * @throws CorruptManifestException unless it is zero.
     */
    public static void checkPadding(final int index, final byte value) throws CorruptManifestException
    {
        if (value != 0)
        {
            throw new CorruptManifestException(
                "padding[" + index + "]=0x" + Integer.toHexString(value & 0xFF) + ", must be zero");
        }
    }

    /**
     * @param index    chunk position in file order.
     * @param reserved the entry's reserved field.
     * @throws CorruptManifestException unless it is zero.
     */
    public static void checkEntryReserved(final int index, final int reserved) throws CorruptManifestException
    {
        if (reserved != 0)
        {
            throw new CorruptManifestException(
                "chunkReserved[" + index + "]=0x" + Integer.toHexString(reserved) + ", must be zero");
        }
    }

    /**
     * @param size      the size field.
     * @param chunkSum  the sum of the chunk lengths.
     * @throws CorruptManifestException unless they are equal.
     */
    public static void checkSize(final long size, final long chunkSum) throws CorruptManifestException
    {
        if (size != chunkSum)
        {
            throw new CorruptManifestException("size=" + size + " but the chunk lengths sum to " + chunkSum);
        }
    }

    /**
     * Checks name bytes against the {@link FileName} rules without allocating: well-formed UTF-8 (RFC 3629: no
     * overlong forms, no surrogates, nothing above U+10FFFF), no NUL, no {@code .} or {@code ..} segment. '/', '.'
     * and NUL are ASCII and never occur inside a multi-byte UTF-8 sequence, so checking them byte by byte is the
     * same as checking the decoded characters. {@link ManifestCodec#decode} additionally passes the decoded name
     * through {@link FileName#validate}, which stays the authority on the rules.
     *
     * @param buffer holding the name.
     * @param offset where the name starts.
     * @param length name length in bytes, already checked to be 1 to {@link #MAX_NAME_BYTES}.
     * @throws CorruptManifestException naming the rule the name breaks.
     */
    public static void checkName(final DirectBuffer buffer, final int offset, final int length)
        throws CorruptManifestException
    {
        final int end = offset + length;
        int segmentStart = offset;
        int i = offset;
        while (i < end)
        {
            final int b = buffer.getByte(i) & 0xFF;
            if (b < 0x80)
            {
                if (b == 0)
                {
                    throw new CorruptManifestException("name has a NUL byte at index " + (i - offset));
                }
                if (b == '/')
                {
                    checkSegment(buffer, segmentStart, i);
                    segmentStart = i + 1;
                }
                i++;
            }
            else
            {
                i += utf8SequenceLength(buffer, i, end, offset);
            }
        }
        checkSegment(buffer, segmentStart, end);
    }

    private static void checkSegment(final DirectBuffer buffer, final int start, final int end)
        throws CorruptManifestException
    {
        final int length = end - start;
        if ((length == 1 || length == 2) && buffer.getByte(start) == '.' && buffer.getByte(end - 1) == '.')
        {
            throw new CorruptManifestException("name has a '" + (length == 1 ? "." : "..") + "' segment");
        }
    }

    private static int utf8SequenceLength(final DirectBuffer buffer, final int i, final int end, final int nameOffset)
        throws CorruptManifestException
    {
        final int b0 = buffer.getByte(i) & 0xFF;
        final int length;
        int low = 0x80;
        int high = 0xBF;
        if (b0 >= 0xC2 && b0 <= 0xDF)
        {
            length = 2;
        }
        else if (b0 >= 0xE0 && b0 <= 0xEF)
        {
            length = 3;
            if (b0 == 0xE0)
            {
                low = 0xA0;
            }
            else if (b0 == 0xED)
            {
                high = 0x9F;
            }
        }
        else if (b0 >= 0xF0 && b0 <= 0xF4)
        {
            length = 4;
            if (b0 == 0xF0)
            {
                low = 0x90;
            }
            else if (b0 == 0xF4)
            {
                high = 0x8F;
            }
        }
        else
        {
            throw invalidUtf8(i - nameOffset, b0);
        }

        if (i + length > end)
        {
            throw new CorruptManifestException("name is not valid UTF-8: the sequence starting with byte 0x" +
                Integer.toHexString(b0) + " at index " + (i - nameOffset) + " is cut off by the end of the name");
        }
        final int b1 = buffer.getByte(i + 1) & 0xFF;
        if (b1 < low || b1 > high)
        {
            throw invalidUtf8(i + 1 - nameOffset, b1);
        }
        for (int j = 2; j < length; j++)
        {
            final int b = buffer.getByte(i + j) & 0xFF;
            if (b < 0x80 || b > 0xBF)
            {
                throw invalidUtf8(i + j - nameOffset, b);
            }
        }
        return length;
    }

    private static CorruptManifestException invalidUtf8(final int index, final int value)
    {
        return new CorruptManifestException(
            "name is not valid UTF-8: byte 0x" + Integer.toHexString(value) + " at index " + index);
    }
}

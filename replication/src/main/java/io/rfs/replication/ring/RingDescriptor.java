package io.rfs.replication.ring;

import org.agrona.BitUtil;

import java.nio.ByteOrder;

/**
 * Layout of an encoded {@link Ring} (format version 1): a fixed 32-byte header, then one entry per node in ascending
 * id order, each followed by that node's tokens in ascending unsigned order.
 * <p>
 * Integers are little-endian ({@link #BYTE_ORDER}) whatever the platform; tokens are unsigned 64-bit integers. Every
 * integer field is naturally aligned relative to the start of the ring.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                        Magic 'RFSG'                           |  0
 *  +---------------+---------------+---------------+---------------+
 *  | Format version|  Replication  |  Reserved (0) |  Reserved (0) |  4
 *  +---------------+---------------+---------------+---------------+
 *  |                     Ring version (i64)                        |  8
 *  |                                                               |
 *  +-------------------------------+-------------------------------+
 *  |         Vnodes (u16)          |         Reserved (0)          | 16
 *  +-------------------------------+-------------------------------+
 *  |                       Node count (i32)                        | 20
 *  +---------------------------------------------------------------+
 *  |                      Token count (i32)                        | 24
 *  +---------------------------------------------------------------+
 *  |                        Reserved (0)                           | 28
 *  +---------------------------------------------------------------+
 *  |               Node entries (node count of them)             ...  32
 *  +---------------------------------------------------------------+
 *
 *  Node entry, starting on an 8-byte boundary:
 *  +---------------------------------------------------------------+
 *  |                        Node id (i32)                          |  0
 *  +-------------------------------+---------------+---------------+
 *  |         Weight (u16)          | Address length|  Zone length  |  4
 *  +-------------------------------+---------------+---------------+
 *  |                   Node token count (i32)                      |  8
 *  +---------------------------------------------------------------+
 *  |                        Reserved (0)                           | 12
 *  +---------------------------------------------------------------+
 *  |      Address (address length bytes, ASCII host:port)        ...  16
 *  +---------------------------------------------------------------+
 *  |           Zone (zone length bytes, ASCII)                   ...  16 + A
 *  +---------------------------------------------------------------+
 *  |             Zero padding to an 8-byte boundary                |
 *  +---------------------------------------------------------------+
 *  |        Tokens (node token count x u64, ascending)           ...  P = align(16 + A + Z, 8)
 *  +---------------------------------------------------------------+
 * </pre>
 * <p>
 * Tokens are stored rather than rebuilt from the ring's history: a ring is committed by the leader and adopted by
 * everyone, so followers never re-run the allocator, an allocator improved in a later release cannot make two nodes
 * disagree, and no history has to be kept. The cost is 8 bytes per token (about 200 KiB for 100 nodes of 256
 * vnodes), which is why a heartbeat should carry only the version and {@link Ring#fingerprint()} and the full
 * encoding travel when they differ.
 * <p>
 * The encoding is canonical: node ids strictly ascending, each node's tokens strictly ascending, no token owned by two
 * nodes, each node's token count exactly {@code Ring.vnodesFor(weight)}, their sum the header's token count, reserved
 * fields and padding zero, and the length exactly what the entries take. So one ring has one encoding and a decoder
 * refuses anything else. Any change to the layout or to a rule takes a new format version. There is no checksum: a
 * ring travels inside a checksummed container. Documented in {@code docs/FORMATS.md}.
 */
public final class RingDescriptor
{
    /** Byte order of every integer field. */
    public static final ByteOrder BYTE_ORDER = ByteOrder.LITTLE_ENDIAN;

    /** 'R' 'F' 'S' 'G' read as a little-endian int. */
    public static final int MAGIC = 0x47534652;
    /** Format version written by this code, and the only one it reads. */
    public static final int CURRENT_VERSION = 1;

    public static final int MAGIC_OFFSET = 0;
    public static final int FORMAT_VERSION_OFFSET = 4;
    public static final int REPLICATION_FACTOR_OFFSET = 5;
    public static final int RESERVED1_OFFSET = 6;
    public static final int RING_VERSION_OFFSET = 8;
    public static final int VNODES_OFFSET = 16;
    public static final int RESERVED2_OFFSET = 18;
    public static final int NODE_COUNT_OFFSET = 20;
    public static final int TOKEN_COUNT_OFFSET = 24;
    public static final int RESERVED3_OFFSET = 28;
    /** Length of the fixed header and offset of the first node entry. */
    public static final int HEADER_LENGTH = 32;

    public static final int NODE_ID_OFFSET = 0;
    public static final int NODE_WEIGHT_OFFSET = 4;
    public static final int NODE_ADDRESS_LENGTH_OFFSET = 6;
    public static final int NODE_ZONE_LENGTH_OFFSET = 7;
    public static final int NODE_TOKEN_COUNT_OFFSET = 8;
    public static final int NODE_RESERVED_OFFSET = 12;
    /** Length of a node entry's fixed part and offset of its address. */
    public static final int NODE_HEADER_LENGTH = 16;
    /** Node entries and their token lists start on this boundary. */
    public static final int ALIGNMENT = 8;
    /** Length of one token. */
    public static final int TOKEN_LENGTH = 8;
    /** Fewest bytes a node entry can take: its fixed part, a 3-byte address and a 1-byte zone, padded. */
    public static final int MIN_NODE_ENTRY_LENGTH = NODE_HEADER_LENGTH + ALIGNMENT;

    /** Bytes a reader needs to see the magic and the format version, enough to refuse a ring it cannot read. */
    public static final int PREAMBLE_LENGTH = FORMAT_VERSION_OFFSET + 1;

    private RingDescriptor()
    {
    }

    /**
     * @param addressLength address length in bytes.
     * @param zoneLength    zone length in bytes.
     * @return offset of the node's first token, relative to the start of its entry.
     */
    public static int tokensOffset(final int addressLength, final int zoneLength)
    {
        return BitUtil.align(NODE_HEADER_LENGTH + addressLength + zoneLength, ALIGNMENT);
    }

    /**
     * @param addressLength address length in bytes.
     * @param zoneLength    zone length in bytes.
     * @param tokenCount    the node's token count.
     * @return bytes the node's entry takes, tokens included.
     */
    public static long nodeEntryLength(final int addressLength, final int zoneLength, final int tokenCount)
    {
        return tokensOffset(addressLength, zoneLength) + (long)tokenCount * TOKEN_LENGTH;
    }

    /**
     * @param length bytes available for the ring.
     * @throws CorruptRingException if there are too few to hold the magic and format version.
     */
    public static void checkPreamble(final int length) throws CorruptRingException
    {
        if (length < PREAMBLE_LENGTH)
        {
            throw new CorruptRingException("truncated: length=" + length + ", the header needs " + HEADER_LENGTH);
        }
    }

    /**
     * @param magic the first four bytes read as a little-endian int.
     * @throws CorruptRingException if they are not {@link #MAGIC}.
     */
    public static void checkMagic(final int magic) throws CorruptRingException
    {
        if (magic != MAGIC)
        {
            throw new CorruptRingException(
                "magic=0x" + Integer.toHexString(magic) + ", expected 0x" + Integer.toHexString(MAGIC) + " ('RFSG')");
        }
    }

    /**
     * @param formatVersion the unsigned format version byte.
     * @throws CorruptRingException unless it is {@link #CURRENT_VERSION}.
     */
    public static void checkFormatVersion(final int formatVersion) throws CorruptRingException
    {
        if (formatVersion != CURRENT_VERSION)
        {
            throw new CorruptRingException(
                "formatVersion=" + formatVersion + " is not supported, this build reads version " + CURRENT_VERSION);
        }
    }

    /**
     * @param length bytes available for the ring.
     * @throws CorruptRingException if they cannot hold the fixed header.
     */
    public static void checkHeaderLength(final int length) throws CorruptRingException
    {
        if (length < HEADER_LENGTH)
        {
            throw new CorruptRingException("truncated: length=" + length + ", the header needs " + HEADER_LENGTH);
        }
    }

    /**
     * @param replicationFactor the unsigned replication factor byte.
     * @throws CorruptRingException unless it is 1 to {@link Ring#MAX_REPLICATION_FACTOR}.
     */
    public static void checkReplicationFactor(final int replicationFactor) throws CorruptRingException
    {
        if (replicationFactor < 1 || replicationFactor > Ring.MAX_REPLICATION_FACTOR)
        {
            throw new CorruptRingException(
                "replicationFactor=" + replicationFactor + " is outside 1.." + Ring.MAX_REPLICATION_FACTOR);
        }
    }

    /**
     * @param field the reserved field's name.
     * @param value its value.
     * @throws CorruptRingException unless it is zero.
     */
    public static void checkReserved(final String field, final long value) throws CorruptRingException
    {
        if (value != 0)
        {
            throw new CorruptRingException(field + "=0x" + Long.toHexString(value) + ", must be zero");
        }
    }

    /**
     * @param ringVersion the ring version field.
     * @param nodeCount   the node count field, already checked.
     * @throws CorruptRingException if it is negative, or 0 for a ring with nodes (only the empty start is version 0).
     */
    public static void checkRingVersion(final long ringVersion, final int nodeCount) throws CorruptRingException
    {
        if (ringVersion < 0 || (ringVersion == 0 && nodeCount > 0))
        {
            throw new CorruptRingException("ringVersion=" + ringVersion + " with nodeCount=" + nodeCount +
                ": versions are 0 or more and only the empty ring has version 0");
        }
    }

    /**
     * @param vnodes the vnodes field.
     * @throws CorruptRingException unless it is 1 to {@link Ring#MAX_VNODES}.
     */
    public static void checkVnodes(final int vnodes) throws CorruptRingException
    {
        if (vnodes < 1 || vnodes > Ring.MAX_VNODES)
        {
            throw new CorruptRingException("vnodes=" + vnodes + " is outside 1.." + Ring.MAX_VNODES);
        }
    }

    /**
     * @param nodeCount  the node count field.
     * @param tokenCount the token count field.
     * @throws CorruptRingException unless they are within {@link Ring#MAX_NODES} and {@link Ring#MAX_TOKENS}, and
     *                              the tokens number at least the nodes (every node has a token) and none without
     *                              nodes.
     */
    public static void checkCounts(final int nodeCount, final int tokenCount) throws CorruptRingException
    {
        if (nodeCount < 0 || nodeCount > Ring.MAX_NODES)
        {
            throw new CorruptRingException("nodeCount=" + nodeCount + " is outside 0.." + Ring.MAX_NODES);
        }
        if (tokenCount < nodeCount || tokenCount > Ring.MAX_TOKENS)
        {
            throw new CorruptRingException("tokenCount=" + tokenCount + " is outside " + nodeCount + ".." +
                Ring.MAX_TOKENS + " for nodeCount=" + nodeCount);
        }
    }

    /**
     * Checks that the bytes can hold at least the smallest entries the header announces, before anything is
     * allocated in proportion to the counts.
     *
     * @param length     bytes given for the ring.
     * @param nodeCount  the node count field, already checked.
     * @param tokenCount the token count field, already checked.
     * @throws CorruptRingException if they cannot.
     */
    public static void checkMinimumLength(final int length, final int nodeCount, final int tokenCount)
        throws CorruptRingException
    {
        final long minimum = HEADER_LENGTH + (long)nodeCount * MIN_NODE_ENTRY_LENGTH + (long)tokenCount * TOKEN_LENGTH;
        if (length < minimum)
        {
            throw new CorruptRingException("truncated: length=" + length + " but nodeCount=" + nodeCount +
                " and tokenCount=" + tokenCount + " need at least " + minimum);
        }
    }

    /**
     * @param index       entry position.
     * @param remaining   bytes left from the entry's start to the end of the ring.
     * @param entryLength bytes the entry needs ({@link #NODE_HEADER_LENGTH} before its fields are read).
     * @throws CorruptRingException if they are not all there.
     */
    public static void checkEntryLength(final int index, final long remaining, final long entryLength)
        throws CorruptRingException
    {
        if (remaining < entryLength)
        {
            throw new CorruptRingException("truncated: node[" + index + "] needs " + entryLength + " bytes, " +
                remaining + " remain");
        }
    }

    /**
     * @param index    entry position.
     * @param id       the node id field.
     * @param previous the previous entry's id, or -1 for the first.
     * @throws CorruptRingException unless it is 0 or more and above the previous.
     */
    public static void checkNodeId(final int index, final int id, final int previous) throws CorruptRingException
    {
        if (id < 0 || id <= previous)
        {
            throw new CorruptRingException("node[" + index + "].id=" + id + " must be 0 or more and above the " +
                "previous id " + previous + " (ids strictly ascending)");
        }
    }

    /**
     * @param index  entry position.
     * @param weight the weight field.
     * @throws CorruptRingException unless it is 1 to {@link RingNode#MAX_WEIGHT}.
     */
    public static void checkWeight(final int index, final int weight) throws CorruptRingException
    {
        final String error = RingNode.weightError(weight);
        if (error != null)
        {
            throw new CorruptRingException("node[" + index + "]." + error);
        }
    }

    /**
     * @param index         entry position.
     * @param addressLength the address length field.
     * @param zoneLength    the zone length field.
     * @throws CorruptRingException unless they are 1 to {@link RingNode#MAX_ADDRESS_LENGTH} and 1 to
     *                              {@link RingNode#MAX_ZONE_LENGTH}.
     */
    public static void checkNameLengths(final int index, final int addressLength, final int zoneLength)
        throws CorruptRingException
    {
        if (addressLength < 1)
        {
            throw new CorruptRingException("node[" + index + "].addressLength=" + addressLength + " is outside 1.." +
                RingNode.MAX_ADDRESS_LENGTH);
        }
        if (zoneLength < 1 || zoneLength > RingNode.MAX_ZONE_LENGTH)
        {
            throw new CorruptRingException("node[" + index + "].zoneLength=" + zoneLength + " is outside 1.." +
                RingNode.MAX_ZONE_LENGTH);
        }
    }

    /**
     * @param index      entry position.
     * @param tokenCount the node token count field.
     * @param expected   {@code Ring.vnodesFor(weight)} for the entry's weight and the header's vnodes.
     * @param remaining  tokens the header's token count leaves for this and later entries.
     * @throws CorruptRingException unless it is the expected count and within what remains.
     */
    public static void checkNodeTokenCount(final int index, final int tokenCount, final int expected,
        final int remaining) throws CorruptRingException
    {
        if (tokenCount != expected)
        {
            throw new CorruptRingException("node[" + index + "].tokenCount=" + tokenCount + " but its weight and " +
                "the ring's vnodes give " + expected);
        }
        if (tokenCount > remaining)
        {
            throw new CorruptRingException("node[" + index + "].tokenCount=" + tokenCount + " exceeds the " +
                remaining + " tokens the header's tokenCount leaves");
        }
    }

    /**
     * @param index    entry position.
     * @param offset   padding byte position relative to the end of the zone.
     * @param value    the padding byte.
     * @throws CorruptRingException unless it is zero.
     */
    public static void checkPadding(final int index, final int offset, final byte value) throws CorruptRingException
    {
        if (value != 0)
        {
            throw new CorruptRingException("node[" + index + "].padding[" + offset + "]=0x" +
                Integer.toHexString(value & 0xFF) + ", must be zero");
        }
    }

    /**
     * @param index    entry position.
     * @param k        token position within the entry.
     * @param token    the token.
     * @param previous the entry's previous token (ignored for {@code k == 0}).
     * @throws CorruptRingException unless the token is above the previous one, unsigned.
     */
    public static void checkTokenOrder(final int index, final int k, final long token, final long previous)
        throws CorruptRingException
    {
        if (k > 0 && Long.compareUnsigned(token, previous) <= 0)
        {
            throw new CorruptRingException("node[" + index + "].token[" + k + "]=" + RangeMove.hex(token) +
                " is not above the previous token " + RangeMove.hex(previous) + " (tokens strictly ascending)");
        }
    }

    /**
     * @param length   bytes given for the ring.
     * @param expected bytes the entries take.
     * @throws CorruptRingException unless they are equal.
     */
    public static void checkEncodedLength(final int length, final long expected) throws CorruptRingException
    {
        if (length != expected)
        {
            throw new CorruptRingException("length=" + length + " but the entries take exactly " + expected +
                " (trailing bytes)");
        }
    }
}

package io.rfs.replication.ring;

import io.rfs.store.chunk.Sha256;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;

import static io.rfs.replication.ring.RingDescriptor.*;

/**
 * Encodes a {@link Ring} to, and decodes it from, the binary form laid out by {@link RingDescriptor}, over Agrona
 * buffers.
 * <p>
 * {@link #decode} treats its input as untrusted: it checks every count, length and field before reading what depends
 * on it, allocates in proportion to a count only after the length check proves the bytes for it are there, and
 * refuses anything but the canonical encoding with a {@link CorruptRingException} naming the field and its value. A
 * ring it returns is one {@link #encode} produces byte for byte. {@link #ringVersion} reads just the header, for a
 * receiver that wants to know whether a ring is newer before decoding it. Stateless and thread safe.
 */
public final class RingCodec
{
    private RingCodec()
    {
    }

    /**
     * @param ring a ring.
     * @return the bytes its encoding takes.
     */
    public static int encodedLength(final Ring ring)
    {
        long length = HEADER_LENGTH;
        final long[] tokensOfNode = tokenCounts(ring);
        int i = 0;
        for (final RingNode node : ring.nodeArray())
        {
            length += nodeEntryLength(node.address().length(), node.zone().length(), (int)tokensOfNode[i++]);
        }
        return (int)length;
    }

    /**
     * Writes the encoding of a ring within {@code [offset, offset + encodedLength(ring))}.
     *
     * @param ring   the ring.
     * @param dst    destination; must have room for {@link #encodedLength(Ring)} bytes at {@code offset} unless it is
     *               expandable.
     * @param offset where the encoding starts.
     * @return bytes written, the same as {@link #encodedLength(Ring)}.
     */
    public static int encode(final Ring ring, final MutableDirectBuffer dst, final int offset)
    {
        final RingNode[] nodes = ring.nodeArray();
        final long[] tokens = ring.tokenArray();
        final int[] owners = ring.ownerArray();
        final long[] tokensOfNode = tokenCounts(ring);

        dst.putInt(offset + MAGIC_OFFSET, MAGIC, BYTE_ORDER);
        dst.putByte(offset + FORMAT_VERSION_OFFSET, (byte)CURRENT_VERSION);
        dst.putByte(offset + REPLICATION_FACTOR_OFFSET, (byte)ring.replicationFactor());
        dst.putShort(offset + RESERVED1_OFFSET, (short)0, BYTE_ORDER);
        dst.putLong(offset + RING_VERSION_OFFSET, ring.version(), BYTE_ORDER);
        dst.putShort(offset + VNODES_OFFSET, (short)ring.vnodes(), BYTE_ORDER);
        dst.putShort(offset + RESERVED2_OFFSET, (short)0, BYTE_ORDER);
        dst.putInt(offset + NODE_COUNT_OFFSET, nodes.length, BYTE_ORDER);
        dst.putInt(offset + TOKEN_COUNT_OFFSET, tokens.length, BYTE_ORDER);
        dst.putInt(offset + RESERVED3_OFFSET, 0, BYTE_ORDER);

        int entry = offset + HEADER_LENGTH;
        for (int i = 0; i < nodes.length; i++)
        {
            final RingNode node = nodes[i];
            final int addressLength = node.address().length();
            final int zoneLength = node.zone().length();
            dst.putInt(entry + NODE_ID_OFFSET, node.id(), BYTE_ORDER);
            dst.putShort(entry + NODE_WEIGHT_OFFSET, (short)node.weight(), BYTE_ORDER);
            dst.putByte(entry + NODE_ADDRESS_LENGTH_OFFSET, (byte)addressLength);
            dst.putByte(entry + NODE_ZONE_LENGTH_OFFSET, (byte)zoneLength);
            dst.putInt(entry + NODE_TOKEN_COUNT_OFFSET, (int)tokensOfNode[i], BYTE_ORDER);
            dst.putInt(entry + NODE_RESERVED_OFFSET, 0, BYTE_ORDER);
            dst.putStringWithoutLengthAscii(entry + NODE_HEADER_LENGTH, node.address());
            dst.putStringWithoutLengthAscii(entry + NODE_HEADER_LENGTH + addressLength, node.zone());
            final int tokensOffset = entry + tokensOffset(addressLength, zoneLength);
            dst.setMemory(entry + NODE_HEADER_LENGTH + addressLength + zoneLength,
                tokensOffset - (entry + NODE_HEADER_LENGTH + addressLength + zoneLength), (byte)0);
            int t = tokensOffset;
            for (int k = 0; k < tokens.length; k++)
            {
                if (owners[k] == i)
                {
                    dst.putLong(t, tokens[k], BYTE_ORDER);
                    t += TOKEN_LENGTH;
                }
            }
            entry = t;
        }
        return entry - offset;
    }

    /**
     * @param ring a ring.
     * @return a new array with its encoding.
     */
    public static byte[] encode(final Ring ring)
    {
        final byte[] bytes = new byte[encodedLength(ring)];
        encode(ring, new UnsafeBuffer(bytes), 0);
        return bytes;
    }

    /**
     * Reads the ring version after checking the header, without decoding the rest.
     *
     * @param src    buffer holding an encoded ring.
     * @param offset where it starts.
     * @param length bytes it occupies.
     * @return its ring version.
     * @throws CorruptRingException if the header is not valid.
     */
    public static long ringVersion(final DirectBuffer src, final int offset, final int length)
        throws CorruptRingException
    {
        checkHeader(src, offset, length);
        return src.getLong(offset + RING_VERSION_OFFSET, BYTE_ORDER);
    }

    /**
     * Decodes a ring from untrusted bytes.
     *
     * @param src    buffer holding an encoded ring.
     * @param offset where it starts.
     * @param length bytes it occupies; must be exactly its encoded length.
     * @return the ring.
     * @throws CorruptRingException naming the first field found wrong.
     * @throws IllegalArgumentException if {@code offset} and {@code length} do not lie within {@code src}.
     */
    public static Ring decode(final DirectBuffer src, final int offset, final int length) throws CorruptRingException
    {
        if (offset < 0 || length < 0 || (long)offset + length > src.capacity())
        {
            throw new IllegalArgumentException("offset=" + offset + " length=" + length + " capacity=" +
                src.capacity());
        }
        checkHeader(src, offset, length);
        final int replicationFactor = src.getByte(offset + REPLICATION_FACTOR_OFFSET) & 0xFF;
        final long ringVersion = src.getLong(offset + RING_VERSION_OFFSET, BYTE_ORDER);
        final int vnodes = src.getShort(offset + VNODES_OFFSET, BYTE_ORDER) & 0xFFFF;
        final int nodeCount = src.getInt(offset + NODE_COUNT_OFFSET, BYTE_ORDER);
        final int tokenCount = src.getInt(offset + TOKEN_COUNT_OFFSET, BYTE_ORDER);

        final RingNode[] nodes = new RingNode[nodeCount];
        final long[] tokens = new long[tokenCount];
        final int[] owners = new int[tokenCount];
        final int end = offset + length;
        int entry = offset + HEADER_LENGTH;
        int tokensRead = 0;
        int previousId = -1;
        for (int i = 0; i < nodeCount; i++)
        {
            checkEntryLength(i, end - entry, NODE_HEADER_LENGTH);
            final int id = src.getInt(entry + NODE_ID_OFFSET, BYTE_ORDER);
            checkNodeId(i, id, previousId);
            previousId = id;
            final int weight = src.getShort(entry + NODE_WEIGHT_OFFSET, BYTE_ORDER) & 0xFFFF;
            checkWeight(i, weight);
            final int addressLength = src.getByte(entry + NODE_ADDRESS_LENGTH_OFFSET) & 0xFF;
            final int zoneLength = src.getByte(entry + NODE_ZONE_LENGTH_OFFSET) & 0xFF;
            checkNameLengths(i, addressLength, zoneLength);
            final int nodeTokens = src.getInt(entry + NODE_TOKEN_COUNT_OFFSET, BYTE_ORDER);
            checkNodeTokenCount(i, nodeTokens, Ring.vnodesFor(vnodes, weight), tokenCount - tokensRead);
            checkReserved("node[" + i + "].reserved", src.getInt(entry + NODE_RESERVED_OFFSET, BYTE_ORDER));
            checkEntryLength(i, end - entry, nodeEntryLength(addressLength, zoneLength, nodeTokens));

            final String address = ascii(src, entry + NODE_HEADER_LENGTH, addressLength);
            final String addressError = address == null ? "address is not printable ASCII" :
                RingNode.addressError(address);
            if (addressError != null)
            {
                throw new CorruptRingException("node[" + i + "]." + addressError);
            }
            final String zone = ascii(src, entry + NODE_HEADER_LENGTH + addressLength, zoneLength);
            final String zoneError = zone == null ? "zone is not printable ASCII" : RingNode.zoneError(zone);
            if (zoneError != null)
            {
                throw new CorruptRingException("node[" + i + "]." + zoneError);
            }
            final int namesEnd = entry + NODE_HEADER_LENGTH + addressLength + zoneLength;
            final int tokensStart = entry + tokensOffset(addressLength, zoneLength);
            for (int p = namesEnd; p < tokensStart; p++)
            {
                checkPadding(i, p - namesEnd, src.getByte(p));
            }
            nodes[i] = new RingNode(id, address, weight, zone);

            long previous = 0;
            for (int k = 0; k < nodeTokens; k++)
            {
                final long token = src.getLong(tokensStart + k * TOKEN_LENGTH, BYTE_ORDER);
                checkTokenOrder(i, k, token, previous);
                previous = token;
                tokens[tokensRead] = token;
                owners[tokensRead] = i;
                tokensRead++;
            }
            entry = tokensStart + nodeTokens * TOKEN_LENGTH;
        }
        if (tokensRead != tokenCount)
        {
            throw new CorruptRingException("tokenCount=" + tokenCount + " but the nodes own " + tokensRead);
        }
        checkEncodedLength(length, entry - offset);

        final long[] sorted = sortUnsigned(tokens);
        for (int k = 1; k < tokenCount; k++)
        {
            if (sorted[k] == sorted[k - 1])
            {
                throw duplicate(sorted[k], tokens, owners, nodes);
            }
        }
        final int[] sortedOwners = new int[tokenCount];
        for (int k = 0; k < tokenCount; k++)
        {
            sortedOwners[Arrays.binarySearch(sorted, tokens[k] ^ Long.MIN_VALUE)] = owners[k];
        }
        for (int k = 0; k < tokenCount; k++)
        {
            sorted[k] ^= Long.MIN_VALUE;
        }
        return new Ring(ringVersion, replicationFactor, vnodes, nodes, sorted, sortedOwners);
    }

    /**
     * @param bytes an encoded ring, exactly.
     * @return the ring.
     * @throws CorruptRingException naming the first field found wrong.
     */
    public static Ring decode(final byte[] bytes) throws CorruptRingException
    {
        return decode(new UnsafeBuffer(bytes), 0, bytes.length);
    }

    /**
     * @param ring a ring.
     * @return the first 8 bytes, big-endian, of the SHA-256 of its encoding; never 0.
     */
    static long fingerprint(final Ring ring)
    {
        final byte[] digest = Sha256.digest(encode(ring));
        long value = 0;
        for (int i = 0; i < 8; i++)
        {
            value = (value << 8) | (digest[i] & 0xFF);
        }
        return value == 0 ? 1 : value;
    }

    private static void checkHeader(final DirectBuffer src, final int offset, final int length)
        throws CorruptRingException
    {
        checkPreamble(length);
        checkMagic(src.getInt(offset + MAGIC_OFFSET, BYTE_ORDER));
        checkFormatVersion(src.getByte(offset + FORMAT_VERSION_OFFSET) & 0xFF);
        checkHeaderLength(length);
        checkReplicationFactor(src.getByte(offset + REPLICATION_FACTOR_OFFSET) & 0xFF);
        checkReserved("reserved1", src.getShort(offset + RESERVED1_OFFSET, BYTE_ORDER));
        checkVnodes(src.getShort(offset + VNODES_OFFSET, BYTE_ORDER) & 0xFFFF);
        checkReserved("reserved2", src.getShort(offset + RESERVED2_OFFSET, BYTE_ORDER));
        final int nodeCount = src.getInt(offset + NODE_COUNT_OFFSET, BYTE_ORDER);
        final int tokenCount = src.getInt(offset + TOKEN_COUNT_OFFSET, BYTE_ORDER);
        checkCounts(nodeCount, tokenCount);
        checkReserved("reserved3", src.getInt(offset + RESERVED3_OFFSET, BYTE_ORDER));
        checkRingVersion(src.getLong(offset + RING_VERSION_OFFSET, BYTE_ORDER), nodeCount);
        checkMinimumLength(length, nodeCount, tokenCount);
    }

    private static String ascii(final DirectBuffer src, final int offset, final int length)
    {
        final char[] chars = new char[length];
        for (int i = 0; i < length; i++)
        {
            final int b = src.getByte(offset + i) & 0xFF;
            if (b < 0x21 || b > 0x7E)
            {
                return null;
            }
            chars[i] = (char)b;
        }
        return new String(chars);
    }

    private static long[] tokenCounts(final Ring ring)
    {
        final long[] counts = new long[ring.nodeCount()];
        for (final int owner : ring.ownerArray())
        {
            counts[owner]++;
        }
        return counts;
    }

    /**
     * @return the tokens with their sign bits flipped, so that signed order is the tokens' unsigned order, sorted.
     */
    private static long[] sortUnsigned(final long[] tokens)
    {
        final long[] keys = new long[tokens.length];
        for (int i = 0; i < tokens.length; i++)
        {
            keys[i] = tokens[i] ^ Long.MIN_VALUE;
        }
        Arrays.sort(keys);
        return keys;
    }

    private static CorruptRingException duplicate(
        final long flipped, final long[] tokens, final int[] owners, final RingNode[] nodes)
    {
        final long token = flipped ^ Long.MIN_VALUE;
        int first = -1;
        int second = -1;
        for (int k = 0; k < tokens.length; k++)
        {
            if (tokens[k] == token)
            {
                if (first < 0)
                {
                    first = owners[k];
                }
                else
                {
                    second = owners[k];
                    break;
                }
            }
        }
        return new CorruptRingException("token " + RangeMove.hex(token) + " is owned by both node " +
            nodes[first].id() + " and node " + nodes[second].id());
    }
}

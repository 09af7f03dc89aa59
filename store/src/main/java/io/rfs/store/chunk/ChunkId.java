package io.rfs.store.chunk;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;
import java.util.HexFormat;

/**
 * The name of a chunk: the SHA-256 of its uncompressed bytes.
 * <p>
 * Held as four big-endian longs rather than a {@code byte[]} so that equality and hashing cost four compares and
 * the ring position ({@link #prefix()}) is a field read. Instances are immutable.
 */
public final class ChunkId implements Comparable<ChunkId>
{
    /** Length of a chunk id in bytes. */
    public static final int LENGTH = 32;

    private static final HexFormat HEX = HexFormat.of();

    private final long w0;
    private final long w1;
    private final long w2;
    private final long w3;

    private ChunkId(final long w0, final long w1, final long w2, final long w3)
    {
        this.w0 = w0;
        this.w1 = w1;
        this.w2 = w2;
        this.w3 = w3;
    }

    /**
     * @param digest a 32-byte SHA-256 digest.
     * @return the id it names.
     */
    public static ChunkId of(final byte[] digest)
    {
        if (digest.length != LENGTH)
        {
            throw new IllegalArgumentException("digest length=" + digest.length + ", expected " + LENGTH);
        }
        return of(digest, 0);
    }

    /**
     * @param bytes  array holding a digest.
     * @param offset where the 32 bytes start.
     * @return the id it names.
     */
    public static ChunkId of(final byte[] bytes, final int offset)
    {
        return new ChunkId(
            readLong(bytes, offset), readLong(bytes, offset + 8), readLong(bytes, offset + 16),
            readLong(bytes, offset + 24));
    }

    /**
     * @param buffer buffer holding a digest.
     * @param offset where the 32 bytes start.
     * @return the id it names.
     */
    public static ChunkId read(final DirectBuffer buffer, final int offset)
    {
        return new ChunkId(
            buffer.getLong(offset, ByteOrder.BIG_ENDIAN), buffer.getLong(offset + 8, ByteOrder.BIG_ENDIAN),
            buffer.getLong(offset + 16, ByteOrder.BIG_ENDIAN), buffer.getLong(offset + 24, ByteOrder.BIG_ENDIAN));
    }

    /**
     * @param hex 64 hexadecimal characters.
     * @return the id they spell.
     * @throws IllegalArgumentException if {@code hex} is not a 64-character hex string.
     */
    public static ChunkId parse(final String hex)
    {
        if (hex.length() != LENGTH * 2)
        {
            throw new IllegalArgumentException("chunk id must be 64 hex characters: " + hex);
        }
        return of(HEX.parseHex(hex));
    }

    /**
     * Writes the 32 bytes of this id.
     *
     * @param buffer destination.
     * @param offset where to write.
     */
    public void write(final MutableDirectBuffer buffer, final int offset)
    {
        buffer.putLong(offset, w0, ByteOrder.BIG_ENDIAN);
        buffer.putLong(offset + 8, w1, ByteOrder.BIG_ENDIAN);
        buffer.putLong(offset + 16, w2, ByteOrder.BIG_ENDIAN);
        buffer.putLong(offset + 24, w3, ByteOrder.BIG_ENDIAN);
    }

    /**
     * Writes the 32 bytes of this id.
     *
     * @param bytes  destination.
     * @param offset where to write.
     */
    public void write(final byte[] bytes, final int offset)
    {
        writeLong(bytes, offset, w0);
        writeLong(bytes, offset + 8, w1);
        writeLong(bytes, offset + 16, w2);
        writeLong(bytes, offset + 24, w3);
    }

    /**
     * @return a new array with the 32 bytes of this id.
     */
    public byte[] toBytes()
    {
        final byte[] bytes = new byte[LENGTH];
        write(bytes, 0);
        return bytes;
    }

    /**
     * The first 8 bytes of the id as a big-endian long: the chunk's position on the ring and the key of the
     * chunk index. SHA-256 output is uniform, so no further hashing is needed.
     *
     * @return the first 8 bytes as a long.
     */
    public long prefix()
    {
        return w0;
    }

    /**
     * @param index 0 to 3.
     * @return bytes {@code 8 * index} to {@code 8 * index + 7} of the id as a big-endian long.
     */
    public long word(final int index)
    {
        switch (index)
        {
            case 0:
                return w0;
            case 1:
                return w1;
            case 2:
                return w2;
            case 3:
                return w3;
            default:
                throw new IndexOutOfBoundsException("index=" + index);
        }
    }

    /**
     * @param bytes  array holding a digest.
     * @param offset where the 32 bytes start.
     * @return true if those bytes are this id.
     */
    public boolean matches(final byte[] bytes, final int offset)
    {
        return w0 == readLong(bytes, offset) && w1 == readLong(bytes, offset + 8) &&
            w2 == readLong(bytes, offset + 16) && w3 == readLong(bytes, offset + 24);
    }

    /**
     * @param buffer buffer holding a digest.
     * @param offset where the 32 bytes start.
     * @return true if those bytes are this id.
     */
    public boolean matches(final DirectBuffer buffer, final int offset)
    {
        return w0 == buffer.getLong(offset, ByteOrder.BIG_ENDIAN) &&
            w1 == buffer.getLong(offset + 8, ByteOrder.BIG_ENDIAN) &&
            w2 == buffer.getLong(offset + 16, ByteOrder.BIG_ENDIAN) &&
            w3 == buffer.getLong(offset + 24, ByteOrder.BIG_ENDIAN);
    }

    /**
     * @return the 64 lowercase hex characters of this id, as {@code sha256sum} prints them.
     */
    public String toHex()
    {
        return HEX.formatHex(toBytes());
    }

    /**
     * @return the first 12 hex characters, enough to name a chunk in a message.
     */
    public String toShortHex()
    {
        return toHex().substring(0, 12);
    }

    @Override
    public boolean equals(final Object o)
    {
        if (this == o)
        {
            return true;
        }
        if (!(o instanceof ChunkId))
        {
            return false;
        }
        final ChunkId that = (ChunkId)o;
        return w0 == that.w0 && w1 == that.w1 && w2 == that.w2 && w3 == that.w3;
    }

    @Override
    public int hashCode()
    {
        return Long.hashCode(w0);
    }

    @Override
    public int compareTo(final ChunkId o)
    {
        int c = Long.compareUnsigned(w0, o.w0);
        if (c == 0)
        {
            c = Long.compareUnsigned(w1, o.w1);
        }
        if (c == 0)
        {
            c = Long.compareUnsigned(w2, o.w2);
        }
        if (c == 0)
        {
            c = Long.compareUnsigned(w3, o.w3);
        }
        return c;
    }

    @Override
    public String toString()
    {
        return toHex();
    }

    private static long readLong(final byte[] b, final int o)
    {
        return ((long)(b[o] & 0xFF) << 56) | ((long)(b[o + 1] & 0xFF) << 48) | ((long)(b[o + 2] & 0xFF) << 40) |
            ((long)(b[o + 3] & 0xFF) << 32) | ((long)(b[o + 4] & 0xFF) << 24) | ((long)(b[o + 5] & 0xFF) << 16) |
            ((long)(b[o + 6] & 0xFF) << 8) | (long)(b[o + 7] & 0xFF);
    }

    private static void writeLong(final byte[] b, final int o, final long v)
    {
        for (int i = 0; i < 8; i++)
        {
            b[o + i] = (byte)(v >>> (56 - 8 * i));
        }
    }
}

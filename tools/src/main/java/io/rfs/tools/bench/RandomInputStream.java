package io.rfs.tools.bench;

import java.io.InputStream;
import java.util.SplittableRandom;

/**
 * A stream of pseudo-random bytes of a given length, generated as it is read: any size in constant memory. One
 * random block of {@link #BLOCK_LENGTH} bytes is repeated with its first eight bytes changed in every repetition,
 * so that no two 1 MiB fixed-size chunks are equal (a store that dedups would otherwise store one chunk) and none
 * compresses, at the cost of a memory copy per byte rather than a random-number call.
 */
public final class RandomInputStream extends InputStream
{
    /** Length of the repeated random block. */
    public static final int BLOCK_LENGTH = 1024 * 1024;

    private final byte[] block = new byte[BLOCK_LENGTH];
    private final long length;
    private final long salt;
    private long position;

    /**
     * @param length how many bytes the stream holds.
     * @param seed   the same seed gives the same bytes.
     */
    public RandomInputStream(final long length, final long seed)
    {
        if (length < 0)
        {
            throw new IllegalArgumentException("length=" + length + " must not be negative");
        }
        final SplittableRandom random = new SplittableRandom(seed);
        random.nextBytes(block);
        this.length = length;
        this.salt = random.nextLong();
    }

    @Override
    public int read()
    {
        final byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(final byte[] b, final int off, final int len)
    {
        if (position >= length)
        {
            return -1;
        }
        final int offsetInBlock = (int)(position % BLOCK_LENGTH);
        final int count = (int)Math.min(Math.min(len, BLOCK_LENGTH - offsetInBlock), length - position);
        System.arraycopy(block, offsetInBlock, b, off, count);
        final long blockIndex = position / BLOCK_LENGTH;
        final long mark = salt ^ (blockIndex * 0x9E3779B97F4A7C15L);
        for (int i = offsetInBlock; i < Math.min(Long.BYTES, offsetInBlock + count); i++)
        {
            b[off + i - offsetInBlock] ^= (byte)(mark >>> (8 * i));
        }
        position += count;
        return count;
    }

    @Override
    public long skip(final long n)
    {
        final long skipped = Math.max(0, Math.min(n, length - position));
        position += skipped;
        return skipped;
    }

    @Override
    public int available()
    {
        return (int)Math.min(Integer.MAX_VALUE, length - position);
    }
}

package io.rfs.bench;

import java.io.InputStream;

/**
 * Serves {@code length} bytes by cycling over a fixed array, so a benchmark can stream many MiB without allocating
 * or touching a disk. Reusable through {@link #reset(long)}.
 */
final class RepeatingInputStream extends InputStream
{
    private final byte[] source;
    private long remaining;
    private int position;

    RepeatingInputStream(final byte[] source)
    {
        this.source = source;
    }

    RepeatingInputStream reset(final long length)
    {
        remaining = length;
        position = 0;
        return this;
    }

    @Override
    public int read()
    {
        if (remaining == 0)
        {
            return -1;
        }
        remaining--;
        final int b = source[position] & 0xFF;
        position = (position + 1) % source.length;
        return b;
    }

    @Override
    public int read(final byte[] dst, final int offset, final int length)
    {
        if (remaining == 0)
        {
            return -1;
        }
        final int n = (int)Math.min(Math.min(length, remaining), source.length - position);
        System.arraycopy(source, position, dst, offset, n);
        position = (position + n) % source.length;
        remaining -= n;
        return n;
    }
}

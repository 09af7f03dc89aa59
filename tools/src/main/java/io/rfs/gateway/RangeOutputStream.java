package io.rfs.gateway;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Passes on the bytes {@code [start, start + length)} of what is written to it and drops the rest; once the range
 * is complete a further write throws {@link RangeComplete}, which stops the store's read of the chunks after it.
 * The chunks before the range are still read (and verified): the store reads a file from its start.
 */
final class RangeOutputStream extends OutputStream
{
    /**
     * Thrown to stop a read once the range has been written; not an error.
     */
    static final class RangeComplete extends IOException
    {
        private static final long serialVersionUID = 1L;

        RangeComplete()
        {
            super("range complete");
        }
    }

    private final OutputStream out;
    private final long start;
    private final long end;
    private long position;

    /**
     * @param out    where the range goes.
     * @param start  the first byte's offset.
     * @param length how many bytes.
     */
    RangeOutputStream(final OutputStream out, final long start, final long length)
    {
        this.out = out;
        this.start = start;
        this.end = start + length;
    }

    @Override
    public void write(final int b) throws IOException
    {
        write(new byte[]{(byte)b}, 0, 1);
    }

    @Override
    public void write(final byte[] bytes, final int offset, final int length) throws IOException
    {
        if (position >= end)
        {
            throw new RangeComplete();
        }
        final long from = Math.max(position, start);
        final long to = Math.min(position + length, end);
        if (to > from)
        {
            out.write(bytes, offset + (int)(from - position), (int)(to - from));
        }
        position += length;
    }

    /**
     * @return true once every byte of the range was passed on.
     */
    boolean isComplete()
    {
        return position >= end;
    }
}

package io.rfs.store.chunk;

import java.io.InputStream;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * An in-memory stream that can answer with short reads, now and then an (off-contract) empty read, and that fails
 * the test if it is read again after it has reported its end.
 */
final class TestInputStream extends InputStream
{
    private final byte[] data;
    private final SplittableRandom random;
    private final int maxRead;
    private int position;
    private boolean isEnded;

    private TestInputStream(final byte[] data, final SplittableRandom random, final int maxRead)
    {
        this.data = data;
        this.random = random;
        this.maxRead = maxRead;
    }

    /**
     * @param data the stream's bytes.
     * @return a stream that fills every read as far as it can.
     */
    static TestInputStream of(final byte[] data)
    {
        return new TestInputStream(data, null, Integer.MAX_VALUE);
    }

    /**
     * @param data    the stream's bytes.
     * @param random  decides the length of each read.
     * @param maxRead the most bytes one read returns.
     * @return a stream whose reads return 0 to {@code maxRead} bytes, 0 about one time in eight.
     */
    static TestInputStream shortReads(final byte[] data, final SplittableRandom random, final int maxRead)
    {
        return new TestInputStream(data, random, maxRead);
    }

    @Override
    public int read()
    {
        if (atEnd())
        {
            return -1;
        }
        return data[position++] & 0xFF;
    }

    @Override
    public int read(final byte[] b, final int off, final int len)
    {
        Objects.checkFromIndexSize(off, len, b.length);
        if (0 == len)
        {
            return 0;
        }
        if (atEnd())
        {
            return -1;
        }

        int count = Math.min(Math.min(len, maxRead), data.length - position);
        if (null != random)
        {
            count = 0 == random.nextInt(8) ? 0 : 1 + random.nextInt(count);
        }
        System.arraycopy(data, position, b, off, count);
        position += count;
        return count;
    }

    private boolean atEnd()
    {
        if (isEnded)
        {
            throw new IllegalStateException("read after the stream reported its end");
        }
        isEnded = position == data.length;
        return isEnded;
    }
}

package io.rfs.store.chunk;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads shared by the chunkers.
 */
final class Streams
{
    private Streams()
    {
    }

    /**
     * Reads at least one and at most {@code length} bytes, unless the stream has ended.
     * <p>
     * {@link InputStream#read(byte[], int, int)} may return fewer bytes than asked for; a stream that breaks its
     * contract and returns 0 for a non-empty request is served by the blocking single-byte {@link InputStream#read()}
     * so that a caller's loop never spins.
     *
     * @param in     the stream.
     * @param dst    destination.
     * @param offset where the bytes go.
     * @param length most bytes to read, at least 1.
     * @return the number of bytes read, at least 1, or -1 at the end of the stream.
     * @throws IOException if {@code in} fails.
     */
    static int read(final InputStream in, final byte[] dst, final int offset, final int length) throws IOException
    {
        final int read = in.read(dst, offset, length);
        if (0 != read)
        {
            return read;
        }

        final int b = in.read();
        if (b < 0)
        {
            return -1;
        }
        dst[offset] = (byte)b;
        return 1;
    }

    /**
     * @param dst          the destination given to a chunker.
     * @param maxChunkSize the chunker's largest chunk.
     * @throws IllegalArgumentException if a chunk of {@code maxChunkSize} bytes would not fit.
     */
    static void checkDestination(final byte[] dst, final int maxChunkSize)
    {
        if (dst.length < maxChunkSize)
        {
            throw new IllegalArgumentException(
                "dst.length=" + dst.length + ", must be >= maxChunkSize=" + maxChunkSize);
        }
    }
}

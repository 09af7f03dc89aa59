package io.rfs.store.chunk;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drives a chunker over a whole stream, as the put pipeline does with a different buffer on each call, and checks
 * what every chunker promises.
 */
final class Chunks
{
    private Chunks()
    {
    }

    /**
     * @param chunker a fresh chunker.
     * @param in      the stream to cut.
     * @return a copy of each chunk, in order; checks that the calls after the end keep returning 0.
     * @throws IOException if {@code in} fails.
     */
    static List<byte[]> cut(final Chunker chunker, final InputStream in) throws IOException
    {
        final byte[][] buffers = { new byte[chunker.maxChunkSize()], new byte[chunker.maxChunkSize() + 7] };
        final List<byte[]> chunks = new ArrayList<>();
        int length;
        while ((length = chunker.next(in, buffers[chunks.size() & 1])) > 0)
        {
            final byte[] dst = buffers[chunks.size() & 1];
            chunks.add(Arrays.copyOf(dst, length));
            Arrays.fill(dst, (byte)0x55);
        }
        assertThat(chunker.next(in, buffers[0])).isZero();
        assertThat(chunker.next(in, buffers[1])).isZero();
        return chunks;
    }

    /**
     * Checks that the chunks put together are the input and that every chunk but the last is within bounds.
     *
     * @param chunks  what a chunker returned.
     * @param input   what it was given.
     * @param chunker the chunker, for its bounds.
     * @param context printed on failure: the seed and what was being tested.
     */
    static void assertValid(final List<byte[]> chunks, final byte[] input, final Chunker chunker, final String context)
    {
        final ByteArrayOutputStream joined = new ByteArrayOutputStream(input.length);
        for (int i = 0; i < chunks.size(); i++)
        {
            final int length = chunks.get(i).length;
            assertThat(length).as("%s: chunk %d of %d", context, i, chunks.size())
                .isPositive()
                .isLessThanOrEqualTo(chunker.maxChunkSize());
            if (i < chunks.size() - 1)
            {
                assertThat(length).as("%s: chunk %d of %d", context, i, chunks.size())
                    .isGreaterThanOrEqualTo(chunker.minChunkSize());
            }
            joined.writeBytes(chunks.get(i));
        }
        assertThat(joined.toByteArray()).as("%s: chunks joined", context).isEqualTo(input);
    }

    /**
     * @param chunks some chunks.
     * @return their lengths.
     */
    static int[] lengths(final List<byte[]> chunks)
    {
        return chunks.stream().mapToInt((chunk) -> chunk.length).toArray();
    }
}

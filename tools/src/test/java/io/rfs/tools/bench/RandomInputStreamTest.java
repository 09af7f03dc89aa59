package io.rfs.tools.bench;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class RandomInputStreamTest
{
    private static final int BLOCK = RandomInputStream.BLOCK_LENGTH;

    @Test
    void shouldHoldExactlyItsLengthWhateverTheReadSizes() throws IOException
    {
        final long length = 3L * BLOCK + 12_345;
        try (InputStream in = new RandomInputStream(length, 1))
        {
            long total = 0;
            final byte[] buffer = new byte[7_777];
            int read;
            while ((read = in.read(buffer, 0, buffer.length)) > 0)
            {
                total += read;
            }
            assertThat(total).isEqualTo(length);
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void shouldGiveTheSameBytesForTheSameSeedAndReadSizesDoNotMatter() throws IOException
    {
        final byte[] whole = new RandomInputStream(2L * BLOCK + 10, 5).readAllBytes();
        final byte[] piecewise = new byte[whole.length];
        try (InputStream in = new RandomInputStream(whole.length, 5))
        {
            int position = 0;
            while (position < piecewise.length)
            {
                final int read = in.read(piecewise, position, Math.min(3, piecewise.length - position));
                position += read;
            }
        }
        assertThat(piecewise).isEqualTo(whole);
        assertThat(new RandomInputStream(whole.length, 6).readAllBytes()).isNotEqualTo(whole);
    }

    @Test
    void shouldMakeEveryOneMibChunkDifferent() throws Exception
    {
        final byte[] bytes = new RandomInputStream(16L * BLOCK, 9).readAllBytes();
        final Set<String> digests = new HashSet<>();
        for (int i = 0; i < 16; i++)
        {
            final byte[] chunk = Arrays.copyOfRange(bytes, i * BLOCK, (i + 1) * BLOCK);
            digests.add(Arrays.toString(MessageDigest.getInstance("SHA-256").digest(chunk)));
        }
        assertThat(digests).hasSize(16);
    }
}

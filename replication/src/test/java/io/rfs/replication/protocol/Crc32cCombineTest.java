package io.rfs.replication.protocol;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.zip.CRC32C;

import static org.assertj.core.api.Assertions.assertThat;

class Crc32cCombineTest
{
    private static final SplittableRandom SEEDS = new SplittableRandom();

    @Test
    void shouldCombineKnownCheckValue()
    {
        final byte[] bytes = "123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

        final int combined = Crc32cCombine.combine(crc(bytes, 0, 4), crc(bytes, 4, 5), 5);

        assertThat(combined).isEqualTo(0xE3069283);
    }

    @Test
    void shouldCombineWithEmptyRanges()
    {
        final byte[] bytes = {1, 2, 3};

        assertThat(Crc32cCombine.combine(crc(bytes, 0, 3), crc(bytes, 3, 0), 0)).isEqualTo(crc(bytes, 0, 3));
        assertThat(Crc32cCombine.combine(crc(bytes, 0, 0), crc(bytes, 0, 3), 3)).isEqualTo(crc(bytes, 0, 3));
    }

    @RepeatedTest(50)
    void shouldMatchCrcOfConcatenation()
    {
        final long seed = SEEDS.nextLong();
        final SplittableRandom random = new SplittableRandom(seed);
        final byte[] bytes = new byte[random.nextInt(1, 200_000)];
        random.nextBytes(bytes);
        final int split = random.nextInt(bytes.length + 1);

        final int combined = Crc32cCombine.combine(crc(bytes, 0, split), crc(bytes, split, bytes.length - split),
            bytes.length - split);

        assertThat(combined).as("seed=%d", seed).isEqualTo(crc(bytes, 0, bytes.length));
    }

    private static int crc(final byte[] bytes, final int offset, final int length)
    {
        final CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int)crc.getValue();
    }
}

package io.rfs.store.chunk;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FixedSizeChunkerTest
{
    private static final int SIZE = 1000;

    @ParameterizedTest
    @ValueSource(longs = { 1, 2, 3, 0x5EED, -7 })
    void shouldCutIntoChunksOfExactlySizeWhateverTheReads(final long seed) throws Exception
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final int[] lengths = { 0, 1, SIZE - 1, SIZE, SIZE + 1, 2 * SIZE, random.nextInt(20 * SIZE) };
        for (final int length : lengths)
        {
            final byte[] input = new byte[length];
            random.nextBytes(input);
            final String context = "seed=" + seed + " length=" + length;

            final List<byte[]> whole = Chunks.cut(new FixedSizeChunker(SIZE), TestInputStream.of(input));
            final List<byte[]> shortReads = Chunks.cut(
                new FixedSizeChunker(SIZE), TestInputStream.shortReads(input, random, 1 + random.nextInt(300)));

            Chunks.assertValid(whole, input, new FixedSizeChunker(SIZE), context);
            Chunks.assertValid(shortReads, input, new FixedSizeChunker(SIZE), context + " short reads");
            assertThat(whole).as(context).hasSize((length + SIZE - 1) / SIZE);
            assertThat(Chunks.lengths(shortReads)).as(context).isEqualTo(Chunks.lengths(whole));
            for (int i = 0; i < whole.size() - 1; i++)
            {
                assertThat(whole.get(i)).as(context).hasSize(SIZE);
            }
        }
    }

    @Test
    void shouldYieldNoChunkForEmptyStream() throws Exception
    {
        assertThat(Chunks.cut(new FixedSizeChunker(SIZE), TestInputStream.of(new byte[0]))).isEmpty();
    }

    @Test
    void shouldRejectDestinationShorterThanSize()
    {
        final FixedSizeChunker chunker = new FixedSizeChunker(SIZE);
        assertThatThrownBy(() -> chunker.next(TestInputStream.of(new byte[10]), new byte[SIZE - 1]))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("dst.length=999");
    }

    @Test
    void shouldRejectSizeOutOfBounds()
    {
        assertThatThrownBy(() -> new FixedSizeChunker(63))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("size=63");
        assertThatThrownBy(() -> new FixedSizeChunker(64 * 1024 * 1024 + 1))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("size=67108865");
        assertThat(new FixedSizeChunker(64).maxChunkSize()).isEqualTo(64);
    }
}

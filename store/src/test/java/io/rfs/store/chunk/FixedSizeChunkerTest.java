package io.rfs.store.chunk;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
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

    @ParameterizedTest
    @ValueSource(longs = { 1, 2, 3, 0x5EED, -7 })
    void shouldCutTheSameChunksWhenReadInPiecesOrWhole(final long seed) throws Exception
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final byte[] input = new byte[random.nextInt(20 * SIZE)];
        random.nextBytes(input);
        final String context = "seed=" + seed + " length=" + input.length;
        final FixedSizeChunker chunker = new FixedSizeChunker(SIZE);
        final TestInputStream in = TestInputStream.shortReads(input, random, 1 + random.nextInt(300));
        final byte[] dst = new byte[SIZE];
        final List<byte[]> chunks = new ArrayList<>();

        while (true)
        {
            int filled = 0;
            if (random.nextBoolean())
            {
                filled = chunker.next(in, dst);
            }
            else
            {
                int read;
                while ((read = chunker.read(in, dst, filled, 1 + random.nextInt(2 * SIZE))) > 0)
                {
                    filled += read;
                    assertThat(filled).as(context).isLessThanOrEqualTo(SIZE);
                }
            }
            if (filled == 0)
            {
                break;
            }
            chunks.add(Arrays.copyOf(dst, filled));
        }

        assertThat(chunker.read(in, dst, 0, SIZE)).as(context).isZero();
        assertThat(chunker.next(in, dst)).as(context).isZero();
        Chunks.assertValid(chunks, input, chunker, context);
        assertThat(Chunks.lengths(chunks)).as(context)
            .isEqualTo(Chunks.lengths(Chunks.cut(new FixedSizeChunker(SIZE), TestInputStream.of(input))));
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

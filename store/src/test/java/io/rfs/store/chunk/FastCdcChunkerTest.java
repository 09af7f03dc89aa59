package io.rfs.store.chunk;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FastCdcChunkerTest
{
    private static final int MIB = 1024 * 1024;

    private static final ChunkingPolicy[] POLICIES = {
        ChunkingPolicy.contentDefined(64, 256, 1024),
        ChunkingPolicy.contentDefined(256, 1024, 4096),
        ChunkingPolicy.contentDefined(1000, 1024, 8000),
        ChunkingPolicy.contentDefined(1024, 1024, 1024),
        ChunkingPolicy.contentDefined(16 * 1024, 64 * 1024, 256 * 1024),
    };

    @ParameterizedTest
    @ValueSource(longs = { 1, 2, 3, 0x5EED, -7 })
    void shouldReassembleInputWithChunksWithinBoundsWhateverTheReads(final long seed) throws Exception
    {
        final SplittableRandom random = new SplittableRandom(seed);
        for (final ChunkingPolicy policy : POLICIES)
        {
            final int min = policy.minSize();
            final int max = policy.maxSize();
            final int[] lengths = {
                0, 1, min - 1, min, min + 1, policy.avgSize(), max - 1, max, max + 1, 2 * max,
                random.nextInt(10 * max) };
            for (final int length : lengths)
            {
                final byte[] input = randomOrRepetitive(random, length);
                final int maxRead = random.nextBoolean() ? 1 + random.nextInt(300) : 1 + random.nextInt(3 * 65536);
                final String context = "seed=" + seed + " policy=" + policy + " length=" + length +
                    " maxRead=" + maxRead;

                final List<byte[]> whole = Chunks.cut(policy.newChunker(), TestInputStream.of(input));
                final List<byte[]> shortReads = Chunks.cut(
                    policy.newChunker(), TestInputStream.shortReads(input, random, maxRead));

                Chunks.assertValid(whole, input, policy.newChunker(), context);
                Chunks.assertValid(shortReads, input, policy.newChunker(), context + " short reads");
                assertThat(Chunks.lengths(shortReads)).as(context).isEqualTo(Chunks.lengths(whole));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(longs = { 1, 2, 3 })
    void shouldKeepMostChunksWhenBytesAreInsertedNearTheStart(final long seed) throws Exception
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final ChunkingPolicy policy = ChunkingPolicy.contentDefined(16 * 1024, 64 * 1024, 256 * 1024);
        final byte[] original = new byte[8 * MIB];
        random.nextBytes(original);

        final int offset = random.nextInt(4096);
        final byte[] inserted = new byte[1 + random.nextInt(16)];
        random.nextBytes(inserted);
        final byte[] edited = new byte[original.length + inserted.length];
        System.arraycopy(original, 0, edited, 0, offset);
        System.arraycopy(inserted, 0, edited, offset, inserted.length);
        System.arraycopy(original, offset, edited, offset + inserted.length, original.length - offset);

        final Set<ByteBuffer> before = new HashSet<>();
        for (final byte[] chunk : Chunks.cut(policy.newChunker(), TestInputStream.of(original)))
        {
            before.add(ByteBuffer.wrap(chunk));
        }
        final List<byte[]> after = Chunks.cut(policy.newChunker(), TestInputStream.of(edited));
        final long shared = after.stream().filter((chunk) -> before.contains(ByteBuffer.wrap(chunk))).count();

        assertThat((double)shared / after.size())
            .as("seed=%d: %d of %d chunks shared after inserting %d bytes at %d",
                seed, shared, after.size(), inserted.length, offset)
            .isGreaterThanOrEqualTo(0.8);
    }

    @ParameterizedTest
    @ValueSource(ints = { 4 * 1024, 16 * 1024, 64 * 1024 })
    void shouldAverageWithinQuarterOfAvgOnRandomData(final int avg) throws Exception
    {
        final long seed = 0xA7E + avg;
        final byte[] input = new byte[8 * MIB];
        new SplittableRandom(seed).nextBytes(input);
        final ChunkingPolicy policy = ChunkingPolicy.contentDefined(avg / 4, avg, avg * 4);

        final int[] lengths = Chunks.lengths(Chunks.cut(policy.newChunker(), TestInputStream.of(input)));
        final double mean = Arrays.stream(lengths, 0, lengths.length - 1).average().orElseThrow();

        assertThat(mean).as("seed=%d policy=%s chunks=%d", seed, policy, lengths.length)
            .isBetween(0.75 * avg, 1.25 * avg);
    }

    @Test
    void shouldIgnoreTheFirstMinBytesOfEachChunk() throws Exception
    {
        final long seed = 11;
        final SplittableRandom random = new SplittableRandom(seed);
        final ChunkingPolicy policy = ChunkingPolicy.contentDefined(1024, 4096, 16384);
        final byte[] input = new byte[MIB];
        random.nextBytes(input);
        final int[] lengths = Chunks.lengths(Chunks.cut(policy.newChunker(), TestInputStream.of(input)));

        final byte[] edited = input.clone();
        int start = 0;
        for (int i = 0; i < lengths.length - 1; i += 3)
        {
            for (int j = 0; j < policy.minSize(); j++)
            {
                edited[start + j] = (byte)random.nextInt();
            }
            start += lengths[i] + lengths[i + 1] + (i + 2 < lengths.length ? lengths[i + 2] : 0);
        }

        assertThat(Chunks.lengths(Chunks.cut(policy.newChunker(), TestInputStream.of(edited))))
            .as("seed=%d", seed)
            .isEqualTo(lengths);
    }

    @Test
    void shouldCutPeriodicDataPeriodically() throws Exception
    {
        final ChunkingPolicy policy = ChunkingPolicy.contentDefined(1024, 4096, 16384);
        final byte[] zeros = new byte[MIB];

        final int[] lengths = Chunks.lengths(Chunks.cut(policy.newChunker(), TestInputStream.of(zeros)));

        assertThat(Arrays.stream(lengths, 0, lengths.length - 1).distinct()).hasSize(1);
    }

    /**
     * Pins the algorithm, masks and Gear table: stored chunks were cut this way, so these must never change. The
     * numbers were checked against an independent reference implementation of docs/CHUNKING.md.
     */
    @Test
    void shouldCutSeededDataAtPinnedPoints() throws Exception
    {
        assertThat(Chunks.lengths(Chunks.cut(new FastCdcChunker(2048, 8192, 32768), splitMixStream(42, 256 * 1024))))
            .isEqualTo(new int[]{
                2696, 12058, 9842, 12389, 11308, 3111, 8918, 9030, 9615, 8846, 11375, 8508, 9021, 8616, 10326, 9363,
                8665, 10575, 8811, 10207, 11856, 9554, 9406, 9024, 9459, 15909, 13035, 621 });
        assertThat(Chunks.lengths(Chunks.cut(ChunkingPolicy.parse("cdc").newChunker(), splitMixStream(7, 8 * MIB))))
            .isEqualTo(new int[]{ 1318464, 1724959, 1156404, 1202583, 1164100, 1189295, 632803 });
    }

    @Test
    void shouldDeriveMasksFromAvgWithNormalizationLevelTwo()
    {
        assertThat(FastCdcChunker.strictMask(MIB)).isEqualTo(0xFFFF_FC00_0000_0000L);
        assertThat(FastCdcChunker.looseMask(MIB)).isEqualTo(0xFFFF_C000_0000_0000L);
        assertThat(Long.bitCount(FastCdcChunker.strictMask(64))).isEqualTo(8);
        assertThat(Long.bitCount(FastCdcChunker.looseMask(64))).isEqualTo(4);
        assertThat(Long.bitCount(FastCdcChunker.strictMask(64 * MIB))).isEqualTo(28);
    }

    @Test
    void shouldRejectDestinationShorterThanMax()
    {
        final FastCdcChunker chunker = new FastCdcChunker(256, 1024, 4096);
        assertThatThrownBy(() -> chunker.next(TestInputStream.of(new byte[10]), new byte[4095]))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("dst.length=4095");
    }

    @Test
    void shouldRejectInvalidSizes()
    {
        assertThatThrownBy(() -> new FastCdcChunker(256, 1000, 4096))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("avg=1000");
        assertThatThrownBy(() -> new FastCdcChunker(2048, 1024, 4096))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("min=2048");
    }

    private static byte[] randomOrRepetitive(final SplittableRandom random, final int length)
    {
        final byte[] bytes = new byte[length];
        if (random.nextInt(4) > 0)
        {
            random.nextBytes(bytes);
        }
        else
        {
            final byte[] pattern = new byte[1 + random.nextInt(100)];
            random.nextBytes(pattern);
            for (int i = 0; i < length; i++)
            {
                bytes[i] = pattern[i % pattern.length];
            }
        }
        return bytes;
    }

    /**
     * Bytes that no JDK release can change: the SplitMix64 outputs from {@code seed}, little-endian.
     */
    private static TestInputStream splitMixStream(final long seed, final int length)
    {
        final byte[] bytes = new byte[length];
        long state = seed;
        for (int i = 0; i < length; i += 8)
        {
            state += 0x9E37_79B9_7F4A_7C15L;
            final long value = GearTable.mix(state);
            for (int j = 0; j < 8 && i + j < length; j++)
            {
                bytes[i + j] = (byte)(value >>> (8 * j));
            }
        }
        return TestInputStream.of(bytes);
    }
}

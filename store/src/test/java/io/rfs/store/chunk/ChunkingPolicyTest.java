package io.rfs.store.chunk;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChunkingPolicyTest
{
    private static final int KIB = 1024;
    private static final int MIB = 1024 * 1024;

    @Test
    void shouldDefaultToFixedOneMebibyte()
    {
        assertThat(ChunkingPolicy.DEFAULT.kind()).isEqualTo(ChunkingPolicy.Kind.FIXED);
        assertThat(ChunkingPolicy.DEFAULT.maxChunkSize()).isEqualTo(MIB);
        assertThat(ChunkingPolicy.DEFAULT).hasToString("fixed:1M");
        assertThat(ChunkingPolicy.parse("fixed")).isEqualTo(ChunkingPolicy.DEFAULT);
    }

    @ParameterizedTest
    @CsvSource({
        "fixed:1M,          fixed:1M",
        "fixed:262144,      fixed:256K",
        "fixed:1000,        fixed:1000",
        "fixed:65536K,      fixed:64M",
        "cdc:256K:1M:4M,    cdc:256K:1M:4M",
        "cdc,               cdc:256K:1M:4M",
        "' CDC:256k:1m:4m', cdc:256K:1M:4M",
        "cdc:64:64:64,      cdc:64:64:64",
        "cdc:1000:1K:1025,  cdc:1000:1K:1025",
    })
    void shouldParseSpecs(final String spec, final String canonical)
    {
        final ChunkingPolicy policy = ChunkingPolicy.parse(spec);
        assertThat(policy).hasToString(canonical);
        assertThat(ChunkingPolicy.parse(canonical)).isEqualTo(policy);
    }

    @Test
    void shouldExposeSizesAndKind()
    {
        final ChunkingPolicy cdc = ChunkingPolicy.parse("cdc:256K:1M:4M");
        assertThat(cdc.kind()).isEqualTo(ChunkingPolicy.Kind.CONTENT_DEFINED);
        assertThat(new int[]{ cdc.minSize(), cdc.avgSize(), cdc.maxSize(), cdc.maxChunkSize() })
            .containsExactly(256 * KIB, MIB, 4 * MIB, 4 * MIB);

        final ChunkingPolicy fixed = ChunkingPolicy.fixed(1000);
        assertThat(new int[]{ fixed.minSize(), fixed.avgSize(), fixed.maxSize() }).containsExactly(1000, 1000, 1000);
    }

    @Test
    void shouldMakeMatchingChunkers()
    {
        final Chunker fixed = ChunkingPolicy.parse("fixed:1000").newChunker();
        assertThat(fixed).isInstanceOf(FixedSizeChunker.class);
        assertThat(fixed.minChunkSize()).isEqualTo(1000);
        assertThat(fixed.maxChunkSize()).isEqualTo(1000);

        final Chunker cdc = ChunkingPolicy.parse("cdc:256K:1M:4M").newChunker();
        assertThat(cdc).isInstanceOf(FastCdcChunker.class);
        assertThat(cdc.minChunkSize()).isEqualTo(256 * KIB);
        assertThat(cdc.maxChunkSize()).isEqualTo(4 * MIB);
    }

    @ParameterizedTest
    @ValueSource(longs = { 1, 2, 3, 0x5EED, -7 })
    void shouldRoundTripThroughToString(final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 1000; i++)
        {
            final ChunkingPolicy policy;
            if (random.nextBoolean())
            {
                policy = ChunkingPolicy.fixed(randomSize(random, 64, 64 * MIB));
            }
            else
            {
                final int avg = 1 << (6 + random.nextInt(21));
                policy = ChunkingPolicy.contentDefined(
                    randomSize(random, 64, avg), avg, randomSize(random, avg, 64 * MIB));
            }

            final ChunkingPolicy parsed = ChunkingPolicy.parse(policy.toString());
            assertThat(parsed).as("seed=%d spec=%s", seed, policy).isEqualTo(policy);
            assertThat(parsed.hashCode()).as("seed=%d spec=%s", seed, policy).isEqualTo(policy.hashCode());
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''                       | chunking spec=, expected fixed, fixed:SIZE, cdc or cdc:MIN:AVG:MAX",
        "rabin                    | chunking spec=rabin, expected",
        "fixed:1M:2M              | chunking spec=fixed:1M:2M, expected",
        "cdc:1M                   | chunking spec=cdc:1M, expected",
        "cdc:256K:1M              | chunking spec=cdc:256K:1M, expected",
        "fixed:                   | size=, not a size",
        "fixed:abc                | size=abc, not a size",
        "fixed:-1                 | size=-1, not a size",
        "fixed:1.5M               | size=1.5M, not a size",
        "fixed:1X                 | size=1X, not a size",
        "fixed:K                  | size=K, not a size",
        "fixed:99999999999        | size=99999999999, must be <= 64M",
        "fixed:0                  | size=0, must be >= 64",
        "fixed:63                 | size=63, must be >= 64",
        "fixed:65M                | size=65M, must be <= 64M",
        "fixed:1G                 | size=1G, must be <= 64M",
        "fixed:67108865           | size=67108865, must be <= 64M",
        "cdc:32:1M:4M             | min=32, must be >= 64",
        "cdc:256K:1000000:4M      | avg=1000000, must be a power of two",
        "cdc:2M:1M:4M             | min=2097152, must be <= avg=1048576",
        "cdc:256K:1M:512K         | max=524288, must be >= avg=1048576",
        "cdc:256K:1M:128M         | max=128M, must be <= 64M",
    })
    void shouldRejectBadSpecsNamingTheFieldAndValue(final String spec, final String message)
    {
        assertThatThrownBy(() -> ChunkingPolicy.parse(spec))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining(message)
            .hasMessageContaining("chunking spec=" + spec);
    }

    @Test
    void shouldRejectNullSpec()
    {
        assertThatThrownBy(() -> ChunkingPolicy.parse(null))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("spec=null");
    }

    @Test
    void shouldRejectBadSizesNamingTheFieldAndValue()
    {
        assertThatThrownBy(() -> ChunkingPolicy.fixed(10))
            .isInstanceOf(IllegalArgumentException.class).hasMessage("size=10, must be >= 64");
        assertThatThrownBy(() -> ChunkingPolicy.contentDefined(64, 96, 128))
            .isInstanceOf(IllegalArgumentException.class).hasMessage("avg=96, must be a power of two");
        assertThatThrownBy(() -> ChunkingPolicy.contentDefined(64, 128, Integer.MAX_VALUE))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max=2147483647");
        assertThatThrownBy(() -> ChunkingPolicy.contentDefined(-1, 128, 256))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("min=-1");
    }

    /**
     * A size in [origin, bound], often a bound itself or a whole number of KiB or MiB so that suffixes are printed.
     */
    private static int randomSize(final SplittableRandom random, final int origin, final int bound)
    {
        final int size = random.nextInt(origin, bound + 1);
        final int[] units = { 1, KIB, MIB };
        final int unit = units[random.nextInt(units.length)];
        final int rounded = size / unit * unit;
        switch (random.nextInt(4))
        {
            case 0:
                return origin;
            case 1:
                return bound;
            default:
                return rounded >= origin && rounded <= bound ? rounded : size;
        }
    }
}

package io.rfs.store.chunk;

import io.rfs.store.ByteSize;

import java.util.Locale;

/**
 * Immutable chunking configuration; what a store or a put is configured with.
 * <p>
 * A policy is written as a spec that {@link #parse(String)} reads and {@link #toString()} prints:
 * <pre>
 * fixed:SIZE            fixed-size chunks, e.g. fixed:1M or fixed:262144
 * fixed                 fixed:1M
 * cdc:MIN:AVG:MAX       FastCDC, e.g. cdc:256K:1M:4M
 * cdc                   cdc:256K:1M:4M (avg 1 MiB, min avg / 4, max avg * 4)
 * </pre>
 * A size is a decimal number of bytes with an optional binary suffix K, M or G (1K = 1024). Every size lies within
 * [{@link #SMALLEST_CHUNK_SIZE}, {@link #LARGEST_CHUNK_SIZE}]; content-defined sizes also need
 * {@code min <= avg <= max} and a power-of-two avg, from which the FastCDC masks are derived.
 * <p>
 * The spec names how stored files were cut: changing the policy of a store changes the chunks of files written after,
 * which then no longer dedup against older ones.
 */
public final class ChunkingPolicy
{
    /**
     * Smallest chunk size any policy allows, in bytes.
     */
    public static final int SMALLEST_CHUNK_SIZE = 64;

    /**
     * Largest chunk size any policy allows, in bytes (64 MiB).
     */
    public static final int LARGEST_CHUNK_SIZE = 64 * 1024 * 1024;

    /**
     * Chunk size of {@link #DEFAULT} and of the spec {@code fixed}: 1 MiB.
     */
    public static final int FIXED_SIZE_DEFAULT = 1024 * 1024;

    /**
     * Average chunk size of the spec {@code cdc}: 1 MiB.
     */
    public static final int CDC_AVG_SIZE_DEFAULT = 1024 * 1024;

    /**
     * The policy of a store that was given none: fixed-size chunks of {@link #FIXED_SIZE_DEFAULT} bytes.
     */
    public static final ChunkingPolicy DEFAULT = fixed(FIXED_SIZE_DEFAULT);

    private static final String FIXED = "fixed";
    private static final String CDC = "cdc";
    private static final String SPEC_SYNTAX = "expected fixed, fixed:SIZE, cdc or cdc:MIN:AVG:MAX";
    private static final int KIB = 1024;
    private static final int MIB = 1024 * 1024;

    /**
     * How a policy cuts.
     */
    public enum Kind
    {
        /**
         * Every chunk but the last has the same size: {@link FixedSizeChunker}.
         */
        FIXED,

        /**
         * Boundaries follow the content: {@link FastCdcChunker}.
         */
        CONTENT_DEFINED
    }

    private final Kind kind;
    private final int minSize;
    private final int avgSize;
    private final int maxSize;

    private ChunkingPolicy(final Kind kind, final int minSize, final int avgSize, final int maxSize)
    {
        this.kind = kind;
        this.minSize = minSize;
        this.avgSize = avgSize;
        this.maxSize = maxSize;
    }

    /**
     * @param size bytes per chunk; any value within [{@link #SMALLEST_CHUNK_SIZE}, {@link #LARGEST_CHUNK_SIZE}].
     * @return a fixed-size policy with min = avg = max = {@code size}.
     * @throws IllegalArgumentException if {@code size} is out of bounds.
     */
    public static ChunkingPolicy fixed(final int size)
    {
        checkSize("size", size);
        return new ChunkingPolicy(Kind.FIXED, size, size, size);
    }

    /**
     * @param minSize least length of a chunk but the last, at least {@link #SMALLEST_CHUNK_SIZE}.
     * @param avgSize the length chunks are normalized to; a power of two.
     * @param maxSize largest length of a chunk, at most {@link #LARGEST_CHUNK_SIZE}.
     * @return a FastCDC policy.
     * @throws IllegalArgumentException unless {@code minSize <= avgSize <= maxSize}, all within bounds and
     *                                  {@code avgSize} is a power of two.
     */
    public static ChunkingPolicy contentDefined(final int minSize, final int avgSize, final int maxSize)
    {
        checkContentDefined(minSize, avgSize, maxSize);
        return new ChunkingPolicy(Kind.CONTENT_DEFINED, minSize, avgSize, maxSize);
    }

    /**
     * @param spec a policy spec as described in the class comment; surrounding white space and the case of the kind
     *             and of size suffixes are ignored.
     * @return the policy it names.
     * @throws IllegalArgumentException naming the spec and what is wrong with it.
     */
    public static ChunkingPolicy parse(final String spec)
    {
        if (null == spec)
        {
            throw new IllegalArgumentException("chunking spec=null, " + SPEC_SYNTAX);
        }

        final String[] parts = spec.strip().split(":", -1);
        final String kind = parts[0].toLowerCase(Locale.ROOT);
        try
        {
            if (FIXED.equals(kind) && 1 == parts.length)
            {
                return DEFAULT;
            }
            if (FIXED.equals(kind) && 2 == parts.length)
            {
                return fixed(parseSize("size", parts[1]));
            }
            if (CDC.equals(kind) && 1 == parts.length)
            {
                return contentDefined(CDC_AVG_SIZE_DEFAULT / 4, CDC_AVG_SIZE_DEFAULT, CDC_AVG_SIZE_DEFAULT * 4);
            }
            if (CDC.equals(kind) && 4 == parts.length)
            {
                return contentDefined(
                    parseSize("min", parts[1]), parseSize("avg", parts[2]), parseSize("max", parts[3]));
            }
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("chunking spec=" + spec + ": " + ex.getMessage(), ex);
        }

        throw new IllegalArgumentException("chunking spec=" + spec + ", " + SPEC_SYNTAX);
    }

    /**
     * @return how this policy cuts.
     */
    public Kind kind()
    {
        return kind;
    }

    /**
     * @return least length of a chunk but the last, in bytes.
     */
    public int minSize()
    {
        return minSize;
    }

    /**
     * @return the target chunk length in bytes: the size of a fixed policy, or the FastCDC normalization point, where
     * the chunker switches from the strict to the loose mask. The mean FastCDC chunk on random data is longer than
     * avg because of the skipped min bytes: about 1.14 * avg for min = avg / 4 and max = avg * 4.
     */
    public int avgSize()
    {
        return avgSize;
    }

    /**
     * @return largest length of a chunk, in bytes.
     */
    public int maxSize()
    {
        return maxSize;
    }

    /**
     * @return a new chunker for one stream.
     */
    public Chunker newChunker()
    {
        return Kind.FIXED == kind ? new FixedSizeChunker(maxSize) : new FastCdcChunker(minSize, avgSize, maxSize);
    }

    /**
     * @return the least length of a buffer that can take any chunk: {@link #maxSize()}.
     */
    public int maxChunkSize()
    {
        return maxSize;
    }

    /**
     * @return the spec of this policy, in the form {@link #parse(String)} reads and with the largest exact size
     * suffixes, e.g. {@code fixed:1M} or {@code cdc:256K:1M:4M}.
     */
    @Override
    public String toString()
    {
        return Kind.FIXED == kind ?
            FIXED + ':' + formatSize(maxSize) :
            CDC + ':' + formatSize(minSize) + ':' + formatSize(avgSize) + ':' + formatSize(maxSize);
    }

    @Override
    public boolean equals(final Object o)
    {
        if (this == o)
        {
            return true;
        }
        if (!(o instanceof ChunkingPolicy))
        {
            return false;
        }
        final ChunkingPolicy that = (ChunkingPolicy)o;
        return kind == that.kind && minSize == that.minSize && avgSize == that.avgSize && maxSize == that.maxSize;
    }

    @Override
    public int hashCode()
    {
        return ((kind.hashCode() * 31 + minSize) * 31 + avgSize) * 31 + maxSize;
    }

    static void checkSize(final String name, final int size)
    {
        if (size < SMALLEST_CHUNK_SIZE)
        {
            throw new IllegalArgumentException(name + "=" + size + ", must be >= " + SMALLEST_CHUNK_SIZE);
        }
        if (size > LARGEST_CHUNK_SIZE)
        {
            throw new IllegalArgumentException(name + "=" + size + ", must be <= " + LARGEST_CHUNK_SIZE + " (64M)");
        }
    }

    static void checkContentDefined(final int minSize, final int avgSize, final int maxSize)
    {
        checkSize("min", minSize);
        checkSize("avg", avgSize);
        checkSize("max", maxSize);
        if (Integer.bitCount(avgSize) != 1)
        {
            throw new IllegalArgumentException("avg=" + avgSize + ", must be a power of two");
        }
        if (minSize > avgSize)
        {
            throw new IllegalArgumentException("min=" + minSize + ", must be <= avg=" + avgSize);
        }
        if (avgSize > maxSize)
        {
            throw new IllegalArgumentException("max=" + maxSize + ", must be >= avg=" + avgSize);
        }
    }

    private static int parseSize(final String name, final String text)
    {
        final long value = ByteSize.parse(name, text);
        if (value > LARGEST_CHUNK_SIZE)
        {
            throw new IllegalArgumentException(name + "=" + text + ", must be <= 64M");
        }
        return (int)value;
    }

    private static String formatSize(final int size)
    {
        if (0 == size % MIB)
        {
            return (size / MIB) + "M";
        }
        if (0 == size % KIB)
        {
            return (size / KIB) + "K";
        }
        return Integer.toString(size);
    }
}

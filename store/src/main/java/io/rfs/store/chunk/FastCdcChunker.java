package io.rfs.store.chunk;

import java.io.IOException;
import java.io.InputStream;

/**
 * Content-defined chunking with FastCDC (Xia et al., USENIX ATC 2016): boundaries follow the content, so an insert
 * or delete changes only the chunks around it and the rest of an edited file dedups against its old version.
 * <p>
 * How a chunk is cut, counting offsets from the chunk's first byte:
 * <ol>
 *     <li>the first {@code min} bytes are not hashed (cut-point skipping);</li>
 *     <li>from offset {@code min} on, the Gear hash {@code h = (h << 1) + GEAR[b]} (starting from 0 at each chunk)
 *     takes in one byte at a time; the chunk ends after the byte at offset {@code i} when {@code (h & mask) == 0},
 *     where mask is the top {@code log2(avg) + 2} bits of the hash while {@code i < avg} and the top
 *     {@code log2(avg) - 2} bits from then on (normalized chunking, level {@value #NORMALIZATION_LEVEL});</li>
 *     <li>a chunk that reaches {@code max} bytes ends there; the end of the stream ends the last chunk.</li>
 * </ol>
 * The masks take the top bits of the hash, whose values depend on the last 64 bytes hashed, so a boundary depends
 * only on the 64 bytes before it and on the distance from the previous boundary. The Gear values come from
 * {@link GearTable}. The chunks of a stream do not depend on how {@code InputStream.read} splits it.
 * <p>
 * Streams: reads from {@code in} straight into the caller's buffer, at most 64 KiB at a time and never beyond
 * {@code max} bytes of the current chunk, and keeps what it read past a boundary (less than 64 KiB) in an internal
 * carry buffer for the following chunks, so each byte is copied at most twice and most bytes of large chunks never.
 * Allocates nothing after construction.
 */
public final class FastCdcChunker implements Chunker
{
    /**
     * Normalization level: the mask used below {@code avg} has this many bits more than {@code log2(avg)}, the one
     * used above it this many fewer.
     */
    public static final int NORMALIZATION_LEVEL = 2;

    /**
     * Most bytes asked of the stream in one read.
     */
    static final int READ_STEP = 64 * 1024;

    private static final long[] GEAR = GearTable.newTable();
    private static final int NO_CUT = -1;

    private final int minSize;
    private final int avgSize;
    private final int maxSize;
    private final long strictMask;
    private final long looseMask;
    private final byte[] carry;
    private int carryPosition;
    private int carryLimit;
    private long hash;
    private boolean isEndOfStream;

    /**
     * @param minSize least length of a chunk but the last, at least {@link ChunkingPolicy#SMALLEST_CHUNK_SIZE}.
     * @param avgSize the length chunks are normalized to; a power of two, {@code minSize <= avgSize <= maxSize}.
     * @param maxSize largest length of a chunk, at most {@link ChunkingPolicy#LARGEST_CHUNK_SIZE}.
     * @throws IllegalArgumentException if the sizes are out of bounds.
     */
    public FastCdcChunker(final int minSize, final int avgSize, final int maxSize)
    {
        ChunkingPolicy.checkContentDefined(minSize, avgSize, maxSize);
        this.minSize = minSize;
        this.avgSize = avgSize;
        this.maxSize = maxSize;
        this.strictMask = strictMask(avgSize);
        this.looseMask = looseMask(avgSize);
        this.carry = new byte[Math.min(READ_STEP, maxSize)];
    }

    /**
     * The mask tested below {@code avg}: the top {@code log2(avg) + 2} bits, so a cut there has probability
     * {@code 1 / (4 * avg)} per byte.
     *
     * @param avgSize a power of two.
     * @return the mask.
     */
    static long strictMask(final int avgSize)
    {
        return topBits(Integer.numberOfTrailingZeros(avgSize) + NORMALIZATION_LEVEL);
    }

    /**
     * The mask tested from {@code avg} on: the top {@code log2(avg) - 2} bits, so a cut there has probability
     * {@code 4 / avg} per byte.
     *
     * @param avgSize a power of two.
     * @return the mask.
     */
    static long looseMask(final int avgSize)
    {
        return topBits(Integer.numberOfTrailingZeros(avgSize) - NORMALIZATION_LEVEL);
    }

    @Override
    public int next(final InputStream in, final byte[] dst) throws IOException
    {
        Streams.checkDestination(dst, maxSize);
        hash = 0;
        int filled = 0;

        if (carryPosition < carryLimit)
        {
            final int start = carryPosition;
            final int available = Math.min(carryLimit - start, maxSize);
            final int cut = available > minSize ? findCut(carry, start, start + minSize, start + available) : NO_CUT;
            final int end = NO_CUT != cut ? cut : start + available;

            filled = end - start;
            System.arraycopy(carry, start, dst, 0, filled);
            carryPosition = end;
            if (end == carryLimit)
            {
                carryPosition = 0;
                carryLimit = 0;
            }

            if (NO_CUT != cut || filled == maxSize)
            {
                return filled;
            }
        }

        while (filled < maxSize && !isEndOfStream)
        {
            final int read = Streams.read(in, dst, filled, Math.min(READ_STEP, maxSize - filled));
            if (read < 0)
            {
                isEndOfStream = true;
                break;
            }

            final int end = filled + read;
            final int from = Math.max(filled, minSize);
            if (from < end)
            {
                final int cut = findCut(dst, 0, from, end);
                if (NO_CUT != cut)
                {
                    carryLimit = end - cut;
                    System.arraycopy(dst, cut, carry, 0, carryLimit);
                    return cut;
                }
            }
            filled = end;
        }

        return filled;
    }

    @Override
    public int minChunkSize()
    {
        return minSize;
    }

    @Override
    public int maxChunkSize()
    {
        return maxSize;
    }

    @Override
    public String toString()
    {
        return "FastCdcChunker{min=" + minSize + ", avg=" + avgSize + ", max=" + maxSize + '}';
    }

    /**
     * Hashes {@code buffer[from..to)}, continuing the hash of the bytes before {@code from}.
     *
     * @param buffer     bytes of the current chunk.
     * @param chunkStart index in {@code buffer} of the chunk's first byte.
     * @param from       first index to hash, at least {@code chunkStart + minSize}.
     * @param to         index after the last byte to hash, at most {@code chunkStart + maxSize}.
     * @return the index just after the last byte of the chunk, or {@link #NO_CUT}.
     */
    private int findCut(final byte[] buffer, final int chunkStart, final int from, final int to)
    {
        final long[] gear = GEAR;
        long h = hash;
        int i = from;

        final long strict = strictMask;
        final int normalEnd = Math.min(to, chunkStart + avgSize);
        for (; i < normalEnd; i++)
        {
            h = (h << 1) + gear[buffer[i] & 0xFF];
            if (0 == (h & strict))
            {
                return i + 1;
            }
        }

        final long loose = looseMask;
        for (; i < to; i++)
        {
            h = (h << 1) + gear[buffer[i] & 0xFF];
            if (0 == (h & loose))
            {
                return i + 1;
            }
        }

        hash = h;
        return NO_CUT;
    }

    private static long topBits(final int count)
    {
        return -1L << (Long.SIZE - count);
    }
}

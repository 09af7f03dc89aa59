package io.rfs.store.chunk;

/**
 * The 256 random 64-bit values the FastCDC Gear hash adds, one per byte value.
 * <p>
 * Entry {@code i} is the {@code (i + 1)}-th output of SplitMix64 (Steele, Lea and Flood, 2014) started from
 * {@link #SEED}; the generator is written out here rather than taken from the JDK so that no JDK release can change
 * it. Chunk boundaries, and so chunk ids and dedup against stored data, depend on every bit of this table: never
 * change the seed or the generator. {@code GearTableTest} pins a digest of the table.
 */
final class GearTable
{
    /**
     * The SplitMix64 seed: the ASCII bytes of "rfs-gear" read as a big-endian long.
     */
    static final long SEED = 0x7266_732D_6765_6172L;

    /**
     * Number of entries, one per byte value.
     */
    static final int LENGTH = 256;

    private static final long GOLDEN_GAMMA = 0x9E37_79B9_7F4A_7C15L;

    private GearTable()
    {
    }

    /**
     * @return a new array holding the table.
     */
    static long[] newTable()
    {
        final long[] table = new long[LENGTH];
        long state = SEED;
        for (int i = 0; i < LENGTH; i++)
        {
            state += GOLDEN_GAMMA;
            table[i] = mix(state);
        }
        return table;
    }

    /**
     * The SplitMix64 output function (MurmurHash3's finaliser with Stafford's variant 13 constants).
     *
     * @param state generator state after the increment.
     * @return the output for that state.
     */
    static long mix(final long state)
    {
        long z = state;
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }
}

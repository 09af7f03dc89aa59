package io.rfs.replication.protocol;

/**
 * Combines CRC32C values of adjacent byte ranges: given {@code crc(A)}, {@code crc(B)} and the length of {@code B},
 * computes {@code crc(A || B)} without touching the bytes again. This lets a frame whose body lies in two places (a
 * gather frame: fields in one buffer, a bulk payload in another) carry the same checksum as if it were contiguous.
 * <p>
 * The arithmetic is zlib's {@code crc32_combine} (multiplication modulo the CRC polynomial, with a table of
 * {@code x^(2^n)}), here with the reflected Castagnoli polynomial {@code 0x82F63B78}. CRC values are the final ones,
 * as {@link java.util.zip.CRC32C} and {@link org.agrona.checksum.Crc32c} return them. The cost is O(log length)
 * 32-step multiplications and no allocation.
 */
public final class Crc32cCombine
{
    private static final int POLYNOMIAL = 0x82F63B78;
    private static final int X_POWER_0 = 0x80000000;
    private static final int[] X_POWER_2N = new int[32];

    static
    {
        int power = 0x40000000; // x^1
        X_POWER_2N[0] = power;
        for (int n = 1; n < X_POWER_2N.length; n++)
        {
            power = multiplyModP(power, power);
            X_POWER_2N[n] = power;
        }
    }

    private Crc32cCombine()
    {
    }

    /**
     * @param crcA    CRC32C of the first range.
     * @param crcB    CRC32C of the second range.
     * @param lengthB bytes in the second range, {@code >= 0}.
     * @return CRC32C of the first range followed by the second.
     */
    public static int combine(final int crcA, final int crcB, final long lengthB)
    {
        return multiplyModP(xPowerEightN(lengthB), crcA) ^ crcB;
    }

    private static int xPowerEightN(final long lengthBytes)
    {
        long n = lengthBytes;
        int k = 3;
        int power = X_POWER_0;
        while (n != 0)
        {
            if ((n & 1) != 0)
            {
                power = multiplyModP(X_POWER_2N[k & 31], power);
            }
            n >>>= 1;
            k++;
        }
        return power;
    }

    private static int multiplyModP(final int a, final int b)
    {
        if (a == 0)
        {
            return 0;
        }
        int m = X_POWER_0;
        int product = 0;
        int bShifted = b;
        while (true)
        {
            if ((a & m) != 0)
            {
                product ^= bShifted;
                if ((a & (m - 1)) == 0)
                {
                    break;
                }
            }
            m >>>= 1;
            bShifted = (bShifted & 1) != 0 ? (bShifted >>> 1) ^ POLYNOMIAL : bShifted >>> 1;
        }
        return product;
    }
}

package io.rfs.tools.bench;

/**
 * Short size labels for operation names: {@code 4KiB}, {@code 64KiB}, {@code 1GiB}, {@code 1500B}.
 */
final class SizeLabel
{
    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB"};

    private SizeLabel()
    {
    }

    /**
     * @param bytes a size.
     * @return the largest binary unit that divides it exactly.
     */
    static String of(final long bytes)
    {
        long value = bytes;
        int unit = 0;
        while (value >= 1024 && value % 1024 == 0 && unit < UNITS.length - 1)
        {
            value /= 1024;
            unit++;
        }
        return value + UNITS[unit];
    }
}

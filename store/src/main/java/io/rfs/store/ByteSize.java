package io.rfs.store;

/**
 * Sizes as people type them: a decimal number with an optional binary suffix, {@code K} (KiB), {@code M} (MiB) or
 * {@code G} (GiB), either case, up to 15 digits. The one parser for chunk sizes, rates and limits in specs and options.
 */
public final class ByteSize
{
    private static final long KIB = 1024;

    private ByteSize()
    {
    }

    /**
     * @param name what the size is for, named in the error.
     * @param text e.g. {@code 262144}, {@code 256K}, {@code 1M}, {@code 2g}.
     * @return the size in bytes.
     * @throws IllegalArgumentException {@code name=text} and what was expected.
     */
    public static long parse(final String name, final String text)
    {
        final int length = text.length();
        final char last = length > 0 ? Character.toUpperCase(text.charAt(length - 1)) : ' ';
        final long multiplier = 'K' == last ? KIB : 'M' == last ? KIB * KIB : 'G' == last ? KIB * KIB * KIB : 1;
        final int digits = 1 == multiplier ? length : length - 1;
        if (0 == digits || digits > 15)
        {
            throw new IllegalArgumentException(name + "=" + text + ", not a size (e.g. 262144, 256K, 1M)");
        }
        long value = 0;
        for (int i = 0; i < digits; i++)
        {
            final char c = text.charAt(i);
            if (c < '0' || c > '9')
            {
                throw new IllegalArgumentException(name + "=" + text + ", not a size (e.g. 262144, 256K, 1M)");
            }
            value = value * 10 + (c - '0');
        }
        return value * multiplier;
    }
}

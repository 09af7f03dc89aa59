package io.rfs.gateway;

/**
 * A single byte range of a {@code Range: bytes=...} header, resolved against the object's size.
 *
 * @param start  the first byte's offset.
 * @param length how many bytes, at least one.
 */
record ByteRange(long start, long length)
{
    /**
     * @param header the {@code Range} header, or null.
     * @param size   the object's size.
     * @return the range, or null to send the whole object (no header, or one that is not a single byte range,
     * which HTTP lets a server ignore).
     * @throws S3Exception {@code InvalidRange} if the range starts at or after the end of the object.
     */
    static ByteRange parse(final String header, final long size) throws S3Exception
    {
        if (header == null || !header.startsWith("bytes=") || header.indexOf(',') >= 0)
        {
            return null;
        }
        final String spec = header.substring("bytes=".length()).trim();
        final int dash = spec.indexOf('-');
        if (dash < 0)
        {
            return null;
        }
        try
        {
            final String first = spec.substring(0, dash).trim();
            final String last = spec.substring(dash + 1).trim();
            if (first.isEmpty())
            {
                final long suffix = Long.parseLong(last);
                if (suffix <= 0 || size == 0)
                {
                    throw unsatisfiable(header, size);
                }
                final long length = Math.min(suffix, size);
                return new ByteRange(size - length, length);
            }
            final long start = Long.parseLong(first);
            final long end = last.isEmpty() ? size - 1 : Math.min(Long.parseLong(last), size - 1);
            if (start < 0 || (!last.isEmpty() && Long.parseLong(last) < start))
            {
                return null;
            }
            if (start >= size)
            {
                throw unsatisfiable(header, size);
            }
            return new ByteRange(start, end - start + 1);
        }
        catch (final NumberFormatException ex)
        {
            return null;
        }
    }

    private static S3Exception unsatisfiable(final String header, final long size)
    {
        return S3Error.INVALID_RANGE.exception("The requested range " + header + " is not satisfiable for an " +
            "object of " + size + " bytes");
    }
}

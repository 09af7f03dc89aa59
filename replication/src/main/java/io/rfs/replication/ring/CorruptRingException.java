package io.rfs.replication.ring;

import io.rfs.store.RfsException;

/**
 * Bytes that should hold an encoded ring do not: a wrong magic, a format version this build cannot read, a length or
 * count out of bounds, a field out of range, or fields that contradict each other. The message names the field and
 * its value. Nothing was decoded; the caller should drop the bytes (and count them) and keep the ring it has.
 */
public final class CorruptRingException extends RfsException
{
    private static final long serialVersionUID = 1L;
    private static final String PREFIX = "corrupt ring: ";

    /**
     * @param detail which field was wrong and its value.
     */
    public CorruptRingException(final String detail)
    {
        super(PREFIX + detail);
    }
}

package io.rfs.store.manifest;

import io.rfs.store.RfsException;

/**
 * Bytes that should hold an encoded manifest do not: a wrong magic, a format version this build cannot read, a
 * length or count out of bounds, or fields that contradict each other. The message names the field and its value.
 * Nothing was decoded; the caller should treat the copy as lost (drop it, count it, repair from another replica)
 * rather than guess.
 */
public final class CorruptManifestException extends RfsException
{
    private static final long serialVersionUID = 1L;
    private static final String PREFIX = "corrupt manifest: ";

    /**
     * @param detail which field was wrong and its value.
     */
    public CorruptManifestException(final String detail)
    {
        super(PREFIX + detail);
    }

    /**
     * @param detail which field was wrong and its value.
     * @param cause  the check that failed.
     */
    public CorruptManifestException(final String detail, final Throwable cause)
    {
        super(PREFIX + detail, cause);
    }

    /**
     * @return the message without its "corrupt manifest" prefix, for callers that report it in their own words.
     */
    String detail()
    {
        return getMessage().substring(PREFIX.length());
    }
}

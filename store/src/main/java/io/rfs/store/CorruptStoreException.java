package io.rfs.store;

/**
 * A data directory whose structure rfs cannot read: an unknown format version, or metadata that fails its
 * checksum. The store refuses to open rather than guess.
 */
public final class CorruptStoreException extends RfsException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what could not be read.
     */
    public CorruptStoreException(final String message)
    {
        super(message);
    }
}

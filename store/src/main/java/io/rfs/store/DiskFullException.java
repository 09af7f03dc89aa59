package io.rfs.store;

/**
 * The data directory's file system ran out of space. Nothing already stored is lost: the put that hit it is
 * abandoned and the previous version of the file stays current.
 */
public final class DiskFullException extends RfsException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message where space ran out.
     * @param cause   the underlying failure, if any.
     */
    public DiskFullException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}

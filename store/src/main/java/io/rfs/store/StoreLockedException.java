package io.rfs.store;

/**
 * Another process has the data directory open. Only one process may own a data directory at a time.
 */
public final class StoreLockedException extends RfsException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message which directory and, where known, which process holds it.
     */
    public StoreLockedException(final String message)
    {
        super(message);
    }
}

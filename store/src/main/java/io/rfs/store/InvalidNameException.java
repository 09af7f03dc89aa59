package io.rfs.store;

/**
 * A file name that rfs does not accept: see {@link FileName} for the rules.
 */
public final class InvalidNameException extends RfsException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message which rule the name broke.
     */
    public InvalidNameException(final String message)
    {
        super(message);
    }
}

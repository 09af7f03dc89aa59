package io.rfs.store;

import java.io.IOException;

/**
 * Base of every error rfs reports to a user: each subtype names one cause and carries a message the user can act
 * on. It is an {@link IOException} so that the {@link FileStore} methods, which do I/O, declare one type.
 */
public class RfsException extends IOException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong and, where it helps, what to do about it.
     */
    public RfsException(final String message)
    {
        super(message);
    }

    /**
     * @param message what went wrong.
     * @param cause   the underlying failure.
     */
    public RfsException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}

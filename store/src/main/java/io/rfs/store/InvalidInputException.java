package io.rfs.store;

/**
 * The input to a put cannot be read as a file: missing, unreadable, or a directory.
 */
public final class InvalidInputException extends RfsException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong with the input.
     */
    public InvalidInputException(final String message)
    {
        super(message);
    }
}

package io.rfs.store;

/**
 * A name that has no live version in the store (never put, or deleted).
 */
public final class UnknownFileException extends RfsException
{
    private static final long serialVersionUID = 1L;

    private final String name;

    /**
     * @param name the name that was asked for.
     */
    public UnknownFileException(final String name)
    {
        super("no such file in the store: " + name);
        this.name = name;
    }

    /**
     * @return the name that was asked for.
     */
    public String name()
    {
        return name;
    }
}

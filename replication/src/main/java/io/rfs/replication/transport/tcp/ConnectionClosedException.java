package io.rfs.replication.transport.tcp;

/**
 * Why a connection was closed, handed to the context's error handler: bad input, failed authentication, a timeout
 * or a broken socket. Carries no stack trace; the message says which peer and what happened.
 */
public final class ConnectionClosedException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message which connection and why.
     * @param cause   the underlying failure, or null.
     */
    public ConnectionClosedException(final String message, final Throwable cause)
    {
        super(message, cause, false, false);
    }
}

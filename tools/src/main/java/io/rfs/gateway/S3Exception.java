package io.rfs.gateway;

import java.io.IOException;

/**
 * A request the gateway refuses, answered with an S3 error document. An {@link IOException} so that it can leave a
 * request body's {@link java.io.InputStream} (a bad chunk signature, a checksum that does not match) and pass through
 * the store's put unchanged, which then writes no manifest.
 */
public final class S3Exception extends IOException
{
    private static final long serialVersionUID = 1L;

    private final S3Error error;

    /**
     * @param error   the code and status.
     * @param message for people.
     */
    public S3Exception(final S3Error error, final String message)
    {
        super(message);
        this.error = error;
    }

    /**
     * @return the code and status.
     */
    public S3Error error()
    {
        return error;
    }
}

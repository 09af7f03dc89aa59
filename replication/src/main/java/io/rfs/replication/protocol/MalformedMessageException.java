package io.rfs.replication.protocol;

import io.rfs.store.RfsException;

/**
 * A message body that does not hold what its type says: a length beyond the body, a count or size over its limit,
 * an unknown flag, a name that breaks the rules. The message names the message type, the field and its value.
 * Nothing was decoded; the receiver drops the message, counts it and closes the connection it came on
 * (see {@code docs/PROTOCOL.md}).
 */
public final class MalformedMessageException extends RfsException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param messageName the message type's name, e.g. {@code PutChunkRequest}.
     * @param detail      which field was wrong and its value, as {@code field=value: rule}.
     */
    public MalformedMessageException(final String messageName, final String detail)
    {
        super("malformed " + messageName + ": " + detail);
    }

    /**
     * @param messageName the message type's name.
     * @param detail      which field was wrong and its value.
     * @param cause       the check that failed.
     */
    public MalformedMessageException(final String messageName, final String detail, final Throwable cause)
    {
        super("malformed " + messageName + ": " + detail, cause);
    }
}

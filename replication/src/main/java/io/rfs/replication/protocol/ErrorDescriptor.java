package io.rfs.replication.protocol;

/**
 * Layout of an {@code Error} body (type {@link MessageTypes#ERROR}). It answers a request (same correlation id) or,
 * with correlation id 0, tells a peer why its connection is about to close.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                     Error code (i32)                          |  0
 *  +-------------------------------+-------------------------------+
 *  |     Related type (u16)        |      Text length (u16)        |  4
 *  +-------------------------------+-------------------------------+
 *  |                 Text (UTF-8, text length bytes)             ...  8
 *  +---------------------------------------------------------------+
 * </pre>
 * The code is an {@link ErrorCode}; a reader treats a code it does not know as {@link ErrorCode#INTERNAL}. Related
 * type is the type id of the message that caused the error, 0 if none. The text is for people (logs, the command
 * line), at most {@link #MAX_TEXT_LENGTH} bytes; a reader replaces malformed UTF-8 rather than refusing the message.
 */
public final class ErrorDescriptor
{
    public static final int CODE_OFFSET = 0;
    public static final int RELATED_TYPE_OFFSET = 4;
    public static final int TEXT_LENGTH_OFFSET = 6;
    public static final int BLOCK_LENGTH = 8;
    /** Longest text, in bytes. */
    public static final int MAX_TEXT_LENGTH = 1024;

    private ErrorDescriptor()
    {
    }
}

package io.rfs.replication.protocol;

/**
 * Layout of a {@code GetManifestResponse} body (type {@link MessageTypes#GET_MANIFEST_RESPONSE}).
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------+-----------------------------------------------+
 *  |    Status     |               Reserved (3 bytes)              |  0
 *  +---------------+-----------------------------------------------+
 *  |                   Manifest length (i32)                       |  4
 *  +---------------------------------------------------------------+
 *  |             Encoded manifest (manifest length bytes)        ...  8
 *  +---------------------------------------------------------------+
 * </pre>
 * Status {@code OK}: the newest version the node holds (possibly a tombstone), verified whole on decode; the
 * requester also checks that its name is the one it asked for. {@code NOT_FOUND}, {@code CORRUPT}, {@code ERROR}:
 * manifest length 0.
 */
public final class GetManifestResponseDescriptor
{
    public static final int STATUS_OFFSET = 0;
    public static final int MANIFEST_LENGTH_OFFSET = 4;
    public static final int BLOCK_LENGTH = 8;
    public static final int MANIFEST_OFFSET = BLOCK_LENGTH;

    private GetManifestResponseDescriptor()
    {
    }
}

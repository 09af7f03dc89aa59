package io.rfs.replication.protocol;

/**
 * Layout of a {@code PutManifestResponse} body (type {@link MessageTypes#PUT_MANIFEST_RESPONSE}).
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------+-----------------------------------------------+
 *  |    Status     |               Reserved (7 bytes)              |  0
 *  +---------------+                                               |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |              Current version timestamp (HLC, i64)             |  8
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                Current version node id (i32)                  | 16
 *  +---------------------------------------------------------------+
 *  |                     Reserved (i32)                            | 20
 *  +---------------------------------------------------------------+
 *                                                                    24
 * </pre>
 * Status: {@code OK} (stored and forced), {@code ALREADY_HAD} (this version or a newer one was there),
 * {@code DISK_FULL}, {@code ERROR}. The current version is the newest version of the name the node holds after
 * the put, so a writer learns that its version was superseded; zero if the status is an error.
 */
public final class PutManifestResponseDescriptor
{
    public static final int STATUS_OFFSET = 0;
    public static final int VERSION_TIMESTAMP_OFFSET = 8;
    public static final int VERSION_NODE_ID_OFFSET = 16;
    public static final int BLOCK_LENGTH = 24;

    private PutManifestResponseDescriptor()
    {
    }
}

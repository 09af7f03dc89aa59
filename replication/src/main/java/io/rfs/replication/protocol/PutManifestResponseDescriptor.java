package io.rfs.replication.protocol;

/**
 * Layout of a {@code PutManifestResponse} body (type {@link MessageTypes#PUT_MANIFEST_RESPONSE}).
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------+---------------+-------------------------------+
 *  |    Status     |     Flags     |        Reserved (6 bytes)     |  0
 *  +---------------+---------------+                               |
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
 * the put, so a writer learns that its version was superseded; zero if the status is an error. Status
 * {@code HINTS_FULL} refuses a hinted write the node's hint store has no room for. Flags: {@link #FLAG_HINT_RECORDED}
 * answers a hinted write whose hint is on disk; a node that predates hints leaves it clear (it ignores the request's
 * hint word), and a writer must then not count the answer towards a sloppy quorum.
 */
public final class PutManifestResponseDescriptor
{
    public static final int STATUS_OFFSET = 0;
    public static final int FLAGS_OFFSET = 1;
    public static final int VERSION_TIMESTAMP_OFFSET = 8;
    public static final int VERSION_NODE_ID_OFFSET = 16;
    public static final int BLOCK_LENGTH = 24;
    /** The request was hinted and its hint is recorded durably: the node will hand the manifest to its owner. */
    public static final int FLAG_HINT_RECORDED = 0x1;
    public static final int KNOWN_FLAGS = FLAG_HINT_RECORDED;

    private PutManifestResponseDescriptor()
    {
    }
}

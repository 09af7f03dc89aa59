package io.rfs.replication.protocol;

/**
 * Layout of a {@code PutManifestRequest} body (type {@link MessageTypes#PUT_MANIFEST_REQUEST}): store this version of
 * a file. The manifest is in the format of {@code io.rfs.store.manifest.ManifestDescriptor} (docs/FORMATS.md),
 * verified whole by the receiver; a tombstone is a delete.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                   Manifest length (i32)                       |  0
 *  +---------------------------------------------------------------+
 *  |                     Reserved (i32)                            |  4
 *  +---------------------------------------------------------------+
 *  |             Encoded manifest (manifest length bytes)        ...  8
 *  +---------------------------------------------------------------+
 * </pre>
 * The manifest must fit the frame: with the default 8 MiB frame, about 200,000 chunks. The manifest may go as the
 * payload of the gather offer, straight from the store's segment.
 */
public final class PutManifestRequestDescriptor
{
    public static final int MANIFEST_LENGTH_OFFSET = 0;
    public static final int BLOCK_LENGTH = 8;
    public static final int MANIFEST_OFFSET = BLOCK_LENGTH;

    private PutManifestRequestDescriptor()
    {
    }
}

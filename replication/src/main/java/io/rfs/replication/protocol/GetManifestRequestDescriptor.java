package io.rfs.replication.protocol;

import io.rfs.store.manifest.ManifestDescriptor;

/**
 * Layout of a {@code GetManifestRequest} body (type {@link MessageTypes#GET_MANIFEST_REQUEST}): send me the newest
 * version of this file that you hold, tombstone or not.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-------------------------------+-------------------------------+
 *  |      Name length (u16)        |      Reserved (6 bytes)       |  0
 *  +-------------------------------+                               |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                Name (UTF-8, name length bytes)              ...  8
 *  +---------------------------------------------------------------+
 * </pre>
 * The name is 1 to {@link #MAX_NAME_LENGTH} bytes and obeys the file name rules (checked on decode).
 */
public final class GetManifestRequestDescriptor
{
    public static final int NAME_LENGTH_OFFSET = 0;
    public static final int BLOCK_LENGTH = 8;
    public static final int NAME_OFFSET = BLOCK_LENGTH;
    public static final int MAX_NAME_LENGTH = ManifestDescriptor.MAX_NAME_BYTES;

    private GetManifestRequestDescriptor()
    {
    }
}

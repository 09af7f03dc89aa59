package io.rfs.replication.protocol;

import io.rfs.store.manifest.ManifestDescriptor;

/**
 * Layout of a {@code RangeManifestsRequest} body (type {@link MessageTypes#RANGE_MANIFESTS_REQUEST}): list the
 * names whose manifests you hold in one ring range (of the names' ring positions), with the version of the newest
 * manifest of each, one page at a time, in name order. Answered by a {@link RangeManifestsResponseDescriptor} body.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                 Ring fingerprint (i64)                        |  0
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                      Range (i32)                              |  8
 *  +---------------------------------------------------------------+
 *  |                   Max entries (i32)                           | 12
 *  +-------------------------------+-------------------------------+
 *  |     After length (u16)        |      Reserved (6 bytes)       | 16
 *  +-------------------------------+                               |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |             After name (UTF-8, after length bytes)          ... 24
 *  +---------------------------------------------------------------+
 * </pre>
 * Range is not negative; max entries 1 to {@link #MAX_ENTRIES} (the node may send fewer). With an after length of
 * 1 to 1024 the page starts after that name (the last one of the previous page, in {@code String.compareTo} order),
 * with 0 at the range's first name.
 */
public final class RangeManifestsRequestDescriptor
{
    public static final int RING_FINGERPRINT_OFFSET = 0;
    public static final int RANGE_OFFSET = 8;
    public static final int MAX_ENTRIES_OFFSET = 12;
    public static final int AFTER_LENGTH_OFFSET = 16;
    public static final int BLOCK_LENGTH = 24;
    public static final int AFTER_OFFSET = BLOCK_LENGTH;
    /** Most entries a page may be asked to hold. */
    public static final int MAX_ENTRIES = 1024;
    public static final int MAX_NAME_BYTES = ManifestDescriptor.MAX_NAME_BYTES;

    private RangeManifestsRequestDescriptor()
    {
    }
}

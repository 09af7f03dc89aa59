package io.rfs.replication.protocol;

import io.rfs.store.manifest.ManifestDescriptor;

/**
 * Layout of a {@code ListManifestsRequest} body (type {@link MessageTypes#LIST_MANIFESTS_REQUEST}): one page of the
 * stats of the files whose names start with a prefix, in byte order of their names.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                    Max entries (i32)                          |  0
 *  +-------------------------------+-------------------------------+
 *  |     Prefix length (u16)       |   Page token length (u16)     |  4
 *  +---------------+---------------+-------------------------------+
 *  |     Flags     |               Reserved (7 bytes)              |  8
 *  +---------------+                                               |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                Prefix (prefix length bytes)                 ... 16
 *  +---------------------------------------------------------------+
 *  |            Page token (page token length bytes)             ...
 *  +---------------------------------------------------------------+
 * </pre>
 * Max entries is 1 to {@link #MAX_ENTRIES}. The prefix is 0 to {@link #MAX_PREFIX_LENGTH} bytes, compared byte by
 * byte (it need not be a valid name: "a/." is a prefix of "a/.x"). The page token is empty for the first page and
 * otherwise the opaque token the previous response gave, 0 to {@link #MAX_PAGE_TOKEN_LENGTH} bytes. Flag
 * {@link #FLAG_INCLUDE_TOMBSTONES}: list deleted files too.
 */
public final class ListManifestsRequestDescriptor
{
    public static final int MAX_ENTRIES_OFFSET = 0;
    public static final int PREFIX_LENGTH_OFFSET = 4;
    public static final int PAGE_TOKEN_LENGTH_OFFSET = 6;
    public static final int FLAGS_OFFSET = 8;
    public static final int BLOCK_LENGTH = 16;
    public static final int PREFIX_OFFSET = BLOCK_LENGTH;

    /** List tombstones as well. */
    public static final int FLAG_INCLUDE_TOMBSTONES = 0x1;
    public static final int KNOWN_FLAGS = FLAG_INCLUDE_TOMBSTONES;
    /** Most entries one page may hold. */
    public static final int MAX_ENTRIES = 1000;
    public static final int MAX_PREFIX_LENGTH = ManifestDescriptor.MAX_NAME_BYTES;
    /** Longest page token: room for a name and a little more. */
    public static final int MAX_PAGE_TOKEN_LENGTH = 2048;

    private ListManifestsRequestDescriptor()
    {
    }
}

package io.rfs.replication.protocol;

import io.rfs.store.manifest.ManifestDescriptor;
import org.agrona.BitUtil;

/**
 * Layout of a {@code ListManifestsResponse} body (type {@link MessageTypes#LIST_MANIFESTS_RESPONSE}): one page of
 * file stats, in byte order of their names.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------+---------------+-------------------------------+
 *  |    Status     |     Flags     | Next page token length (u16)  |  0
 *  +---------------+---------------+-------------------------------+
 *  |                     Entry count (i32)                         |  4
 *  +---------------------------------------------------------------+
 *  |                     Reserved (8 bytes)                        |  8
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |      Next page token (token length bytes), zero padding     ... 16
 *  |                  to an 8-byte boundary                        |
 *  +---------------------------------------------------------------+
 *  |                 Entries (entry count of them)               ...  E = align(16 + token length, 8)
 *  +---------------------------------------------------------------+
 *
 *  Entry, 64 bytes plus its name, padded to an 8-byte boundary:
 *  +---------------------------------------------------------------+
 *  |                    Size in bytes (i64)                        |  0
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                Version timestamp (HLC, i64)                   |  8
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                  Version node id (i32)                        | 16
 *  +---------------------------------------------------------------+
 *  |                    Chunk count (i32)                          | 20
 *  +---------------------------------------------------------------+
 *  |                                                               | 24
 *  |                Whole-file SHA-256 (32 bytes)                  |
 *  |                                                               |
 *  +---------------+---------------+-------------------------------+
 *  |     Flags     |   Reserved    |      Name length (u16)        | 56
 *  +---------------+---------------+-------------------------------+
 *  |                     Reserved (i32)                            | 60
 *  +---------------------------------------------------------------+
 *  |       Name (UTF-8, name length bytes), zero padding         ... 64
 *  +---------------------------------------------------------------+
 * </pre>
 * Status {@code OK} or {@code ERROR} (then no entries). Flag {@link #FLAG_MORE}: more names follow; ask again with
 * the next page token (0 to {@link ListManifestsRequestDescriptor#MAX_PAGE_TOKEN_LENGTH} bytes, empty when there
 * are no more). Entry count 0 to {@link ListManifestsRequestDescriptor#MAX_ENTRIES}. Entry flag
 * {@link #ENTRY_FLAG_TOMBSTONE}: the current version is a delete (size and chunk count 0). Names obey the file name
 * rules.
 */
public final class ListManifestsResponseDescriptor
{
    public static final int STATUS_OFFSET = 0;
    public static final int FLAGS_OFFSET = 1;
    public static final int PAGE_TOKEN_LENGTH_OFFSET = 2;
    public static final int ENTRY_COUNT_OFFSET = 4;
    public static final int BLOCK_LENGTH = 16;
    public static final int PAGE_TOKEN_OFFSET = BLOCK_LENGTH;
    public static final int ALIGNMENT = 8;

    /** More entries follow the last one of this page. */
    public static final int FLAG_MORE = 0x1;
    public static final int KNOWN_FLAGS = FLAG_MORE;

    public static final int ENTRY_SIZE_OFFSET = 0;
    public static final int ENTRY_VERSION_TIMESTAMP_OFFSET = 8;
    public static final int ENTRY_VERSION_NODE_ID_OFFSET = 16;
    public static final int ENTRY_CHUNK_COUNT_OFFSET = 20;
    public static final int ENTRY_SHA256_OFFSET = 24;
    public static final int ENTRY_FLAGS_OFFSET = 56;
    public static final int ENTRY_NAME_LENGTH_OFFSET = 58;
    public static final int ENTRY_BLOCK_LENGTH = 64;
    public static final int ENTRY_NAME_OFFSET = ENTRY_BLOCK_LENGTH;
    public static final int SHA256_LENGTH = ManifestDescriptor.SHA256_LENGTH;

    /** The entry's current version is a delete. */
    public static final int ENTRY_FLAG_TOMBSTONE = 0x1;
    public static final int ENTRY_KNOWN_FLAGS = ENTRY_FLAG_TOMBSTONE;

    private ListManifestsResponseDescriptor()
    {
    }

    /**
     * @param pageTokenLength bytes of next page token.
     * @return offset of the first entry.
     */
    public static int entriesOffset(final int pageTokenLength)
    {
        return BitUtil.align(BLOCK_LENGTH + pageTokenLength, ALIGNMENT);
    }

    /**
     * @param nameLength bytes of the entry's name.
     * @return bytes the entry takes, padding included.
     */
    public static int entryLength(final int nameLength)
    {
        return BitUtil.align(ENTRY_BLOCK_LENGTH + nameLength, ALIGNMENT);
    }
}

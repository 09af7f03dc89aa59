package io.rfs.replication.protocol;

import io.rfs.store.manifest.ManifestDescriptor;
import org.agrona.BitUtil;

/**
 * Layout of a {@code RangeManifestsResponse} body (type {@link MessageTypes#RANGE_MANIFESTS_RESPONSE}).
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |            Ring fingerprint (i64), the node's                 |  0
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |               Count (i32), 0 unless OK                        |  8
 *  +---------------+---------------+-------------------------------+
 *  |    Status     |     Flags     |       Reserved (2 bytes)      | 12
 *  +---------------+---------------+-------------------------------+
 *  |             Entries (count, each padded to 8 bytes)         ... 16
 *  +---------------------------------------------------------------+
 * </pre>
 * Each entry, in ascending name order ({@code String.compareTo}), {@link #ENTRY_BLOCK_LENGTH} bytes plus its name,
 * padded with zeros to a multiple of 8:
 * <pre>
 *  +---------------------------------------------------------------+
 *  |                Version timestamp (i64, HLC)                   |  0
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 Version node id (i32)                         |  8
 *  +---------------+---------------+-------------------------------+
 *  |     Flags     |   Reserved    |      Name length (u16)        | 12
 *  +---------------+---------------+-------------------------------+
 *  |                  Name (UTF-8) and padding                   ... 16
 *  +---------------------------------------------------------------+
 * </pre>
 * Status {@code OK}, {@code RING_MISMATCH} (count 0; the fingerprint says which ring the node has) or {@code ERROR};
 * flag {@link #FLAG_MORE}: ask again after the last name of this page. Entry flag {@link #ENTRY_FLAG_TOMBSTONE}: the
 * newest version held is a delete.
 */
public final class RangeManifestsResponseDescriptor
{
    public static final int RING_FINGERPRINT_OFFSET = 0;
    public static final int COUNT_OFFSET = 8;
    public static final int STATUS_OFFSET = 12;
    public static final int FLAGS_OFFSET = 13;
    public static final int BLOCK_LENGTH = 16;
    public static final int ENTRY_VERSION_TIMESTAMP_OFFSET = 0;
    public static final int ENTRY_VERSION_NODE_ID_OFFSET = 8;
    public static final int ENTRY_FLAGS_OFFSET = 12;
    public static final int ENTRY_NAME_LENGTH_OFFSET = 14;
    public static final int ENTRY_BLOCK_LENGTH = 16;
    public static final int ALIGNMENT = 8;
    /** More entries follow the last one of this page. */
    public static final int FLAG_MORE = 0x1;
    public static final int KNOWN_FLAGS = FLAG_MORE;
    /** The newest version held of the name is a delete. */
    public static final int ENTRY_FLAG_TOMBSTONE = 0x1;
    public static final int ENTRY_KNOWN_FLAGS = ENTRY_FLAG_TOMBSTONE;
    public static final int MAX_ENTRIES = RangeManifestsRequestDescriptor.MAX_ENTRIES;
    public static final int MAX_NAME_BYTES = ManifestDescriptor.MAX_NAME_BYTES;

    private RangeManifestsResponseDescriptor()
    {
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

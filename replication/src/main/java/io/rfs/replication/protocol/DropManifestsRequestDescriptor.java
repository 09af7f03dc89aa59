package io.rfs.replication.protocol;

import io.rfs.store.manifest.ManifestDescriptor;

/**
 * Layout of a {@code DropManifestsRequest} body (type {@link MessageTypes#DROP_MANIFESTS_REQUEST}, leader only): stop
 * holding these names, which this node no longer owns and whose every owner holds a version at least as new as the
 * one given; the end of a rebalance for manifests. Answered by a {@link ChunkBitmapDescriptor} body (type
 * {@link MessageTypes#DROP_MANIFESTS_RESPONSE}), bit set: the node held the name at that version or an older one and
 * has dropped every version of it durably.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                       Count (i32)                             |  0
 *  +---------------------------------------------------------------+
 *  |                      Reserved (4 bytes)                       |  4
 *  +---------------------------------------------------------------+
 *  |                    Term (i64), the leader's                   |  8
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |             Entries (count, each padded to 8 bytes)         ... 16
 *  +---------------------------------------------------------------+
 * </pre>
 * Each entry has the layout of a {@link RangeManifestsResponseDescriptor} entry (version timestamp i64, version node
 * id i32, flags u8, reserved u8, name length u16, name, zero padding to a multiple of 8), its flags zero: drop the
 * name if the newest version held is this one or older. Count is 1 to {@link #MAX_COUNT}. A node drops only on an
 * order of its own term from the leader it follows, as for {@link DropChunksRequestDescriptor}.
 */
public final class DropManifestsRequestDescriptor
{
    public static final int COUNT_OFFSET = 0;
    public static final int TERM_OFFSET = 8;
    public static final int BLOCK_LENGTH = 16;
    public static final int ENTRIES_OFFSET = BLOCK_LENGTH;
    /** Names per order: 256 of the longest take about 260 KiB, well inside a frame and the storage queue. */
    public static final int MAX_COUNT = 256;
    public static final int MAX_NAME_BYTES = ManifestDescriptor.MAX_NAME_BYTES;

    private DropManifestsRequestDescriptor()
    {
    }
}

package io.rfs.replication.node;

import java.nio.ByteOrder;

/**
 * Layout of the payloads of the hint log's two record types (segment records of {@code docs/FORMATS.md}, "Hint
 * log"). Integers little-endian, as every segment record's.
 * <p>
 * A <b>hint</b> ({@code RecordDescriptor.TYPE_HINT}, key: the chunk id, or SHA-256 of the manifest's name):
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                    Target node id (i32)                       |  0
 *  +---------------+---------------+-------------------------------+
 *  |     Kind      |   Reserved    |     Name length (u16)         |  4
 *  +---------------+---------------+-------------------------------+
 *  |           Version timestamp (HLC, i64; 0 for a chunk)         |  8
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |            Version node id (i32; 0 for a chunk)               | 16
 *  +---------------------------------------------------------------+
 *  |                       Reserved (i32)                          | 20
 *  +---------------------------------------------------------------+
 *  |          Name (UTF-8, name length bytes; manifests only)    ... 24
 *  +---------------------------------------------------------------+
 * </pre>
 * Kind 1 is a chunk (name length 0), kind 2 a manifest (name length 1..1024, the version the hinted write carried).
 * <p>
 * A <b>delivered marker</b> ({@code RecordDescriptor.TYPE_HINT_DELIVERED}, key as its hint's): 8 bytes, the hint
 * record's location (segment id in the high 32 bits, offset in the low 32), so a marker names exactly one hint.
 */
final class HintDescriptor
{
    static final ByteOrder BYTE_ORDER = ByteOrder.LITTLE_ENDIAN;
    static final int TARGET_OFFSET = 0;
    static final int KIND_OFFSET = 4;
    static final int NAME_LENGTH_OFFSET = 6;
    static final int VERSION_TIMESTAMP_OFFSET = 8;
    static final int VERSION_NODE_ID_OFFSET = 16;
    static final int NAME_OFFSET = 24;
    static final int DELIVERED_LENGTH = 8;

    static final byte KIND_CHUNK = 1;
    static final byte KIND_MANIFEST = 2;

    private HintDescriptor()
    {
    }
}

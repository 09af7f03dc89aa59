package io.rfs.replication.cluster;

/**
 * Layout of the cluster-metadata log file, {@code cluster/log} in a node's data directory; specified in
 * {@code docs/FORMATS.md}, "Cluster-metadata log". Little-endian.
 * <pre>
 * File header, 16 bytes:
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                        Magic 'RFSL'                           |  0
 *  +---------------+-----------------------------------------------+
 *  |    Version    |              Reserved (11 bytes)              |  4
 *  +---------------+                                               +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 * then records, end to end from offset 16, each:
 *  +---------------------------------------------------------------+
 *  |        Entry length (i32): bytes of the entry, padding included |  0
 *  +---------------------------------------------------------------+
 *  |              CRC32C of those entry bytes                       |  4
 *  +---------------------------------------------------------------+
 *  |        Entry: LogEntryDescriptor layout, padded to 8 bytes     |  8
 *  +---------------------------------------------------------------+
 * </pre>
 * Entries are in index order from 0 with no gap, terms never decrease. Recovery keeps the longest prefix of valid
 * records and cuts the file after it (a torn append).
 */
public final class ClusterLogFileDescriptor
{
    /** 'R' 'F' 'S' 'L' read as a little-endian int. */
    public static final int MAGIC = 0x4C534652;
    public static final byte VERSION = 1;
    public static final int FILE_HEADER_LENGTH = 16;
    public static final int VERSION_OFFSET = 4;
    public static final int ENTRY_LENGTH_OFFSET = 0;
    public static final int CHECKSUM_OFFSET = 4;
    public static final int RECORD_HEADER_LENGTH = 8;

    private ClusterLogFileDescriptor()
    {
    }
}

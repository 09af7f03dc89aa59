package io.rfs.replication.cluster;

/**
 * Layout of the vote file, {@code cluster/vote} in a node's data directory: the election state that must survive a
 * crash, the node's current term and whom it voted for in it. 32 bytes, little-endian; specified in
 * {@code docs/FORMATS.md}, "Vote file".
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                        Magic 'RFSV'                           |  0
 *  +---------------+-----------------------------------------------+
 *  |    Version    |               Reserved (3 bytes)              |  4
 *  +---------------+-----------------------------------------------+
 *  |                     Current term (i64)                        |  8
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |            Voted for (i32): a node id, -1 for nobody          | 16
 *  +---------------------------------------------------------------+
 *  |                     Reserved (8 bytes)                        | 20
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                  CRC32C of bytes 0..27                        | 28
 *  +---------------------------------------------------------------+
 *                                                                    32
 * </pre>
 */
public final class VoteFileDescriptor
{
    /** 'R' 'F' 'S' 'V' read as a little-endian int. */
    public static final int MAGIC = 0x56534652;
    public static final byte VERSION = 1;
    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 4;
    public static final int TERM_OFFSET = 8;
    public static final int VOTED_FOR_OFFSET = 16;
    public static final int CHECKSUM_OFFSET = 28;
    public static final int LENGTH = 32;
    /** Voted for nobody in the current term. */
    public static final int NOBODY = -1;

    private VoteFileDescriptor()
    {
    }
}

package io.rfs.replication.node;

/**
 * Layout of {@code scrub/progress} in a node's data directory: where the background scrub's current pass is, so a
 * restart resumes it instead of starting over (docs/FORMATS.md "Scrub progress"). Little-endian, 80 bytes:
 * <pre>
 *   0  magic 'R' 'F' 'S' 'P' (i32)        4  version (i8) = 1, then 3 bytes zero
 *   8  pass start, epoch ms (i64)        16  previous pass start, epoch ms (i64), -1 if none
 *  24  chunks verified in the pass (i64) 32  flags (i32): bit 0 = the cursor is set; then 4 bytes zero
 *  40  cursor: the id of the last chunk verified, in id order (32 bytes)
 *  72  reserved (4 bytes)                76  CRC-32C of bytes 0..75 (i32)
 * </pre>
 */
final class ScrubProgressDescriptor
{
    /** 'R' 'F' 'S' 'P' read as a little-endian int. */
    static final int MAGIC = 0x50534652;
    static final byte VERSION = 1;
    static final int MAGIC_OFFSET = 0;
    static final int VERSION_OFFSET = 4;
    static final int PASS_START_OFFSET = 8;
    static final int PREVIOUS_PASS_START_OFFSET = 16;
    static final int CHUNKS_DONE_OFFSET = 24;
    static final int FLAGS_OFFSET = 32;
    static final int CURSOR_OFFSET = 40;
    static final int CHECKSUM_OFFSET = 76;
    static final int LENGTH = 80;
    static final int FLAG_CURSOR = 1;
    static final long NONE = -1;

    private ScrubProgressDescriptor()
    {
    }
}

package io.rfs.replication.transport.shm;

import org.agrona.BitUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * Layout of a node's inbox file, mapped by its owner and by every peer process on the host that sends to it.
 * Integers are in the platform's byte order (the file never leaves the host). Specified in
 * {@code docs/PROTOCOL.md}.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                        Magic 'RFSI'                           |  0
 *  +---------------------------------------------------------------+
 *  |                   Layout version (i32) = 1                    |  4
 *  +---------------------------------------------------------------+
 *  |          State (i32): 0 creating, 1 open, 2 closed            |  8
 *  +---------------------------------------------------------------+
 *  |                      Owner node id (i32)                      | 12
 *  +---------------------------------------------------------------+
 *  |                 Ring capacity (i32, power of 2)               | 16
 *  +---------------------------------------------------------------+
 *  |                    Max frame length (i32)                     | 20
 *  +---------------------------------------------------------------+
 *  |                       Owner pid (i64)                         | 24
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 Reserved (zero) to 4096                     ... 32
 *  +---------------------------------------------------------------+
 *  |     Ring buffer records (ring capacity bytes): Agrona         ... 4096
 *  |     RecordDescriptor records, each holding one frame          |
 *  +---------------------------------------------------------------+
 *  |     Ring buffer trailer (RingBufferDescriptor.TRAILER_LENGTH) ... 4096 + ring capacity
 *  |     tail, head cache, head, correlation counter, consumer     |
 *  |     heartbeat, each padded to its own cache lines             |
 *  +---------------------------------------------------------------+
 *  |     Unused: chronicle-bytes may round the file length up      |
 *  +---------------------------------------------------------------+
 * </pre>
 * The owner creates the file under a temporary name, writes the header, sets the state to open (an ordered write)
 * and renames it into place, so a peer never maps a half-made file. A peer maps the file only if the magic, layout
 * version, node id, capacity and length agree and the state is open, and reads the state on every offer: a closed
 * inbox (its owner stopped, or restarted with a new file) is unmapped and looked up again.
 */
public final class InboxFileDescriptor
{
    /** 'R' 'F' 'S' 'I' read as a little-endian int. */
    public static final int MAGIC = 0x49534652;
    public static final int LAYOUT_VERSION = 1;

    public static final int STATE_CREATING = 0;
    public static final int STATE_OPEN = 1;
    public static final int STATE_CLOSED = 2;

    public static final int MAGIC_OFFSET = 0;
    public static final int LAYOUT_VERSION_OFFSET = 4;
    public static final int STATE_OFFSET = 8;
    public static final int NODE_ID_OFFSET = 12;
    public static final int RING_CAPACITY_OFFSET = 16;
    public static final int MAX_FRAME_LENGTH_OFFSET = 20;
    public static final int OWNER_PID_OFFSET = 24;
    /** Length of the header page and offset of the ring buffer. */
    public static final int HEADER_LENGTH = 4096;

    private InboxFileDescriptor()
    {
    }

    /**
     * @param ringCapacity the ring buffer's capacity.
     * @return the file's length.
     */
    public static long fileLength(final int ringCapacity)
    {
        return (long)HEADER_LENGTH + ringCapacity + RingBufferDescriptor.TRAILER_LENGTH;
    }

    /**
     * @param nodeId a node.
     * @return the name of its inbox file in the network's directory.
     */
    public static String fileName(final int nodeId)
    {
        return "node-" + nodeId + ".inbox";
    }

    /**
     * Checks a peer's header before its ring is used.
     *
     * @param header     the mapped header.
     * @param nodeId     the node expected to own it.
     * @param fileLength the file's length: at least {@link #fileLength(int)} of its ring capacity (the mapping
     *                   library may round a new file's length up to its page multiple).
     * @return null if the inbox may be used, else what is wrong.
     */
    public static String checkHeader(final AtomicBuffer header, final int nodeId, final long fileLength)
    {
        final int magic = header.getInt(MAGIC_OFFSET);
        if (magic != MAGIC)
        {
            return "magic=0x" + Integer.toHexString(magic);
        }
        final int version = header.getInt(LAYOUT_VERSION_OFFSET);
        if (version != LAYOUT_VERSION)
        {
            return "layoutVersion=" + version;
        }
        final int owner = header.getInt(NODE_ID_OFFSET);
        if (owner != nodeId)
        {
            return "nodeId=" + owner + ", expected " + nodeId;
        }
        final int capacity = header.getInt(RING_CAPACITY_OFFSET);
        if (capacity <= 0 || !BitUtil.isPowerOfTwo(capacity) || fileLength(capacity) > fileLength)
        {
            return "ringCapacity=" + capacity + " does not fit fileLength=" + fileLength;
        }
        final int state = header.getIntVolatile(STATE_OFFSET);
        if (state != STATE_OPEN)
        {
            return "state=" + state;
        }
        return null;
    }
}

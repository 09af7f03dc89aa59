package io.rfs.replication.transport.tcp;

import io.rfs.replication.protocol.FrameDescriptor;
import io.rfs.replication.protocol.HelloDescriptor;
import io.rfs.replication.protocol.MessageTypes;
import org.agrona.MutableDirectBuffer;

/**
 * The TCP transport's control frames: ordinary frames ({@link FrameDescriptor}) whose message types lie in the
 * connection range the registry reserves, {@link #CONTROL_TYPE_FIRST}..{@link #CONTROL_TYPE_LAST}
 * ({@code Hello} and {@link MessageTypes#HANDSHAKE_RESERVED_FIRST}..{@link MessageTypes#HANDSHAKE_RESERVED_LAST}).
 * They never reach a {@code MessageHandler} and may not be offered. Refusals during the handshake are the protocol's
 * {@code Error} message ({@link MessageTypes#ERROR}). Specified in {@code docs/TRANSPORT.md}.
 * <ul>
 *     <li><b>Hello</b> ({@link #HELLO_TYPE}): the protocol's {@code Hello}, layout {@link HelloDescriptor}. Its frame
 *     header always carries version {@link #HANDSHAKE_FRAME_VERSION}.</li>
 *     <li><b>Auth</b> ({@link #AUTH_TYPE}, HMAC mode only): a body of {@link #MAC_LENGTH} bytes, the HMAC-SHA256
 *     proof of {@link HmacAuthenticator}.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |               HMAC-SHA256 proof (32 bytes)                    |  0
 *  |                              ...                              |
 *  +---------------------------------------------------------------+
 *                                                                    32
 * </pre></li>
 *     <li><b>Keepalive</b> ({@link #KEEPALIVE_TYPE}): an empty body, sent on an idle established connection so that
 *     the peer can tell a quiet connection from a dead one.</li>
 * </ul>
 */
final class HandshakeDescriptor
{
    /** Lowest message type of the transport's control frames. */
    static final int CONTROL_TYPE_FIRST = MessageTypes.HELLO;
    /** Highest message type of the transport's control frames. */
    static final int CONTROL_TYPE_LAST = MessageTypes.HANDSHAKE_RESERVED_LAST;

    static final int HELLO_TYPE = MessageTypes.HELLO;
    static final int AUTH_TYPE = MessageTypes.HANDSHAKE_RESERVED_FIRST;
    static final int KEEPALIVE_TYPE = MessageTypes.HANDSHAKE_RESERVED_FIRST + 1;

    /** Version in the frame header of every handshake frame ({@code Hello}, Auth, {@code Error} before the end). */
    static final int HANDSHAKE_FRAME_VERSION = 1;
    /** Largest frame accepted before the handshake completes: room for an {@code Error} with its longest text. */
    static final int MAX_HANDSHAKE_FRAME_LENGTH = 2048;
    /** Longest {@code Hello} body kept for the HMAC transcript (later versions may append fields). */
    static final int MAX_HELLO_LENGTH = 256;

    static final int MAC_LENGTH = 32;

    private HandshakeDescriptor()
    {
    }

    /**
     * @param messageType a frame's type.
     * @return true if the transport keeps it for itself.
     */
    static boolean isControlType(final int messageType)
    {
        return messageType >= CONTROL_TYPE_FIRST && messageType <= CONTROL_TYPE_LAST;
    }

    /**
     * Writes the header and checksum of a frame whose body of {@code bodyLength} bytes is already in place after it.
     *
     * @return the frame's length.
     */
    static int finishFrame(
        final MutableDirectBuffer buffer,
        final int offset,
        final int messageType,
        final int bodyLength,
        final int sourceNodeId,
        final int version)
    {
        final int frameLength = FrameDescriptor.HEADER_LENGTH + bodyLength;
        FrameDescriptor.writeHeader(buffer, offset, messageType, bodyLength, sourceNodeId, 0L);
        buffer.putByte(offset + FrameDescriptor.VERSION_OFFSET, (byte)version);
        FrameDescriptor.writeChecksum(buffer, offset);
        return frameLength;
    }
}

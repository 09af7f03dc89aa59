package io.rfs.replication.transport.tcp;

import io.rfs.replication.protocol.FrameDescriptor;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.charset.StandardCharsets;

/**
 * Layout of the TCP transport's control frames: ordinary frames ({@link FrameDescriptor}) whose message types lie in
 * the range reserved for the transport, {@link #RESERVED_TYPE_MIN}..{@link #RESERVED_TYPE_MAX}. They never reach a
 * {@code MessageHandler}, and the message type registry must not use that range. Integers are little-endian.
 * Described in {@code docs/TRANSPORT.md}.
 * <p>
 * <b>HELLO</b> ({@link #HELLO_TYPE}) opens the handshake in both directions. Its frame header always carries version
 * {@link #HANDSHAKE_FRAME_VERSION} and its layout never changes, so that any two versions can negotiate.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------+---------------+---------------+---------------+
 *  |  Min version  |  Max version  |     Role      | Reserved (0)  |  0
 *  +---------------+---------------+---------------+---------------+
 *  |                     Node id (or client id)                    |  4
 *  +---------------------------------------------------------------+
 *  |                   Nonce (32 bytes, SecureRandom)              |  8
 *  |                              ...                              |
 *  +---------------------------------------------------------------+
 *                                                                     40
 * </pre>
 * <b>AUTH</b> ({@link #AUTH_TYPE}, HMAC mode only): a 32-byte HMAC-SHA256 proof, see {@link HmacAuthenticator}.
 * <p>
 * <b>REJECT</b> ({@link #REJECT_TYPE}): why the sender is about to close the connection.
 * <pre>
 *  +---------------------------------------------------------------+
 *  |                         Reason code                           |  0
 *  +-------------------------------+-------------------------------+
 *  |     Text length (u16)         |  Text (UTF-8, at most 200)    |  4
 *  +-------------------------------+                               +
 *  |                              ...                              |
 *  +---------------------------------------------------------------+
 * </pre>
 * <b>KEEPALIVE</b> ({@link #KEEPALIVE_TYPE}): an empty body, sent on an idle connection so that the peer can tell a
 * quiet connection from a dead one.
 */
final class HandshakeDescriptor
{
    /** Lowest message type reserved for the transport's control frames. */
    static final int RESERVED_TYPE_MIN = 0xFF00;
    /** Highest message type reserved for the transport's control frames. */
    static final int RESERVED_TYPE_MAX = 0xFFFF;

    static final int HELLO_TYPE = 0xFF01;
    static final int AUTH_TYPE = 0xFF02;
    static final int REJECT_TYPE = 0xFF03;
    static final int KEEPALIVE_TYPE = 0xFF04;

    /** Version in the frame header of every handshake frame, whatever the versions negotiated. */
    static final int HANDSHAKE_FRAME_VERSION = 1;
    /** Largest frame accepted before the handshake completes. */
    static final int MAX_HANDSHAKE_FRAME_LENGTH = 512;

    static final int MIN_VERSION_OFFSET = 0;
    static final int MAX_VERSION_OFFSET = 1;
    static final int ROLE_OFFSET = 2;
    static final int NODE_ID_OFFSET = 4;
    static final int NONCE_OFFSET = 8;
    static final int NONCE_LENGTH = 32;
    static final int HELLO_LENGTH = NONCE_OFFSET + NONCE_LENGTH;

    static final int MAC_LENGTH = 32;

    static final int REASON_OFFSET = 0;
    static final int TEXT_LENGTH_OFFSET = 4;
    static final int TEXT_OFFSET = 6;
    static final int MAX_TEXT_LENGTH = 200;

    /** REJECT reasons. */
    static final int REASON_NO_COMMON_VERSION = 1;
    static final int REASON_AUTHENTICATION_FAILED = 2;
    static final int REASON_UNKNOWN_PEER = 3;
    static final int REASON_WRONG_DIRECTION = 4;

    private HandshakeDescriptor()
    {
    }

    /**
     * @param messageType a frame's type.
     * @return true if the transport reserves it for control frames.
     */
    static boolean isControlType(final int messageType)
    {
        return messageType >= RESERVED_TYPE_MIN && messageType <= RESERVED_TYPE_MAX;
    }

    /**
     * Negotiates the protocol version from both ends' ranges.
     *
     * @return the highest version both support, or 0 if there is none.
     */
    static int negotiate(final int localMin, final int localMax, final int peerMin, final int peerMax)
    {
        final int low = Math.max(localMin, peerMin);
        final int high = Math.min(localMax, peerMax);
        return peerMin <= peerMax && low <= high ? high : 0;
    }

    /**
     * Writes a whole control frame (header, body, checksum) whose body is {@code bodyLength} bytes already in place
     * after the header.
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

    /**
     * Writes a HELLO body.
     */
    static void writeHello(
        final MutableDirectBuffer buffer,
        final int offset,
        final int minVersion,
        final int maxVersion,
        final int role,
        final int nodeId,
        final byte[] nonce)
    {
        buffer.putByte(offset + MIN_VERSION_OFFSET, (byte)minVersion);
        buffer.putByte(offset + MAX_VERSION_OFFSET, (byte)maxVersion);
        buffer.putByte(offset + ROLE_OFFSET, (byte)role);
        buffer.putByte(offset + ROLE_OFFSET + 1, (byte)0);
        buffer.putInt(offset + NODE_ID_OFFSET, nodeId);
        buffer.putBytes(offset + NONCE_OFFSET, nonce, 0, NONCE_LENGTH);
    }

    static int minVersion(final DirectBuffer buffer, final int offset)
    {
        return buffer.getByte(offset + MIN_VERSION_OFFSET) & 0xFF;
    }

    static int maxVersion(final DirectBuffer buffer, final int offset)
    {
        return buffer.getByte(offset + MAX_VERSION_OFFSET) & 0xFF;
    }

    static int role(final DirectBuffer buffer, final int offset)
    {
        return buffer.getByte(offset + ROLE_OFFSET) & 0xFF;
    }

    static int nodeId(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + NODE_ID_OFFSET);
    }

    /**
     * Writes a REJECT body.
     *
     * @return the body's length.
     */
    static int writeReject(final MutableDirectBuffer buffer, final int offset, final int reason, final String text)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        final int length = Math.min(bytes.length, MAX_TEXT_LENGTH);
        buffer.putInt(offset + REASON_OFFSET, reason);
        buffer.putShort(offset + TEXT_LENGTH_OFFSET, (short)length);
        buffer.putBytes(offset + TEXT_OFFSET, bytes, 0, length);
        return TEXT_OFFSET + length;
    }

    /**
     * @param buffer holds a REJECT body.
     * @param offset where it starts.
     * @param length the body's length.
     * @return its reason and text for a log line, whatever the bytes (they come from the network).
     */
    static String describeReject(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < TEXT_OFFSET)
        {
            return "reject (no reason)";
        }
        final int reason = buffer.getInt(offset + REASON_OFFSET);
        final int textLength = Math.min(buffer.getShort(offset + TEXT_LENGTH_OFFSET) & 0xFFFF,
            Math.min(MAX_TEXT_LENGTH, length - TEXT_OFFSET));
        final byte[] text = new byte[textLength];
        buffer.getBytes(offset + TEXT_OFFSET, text);
        return "reason=" + reason + " " + new String(text, StandardCharsets.UTF_8);
    }
}

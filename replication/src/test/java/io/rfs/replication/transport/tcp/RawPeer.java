package io.rfs.replication.transport.tcp;

import io.rfs.replication.protocol.FrameDescriptor;
import io.rfs.replication.protocol.HelloDescriptor;
import io.rfs.replication.transport.PeerRole;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A hand-driven peer on a raw socket that speaks (or breaks) the protocol byte by byte, for handshake, robustness
 * and fuzz tests. Reads and writes are non-blocking; every wait steps the {@link Driver} so the transport under test
 * makes progress on the same thread.
 */
final class RawPeer implements AutoCloseable
{
    final SocketChannel channel;
    final ByteArrayOutputStream sent = new ByteArrayOutputStream();
    private final ByteBuffer in = ByteBuffer.allocate(1024 * 1024).order(ByteOrder.LITTLE_ENDIAN);
    private boolean closedByPeer;

    RawPeer(final InetSocketAddress address)
    {
        try
        {
            channel = SocketChannel.open(address);
            channel.configureBlocking(false);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Writes all of {@code bytes}, stepping the driver while the socket is full; stops quietly if the transport
     * closed the connection meanwhile.
     */
    void send(final byte[] bytes, final Driver driver)
    {
        sent.writeBytes(bytes);
        final ByteBuffer buffer = ByteBuffer.wrap(bytes);
        try
        {
            while (buffer.hasRemaining())
            {
                if (channel.write(buffer) == 0)
                {
                    driver.step();
                }
            }
        }
        catch (final IOException ex)
        {
            closedByPeer = true;
        }
    }

    /**
     * Steps the driver until a whole frame has arrived.
     *
     * @return the frame.
     */
    UnsafeBuffer readFrame(final Driver driver)
    {
        final byte[][] frame = new byte[1][];
        driver.until("a frame from the transport", () ->
        {
            frame[0] = takeFrame();
            return frame[0] != null || closedByPeer;
        });
        assertThat(frame[0]).as("frame (connection closed instead)").isNotNull();
        return new UnsafeBuffer(frame[0]);
    }

    /**
     * Steps the driver until the transport closes the connection (end of stream or reset).
     *
     * @return the last frame received before the close, or null.
     */
    UnsafeBuffer awaitClosed(final Driver driver)
    {
        final byte[][] last = new byte[1][];
        driver.until("the transport to close the connection", () ->
        {
            final byte[] frame = takeFrame();
            if (frame != null)
            {
                last[0] = frame;
            }
            return closedByPeer && frame == null;
        });
        return last[0] == null ? null : new UnsafeBuffer(last[0]);
    }

    boolean isClosedByPeer()
    {
        readAvailable();
        return closedByPeer;
    }

    /**
     * Performs the initiator's side of the HMAC handshake.
     */
    void handshake(final int nodeId, final PeerRole role, final byte[] secret, final Driver driver)
    {
        handshake(nodeId, role, secret, driver, true);
    }

    /**
     * Performs the initiator's side of the HMAC handshake, checking the acceptor's proof or not.
     */
    void handshake(
        final int nodeId, final PeerRole role, final byte[] secret, final Driver driver, final boolean verify)
    {
        final byte[] nonce = new byte[HelloDescriptor.NONCE_LENGTH];
        new SplittableRandom(nodeId).nextBytes(nonce);
        final byte[] hello = hello(1, 1, role, nodeId, nonce);
        send(frame(HandshakeDescriptor.HELLO_TYPE, 1, nodeId, 0, hello), driver);
        final UnsafeBuffer helloFrame = readFrame(driver);
        assertThat(FrameDescriptor.messageType(helloFrame, 0)).isEqualTo(HandshakeDescriptor.HELLO_TYPE);
        final UnsafeBuffer authFrame = readFrame(driver);
        assertThat(FrameDescriptor.messageType(authFrame, 0)).isEqualTo(HandshakeDescriptor.AUTH_TYPE);
        final HmacAuthenticator authenticator = role == PeerRole.NODE ? new HmacAuthenticator(secret, null) :
            new HmacAuthenticator(null, secret);
        final UnsafeBuffer mine = new UnsafeBuffer(hello);
        final int theirLength = helloFrame.capacity() - FrameDescriptor.HEADER_LENGTH;
        final UnsafeBuffer theirs = new UnsafeBuffer(helloFrame, FrameDescriptor.HEADER_LENGTH, theirLength);
        if (verify)
        {
            assertThat(authenticator.verify(role, HmacAuthenticator.ACCEPTOR, 1, mine, hello.length, theirs,
                theirLength, authFrame, FrameDescriptor.HEADER_LENGTH)).isTrue();
        }
        final UnsafeBuffer proof = new UnsafeBuffer(new byte[HandshakeDescriptor.MAC_LENGTH]);
        authenticator.prove(role, HmacAuthenticator.INITIATOR, 1, mine, hello.length, theirs, theirLength, proof, 0);
        send(frame(HandshakeDescriptor.AUTH_TYPE, 1, nodeId, 0, proof.byteArray()), driver);
    }

    static byte[] hello(final int min, final int max, final PeerRole role, final int nodeId, final byte[] nonce)
    {
        final UnsafeBuffer body = new UnsafeBuffer(new byte[HelloDescriptor.BLOCK_LENGTH]);
        body.putByte(HelloDescriptor.MIN_VERSION_OFFSET, (byte)min);
        body.putByte(HelloDescriptor.MAX_VERSION_OFFSET, (byte)max);
        body.putByte(HelloDescriptor.ROLE_OFFSET, (byte)role.code());
        body.putInt(HelloDescriptor.NODE_ID_OFFSET, nodeId);
        body.putBytes(HelloDescriptor.NONCE_OFFSET, nonce, 0, HelloDescriptor.NONCE_LENGTH);
        return body.byteArray();
    }

    /**
     * @return a well-formed frame with a correct checksum.
     */
    static byte[] frame(final int type, final int version, final int source, final long correlationId,
        final byte[] body)
    {
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[FrameDescriptor.HEADER_LENGTH + body.length]);
        FrameDescriptor.writeHeader(frame, 0, type, body.length, source, correlationId);
        frame.putByte(FrameDescriptor.VERSION_OFFSET, (byte)version);
        frame.putBytes(FrameDescriptor.HEADER_LENGTH, body);
        FrameDescriptor.writeChecksum(frame, 0);
        return frame.byteArray();
    }

    @Override
    public void close()
    {
        try
        {
            channel.close();
        }
        catch (final IOException ignore)
        {
            // test cleanup
        }
    }

    private byte[] takeFrame()
    {
        readAvailable();
        if (in.position() < FrameDescriptor.HEADER_LENGTH)
        {
            return null;
        }
        final int length = in.getInt(FrameDescriptor.LENGTH_OFFSET);
        if (in.position() < length)
        {
            return null;
        }
        final byte[] frame = Arrays.copyOf(in.array(), length);
        in.flip();
        in.position(length);
        in.compact();
        return frame;
    }

    private void readAvailable()
    {
        if (closedByPeer)
        {
            return;
        }
        try
        {
            if (channel.read(in) < 0)
            {
                closedByPeer = true;
            }
        }
        catch (final IOException ex)
        {
            closedByPeer = true;
        }
    }
}

package io.rfs.tools;

import io.rfs.replication.protocol.FrameDescriptor;
import io.rfs.replication.transport.tcp.TcpTransportContext;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The links {@link ClusterPartitionTest} cuts and {@link LeaderPauseTest} delays, against an echo server on loopback:
 * frames pass both ways while the link is whole, a cut ends the connection and every new one, a heal lets new ones
 * through; frames of a type held back come after the ones behind them, once released.
 */
@Timeout(60)
class LinkProxyTest
{
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int HELD_TYPE = 87;
    private static final int PASSING_TYPE = 20;

    private ServerSocket echo;
    private LinkProxy link;
    private final FrameHold forward = new FrameHold(1, 2);

    @AfterEach
    void close() throws IOException
    {
        if (link != null)
        {
            link.close();
        }
        if (echo != null)
        {
            echo.close();
        }
    }

    @Test
    void shouldCarryBytesUntilCutAndRefuseNewConnectionsUntilHealed() throws Exception
    {
        startEcho();
        link = new LinkProxy("test", (InetSocketAddress)echo.getLocalSocketAddress(), forward, new FrameHold(2, 1));

        try (Socket before = dial())
        {
            assertThat(roundTrip(before, frame(PASSING_TYPE, "hello"))).isEqualTo(frame(PASSING_TYPE, "hello"));
            link.cut();
            assertThat(before.getInputStream().read()).as("a connection through the link after the cut").isEqualTo(-1);
        }
        try (Socket duringCut = dial())
        {
            assertThat(duringCut.getInputStream().read()).as("a connection made while the link is cut").isEqualTo(-1);
        }

        link.heal();
        try (Socket after = dial())
        {
            assertThat(roundTrip(after, frame(PASSING_TYPE, "again"))).isEqualTo(frame(PASSING_TYPE, "again"));
        }
    }

    @Test
    void shouldDeliverHeldFramesAfterTheOnesBehindThemWhenReleased() throws Exception
    {
        startEcho();
        link = new LinkProxy("test", (InetSocketAddress)echo.getLocalSocketAddress(), forward, new FrameHold(2, 1));
        forward.hold(type -> type == HELD_TYPE);

        try (Socket socket = dial())
        {
            final byte[] held = frame(HELD_TYPE, "late order");
            final byte[] passing = frame(PASSING_TYPE, "heartbeat");
            socket.getOutputStream().write(held);
            assertThat(roundTrip(socket, passing)).as("the frame behind the held one").isEqualTo(passing);
            assertThat(forward.held()).hasSize(1);
            assertThat(forward.held().get(0).destination()).isEqualTo(2);
            assertThat(forward.held().get(0).messageType()).isEqualTo(HELD_TYPE);

            assertThat(forward.release()).as("frames delivered").isEqualTo(1);
            assertThat(socket.getInputStream().readNBytes(held.length)).isEqualTo(held);
            assertThat(forward.held()).isEmpty();
            assertThat(roundTrip(socket, held)).as("once released, the type passes").isEqualTo(held);
        }
    }

    /**
     * @return a frame of the type whose body is the text.
     */
    private static byte[] frame(final int type, final String text)
    {
        final byte[] body = text.getBytes(StandardCharsets.UTF_8);
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[FrameDescriptor.HEADER_LENGTH + body.length]);
        FrameDescriptor.writeHeader(frame, 0, type, body.length, 1, 7);
        frame.putBytes(FrameDescriptor.HEADER_LENGTH, body);
        FrameDescriptor.writeChecksum(frame, 0);
        return frame.byteArray();
    }

    private void startEcho() throws IOException
    {
        echo = new ServerSocket();
        echo.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        final Thread server = new Thread(() ->
        {
            while (!echo.isClosed())
            {
                try
                {
                    final Socket socket = echo.accept();
                    final Thread copier = new Thread(() -> echoAll(socket), "echo");
                    copier.setDaemon(true);
                    copier.start();
                }
                catch (final IOException ex)
                {
                    return;
                }
            }
        }, "echo accept");
        server.setDaemon(true);
        server.start();
    }

    private static void echoAll(final Socket socket)
    {
        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream())
        {
            in.transferTo(out);
        }
        catch (final IOException ex)
        {
            // the proxy closed the connection: the echo ends with it
        }
    }

    private Socket dial() throws IOException
    {
        final Socket socket = new Socket();
        socket.connect(TcpTransportContext.parseAddress("link", link.address()), (int)WAIT.toMillis());
        socket.setSoTimeout((int)WAIT.toMillis());
        return socket;
    }

    private static byte[] roundTrip(final Socket socket, final byte[] frame) throws IOException
    {
        socket.getOutputStream().write(frame);
        socket.getOutputStream().flush();
        return socket.getInputStream().readNBytes(frame.length);
    }
}

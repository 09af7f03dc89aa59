package io.rfs.tools;

import io.rfs.replication.transport.tcp.TcpTransportContext;
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
 * The links {@link ClusterPartitionTest} cuts, against an echo server on loopback: bytes pass both ways while the
 * link is whole, a cut ends the connection and every new one, a heal lets new ones through.
 */
@Timeout(60)
class LinkProxyTest
{
    private static final Duration WAIT = Duration.ofSeconds(20);

    private ServerSocket echo;
    private LinkProxy link;

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
        link = new LinkProxy("test", (InetSocketAddress)echo.getLocalSocketAddress());

        try (Socket before = dial())
        {
            assertThat(roundTrip(before, "hello")).isEqualTo("hello");
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
            assertThat(roundTrip(after, "again")).isEqualTo("again");
        }
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

    private static String roundTrip(final Socket socket, final String text) throws IOException
    {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
        return new String(socket.getInputStream().readNBytes(bytes.length), StandardCharsets.UTF_8);
    }
}

package io.rfs.tools;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One directed link of a test's network: a TCP proxy on loopback that connects whoever dials {@link #address()} to
 * its target, byte for byte, until the link is {@link #cut()}. A cut closes every connection through the link and,
 * until {@link #heal()}, closes each new one as soon as it is accepted, so the dialler sees its peer go and every
 * redial fail, as across a partition, while the processes at both ends keep running.
 * <p>
 * The proxy copies whole frames ({@link FrameHold}, one per direction) and changes none: the nodes' handshake and HMAC
 * authentication pass through it unchanged. A test may hold back frames of chosen types in one direction.
 * Threads: one accepts; each connection has two that copy, one per direction (daemons, ended by closing sockets).
 */
final class LinkProxy implements AutoCloseable
{
    private static final int CONNECT_TIMEOUT_MS = 5_000;

    private final String name;
    private final InetSocketAddress target;
    private final ServerSocket server;
    private final FrameHold forward;
    private final FrameHold backward;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean cut;

    /**
     * Starts the proxy on a free loopback port.
     *
     * @param name     the link, e.g. {@code node-1->node-4}, for thread names.
     * @param target   where the link leads.
     * @param forward  copies what the dialler sends.
     * @param backward copies what the target answers.
     * @throws IOException if no port can be bound.
     */
    LinkProxy(final String name, final InetSocketAddress target, final FrameHold forward, final FrameHold backward)
        throws IOException
    {
        this.name = name;
        this.target = target;
        this.forward = forward;
        this.backward = backward;
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        final Thread acceptor = new Thread(this::accept, "link " + name);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * @return {@code 127.0.0.1:port}, the address the dialler is given instead of the target's.
     */
    String address()
    {
        return "127.0.0.1:" + server.getLocalPort();
    }

    /**
     * Closes every connection through the link and refuses new ones until {@link #heal()}.
     */
    void cut()
    {
        cut = true;
        closeOpen();
    }

    /**
     * Lets new connections through again (the dialler's next redial gets through).
     */
    void heal()
    {
        cut = false;
    }

    @Override
    public void close()
    {
        cut = true;
        closeQuietly(server);
        closeOpen();
    }

    private void accept()
    {
        while (!server.isClosed())
        {
            final Socket in;
            try
            {
                in = server.accept();
            }
            catch (final IOException ex)
            {
                return;
            }
            if (cut)
            {
                closeQuietly(in);
                continue;
            }
            final Socket out = new Socket();
            try
            {
                out.connect(target, CONNECT_TIMEOUT_MS);
                in.setTcpNoDelay(true);
                out.setTcpNoDelay(true);
            }
            catch (final IOException ex)
            {
                closeQuietly(in);
                closeQuietly(out);
                continue;
            }
            open.add(in);
            open.add(out);
            copy(in, out, "->", forward);
            copy(out, in, "<-", backward);
            if (cut)
            {
                // cut while this connection was being made: it must not outlive the cut
                closeOpen();
            }
        }
    }

    private void copy(final Socket from, final Socket to, final String direction, final FrameHold frames)
    {
        final Thread copier = new Thread(() ->
        {
            try
            {
                frames.copy(from.getInputStream(), to.getOutputStream());
            }
            catch (final IOException ex)
            {
                // the connection ended or was cut: close both ends below
            }
            finally
            {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "link " + name + " " + direction);
        copier.setDaemon(true);
        copier.start();
    }

    private void closeOpen()
    {
        for (final Socket socket : open)
        {
            closeQuietly(socket);
            open.remove(socket);
        }
    }

    private static void closeQuietly(final AutoCloseable closeable)
    {
        try
        {
            closeable.close();
        }
        catch (final Exception ex)
        {
            // closing to end a connection: nothing more to do about one that fails
        }
    }
}

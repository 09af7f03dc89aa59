package io.rfs.replication.transport.tcp;

import org.agrona.BufferUtil;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.security.cert.Certificate;

/**
 * Application bytes through a JDK {@link SSLEngine} ({@link AuthMode#TLS}), non-blocking: records are read from the
 * socket into {@code netIn} and decrypted straight into the caller's receive buffer; the caller's buffers (a payload
 * included, through a gathering {@code wrap}) are encrypted into {@code netOut} and written from there. Delegated
 * tasks (certificate checks) run inline on the transport's thread: a handshake costs that thread a few
 * milliseconds of CPU, which is why a transport has its own thread in production.
 */
final class TlsChannelIo implements ChannelIo
{
    private static final int MAX_STEPS = 64;
    private static final int MAX_RECORDS_PER_WRITE = 32;
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final SocketChannel channel;
    private final SSLEngine engine;
    private final ByteBuffer netIn;
    private final ByteBuffer netOut;
    private final int packetSize;
    private final int applicationSize;
    private boolean needInput;
    private boolean handshakeComplete;
    private long socketBytesRead;

    /**
     * @param channel the connected socket.
     * @param engine  an engine in client mode for the end that dialled, server mode with client authentication
     *                required for the end that accepted; its handshake not begun.
     * @throws SSLException if the engine cannot start.
     */
    TlsChannelIo(final SocketChannel channel, final SSLEngine engine) throws SSLException
    {
        this.channel = channel;
        this.engine = engine;
        packetSize = engine.getSession().getPacketBufferSize();
        applicationSize = engine.getSession().getApplicationBufferSize();
        netIn = ByteBuffer.allocateDirect(4 * packetSize);
        netOut = ByteBuffer.allocateDirect(4 * packetSize);
        engine.beginHandshake();
    }

    @Override
    public boolean handshake(final ByteBuffer destination) throws IOException
    {
        for (int step = 0; step < MAX_STEPS && !handshakeComplete; step++)
        {
            switch (engine.getHandshakeStatus())
            {
                case NEED_TASK:
                    runDelegatedTasks();
                    break;

                case NEED_WRAP:
                    if (!flush() && netOut.remaining() < packetSize)
                    {
                        return false;
                    }
                    final SSLEngineResult wrapped = engine.wrap(EMPTY, netOut);
                    flush();
                    if (wrapped.getStatus() == SSLEngineResult.Status.CLOSED)
                    {
                        throw new SSLHandshakeException("TLS closed during the handshake");
                    }
                    if (wrapped.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.FINISHED)
                    {
                        handshakeComplete = true;
                    }
                    break;

                case NEED_UNWRAP:
                case NEED_UNWRAP_AGAIN:
                    if (needInput || netIn.position() == 0)
                    {
                        final int read = readSocket();
                        if (read < 0)
                        {
                            throw new EOFException("connection closed during the TLS handshake");
                        }
                        if (read == 0)
                        {
                            return false;
                        }
                    }
                    final SSLEngineResult unwrapped = unwrap(destination);
                    if (unwrapped.getStatus() == SSLEngineResult.Status.CLOSED)
                    {
                        throw new SSLHandshakeException("TLS closed during the handshake");
                    }
                    if (unwrapped.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW)
                    {
                        return false;
                    }
                    if (unwrapped.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.FINISHED)
                    {
                        handshakeComplete = true;
                    }
                    break;

                default:
                    handshakeComplete = true;
                    break;
            }
        }
        return handshakeComplete;
    }

    @Override
    public int read(final ByteBuffer destination) throws IOException
    {
        int produced = 0;
        boolean endOfStream = false;
        for (int step = 0; step < MAX_STEPS; step++)
        {
            if (needInput || netIn.position() == 0)
            {
                final int read = readSocket();
                if (read < 0)
                {
                    endOfStream = true;
                    if (netIn.position() == 0)
                    {
                        break;
                    }
                }
                else if (read == 0)
                {
                    break;
                }
            }
            final SSLEngineResult result = unwrap(destination);
            produced += result.bytesProduced();
            afterOperation(result);
            final SSLEngineResult.Status status = result.getStatus();
            if (status == SSLEngineResult.Status.CLOSED)
            {
                endOfStream = true;
                break;
            }
            if (status == SSLEngineResult.Status.BUFFER_OVERFLOW || !destination.hasRemaining() ||
                (status == SSLEngineResult.Status.BUFFER_UNDERFLOW && endOfStream))
            {
                break;
            }
        }
        return produced == 0 && endOfStream ? -1 : produced;
    }

    @Override
    public long write(final ByteBuffer[] sources, final int offset, final int length) throws IOException
    {
        long consumed = 0;
        for (int step = 0; step < MAX_RECORDS_PER_WRITE; step++)
        {
            if (netOut.remaining() < packetSize && !flush() && netOut.remaining() < packetSize)
            {
                break;
            }
            final SSLEngineResult result = engine.wrap(sources, offset, length, netOut);
            consumed += result.bytesConsumed();
            afterOperation(result);
            if (result.getStatus() == SSLEngineResult.Status.CLOSED)
            {
                throw new SSLException("TLS session closed");
            }
            if (result.bytesConsumed() == 0 && result.getStatus() != SSLEngineResult.Status.BUFFER_OVERFLOW)
            {
                break;
            }
        }
        flush();
        return consumed;
    }

    @Override
    public boolean flush() throws IOException
    {
        if (netOut.position() == 0)
        {
            return true;
        }
        netOut.flip();
        try
        {
            channel.write(netOut);
        }
        finally
        {
            netOut.compact();
        }
        return netOut.position() == 0;
    }

    /**
     * @return the peer's certificate chain, leaf first, as the completed handshake verified it.
     * @throws SSLException if the peer presented none.
     */
    Certificate[] peerCertificates() throws SSLException
    {
        return engine.getSession().getPeerCertificates();
    }

    @Override
    public boolean hasBufferedInput()
    {
        return netIn.position() > 0 && !needInput;
    }

    @Override
    public int minReadSpace()
    {
        return applicationSize;
    }

    @Override
    public long socketBytesRead()
    {
        return socketBytesRead;
    }

    @Override
    public void close()
    {
        try
        {
            engine.closeOutbound();
            for (int step = 0; step < 4 && !engine.isOutboundDone(); step++)
            {
                if (netOut.remaining() < packetSize)
                {
                    break;
                }
                engine.wrap(EMPTY, netOut);
            }
            flush();
        }
        catch (final IOException | RuntimeException ignore)
        {
            // best effort: the peer learns of the close from the socket anyway
        }
        BufferUtil.free(netIn);
        BufferUtil.free(netOut);
    }

    private int readSocket() throws IOException
    {
        final int read = channel.read(netIn);
        if (read > 0)
        {
            socketBytesRead += read;
            needInput = false;
        }
        else if (read == 0 && !netIn.hasRemaining())
        {
            throw new SSLException("TLS record larger than the receive buffer");
        }
        return read;
    }

    private SSLEngineResult unwrap(final ByteBuffer destination) throws SSLException
    {
        netIn.flip();
        final SSLEngineResult result;
        try
        {
            result = engine.unwrap(netIn, destination);
        }
        finally
        {
            netIn.compact();
        }
        if (result.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW)
        {
            needInput = true;
        }
        return result;
    }

    private void afterOperation(final SSLEngineResult result) throws IOException
    {
        SSLEngineResult.HandshakeStatus status = result.getHandshakeStatus();
        for (int step = 0; step < MAX_STEPS; step++)
        {
            if (status == SSLEngineResult.HandshakeStatus.NEED_TASK)
            {
                runDelegatedTasks();
                status = engine.getHandshakeStatus();
            }
            else if (status == SSLEngineResult.HandshakeStatus.NEED_WRAP)
            {
                if (netOut.remaining() < packetSize && !flush())
                {
                    return;
                }
                status = engine.wrap(EMPTY, netOut).getHandshakeStatus();
            }
            else
            {
                return;
            }
        }
    }

    private void runDelegatedTasks()
    {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null)
        {
            task.run();
        }
    }
}

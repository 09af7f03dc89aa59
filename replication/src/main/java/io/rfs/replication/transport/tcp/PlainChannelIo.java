package io.rfs.replication.transport.tcp;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * Application bytes straight to and from the socket ({@link AuthMode#HMAC}); reads land in the caller's buffer and
 * writes gather from the caller's buffers, without a copy.
 */
final class PlainChannelIo implements ChannelIo
{
    private final SocketChannel channel;
    private long socketBytesRead;

    PlainChannelIo(final SocketChannel channel)
    {
        this.channel = channel;
    }

    @Override
    public boolean handshake(final ByteBuffer destination)
    {
        return true;
    }

    @Override
    public int read(final ByteBuffer destination) throws IOException
    {
        final int read = channel.read(destination);
        if (read > 0)
        {
            socketBytesRead += read;
        }
        return read;
    }

    @Override
    public long write(final ByteBuffer[] sources, final int offset, final int length) throws IOException
    {
        return length == 1 ? channel.write(sources[offset]) : channel.write(sources, offset, length);
    }

    @Override
    public boolean flush()
    {
        return true;
    }

    @Override
    public boolean hasBufferedInput()
    {
        return false;
    }

    @Override
    public int minReadSpace()
    {
        return 1;
    }

    @Override
    public long socketBytesRead()
    {
        return socketBytesRead;
    }

    @Override
    public void close()
    {
    }
}

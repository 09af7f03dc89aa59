package io.rfs.replication.transport.tcp;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Moves application bytes between a connection's buffers and its socket: straight through for
 * {@link AuthMode#HMAC}, through an {@code SSLEngine} for {@link AuthMode#TLS}. Non-blocking; used by the transport's
 * thread only.
 */
interface ChannelIo
{
    /**
     * Drives the security handshake, if the mode has one, without blocking.
     *
     * @param destination where application bytes that arrive with the last handshake messages go.
     * @return true once the handshake is complete.
     * @throws IOException if it failed; the connection is to be closed.
     */
    boolean handshake(ByteBuffer destination) throws IOException;

    /**
     * @param destination receives application bytes from its position up to its limit.
     * @return application bytes read, or -1 at the end of the stream.
     * @throws IOException if the connection failed.
     */
    int read(ByteBuffer destination) throws IOException;

    /**
     * @param sources application bytes, each from its position to its limit, consumed in order.
     * @param offset  first buffer.
     * @param length  buffers.
     * @return application bytes taken (they are now the socket's or the engine's).
     * @throws IOException if the connection failed.
     */
    long write(ByteBuffer[] sources, int offset, int length) throws IOException;

    /**
     * @return true if nothing is left buffered for the socket.
     * @throws IOException if the connection failed.
     */
    boolean flush() throws IOException;

    /**
     * @return true if bytes already read from the socket wait to be decoded, so a read may make progress without the
     * socket being readable.
     */
    boolean hasBufferedInput();

    /**
     * @return the free space a destination buffer needs for a read to make progress.
     */
    int minReadSpace();

    /**
     * @return bytes read from the socket so far, which tells the idle timer that the peer is alive.
     */
    long socketBytesRead();

    /**
     * Ends the security layer as politely as a non-blocking channel allows and frees its buffers. Does not close
     * the socket.
     */
    void close();
}

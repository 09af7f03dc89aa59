package io.rfs.replication.transport.tcp;

import io.rfs.replication.protocol.ErrorCode;
import io.rfs.replication.protocol.ErrorEncoder;
import io.rfs.replication.protocol.FrameDescriptor;
import io.rfs.replication.protocol.MessageTypes;
import io.rfs.replication.transport.MessageHandler;
import io.rfs.replication.transport.PeerRole;
import io.rfs.replication.transport.tcp.TcpTransportCounters.Counter;
import org.agrona.BitUtil;
import org.agrona.BufferUtil;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.ControlledMessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.security.cert.Certificate;
import java.util.concurrent.TimeUnit;

/**
 * One TCP connection, from dial or accept to close: the handshake (TLS, Hello and version negotiation, HMAC
 * proofs), then framed traffic in both directions. Owned by the {@link TcpTransport}'s thread; nothing here is
 * touched by another thread.
 * <p>
 * <b>Receiving.</b> Bytes are read (or decrypted) straight into a direct receive buffer and frames are delivered to
 * the handler in place by {@link #deliver}. Each frame's header is checked before its body is awaited, so a length
 * beyond the limit closes the connection before anything is allocated; the buffer grows, at most to the largest
 * frame, only for a frame whose header passed. When the buffer is full of undelivered frames the connection stops
 * reading, and TCP pushes back on the sender.
 * <p>
 * <b>Sending.</b> Records from the peer's queue ({@link SendProxy}) are copied into a direct send buffer until it is
 * full or a gather record comes; that record's header and fields end the batch and its payload is written from its
 * own memory with a gathering write. A keepalive is sent when nothing else was for the keepalive interval.
 */
final class TcpSession
{
    enum State
    {
        CONNECTING, TLS_HANDSHAKE, HANDSHAKE, ESTABLISHED, CLOSED
    }

    private static final int HANDSHAKE_SEND_LENGTH = 2048;
    private static final int MAX_ERROR_TEXT = 200;
    private static final int BULK_NONE = 0;
    private static final int MAX_SEND_ROUNDS = 8;
    private static final long SEND_BYTES_PER_CYCLE = 4 * 1024 * 1024;
    private static final int LARGE_FRAME_LENGTH = 64 * 1024;
    private static final int CHEAP_COMPACTION_LENGTH = 64 * 1024;
    private static final int DRAIN_LIMIT = 4096;

    private final TcpTransport transport;
    private final TcpTransportContext context;
    private final SocketChannel channel;
    private final boolean initiator;
    private final long startNs;
    private final String remoteAddress;
    private final ChannelIo io;
    private final AtomicCounter bytesSent;
    private final AtomicCounter bytesReceived;
    private final AtomicCounter framesSent;
    private final ControlledMessageHandler drainHandler = this::onRecord;
    private final ByteBuffer[] gather = new ByteBuffer[2];
    private final Handshake handshake;
    private final ErrorEncoder errorEncoder = new ErrorEncoder();

    private SelectionKey key;
    private int interestOps;
    private State state;
    private Peer peer;
    private int peerId = -1;
    private PeerRole peerRole;
    private int version;
    private boolean pending = true;
    private long lastReceivedNs;
    private long lastSentNs;
    private long lastSocketBytesRead;

    private ByteBuffer receiveMemory;
    private final UnsafeBuffer receiveBuffer = new UnsafeBuffer(0, 0);
    private int readPosition;
    private int writePosition;
    private boolean readPaused;
    private boolean largeFrames;

    private ByteBuffer sendMemory;
    private final UnsafeBuffer sendBuffer = new UnsafeBuffer(0, 0);
    private int sendPosition;
    private int sendLimit;
    private int drained;

    private int bulkKind = BULK_NONE;
    private long bulkAddress;
    private int bulkLength;
    private int bulkPosition;
    private int bulkType;
    private long bulkCorrelationId;

    /**
     * @param transport the owner.
     * @param channel   a connected or connecting socket, non-blocking.
     * @param peer      the peer dialled, or null for an accepted connection.
     * @param nowNs     the transport's clock.
     * @throws IOException if TLS cannot start.
     */
    TcpSession(final TcpTransport transport, final SocketChannel channel, final Peer peer, final long nowNs)
        throws IOException
    {
        this.transport = transport;
        this.context = transport.context();
        this.channel = channel;
        this.initiator = peer != null;
        this.peer = peer;
        this.startNs = nowNs;
        this.remoteAddress = initiator ? String.valueOf(peer.address) : remoteAddressOf(channel);
        this.lastReceivedNs = nowNs;
        this.lastSentNs = nowNs;
        final TcpTransportCounters counters = transport.counters();
        bytesSent = counters.counter(Counter.BYTES_SENT);
        bytesReceived = counters.counter(Counter.BYTES_RECEIVED);
        framesSent = counters.counter(Counter.FRAMES_SENT);
        if (context.authMode() == AuthMode.TLS)
        {
            final SSLEngine engine = context.sslContext().createSSLEngine();
            engine.setUseClientMode(initiator);
            if (!initiator)
            {
                engine.setNeedClientAuth(true);
            }
            engine.setEnabledProtocols(new String[]{"TLSv1.3"});
            io = new TlsChannelIo(channel, engine);
        }
        else
        {
            io = new PlainChannelIo(channel);
        }
        receiveMemory = ByteBuffer.allocateDirect(io.minReadSpace() + 2 * HandshakeDescriptor.MAX_HANDSHAKE_FRAME_LENGTH);
        receiveBuffer.wrap(receiveMemory);
        sendMemory = ByteBuffer.allocateDirect(HANDSHAKE_SEND_LENGTH);
        sendBuffer.wrap(sendMemory);
        handshake = new Handshake(this, transport, peer);
        state = initiator ? State.CONNECTING : context.authMode() == AuthMode.TLS ? State.TLS_HANDSHAKE :
            State.HANDSHAKE;
    }

    void register(final Selector selector, final int ops) throws ClosedChannelException
    {
        interestOps = ops;
        key = channel.register(selector, ops, this);
    }

    boolean isInitiator()
    {
        return initiator;
    }

    boolean isPending()
    {
        return pending;
    }

    boolean isClosed()
    {
        return state == State.CLOSED;
    }

    boolean isEstablished()
    {
        return state == State.ESTABLISHED;
    }

    Peer peer()
    {
        return peer;
    }

    int peerId()
    {
        return peerId;
    }

    PeerRole peerRole()
    {
        return peerRole;
    }

    /**
     * The dial completed (or failed) according to the selector.
     */
    void onConnectable(final long nowNs)
    {
        if (state != State.CONNECTING)
        {
            return;
        }
        try
        {
            if (channel.finishConnect())
            {
                onConnected(nowNs);
            }
        }
        catch (final IOException ex)
        {
            close("connect failed: " + ex.getMessage(), null);
        }
    }

    /**
     * The socket is connected: start the handshake.
     */
    void onConnected(final long nowNs)
    {
        setInterest(SelectionKey.OP_READ);
        if (context.authMode() == AuthMode.TLS)
        {
            state = State.TLS_HANDSHAKE;
            receive(nowNs);
        }
        else
        {
            state = State.HANDSHAKE;
            handshake.start();
            send(nowNs);
        }
    }

    void onReadable(final long nowNs)
    {
        if (state != State.CLOSED && state != State.CONNECTING)
        {
            receive(nowNs);
        }
    }

    void onWritable(final long nowNs)
    {
        if (state != State.CLOSED && state != State.CONNECTING)
        {
            send(nowNs);
        }
    }

    /**
     * One duty cycle's share: decode input the security layer holds, send, and check the timers.
     *
     * @return work done.
     */
    int doWork(final long nowNs)
    {
        int work = 0;
        if (state == State.TLS_HANDSHAKE || (io.hasBufferedInput() && !readPaused && state != State.CLOSED))
        {
            work += receive(nowNs);
        }
        if (state != State.CLOSED && state != State.CONNECTING)
        {
            work += send(nowNs);
        }
        if (state != State.CLOSED)
        {
            work += checkTimers(nowNs);
        }
        return work;
    }

    /**
     * Delivers complete frames in place.
     *
     * @return frames delivered.
     */
    int deliver(final MessageHandler handler, final int limit)
    {
        if (state != State.ESTABLISHED)
        {
            return 0;
        }
        int delivered = 0;
        while (delivered < limit)
        {
            final int available = writePosition - readPosition;
            if (available < FrameDescriptor.HEADER_LENGTH || !checkHead())
            {
                break;
            }
            final int frame = readPosition;
            final int length = FrameDescriptor.frameLength(receiveBuffer, frame);
            if (available < length)
            {
                break;
            }
            if (!FrameDescriptor.verifyChecksumInPlace(receiveBuffer, frame))
            {
                refuse(Counter.CHECKSUM_FAILURES, ErrorCode.MALFORMED, 0, "checksum mismatch, frameLength=" + length);
                break;
            }
            final int type = FrameDescriptor.messageType(receiveBuffer, frame);
            readPosition += length;
            if (HandshakeDescriptor.isControlType(type))
            {
                if (type == HandshakeDescriptor.KEEPALIVE_TYPE)
                {
                    continue;
                }
                refuse(Counter.MALFORMED_FRAMES, ErrorCode.MALFORMED, type, "control frame type=" + type +
                    " after the handshake");
                break;
            }
            if (!context.messageAuthorizer().isAuthorized(peerRole, type))
            {
                refuse(Counter.UNAUTHORIZED_FRAMES, MessageTypes.isKnown(type) ? ErrorCode.NOT_AUTHORISED :
                    ErrorCode.UNKNOWN_TYPE, type, "message type=" + type + " (" + MessageTypes.name(type) +
                    ") not allowed from role=" + peerRole);
                break;
            }
            delivered++;
            handler.onMessage(peerId, type, FrameDescriptor.correlationId(receiveBuffer, frame), receiveBuffer,
                frame + FrameDescriptor.HEADER_LENGTH, length - FrameDescriptor.HEADER_LENGTH);
            if (state != State.ESTABLISHED)
            {
                break;
            }
        }
        if (state == State.ESTABLISHED)
        {
            if (readPosition == writePosition)
            {
                readPosition = 0;
                writePosition = 0;
            }
            if (readPaused)
            {
                readPaused = false;
                setInterest(interestOps | SelectionKey.OP_READ);
            }
        }
        return delivered;
    }

    /**
     * Closes the connection; reports {@code reason} to the error handler unless it is null (an orderly close).
     */
    void close(final String reason, final Throwable cause)
    {
        if (state == State.CLOSED)
        {
            return;
        }
        final State previous = state;
        state = State.CLOSED;
        if (bulkKind != BULK_NONE)
        {
            completeBulk(false);
        }
        transport.onClosed(this, previous == State.ESTABLISHED);
        io.close();
        try
        {
            channel.close();
        }
        catch (final IOException ignore)
        {
            // nothing more can be done with a socket that fails to close
        }
        BufferUtil.free(receiveMemory);
        BufferUtil.free(sendMemory);
        receiveBuffer.wrap(0, 0);
        sendBuffer.wrap(0, 0);
        if (reason != null)
        {
            context.errorHandler().onError(new ConnectionClosedException(describe() + ": " + reason, cause));
        }
    }

    /**
     * Marks the session as no longer counted among the unauthenticated ones.
     */
    void clearPending()
    {
        pending = false;
    }

    String describe()
    {
        final String who = peerId >= 0 && peerRole != null ? CertificateIdentity.nameOf(peerRole, peerId) :
            initiator ? CertificateIdentity.nameOf(PeerRole.NODE, peer.nodeId) : "unauthenticated peer";
        return (initiator ? "connection to " : "connection from ") + who + " at " + remoteAddress;
    }

    private int receive(final long nowNs)
    {
        try
        {
            final int readLimit = prepareRead();
            if (readLimit < 0)
            {
                return 0;
            }
            receiveMemory.limit(readLimit).position(writePosition);
            final int read;
            if (state == State.TLS_HANDSHAKE)
            {
                final boolean complete = io.handshake(receiveMemory);
                read = receiveMemory.position() - writePosition;
                writePosition = receiveMemory.position();
                noteSocketBytes(nowNs);
                if (!complete)
                {
                    return read > 0 ? 1 : 0;
                }
                onTlsComplete();
                if (state == State.CLOSED)
                {
                    return 1;
                }
                send(nowNs);
            }
            else
            {
                read = io.read(receiveMemory);
                noteSocketBytes(nowNs);
                if (read < 0)
                {
                    close(state == State.ESTABLISHED ? null : "peer closed the connection during the handshake",
                        null);
                    return 1;
                }
                writePosition = receiveMemory.position();
            }
            if (read > 0)
            {
                bytesReceived.getAndAddRelease(read);
            }
            if (state == State.HANDSHAKE)
            {
                processHandshakeFrames(nowNs);
            }
            return read > 0 ? 1 : 0;
        }
        catch (final IOException ex)
        {
            onIoFailure(ex);
            return 1;
        }
    }

    private void noteSocketBytes(final long nowNs)
    {
        final long socketBytesRead = io.socketBytesRead();
        if (socketBytesRead != lastSocketBytesRead)
        {
            lastSocketBytesRead = socketBytesRead;
            lastReceivedNs = nowNs;
        }
    }

    /**
     * Makes room to read: compacts (cheaply, or when the frame at the head cannot complete in place), grows for a
     * frame whose header passed, or pauses reading when the buffer is full of undelivered frames. A large frame is
     * read up to its own end, and the next one header first, so that large frames land at the start of an empty
     * buffer and are never moved.
     *
     * @return how far to read into the buffer, or -1 to read nothing now.
     */
    private int prepareRead()
    {
        if (readPosition == writePosition)
        {
            readPosition = 0;
            writePosition = 0;
        }
        final int minSpace = io.minReadSpace();
        int headLength = 0;
        if (writePosition - readPosition >= FrameDescriptor.HEADER_LENGTH)
        {
            if (!checkHead())
            {
                return -1;
            }
            headLength = FrameDescriptor.frameLength(receiveBuffer, readPosition);
            largeFrames = headLength >= LARGE_FRAME_LENGTH;
        }
        final int capacity = receiveMemory.capacity();
        final int live = writePosition - readPosition;
        if (readPosition > 0 && (capacity - writePosition < minSpace || readPosition + headLength + minSpace > capacity ||
            (live <= CHEAP_COMPACTION_LENGTH && capacity - writePosition < capacity >> 2)))
        {
            receiveBuffer.putBytes(0, receiveBuffer, readPosition, live);
            readPosition = 0;
            writePosition = live;
        }
        if (headLength + minSpace > capacity)
        {
            growReceiveBuffer(headLength + minSpace);
        }
        final int limit = receiveMemory.capacity();
        if (limit - writePosition < minSpace)
        {
            readPaused = true;
            setInterest(interestOps & ~SelectionKey.OP_READ);
            return -1;
        }
        if (headLength >= LARGE_FRAME_LENGTH && live < headLength)
        {
            return Math.min(limit, Math.max(readPosition + headLength, writePosition + minSpace));
        }
        if (largeFrames && live == 0)
        {
            return writePosition + Math.max(FrameDescriptor.HEADER_LENGTH, minSpace);
        }
        return limit;
    }

    private void growReceiveBuffer(final int required)
    {
        final int limit = context.maxFrameLength() + io.minReadSpace();
        final int capacity = Math.min(limit, BitUtil.findNextPositivePowerOfTwo(required));
        if (capacity > receiveMemory.capacity())
        {
            replaceReceiveBuffer(capacity);
        }
    }

    private void replaceReceiveBuffer(final int capacity)
    {
        final ByteBuffer memory = ByteBuffer.allocateDirect(capacity);
        final int live = writePosition - readPosition;
        final UnsafeBuffer buffer = new UnsafeBuffer(memory);
        buffer.putBytes(0, receiveBuffer, readPosition, live);
        BufferUtil.free(receiveMemory);
        receiveMemory = memory;
        receiveBuffer.wrap(memory);
        readPosition = 0;
        writePosition = live;
    }

    private void replaceSendBuffer(final int capacity)
    {
        final ByteBuffer memory = ByteBuffer.allocateDirect(capacity);
        final int live = sendLimit - sendPosition;
        new UnsafeBuffer(memory).putBytes(0, sendBuffer, sendPosition, live);
        BufferUtil.free(sendMemory);
        sendMemory = memory;
        sendBuffer.wrap(memory);
        sendPosition = 0;
        sendLimit = live;
    }

    /**
     * Checks the header of the frame at {@code readPosition}, closing the connection if it is bad.
     */
    private boolean checkHead()
    {
        final boolean established = state == State.ESTABLISHED;
        final int maxLength = established ? context.maxFrameLength() : HandshakeDescriptor.MAX_HANDSHAKE_FRAME_LENGTH;
        final String error = FrameDescriptor.checkHeader(receiveBuffer, readPosition, maxLength,
            established ? version : HandshakeDescriptor.HANDSHAKE_FRAME_VERSION);
        if (error == null)
        {
            return true;
        }
        final boolean tooLarge = error.startsWith("frameLength=") &&
            FrameDescriptor.frameLength(receiveBuffer, readPosition) > maxLength;
        refuse(tooLarge ? Counter.FRAMES_TOO_LARGE : Counter.MALFORMED_FRAMES, ErrorCode.MALFORMED, 0,
            "bad frame header: " + error);
        return false;
    }

    private void processHandshakeFrames(final long nowNs)
    {
        while (state == State.HANDSHAKE)
        {
            final int available = writePosition - readPosition;
            if (available < FrameDescriptor.HEADER_LENGTH || !checkHead())
            {
                return;
            }
            final int frame = readPosition;
            final int length = FrameDescriptor.frameLength(receiveBuffer, frame);
            if (available < length)
            {
                return;
            }
            if (!FrameDescriptor.verifyChecksumInPlace(receiveBuffer, frame))
            {
                fail(Counter.CHECKSUM_FAILURES, "checksum mismatch during the handshake");
                return;
            }
            readPosition += length;
            handshake.onFrame(receiveBuffer, frame, length, nowNs);
        }
    }

    private void onTlsComplete()
    {
        Certificate[] chain;
        try
        {
            chain = ((TlsChannelIo)io).peerCertificates();
        }
        catch (final SSLException ex)
        {
            chain = null;
        }
        if (handshake.onTlsComplete(chain))
        {
            state = State.HANDSHAKE;
            handshake.start();
        }
    }

    UnsafeBuffer sendBuffer()
    {
        return sendBuffer;
    }

    int sendLimit()
    {
        return sendLimit;
    }

    /**
     * A control frame of {@code length} bytes was written at {@link #sendLimit()}: send it.
     */
    void commitSend(final int length)
    {
        sendLimit += length;
    }

    /**
     * Tries once to write what is queued, ignoring failure: for a REJECT just before the connection closes.
     */
    void flushOnce()
    {
        try
        {
            writePending();
            io.flush();
        }
        catch (final IOException ignore)
        {
            // the connection is being closed anyway
        }
    }

    /**
     * The handshake authenticated the peer: switch to full-size buffers and attach to the peer.
     */
    void establish(final long nowNs)
    {
        version = handshake.version();
        peerId = handshake.peerId();
        peerRole = handshake.peerRole();
        state = State.ESTABLISHED;
        replaceReceiveBuffer(Math.max(context.receiveBufferLength(), io.minReadSpace() * 2));
        replaceSendBuffer(Math.max(context.sendBufferLength(), sendLimit - sendPosition));
        lastReceivedNs = nowNs;
        lastSentNs = nowNs;
        peer = transport.onEstablished(this);
        send(nowNs);
    }

    int send(final long nowNs)
    {
        try
        {
            if (!io.flush())
            {
                setInterest(interestOps | SelectionKey.OP_WRITE);
                return 0;
            }
            int work = 0;
            long budget = SEND_BYTES_PER_CYCLE;
            for (int round = 0; round < MAX_SEND_ROUNDS && budget > 0; round++)
            {
                if (sendPosition == sendLimit && bulkKind == BULK_NONE)
                {
                    sendPosition = 0;
                    sendLimit = 0;
                    if (state != State.ESTABLISHED)
                    {
                        break;
                    }
                    drained = 0;
                    peer.proxy.ring().controlledRead(drainHandler, DRAIN_LIMIT);
                    if (drained > 0)
                    {
                        framesSent.getAndAddRelease(drained);
                    }
                    if (sendLimit == 0 && bulkKind == BULK_NONE)
                    {
                        if (nowNs - lastSentNs < context.keepaliveIntervalNs())
                        {
                            break;
                        }
                        sendLimit = HandshakeDescriptor.finishFrame(sendBuffer, 0, HandshakeDescriptor.KEEPALIVE_TYPE,
                            0, context.nodeId(), version);
                        transport.counters().counter(Counter.KEEPALIVES_SENT).incrementRelease();
                    }
                }
                final long written = writePending();
                if (written > 0)
                {
                    work++;
                    budget -= written;
                    lastSentNs = nowNs;
                    bytesSent.getAndAddRelease(written);
                }
                if (sendPosition < sendLimit || bulkKind != BULK_NONE)
                {
                    setInterest(interestOps | SelectionKey.OP_WRITE);
                    return work;
                }
            }
            if ((interestOps & SelectionKey.OP_WRITE) != 0 && io.flush())
            {
                setInterest(interestOps & ~SelectionKey.OP_WRITE);
            }
            return work;
        }
        catch (final IOException ex)
        {
            onIoFailure(ex);
            return 1;
        }
    }

    private long writePending() throws IOException
    {
        sendMemory.limit(sendLimit).position(sendPosition);
        gather[0] = sendMemory;
        final long written;
        if (bulkKind == BULK_NONE)
        {
            written = io.write(gather, 0, 1);
            sendPosition = sendMemory.position();
        }
        else
        {
            final ByteBuffer payload = transport.payloadView().wrap(bulkAddress, bulkLength);
            payload.position(bulkPosition);
            gather[1] = payload;
            written = io.write(gather, 0, 2);
            sendPosition = sendMemory.position();
            bulkPosition = payload.position();
            gather[1] = null;
            transport.payloadView().reset();
            if (sendPosition == sendLimit && bulkPosition == bulkLength)
            {
                completeBulk(true);
            }
        }
        return written;
    }

    private void completeBulk(final boolean written)
    {
        final int kind = bulkKind;
        bulkKind = BULK_NONE;
        if (kind == SendProxy.RECORD_STAGED)
        {
            peer.proxy.releaseStaging();
        }
        else if (kind == SendProxy.RECORD_GATHER)
        {
            peer.proxy.releasePayload(bulkLength);
            context.payloadReleaseHandler().onPayloadReleased(peer.nodeId, bulkType, bulkCorrelationId, written);
        }
    }

    private ControlledMessageHandler.Action onRecord(
        final int recordType, final MutableDirectBuffer buffer, final int index, final int length)
    {
        final int free = sendMemory.capacity() - sendLimit;
        switch (recordType)
        {
            case SendProxy.RECORD_FRAME:
                if (length > free)
                {
                    return ControlledMessageHandler.Action.ABORT;
                }
                sendBuffer.putBytes(sendLimit, buffer, index, length);
                sendLimit += length;
                drained++;
                return ControlledMessageHandler.Action.CONTINUE;

            case SendProxy.RECORD_GATHER:
                final int headLength = length - SendProxy.GATHER_PREFIX_LENGTH;
                if (headLength > free)
                {
                    return ControlledMessageHandler.Action.ABORT;
                }
                final int frame = index + SendProxy.GATHER_PREFIX_LENGTH;
                sendBuffer.putBytes(sendLimit, buffer, frame, headLength);
                sendLimit += headLength;
                bulkKind = SendProxy.RECORD_GATHER;
                bulkAddress = buffer.getLong(index + SendProxy.GATHER_ADDRESS_OFFSET);
                bulkLength = buffer.getInt(index + SendProxy.GATHER_LENGTH_OFFSET);
                bulkPosition = 0;
                bulkType = FrameDescriptor.messageType(buffer, frame);
                bulkCorrelationId = FrameDescriptor.correlationId(buffer, frame);
                drained++;
                return ControlledMessageHandler.Action.BREAK;

            case SendProxy.RECORD_STAGED:
                bulkKind = SendProxy.RECORD_STAGED;
                bulkAddress = peer.proxy.staging().addressOffset();
                bulkLength = buffer.getInt(index);
                bulkPosition = 0;
                drained++;
                return ControlledMessageHandler.Action.BREAK;

            default:
                return ControlledMessageHandler.Action.CONTINUE;
        }
    }

    private int checkTimers(final long nowNs)
    {
        if (state != State.ESTABLISHED)
        {
            if (nowNs - startNs > context.handshakeTimeoutNs())
            {
                fail(Counter.HANDSHAKE_TIMEOUTS, "not authenticated after " +
                    TimeUnit.NANOSECONDS.toMillis(nowNs - startNs) + " ms (state " + state + ")");
                return 1;
            }
            return 0;
        }
        if (readPaused)
        {
            lastReceivedNs = nowNs;
        }
        if (nowNs - lastReceivedNs > context.idleTimeoutNs())
        {
            fail(Counter.IDLE_TIMEOUTS, "nothing received for " +
                TimeUnit.NANOSECONDS.toMillis(nowNs - lastReceivedNs) + " ms: the connection is half-open or the " +
                "peer is stuck");
            return 1;
        }
        return 0;
    }

    private void onIoFailure(final IOException ex)
    {
        if (ex instanceof SSLException && state != State.ESTABLISHED)
        {
            fail(Counter.AUTHENTICATION_FAILURES, "TLS handshake failed: " + ex.getMessage());
        }
        else
        {
            close(ex.getClass().getSimpleName() + ": " + ex.getMessage(), null);
        }
    }

    /**
     * Counts bad input and closes the connection, first telling an authenticated peer why with an {@code Error}
     * frame if that fits behind what is queued (best effort; before authentication nothing is said).
     */
    private void refuse(final Counter counter, final ErrorCode code, final int relatedType, final String reason)
    {
        if (state == State.ESTABLISHED && bulkKind == BULK_NONE &&
            sendMemory.capacity() - sendLimit >= FrameDescriptor.HEADER_LENGTH + 8 + 4 * MAX_ERROR_TEXT)
        {
            final String text = reason.length() > MAX_ERROR_TEXT ? reason.substring(0, MAX_ERROR_TEXT) : reason;
            errorEncoder.wrap(sendBuffer, sendLimit + FrameDescriptor.HEADER_LENGTH).code(code)
                .relatedType(relatedType).text(text);
            sendLimit += HandshakeDescriptor.finishFrame(sendBuffer, sendLimit, MessageTypes.ERROR,
                errorEncoder.encodedLength(), context.nodeId(), version);
            flushOnce();
        }
        fail(counter, reason);
    }

    /**
     * Counts bad input or a failed handshake and closes the connection.
     */
    void fail(final Counter counter, final String reason)
    {
        transport.counters().counter(counter).incrementRelease();
        close(reason, null);
    }

    private static String remoteAddressOf(final SocketChannel channel)
    {
        try
        {
            return String.valueOf(channel.getRemoteAddress());
        }
        catch (final IOException ex)
        {
            return "?";
        }
    }

    private void setInterest(final int ops)
    {
        if (ops != interestOps && state != State.CLOSED && key != null && key.isValid())
        {
            interestOps = ops;
            key.interestOps(ops);
        }
    }
}

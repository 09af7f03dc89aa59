package io.rfs.replication.transport.tcp;

import io.rfs.replication.protocol.FrameDescriptor;
import io.rfs.replication.transport.MessageHandler;
import io.rfs.replication.transport.PeerRole;
import io.rfs.replication.transport.Transport;
import io.rfs.replication.transport.Waiter;
import io.rfs.replication.transport.tcp.TcpTransportCounters.Counter;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.ArrayListUtil;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@link Transport} over TCP: non-blocking NIO driven by an Agrona {@link Agent}, authenticated by HMAC
 * challenge-response or mutual TLS 1.3 ({@link AuthMode}), framed and checksummed ({@link FrameDescriptor}). The
 * handshake, connection rules and lifecycle are described in {@code docs/TRANSPORT.md}.
 * <p>
 * <b>Threads.</b> One thread, the agent's, calls {@link #doWork()}, {@link #poll} and {@link #close()}. Unlike the
 * {@link Transport} default, {@link #offer} may be called from <em>any</em> thread, concurrently: each peer has a
 * many-to-one Agrona ring buffer that producers encode frames into and the agent drains. Offers must stop before
 * {@link #close()}.
 * <p>
 * <b>Connections.</b> One per pair of nodes: the node with the lower id dials, the higher one accepts (and refuses
 * a node that dials it the other way); clients always dial. A connection that fails is redialled with exponential
 * backoff on the injected clock; an authenticated connection from a peer replaces an older one from the same peer
 * (the peer restarted). A connection on which nothing arrives for the idle timeout is closed as half-open;
 * keepalives keep quiet ones open. {@link #offer} refuses messages for a peer that is not connected.
 * <p>
 * <b>Memory.</b> Per peer: its outbound ring ({@link TcpTransportContext#sendQueueCapacity()}) and, once a large
 * copy offer needs it, one staging buffer of the largest frame. Per connection: a send buffer and a receive buffer
 * that grows only for a frame whose header passed its checks, at most to the largest frame; before authentication
 * a connection holds about 2 KiB (plaintext) or 150 KiB (TLS), and at most
 * {@link TcpTransportContext#maxPendingConnections()} are held. Nothing is allocated per message.
 * <p>
 * <b>Bad input</b> (a frame too large, malformed, of an unknown or unauthorised type, failing its checksum, or sent
 * before authentication; a failed handshake) closes the connection it came on and is counted in
 * {@link #counters()}; the other connections carry on.
 */
public final class TcpTransport implements Transport, Agent
{
    /** Lowest protocol version this code speaks. */
    public static final int MIN_PROTOCOL_VERSION = FrameDescriptor.CURRENT_VERSION;
    /** Highest protocol version this code speaks. */
    public static final int MAX_PROTOCOL_VERSION = FrameDescriptor.CURRENT_VERSION;

    static final int INBOUND_ALLOWED = 0;
    static final int INBOUND_UNKNOWN = 1;
    static final int INBOUND_WRONG_DIRECTION = 2;

    private static final int ACCEPTS_PER_CYCLE = 16;
    private static final int DISCARD_PASSES = 8;

    private final TcpTransportContext context;
    private final NanoClock clock;
    private final TcpTransportCounters counters;
    private final HmacAuthenticator authenticator;
    private final Selector selector;
    private final ServerSocketChannel server;
    private final InetSocketAddress boundAddress;
    private final ArrayList<TcpSession> sessions = new ArrayList<>();
    private final AddressByteBuffer payloadView = new AddressByteBuffer();
    private final Consumer<SelectionKey> onSelected = this::onSelected;
    private final Waiter waiter = new SelectorWaiter();
    private final org.agrona.concurrent.MessageHandler discardHandler = this::onDiscard;
    private volatile Peer[] peers;
    private Peer discarding;
    private long nowNs;
    private int pollStart;
    private int pendingConnections;
    private boolean closed;

    /**
     * Opens the selector and, for a node, the listening socket. Nothing is dialled until {@link #doWork()}.
     *
     * @param context configuration; concluded here.
     * @throws IOException if the listening socket cannot be bound.
     */
    public TcpTransport(final TcpTransportContext context) throws IOException
    {
        this.context = context.conclude();
        clock = context.nanoClock();
        nowNs = clock.nanoTime();
        counters = new TcpTransportCounters(context.nodeId());
        authenticator = context.authMode() == AuthMode.HMAC ?
            new HmacAuthenticator(context.clusterSecret(), context.clientSecret()) : null;
        final ArrayList<Peer> configured = new ArrayList<>();
        for (final Map.Entry<Integer, InetSocketAddress> entry : context.peers().entrySet())
        {
            final int id = entry.getKey();
            final boolean dials = context.role() == PeerRole.CLIENT || id > context.nodeId();
            final Peer peer = new Peer(id, PeerRole.NODE, entry.getValue(), dials, newProxy());
            peer.backoffNs = context.connectBackoffMinNs();
            peer.nextConnectNs = nowNs;
            configured.add(peer);
        }
        peers = configured.toArray(new Peer[0]);
        selector = Selector.open();
        if (context.listenAddress() != null)
        {
            ServerSocketChannel channel = null;
            try
            {
                channel = ServerSocketChannel.open();
                channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                channel.bind(context.listenAddress(), context.maxPendingConnections());
                channel.configureBlocking(false);
                channel.register(selector, SelectionKey.OP_ACCEPT, null);
                boundAddress = (InetSocketAddress)channel.getLocalAddress();
            }
            catch (final IOException ex)
            {
                if (channel != null)
                {
                    channel.close();
                }
                selector.close();
                throw new IOException("cannot listen on " + context.listenAddress() + ": " + ex.getMessage(), ex);
            }
            server = channel;
        }
        else
        {
            server = null;
            boundAddress = null;
        }
    }

    @Override
    public int localNodeId()
    {
        return context.nodeId();
    }

    /**
     * @return the address this node listens on, with the actual port if an ephemeral one was asked for; null for a
     * client.
     */
    public InetSocketAddress boundAddress()
    {
        return boundAddress;
    }

    /**
     * @return the transport's counters; readable from any thread.
     */
    public TcpTransportCounters counters()
    {
        return counters;
    }

    /**
     * @param nodeId a peer.
     * @return true if a connection to it is established; any thread.
     */
    public boolean isConnected(final int nodeId)
    {
        final Peer peer = findPeer(nodeId);
        return peer != null && peer.connected;
    }

    /**
     * Adds a cluster node after construction (a membership change, or a test that learns ephemeral ports late). If
     * its id is higher than this node's, this node dials it. Agent thread.
     *
     * @param nodeId  its id, not this node's and not already a peer.
     * @param address where it listens.
     */
    public void addPeer(final int nodeId, final InetSocketAddress address)
    {
        if (nodeId < 0 || nodeId == context.nodeId() || findPeer(nodeId) != null || address == null)
        {
            throw new IllegalArgumentException("nodeId=" + nodeId + " address=" + address +
                ": must be a new peer's id with an address");
        }
        final Peer peer = new Peer(nodeId, PeerRole.NODE, address,
            context.role() == PeerRole.CLIENT || nodeId > context.nodeId(), newProxy());
        peer.backoffNs = context.connectBackoffMinNs();
        peer.nextConnectNs = nowNs;
        addPeer(peer);
    }

    @Override
    public boolean learnPeer(final int nodeId, final String hostPort)
    {
        if (nodeId == context.nodeId() || findPeer(nodeId) != null)
        {
            return false;
        }
        addPeer(nodeId, TcpTransportContext.parseAddress("peers[" + nodeId + "]", hostPort));
        return true;
    }

    /**
     * Removes a cluster node: closes its connection and forgets it. Agent thread.
     *
     * @param nodeId its id.
     * @return true if it was a peer.
     */
    public boolean removePeer(final int nodeId)
    {
        final Peer peer = findPeer(nodeId);
        if (peer == null || peer.role != PeerRole.NODE)
        {
            return false;
        }
        removePeer(peer);
        if (peer.session != null)
        {
            peer.session.close(null, null);
        }
        return true;
    }

    @Override
    public boolean offer(
        final int destinationNodeId,
        final int messageType,
        final long correlationId,
        final DirectBuffer body,
        final int offset,
        final int length)
    {
        checkMessage(messageType, length);
        final Peer peer = findPeer(destinationNodeId);
        if (peer == null || !peer.connected || !peer.proxy.offer(messageType, correlationId, body, offset, length))
        {
            counters.counter(Counter.OFFERS_REFUSED).increment();
            return false;
        }
        return true;
    }

    /**
     * {@inheritDoc}
     * <p>
     * A payload off the Java heap (its {@code byteArray()} is null: a direct or mapped buffer) is not copied: its
     * address is queued and the agent writes it to the socket (or TLS engine) from there, then tells the context's
     * {@link io.rfs.replication.transport.PayloadReleaseHandler}. A payload on the heap is copied, into the ring if
     * the frame fits a ring record, else into the peer's staging buffer (one such message in flight per peer).
     */
    @Override
    public boolean offer(
        final int destinationNodeId,
        final int messageType,
        final long correlationId,
        final DirectBuffer fields,
        final int fieldsOffset,
        final int fieldsLength,
        final DirectBuffer payload,
        final int payloadOffset,
        final int payloadLength)
    {
        if (fieldsLength < 0 || payloadLength < 0)
        {
            throw new IllegalArgumentException("fieldsLength=" + fieldsLength + " payloadLength=" + payloadLength);
        }
        checkMessage(messageType, fieldsLength + payloadLength);
        final Peer peer = findPeer(destinationNodeId);
        if (peer == null || !peer.connected || !peer.proxy.offer(messageType, correlationId, fields, fieldsOffset,
            fieldsLength, payload, payloadOffset, payloadLength))
        {
            counters.counter(Counter.OFFERS_REFUSED).increment();
            return false;
        }
        return true;
    }

    @Override
    public int poll(final MessageHandler handler, final int messageLimit)
    {
        final int size = sessions.size();
        if (size == 0)
        {
            return 0;
        }
        pollStart = pollStart + 1 >= size ? 0 : pollStart + 1;
        int delivered = 0;
        for (int i = 0; i < size && delivered < messageLimit; i++)
        {
            final int index = pollStart + i < size ? pollStart + i : pollStart + i - size;
            delivered += sessions.get(index).deliver(handler, messageLimit - delivered);
        }
        if (delivered > 0)
        {
            counters.counter(Counter.FRAMES_RECEIVED).getAndAddRelease(delivered);
        }
        return delivered;
    }

    @Override
    public int doWork()
    {
        if (closed)
        {
            return 0;
        }
        nowNs = clock.nanoTime();
        int work;
        try
        {
            work = selector.selectNow(onSelected);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        final ArrayList<TcpSession> sessions = this.sessions;
        for (int i = 0; i < sessions.size(); i++)
        {
            work += sessions.get(i).doWork(nowNs);
        }
        for (int i = sessions.size() - 1; i >= 0; i--)
        {
            if (sessions.get(i).isClosed())
            {
                ArrayListUtil.fastUnorderedRemove(sessions, i);
            }
        }
        return work + dial();
    }

    @Override
    public int maxMessageLength()
    {
        return context.maxFrameLength() - FrameDescriptor.HEADER_LENGTH;
    }

    /**
     * @return a waiter that blocks in the selector until a connection is readable, writable when it has bytes
     * waiting to go (the sessions register for that), or accepted or dialled. Messages offered go out in the duty
     * cycle that offered them or the next, which the owning agent counts as work, so none waits on a timeout.
     */
    @Override
    public Waiter waiter()
    {
        return waiter;
    }

    @Override
    public String roleName()
    {
        return "rfs-tcp-" + CertificateIdentity.nameOf(context.role(), context.nodeId());
    }

    @Override
    public void onClose()
    {
        close();
    }

    /**
     * Closes every connection (payloads still queued are released as not written), the listening socket and the
     * selector. Agent thread, after producers have stopped offering.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        for (int i = sessions.size() - 1; i >= 0; i--)
        {
            sessions.get(i).close(null, null);
        }
        sessions.clear();
        for (final Peer peer : peers)
        {
            peer.connected = false;
            discardQueue(peer);
        }
        try
        {
            if (server != null)
            {
                server.close();
            }
            selector.close();
        }
        catch (final IOException ex)
        {
            context.errorHandler().onError(ex);
        }
    }

    TcpTransportContext context()
    {
        return context;
    }

    HmacAuthenticator authenticator()
    {
        return authenticator;
    }

    AddressByteBuffer payloadView()
    {
        return payloadView;
    }

    void nextNonce(final byte[] nonce)
    {
        context.secureRandom().nextBytes(nonce);
    }

    /**
     * Decides whether an accepted connection's claimed identity may talk to this node, once its {@code Hello}
     * arrived.
     *
     * @return {@link #INBOUND_ALLOWED}, {@link #INBOUND_UNKNOWN} or {@link #INBOUND_WRONG_DIRECTION}.
     */
    int checkInbound(final PeerRole role, final int id)
    {
        if (context.role() != PeerRole.NODE || id == context.nodeId())
        {
            return INBOUND_UNKNOWN;
        }
        final Peer peer = findPeer(id);
        if (role == PeerRole.NODE)
        {
            if (peer == null || peer.role != PeerRole.NODE)
            {
                return INBOUND_UNKNOWN;
            }
            return peer.dials ? INBOUND_WRONG_DIRECTION : INBOUND_ALLOWED;
        }
        return peer != null && peer.role == PeerRole.NODE ? INBOUND_UNKNOWN : INBOUND_ALLOWED;
    }

    /**
     * A session authenticated its peer: attach it, replacing an older session of the same peer.
     *
     * @return the peer.
     */
    Peer onEstablished(final TcpSession session)
    {
        if (session.isPending())
        {
            session.clearPending();
            if (!session.isInitiator())
            {
                pendingConnections--;
            }
        }
        Peer peer = session.peer();
        if (peer == null)
        {
            peer = findPeer(session.peerId());
            if (peer == null)
            {
                peer = new Peer(session.peerId(), session.peerRole(), null, false, newProxy());
                addPeer(peer);
            }
        }
        final TcpSession old = peer.session;
        peer.session = session;
        peer.backoffNs = context.connectBackoffMinNs();
        if (old != null && old != session)
        {
            counters.counter(Counter.CONNECTIONS_REPLACED).incrementRelease();
            old.close("replaced by a newer connection from the same peer", null);
        }
        peer.connected = true;
        counters.counter(Counter.CONNECTIONS_ESTABLISHED).incrementRelease();
        return peer;
    }

    /**
     * A session closed: detach it from its peer, drop what was queued for it, schedule a redial.
     */
    void onClosed(final TcpSession session, final boolean wasEstablished)
    {
        if (session.isPending())
        {
            session.clearPending();
            if (!session.isInitiator())
            {
                pendingConnections--;
            }
        }
        if (wasEstablished)
        {
            counters.counter(Counter.CONNECTIONS_CLOSED).incrementRelease();
        }
        final Peer peer = session.peer();
        if (peer == null || peer.session != session)
        {
            return;
        }
        peer.session = null;
        peer.connected = false;
        discardQueue(peer);
        if (peer.dials)
        {
            peer.nextConnectNs = nowNs + peer.backoffNs;
            peer.backoffNs = Math.min(peer.backoffNs * 2, context.connectBackoffMaxNs());
        }
        else if (peer.role == PeerRole.CLIENT)
        {
            removePeer(peer);
        }
    }

    /**
     * Drops what is queued for a peer that is not connected, releasing the payloads queued by reference.
     */
    private void discardQueue(final Peer peer)
    {
        discarding = peer;
        for (int i = 0; i < DISCARD_PASSES && peer.proxy.ring().read(discardHandler, Integer.MAX_VALUE) > 0; i++)
        {
            // a pass reads up to the end of the ring's buffer; the next one reads what wrapped around
        }
        discarding = null;
    }

    private void onDiscard(final int recordType, final MutableDirectBuffer buffer, final int index, final int length)
    {
        if (recordType == SendProxy.RECORD_GATHER)
        {
            final int frame = index + SendProxy.GATHER_PREFIX_LENGTH;
            discarding.proxy.releasePayload(buffer.getInt(index + SendProxy.GATHER_LENGTH_OFFSET));
            context.payloadReleaseHandler().onPayloadReleased(discarding.nodeId,
                FrameDescriptor.messageType(buffer, frame), FrameDescriptor.correlationId(buffer, frame), false);
        }
        else if (recordType == SendProxy.RECORD_STAGED)
        {
            discarding.proxy.releaseStaging();
        }
    }

    /**
     * Blocks in {@link Selector#select(long)}, then leaves the ready keys to the next duty cycle's
     * {@link Selector#selectNow(Consumer)} (the selector is level-triggered, so they are still ready then), where
     * the time is read first.
     */
    private final class SelectorWaiter implements Waiter
    {
        @Override
        public void await(final long timeoutNs)
        {
            if (closed)
            {
                return;
            }
            try
            {
                selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeoutNs)));
                selector.selectedKeys().clear();
            }
            catch (final ClosedSelectorException ignore)
            {
                // closed by another thread while this one waited: the next duty cycle finds the transport closed
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }

        @Override
        public void wake()
        {
            selector.wakeup();
        }
    }

    private void onSelected(final SelectionKey key)
    {
        if (!key.isValid())
        {
            return;
        }
        final Object attachment = key.attachment();
        if (attachment == null)
        {
            accept();
            return;
        }
        final TcpSession session = (TcpSession)attachment;
        final int ready = key.readyOps();
        if ((ready & SelectionKey.OP_CONNECT) != 0)
        {
            session.onConnectable(nowNs);
        }
        if ((ready & SelectionKey.OP_READ) != 0)
        {
            session.onReadable(nowNs);
        }
        if ((ready & SelectionKey.OP_WRITE) != 0)
        {
            session.onWritable(nowNs);
        }
    }

    private void accept()
    {
        for (int i = 0; i < ACCEPTS_PER_CYCLE; i++)
        {
            final SocketChannel channel;
            try
            {
                channel = server.accept();
            }
            catch (final IOException ex)
            {
                context.errorHandler().onError(ex);
                return;
            }
            if (channel == null)
            {
                return;
            }
            if (pendingConnections >= context.maxPendingConnections())
            {
                counters.counter(Counter.CONNECTIONS_REFUSED).incrementRelease();
                closeQuietly(channel);
                continue;
            }
            try
            {
                configure(channel);
                final TcpSession session = new TcpSession(this, channel, null, nowNs);
                session.register(selector, SelectionKey.OP_READ);
                sessions.add(session);
                pendingConnections++;
            }
            catch (final IOException ex)
            {
                closeQuietly(channel);
                context.errorHandler().onError(ex);
            }
        }
    }

    private int dial()
    {
        int work = 0;
        for (final Peer peer : peers)
        {
            if (!peer.dials || peer.session != null || nowNs - peer.nextConnectNs < 0)
            {
                continue;
            }
            work++;
            counters.counter(Counter.CONNECT_ATTEMPTS).incrementRelease();
            SocketChannel channel = null;
            try
            {
                channel = SocketChannel.open();
                configure(channel);
                final TcpSession session = new TcpSession(this, channel, peer, nowNs);
                peer.session = session;
                sessions.add(session);
                session.register(selector, SelectionKey.OP_CONNECT);
                if (channel.connect(peer.address))
                {
                    session.onConnected(nowNs);
                }
            }
            catch (final IOException | RuntimeException ex)
            {
                if (peer.session != null)
                {
                    peer.session.close("connect failed: " + ex, null);
                }
                else
                {
                    closeQuietly(channel);
                    peer.nextConnectNs = nowNs + peer.backoffNs;
                    peer.backoffNs = Math.min(peer.backoffNs * 2, context.connectBackoffMaxNs());
                }
            }
        }
        return work;
    }

    private void configure(final SocketChannel channel) throws IOException
    {
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        if (context.socketSendBufferSize() > 0)
        {
            channel.setOption(StandardSocketOptions.SO_SNDBUF, context.socketSendBufferSize());
        }
        if (context.socketReceiveBufferSize() > 0)
        {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, context.socketReceiveBufferSize());
        }
    }

    private SendProxy newProxy()
    {
        return new SendProxy(context.nodeId(), context.sendQueueCapacity(), context.maxFrameLength(),
            context.maxQueuedPayloadBytes());
    }

    private void checkMessage(final int messageType, final int length)
    {
        if (messageType < 0 || messageType > 0xFFFF || HandshakeDescriptor.isControlType(messageType))
        {
            throw new IllegalArgumentException("messageType=" + messageType + ": must be 0..65535 and outside " +
                HandshakeDescriptor.CONTROL_TYPE_FIRST + ".." + HandshakeDescriptor.CONTROL_TYPE_LAST +
                " (the transport's own)");
        }
        if (length < 0 || length > maxMessageLength())
        {
            throw new IllegalArgumentException("length=" + length + ": must be 0.." + maxMessageLength());
        }
    }

    private Peer findPeer(final int nodeId)
    {
        final Peer[] peers = this.peers;
        int low = 0;
        int high = peers.length - 1;
        while (low <= high)
        {
            final int middle = (low + high) >>> 1;
            final int id = peers[middle].nodeId;
            if (id < nodeId)
            {
                low = middle + 1;
            }
            else if (id > nodeId)
            {
                high = middle - 1;
            }
            else
            {
                return peers[middle];
            }
        }
        return null;
    }

    private void addPeer(final Peer peer)
    {
        final Peer[] old = peers;
        final Peer[] updated = Arrays.copyOf(old, old.length + 1);
        int index = old.length;
        while (index > 0 && updated[index - 1].nodeId > peer.nodeId)
        {
            updated[index] = updated[index - 1];
            index--;
        }
        updated[index] = peer;
        peers = updated;
    }

    private void removePeer(final Peer peer)
    {
        final Peer[] old = peers;
        for (int i = 0; i < old.length; i++)
        {
            if (old[i] == peer)
            {
                final Peer[] updated = new Peer[old.length - 1];
                System.arraycopy(old, 0, updated, 0, i);
                System.arraycopy(old, i + 1, updated, i, old.length - i - 1);
                peers = updated;
                return;
            }
        }
    }

    private static void closeQuietly(final SocketChannel channel)
    {
        if (channel != null)
        {
            try
            {
                channel.close();
            }
            catch (final IOException ignore)
            {
                // nothing to do
            }
        }
    }
}

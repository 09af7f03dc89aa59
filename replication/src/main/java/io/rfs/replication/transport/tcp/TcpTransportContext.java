package io.rfs.replication.transport.tcp;

import io.rfs.replication.protocol.FrameDescriptor;
import io.rfs.replication.transport.MessageAuthorizer;
import io.rfs.replication.transport.PayloadReleaseHandler;
import io.rfs.replication.transport.PeerRole;
import io.rfs.store.ConfigurationException;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Configuration of a {@link TcpTransport}. Every setting has a documented default (a {@code *_DEFAULT} constant) or
 * is required; {@link #conclude()} checks the values, fills in the defaults and throws a
 * {@link ConfigurationException} naming the first setting that is wrong. Secrets and passwords never appear in a
 * message.
 */
public final class TcpTransportContext
{
    /** Default largest frame, header included. */
    public static final int MAX_FRAME_LENGTH_DEFAULT = FrameDescriptor.MAX_FRAME_LENGTH_DEFAULT;
    /** Default capacity of each peer's outbound queue (an Agrona ring buffer), bytes. */
    public static final int SEND_QUEUE_CAPACITY_DEFAULT = 1024 * 1024;
    /** Default most bytes of off-heap payloads queued by reference per peer (gather offers not yet written). */
    public static final long MAX_QUEUED_PAYLOAD_BYTES_DEFAULT = 16 * 1024 * 1024;
    /** Default length of each connection's direct send buffer, where small frames are batched into one write. */
    public static final int SEND_BUFFER_LENGTH_DEFAULT = 256 * 1024;
    /** Default initial length of each connection's direct receive buffer; it grows, up to the largest frame. */
    public static final int RECEIVE_BUFFER_LENGTH_DEFAULT = 256 * 1024;
    /** Default socket send buffer (SO_SNDBUF): 0 leaves the operating system's default and autotuning. */
    public static final int SOCKET_SEND_BUFFER_SIZE_DEFAULT = 0;
    /** Default socket receive buffer (SO_RCVBUF): 0 leaves the operating system's default and autotuning. */
    public static final int SOCKET_RECEIVE_BUFFER_SIZE_DEFAULT = 0;
    /** Default first delay before redialling a peer. */
    public static final long CONNECT_BACKOFF_MIN_NS_DEFAULT = TimeUnit.MILLISECONDS.toNanos(100);
    /** Default longest delay before redialling a peer; the delay doubles after each failure up to this. */
    public static final long CONNECT_BACKOFF_MAX_NS_DEFAULT = TimeUnit.SECONDS.toNanos(5);
    /** Default time a connection may take from dial or accept to authenticated. */
    public static final long HANDSHAKE_TIMEOUT_NS_DEFAULT = TimeUnit.SECONDS.toNanos(5);
    /** Default time without a byte from a peer after which its connection is deemed half-open and closed. */
    public static final long IDLE_TIMEOUT_NS_DEFAULT = TimeUnit.SECONDS.toNanos(10);
    /** Default most unauthenticated connections at once; further ones are closed on accept. */
    public static final int MAX_PENDING_CONNECTIONS_DEFAULT = 64;
    /** Shortest secret accepted, bytes. */
    public static final int MIN_SECRET_LENGTH = 16;
    /** Default key and trust store type. */
    public static final String KEY_STORE_TYPE_DEFAULT = "PKCS12";

    private int nodeId = -1;
    private PeerRole role = PeerRole.NODE;
    private InetSocketAddress listenAddress;
    private final SortedMap<Integer, InetSocketAddress> peers = new TreeMap<>();
    private int maxFrameLength = MAX_FRAME_LENGTH_DEFAULT;
    private int sendQueueCapacity = SEND_QUEUE_CAPACITY_DEFAULT;
    private long maxQueuedPayloadBytes = MAX_QUEUED_PAYLOAD_BYTES_DEFAULT;
    private int sendBufferLength = SEND_BUFFER_LENGTH_DEFAULT;
    private int receiveBufferLength = RECEIVE_BUFFER_LENGTH_DEFAULT;
    private int socketSendBufferSize = SOCKET_SEND_BUFFER_SIZE_DEFAULT;
    private int socketReceiveBufferSize = SOCKET_RECEIVE_BUFFER_SIZE_DEFAULT;
    private long connectBackoffMinNs = CONNECT_BACKOFF_MIN_NS_DEFAULT;
    private long connectBackoffMaxNs = CONNECT_BACKOFF_MAX_NS_DEFAULT;
    private long handshakeTimeoutNs = HANDSHAKE_TIMEOUT_NS_DEFAULT;
    private long idleTimeoutNs = IDLE_TIMEOUT_NS_DEFAULT;
    private long keepaliveIntervalNs;
    private int maxPendingConnections = MAX_PENDING_CONNECTIONS_DEFAULT;
    private NanoClock nanoClock;
    private AuthMode authMode = AuthMode.HMAC;
    private byte[] clusterSecret;
    private byte[] clientSecret;
    private SSLContext sslContext;
    private Path keyStorePath;
    private char[] keyStorePassword;
    private Path trustStorePath;
    private char[] trustStorePassword;
    private String keyStoreType = KEY_STORE_TYPE_DEFAULT;
    private MessageAuthorizer messageAuthorizer;
    private PayloadReleaseHandler payloadReleaseHandler = PayloadReleaseHandler.NONE;
    private ErrorHandler errorHandler;
    private SecureRandom secureRandom;
    private boolean concluded;

    /**
     * Checks every setting and fills in defaults. Idempotent.
     *
     * @return this.
     * @throws ConfigurationException naming the first setting that is wrong.
     */
    public TcpTransportContext conclude()
    {
        if (concluded)
        {
            return this;
        }
        if (nodeId < 0)
        {
            throw new ConfigurationException("nodeId", nodeId, "must be set, >= 0");
        }
        if (role == null)
        {
            throw new ConfigurationException("role", null, "must be NODE or CLIENT");
        }
        if (role == PeerRole.NODE && listenAddress == null)
        {
            throw new ConfigurationException("listenAddress", null, "must be set for a node");
        }
        if (role == PeerRole.CLIENT && listenAddress != null)
        {
            throw new ConfigurationException("listenAddress", listenAddress, "must not be set for a client");
        }
        if (peers.containsKey(nodeId))
        {
            throw new ConfigurationException("peers", peers.keySet(), "must not contain this node's id " + nodeId);
        }
        for (final Map.Entry<Integer, InetSocketAddress> peer : peers.entrySet())
        {
            if (peer.getKey() < 0 || peer.getValue() == null)
            {
                throw new ConfigurationException("peers[" + peer.getKey() + "]", peer.getValue(),
                    "must be a node id >= 0 with an address");
            }
        }
        if (maxFrameLength < 4096 || maxFrameLength > 1024 * 1024 * 1024)
        {
            throw new ConfigurationException("maxFrameLength", maxFrameLength, "must be 4096..1073741824");
        }
        if (sendQueueCapacity < 64 * 1024 || sendQueueCapacity > 1024 * 1024 * 1024 ||
            Integer.bitCount(sendQueueCapacity) != 1)
        {
            throw new ConfigurationException("sendQueueCapacity", sendQueueCapacity,
                "must be a power of two, 65536..1073741824");
        }
        if (maxQueuedPayloadBytes < 1)
        {
            throw new ConfigurationException("maxQueuedPayloadBytes", maxQueuedPayloadBytes, "must be >= 1");
        }
        if (sendBufferLength < sendQueueCapacity / 8 || sendBufferLength > 64 * 1024 * 1024)
        {
            throw new ConfigurationException("sendBufferLength", sendBufferLength,
                "must be at least sendQueueCapacity / 8 (" + sendQueueCapacity / 8 + "), so that any queued record " +
                "fits, and at most 67108864");
        }
        if (receiveBufferLength < 64 * 1024 || receiveBufferLength > maxFrameLength + 64 * 1024)
        {
            throw new ConfigurationException("receiveBufferLength", receiveBufferLength,
                "must be 65536..maxFrameLength + 65536");
        }
        if (socketSendBufferSize < 0 || socketReceiveBufferSize < 0)
        {
            throw new ConfigurationException(socketSendBufferSize < 0 ? "socketSendBufferSize" :
                "socketReceiveBufferSize", Math.min(socketSendBufferSize, socketReceiveBufferSize),
                "must be >= 0 (0: the operating system's default)");
        }
        if (connectBackoffMinNs <= 0)
        {
            throw new ConfigurationException("connectBackoffMinNs", connectBackoffMinNs, "must be > 0");
        }
        if (connectBackoffMaxNs < connectBackoffMinNs)
        {
            throw new ConfigurationException("connectBackoffMaxNs", connectBackoffMaxNs,
                "must be >= connectBackoffMinNs (" + connectBackoffMinNs + ")");
        }
        if (handshakeTimeoutNs <= 0)
        {
            throw new ConfigurationException("handshakeTimeoutNs", handshakeTimeoutNs, "must be > 0");
        }
        if (idleTimeoutNs <= 0)
        {
            throw new ConfigurationException("idleTimeoutNs", idleTimeoutNs, "must be > 0");
        }
        if (keepaliveIntervalNs == 0)
        {
            keepaliveIntervalNs = idleTimeoutNs / 4;
        }
        if (keepaliveIntervalNs <= 0 || keepaliveIntervalNs > idleTimeoutNs / 2)
        {
            throw new ConfigurationException("keepaliveIntervalNs", keepaliveIntervalNs,
                "must be > 0 and at most half of idleTimeoutNs (" + idleTimeoutNs + ") so that a live peer is " +
                "heard from in time");
        }
        if (maxPendingConnections < 1)
        {
            throw new ConfigurationException("maxPendingConnections", maxPendingConnections, "must be >= 1");
        }
        if (authMode == null)
        {
            throw new ConfigurationException("authMode", null, "must be HMAC or TLS");
        }
        if (authMode == AuthMode.HMAC)
        {
            concludeHmac();
        }
        else
        {
            concludeTls();
        }
        if (messageAuthorizer == null)
        {
            messageAuthorizer = MessageAuthorizer.REGISTRY;
        }
        if (payloadReleaseHandler == null)
        {
            payloadReleaseHandler = PayloadReleaseHandler.NONE;
        }
        if (errorHandler == null)
        {
            errorHandler = throwable ->
            {
            };
        }
        if (nanoClock == null)
        {
            nanoClock = SystemNanoClock.INSTANCE;
        }
        if (secureRandom == null)
        {
            secureRandom = new SecureRandom();
        }
        concluded = true;
        return this;
    }

    private void concludeHmac()
    {
        checkSecret("clusterSecret", clusterSecret, role == PeerRole.NODE);
        checkSecret("clientSecret", clientSecret, role == PeerRole.CLIENT);
    }

    private static void checkSecret(final String name, final byte[] secret, final boolean required)
    {
        if (secret == null)
        {
            if (required)
            {
                throw new ConfigurationException(name, null, "must be set in HMAC mode");
            }
            return;
        }
        if (secret.length < MIN_SECRET_LENGTH)
        {
            throw new ConfigurationException(name + ".length", secret.length,
                "must be at least " + MIN_SECRET_LENGTH + " bytes (use 32 random bytes)");
        }
    }

    private void concludeTls()
    {
        if (sslContext != null)
        {
            return;
        }
        if (keyStorePath == null)
        {
            throw new ConfigurationException("keyStorePath", null, "must be set in TLS mode (or sslContext)");
        }
        if (trustStorePath == null)
        {
            throw new ConfigurationException("trustStorePath", null, "must be set in TLS mode (or sslContext)");
        }
        final KeyStore keyStore = loadStore("keyStorePath", keyStorePath, keyStorePassword);
        final KeyStore trustStore = loadStore("trustStorePath", trustStorePath, trustStorePassword);
        try
        {
            final KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(
                KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keyStore, keyStorePassword);
            final TrustManagerFactory trustManagers = TrustManagerFactory.getInstance("PKIX");
            trustManagers.init(trustStore);
            final SSLContext context = SSLContext.getInstance("TLSv1.3");
            context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), secureRandom);
            sslContext = context;
        }
        catch (final GeneralSecurityException ex)
        {
            throw new ConfigurationException("keyStorePath", keyStorePath, "cannot be used for TLS: " + ex);
        }
    }

    private KeyStore loadStore(final String name, final Path path, final char[] password)
    {
        try (InputStream in = Files.newInputStream(path))
        {
            final KeyStore store = KeyStore.getInstance(keyStoreType);
            store.load(in, password);
            return store;
        }
        catch (final IOException | GeneralSecurityException ex)
        {
            throw new ConfigurationException(name, path, "cannot be read as a " + keyStoreType + " store: " + ex);
        }
    }

    public int nodeId()
    {
        return nodeId;
    }

    /**
     * @param nodeId this end's node id (or client id for a client). Required.
     * @return this.
     */
    public TcpTransportContext nodeId(final int nodeId)
    {
        this.nodeId = nodeId;
        return this;
    }

    public PeerRole role()
    {
        return role;
    }

    /**
     * @param role what this end is; default {@link PeerRole#NODE}. A client listens nowhere and dials every peer.
     * @return this.
     */
    public TcpTransportContext role(final PeerRole role)
    {
        this.role = role;
        return this;
    }

    public InetSocketAddress listenAddress()
    {
        return listenAddress;
    }

    /**
     * @param listenAddress where a node accepts connections (port 0: an ephemeral port, see
     *                      {@link TcpTransport#boundAddress()}). Required for a node, not allowed for a client.
     * @return this.
     */
    public TcpTransportContext listenAddress(final InetSocketAddress listenAddress)
    {
        this.listenAddress = listenAddress;
        return this;
    }

    /**
     * @return the cluster's nodes other than this one, by node id.
     */
    public SortedMap<Integer, InetSocketAddress> peers()
    {
        return Collections.unmodifiableSortedMap(peers);
    }

    /**
     * Adds a cluster node. Between two nodes the one with the lower id dials; so a node needs the addresses of the
     * higher nodes, and the ids of all.
     *
     * @param nodeId  its id.
     * @param address where it listens.
     * @return this.
     */
    public TcpTransportContext peer(final int nodeId, final InetSocketAddress address)
    {
        peers.put(nodeId, address);
        return this;
    }

    /**
     * Adds a cluster node by {@code host:port} ({@code [v6address]:port} for IPv6), resolved now.
     *
     * @param nodeId   its id.
     * @param hostPort where it listens.
     * @return this.
     * @throws ConfigurationException if it is not {@code host:port}.
     */
    public TcpTransportContext peer(final int nodeId, final String hostPort)
    {
        return peer(nodeId, parseAddress("peers[" + nodeId + "]", hostPort));
    }

    /**
     * @param name     the setting, for the message.
     * @param hostPort {@code host:port} or {@code [v6address]:port}.
     * @return the address, resolved.
     * @throws ConfigurationException if it is not {@code host:port}.
     */
    public static InetSocketAddress parseAddress(final String name, final String hostPort)
    {
        final int colon = hostPort == null ? -1 : hostPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostPort.length() - 1)
        {
            throw new ConfigurationException(name, hostPort, "must be host:port");
        }
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]"))
        {
            host = host.substring(1, host.length() - 1);
        }
        final int port;
        try
        {
            port = Integer.parseInt(hostPort.substring(colon + 1));
        }
        catch (final NumberFormatException ex)
        {
            throw new ConfigurationException(name, hostPort, "must be host:port with a numeric port");
        }
        if (port < 0 || port > 65535)
        {
            throw new ConfigurationException(name, hostPort, "port must be 0..65535");
        }
        return new InetSocketAddress(host, port);
    }

    public int maxFrameLength()
    {
        return maxFrameLength;
    }

    /**
     * @param maxFrameLength largest frame sent or accepted, header included; checked on every frame header before
     *                       anything is allocated for it. Default {@link #MAX_FRAME_LENGTH_DEFAULT}.
     * @return this.
     */
    public TcpTransportContext maxFrameLength(final int maxFrameLength)
    {
        this.maxFrameLength = maxFrameLength;
        return this;
    }

    public int sendQueueCapacity()
    {
        return sendQueueCapacity;
    }

    /**
     * @param capacity bytes of each peer's outbound ring buffer; a frame up to an eighth of it (less 16 bytes)
     *                 travels inside the ring. Default {@link #SEND_QUEUE_CAPACITY_DEFAULT}.
     * @return this.
     */
    public TcpTransportContext sendQueueCapacity(final int capacity)
    {
        this.sendQueueCapacity = capacity;
        return this;
    }

    public long maxQueuedPayloadBytes()
    {
        return maxQueuedPayloadBytes;
    }

    /**
     * @param bytes most bytes of off-heap payloads that a peer's gather offers may hold queued, by reference, before
     *              further ones are refused (one is always accepted into an empty queue); it bounds how far a
     *              producer runs ahead of the network. Default {@link #MAX_QUEUED_PAYLOAD_BYTES_DEFAULT}.
     * @return this.
     */
    public TcpTransportContext maxQueuedPayloadBytes(final long bytes)
    {
        this.maxQueuedPayloadBytes = bytes;
        return this;
    }

    public int sendBufferLength()
    {
        return sendBufferLength;
    }

    /**
     * @param length bytes of each connection's direct send buffer. Default {@link #SEND_BUFFER_LENGTH_DEFAULT}.
     * @return this.
     */
    public TcpTransportContext sendBufferLength(final int length)
    {
        this.sendBufferLength = length;
        return this;
    }

    public int receiveBufferLength()
    {
        return receiveBufferLength;
    }

    /**
     * @param length initial bytes of each connection's direct receive buffer; it grows to hold a larger frame,
     *               up to {@link #maxFrameLength()}. Default {@link #RECEIVE_BUFFER_LENGTH_DEFAULT}.
     * @return this.
     */
    public TcpTransportContext receiveBufferLength(final int length)
    {
        this.receiveBufferLength = length;
        return this;
    }

    public int socketSendBufferSize()
    {
        return socketSendBufferSize;
    }

    /**
     * @param size SO_SNDBUF in bytes; default {@link #SOCKET_SEND_BUFFER_SIZE_DEFAULT}.
     * @return this.
     */
    public TcpTransportContext socketSendBufferSize(final int size)
    {
        this.socketSendBufferSize = size;
        return this;
    }

    public int socketReceiveBufferSize()
    {
        return socketReceiveBufferSize;
    }

    /**
     * @param size SO_RCVBUF in bytes; default {@link #SOCKET_RECEIVE_BUFFER_SIZE_DEFAULT}.
     * @return this.
     */
    public TcpTransportContext socketReceiveBufferSize(final int size)
    {
        this.socketReceiveBufferSize = size;
        return this;
    }

    public long connectBackoffMinNs()
    {
        return connectBackoffMinNs;
    }

    /**
     * @param backoffNs delay before the first redial; default {@link #CONNECT_BACKOFF_MIN_NS_DEFAULT}.
     * @return this.
     */
    public TcpTransportContext connectBackoffMinNs(final long backoffNs)
    {
        this.connectBackoffMinNs = backoffNs;
        return this;
    }

    public long connectBackoffMaxNs()
    {
        return connectBackoffMaxNs;
    }

    /**
     * @param backoffNs longest delay between redials; default {@link #CONNECT_BACKOFF_MAX_NS_DEFAULT}.
     * @return this.
     */
    public TcpTransportContext connectBackoffMaxNs(final long backoffNs)
    {
        this.connectBackoffMaxNs = backoffNs;
        return this;
    }

    public long handshakeTimeoutNs()
    {
        return handshakeTimeoutNs;
    }

    /**
     * @param timeoutNs time from dial or accept to authenticated; default {@link #HANDSHAKE_TIMEOUT_NS_DEFAULT}.
     * @return this.
     */
    public TcpTransportContext handshakeTimeoutNs(final long timeoutNs)
    {
        this.handshakeTimeoutNs = timeoutNs;
        return this;
    }

    public long idleTimeoutNs()
    {
        return idleTimeoutNs;
    }

    /**
     * @param timeoutNs time without a byte from a peer after which its connection is closed as half-open; default
     *                  {@link #IDLE_TIMEOUT_NS_DEFAULT}.
     * @return this.
     */
    public TcpTransportContext idleTimeoutNs(final long timeoutNs)
    {
        this.idleTimeoutNs = timeoutNs;
        return this;
    }

    public long keepaliveIntervalNs()
    {
        return keepaliveIntervalNs;
    }

    /**
     * @param intervalNs time without sending after which a keepalive frame is sent; default a quarter of
     *                   {@link #idleTimeoutNs()}.
     * @return this.
     */
    public TcpTransportContext keepaliveIntervalNs(final long intervalNs)
    {
        this.keepaliveIntervalNs = intervalNs;
        return this;
    }

    public int maxPendingConnections()
    {
        return maxPendingConnections;
    }

    /**
     * @param max unauthenticated connections held at once; default {@link #MAX_PENDING_CONNECTIONS_DEFAULT}.
     * @return this.
     */
    public TcpTransportContext maxPendingConnections(final int max)
    {
        this.maxPendingConnections = max;
        return this;
    }

    public NanoClock nanoClock()
    {
        return nanoClock;
    }

    /**
     * @param nanoClock time for timeouts, keepalives and backoff; default the system's. Tests pass a
     *                  {@link org.agrona.concurrent.CachedNanoClock} and advance it.
     * @return this.
     */
    public TcpTransportContext nanoClock(final NanoClock nanoClock)
    {
        this.nanoClock = nanoClock;
        return this;
    }

    public AuthMode authMode()
    {
        return authMode;
    }

    /**
     * @param authMode how connections are authenticated; default {@link AuthMode#HMAC}.
     * @return this.
     */
    public TcpTransportContext authMode(final AuthMode authMode)
    {
        this.authMode = authMode;
        return this;
    }

    public byte[] clusterSecret()
    {
        return clusterSecret;
    }

    /**
     * @param secret the nodes' shared secret, at least {@link #MIN_SECRET_LENGTH} bytes; required for a node in
     *               HMAC mode. Not copied.
     * @return this.
     */
    public TcpTransportContext clusterSecret(final byte[] secret)
    {
        this.clusterSecret = secret;
        return this;
    }

    public byte[] clientSecret()
    {
        return clientSecret;
    }

    /**
     * @param secret the clients' shared secret, at least {@link #MIN_SECRET_LENGTH} bytes; required for a client
     *               in HMAC mode; on a node, clients are refused unless it is set. Not copied.
     * @return this.
     */
    public TcpTransportContext clientSecret(final byte[] secret)
    {
        this.clientSecret = secret;
        return this;
    }

    public SSLContext sslContext()
    {
        return sslContext;
    }

    /**
     * @param sslContext a TLS 1.3 context with this end's key and the cluster's trust anchors; default one built
     *                   from the key and trust stores.
     * @return this.
     */
    public TcpTransportContext sslContext(final SSLContext sslContext)
    {
        this.sslContext = sslContext;
        return this;
    }

    /**
     * @param path     key store holding this end's private key and certificate chain (naming {@code node-<id>} or
     *                 {@code client-<id>}); required in TLS mode unless {@link #sslContext(SSLContext)} is given.
     * @param password its password (and the key's).
     * @return this.
     */
    public TcpTransportContext keyStore(final Path path, final char[] password)
    {
        this.keyStorePath = path;
        this.keyStorePassword = password;
        return this;
    }

    /**
     * @param path     trust store holding the cluster's CA certificate(s); required in TLS mode unless
     *                 {@link #sslContext(SSLContext)} is given.
     * @param password its password.
     * @return this.
     */
    public TcpTransportContext trustStore(final Path path, final char[] password)
    {
        this.trustStorePath = path;
        this.trustStorePassword = password;
        return this;
    }

    public String keyStoreType()
    {
        return keyStoreType;
    }

    /**
     * @param type type of both stores; default {@link #KEY_STORE_TYPE_DEFAULT}.
     * @return this.
     */
    public TcpTransportContext keyStoreType(final String type)
    {
        this.keyStoreType = type;
        return this;
    }

    public MessageAuthorizer messageAuthorizer()
    {
        return messageAuthorizer;
    }

    /**
     * @param authorizer decides which message types each role may send; asked for every frame received. Default
     *                   {@link MessageAuthorizer#REGISTRY}, the protocol's role table.
     * @return this.
     */
    public TcpTransportContext messageAuthorizer(final MessageAuthorizer authorizer)
    {
        this.messageAuthorizer = authorizer;
        return this;
    }

    public PayloadReleaseHandler payloadReleaseHandler()
    {
        return payloadReleaseHandler;
    }

    /**
     * @param handler told, on the transport's thread, when the off-heap payload of a gather offer is no longer read;
     *                default {@link PayloadReleaseHandler#NONE}.
     * @return this.
     */
    public TcpTransportContext payloadReleaseHandler(final PayloadReleaseHandler handler)
    {
        this.payloadReleaseHandler = handler;
        return this;
    }

    public ErrorHandler errorHandler()
    {
        return errorHandler;
    }

    /**
     * @param errorHandler told, on the transport's thread, why each connection that failed was closed (bad input,
     *                     authentication, timeouts); default ignores them (the counters still count).
     * @return this.
     */
    public TcpTransportContext errorHandler(final ErrorHandler errorHandler)
    {
        this.errorHandler = errorHandler;
        return this;
    }

    public SecureRandom secureRandom()
    {
        return secureRandom;
    }

    /**
     * @param secureRandom source of handshake nonces; default a new {@link SecureRandom}.
     * @return this.
     */
    public TcpTransportContext secureRandom(final SecureRandom secureRandom)
    {
        this.secureRandom = secureRandom;
        return this;
    }
}

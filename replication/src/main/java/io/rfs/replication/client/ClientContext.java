package io.rfs.replication.client;

import io.rfs.replication.ConsistencyLevel;
import io.rfs.replication.PartitionMode;
import io.rfs.replication.ring.Ring;
import io.rfs.replication.transport.Transport;
import io.rfs.store.ConfigurationException;
import io.rfs.store.chunk.ChunkingPolicy;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.SystemNanoClock;

import java.util.concurrent.TimeUnit;

/**
 * Configuration of an {@link RfsClient}, with documented defaults; {@link #conclude()} checks it and fills them in.
 * {@link ClientProperties} builds one from a client properties file (TCP or shared-memory transport made for you);
 * tests and the embedded cluster set the {@link #transport(Transport)} themselves.
 * <pre>{@code
 * final ClientContext context = new ClientContext()
 *     .ring(ring)                                   // required: who owns what
 *     .transport(transport)                         // required: owned and closed by the client
 *     .clientId(1_000_001)                          // writer id of the versions it writes
 *     .writeConsistency(ConsistencyLevel.QUORUM);
 * }</pre>
 */
public final class ClientContext
{
    /** Key of the cluster's members, {@code id=host:port,...}, as the nodes' own key. */
    public static final String CLUSTER_SEEDS_PROP = "cluster.seeds";
    /** Key of N. */
    public static final String REPLICATION_FACTOR_PROP = "replication.factor";
    /** Key of the transport kind, {@code tcp} or {@code shm}. */
    public static final String TRANSPORT_PROP = "transport";
    /** Key of the secret clients prove to the nodes over TCP. */
    public static final String CLIENT_SECRET_PROP = "client.secret";
    /** Key of the nodes' zones, {@code id=zone,...}. */
    public static final String CLUSTER_ZONES_PROP = "cluster.zones";
    /** Key of the nodes' weights, {@code id=weight,...}. */
    public static final String CLUSTER_WEIGHTS_PROP = "cluster.weights";
    /** Key of the default W. */
    public static final String WRITE_CONSISTENCY_PROP = "write.consistency";
    /** Key of the default R. */
    public static final String READ_CONSISTENCY_PROP = "read.consistency";
    /** Key of this client's id. */
    public static final String CLIENT_ID_PROP = "client.id";
    /** Key of what a put does when fewer than W owners are reachable, as the nodes' own key. */
    public static final String PARTITION_MODE_PROP = "partition.mode";
    /** How each chunk's replica is picked for a read, a {@link BalancerKind}. */
    public static final String BALANCER_PROP = "read.balancer";
    /** Default balancer: least outstanding requests times latency EWMA. */
    public static final BalancerKind BALANCER_DEFAULT = BalancerKind.LEAST_OUTSTANDING;

    /** Default W of a put that names none. */
    public static final ConsistencyLevel WRITE_CONSISTENCY_DEFAULT = ConsistencyLevel.QUORUM;
    /** Default R of a get that names none. */
    public static final ConsistencyLevel READ_CONSISTENCY_DEFAULT = ConsistencyLevel.QUORUM;
    /** Default partition mode: refuse, as the nodes' {@code partition.mode} default. */
    public static final PartitionMode PARTITION_MODE_DEFAULT = QuorumWriter.Context.PARTITION_MODE_DEFAULT;
    /** Default chunks of one put in flight on the network (each held in memory until W owners have it). */
    public static final int PUT_WINDOW_DEFAULT = 8;
    /** Default chunks of one get fetched ahead of the one being written to the caller. */
    public static final int READ_AHEAD_DEFAULT = 8;
    /** Default time one request (a chunk or manifest write, a manifest read, one replica of a fetch) may take. */
    public static final long REQUEST_TIMEOUT_NS_DEFAULT = TimeUnit.SECONDS.toNanos(10);
    /** Default threads that hash, compress and verify chunks. */
    public static final int WORKERS_DEFAULT = Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors()));
    /** Default capacity of the queue from user threads to the client agent, in commands. */
    public static final int COMMAND_QUEUE_CAPACITY_DEFAULT = 4096;
    /** Default most chunk and manifest writes in flight on the agent, over every put. */
    public static final int MAX_WRITES_DEFAULT = 256;
    /** Default most chunk fetches in flight on the agent, over every get. */
    public static final int MAX_FETCHES_DEFAULT = 256;
    /** Default most manifest reads in flight on the agent. */
    public static final int MAX_READS_DEFAULT = 256;

    private Ring ring;
    private Transport transport;
    private int clientId = -1;
    private ConsistencyLevel writeConsistency = WRITE_CONSISTENCY_DEFAULT;
    private ConsistencyLevel readConsistency = READ_CONSISTENCY_DEFAULT;
    private PartitionMode partitionMode = PARTITION_MODE_DEFAULT;
    private ChunkingPolicy chunking = ChunkingPolicy.DEFAULT;
    private int putWindow = PUT_WINDOW_DEFAULT;
    private int readAhead = READ_AHEAD_DEFAULT;
    private long requestTimeoutNs = REQUEST_TIMEOUT_NS_DEFAULT;
    private int workers = WORKERS_DEFAULT;
    private int commandQueueCapacity = COMMAND_QUEUE_CAPACITY_DEFAULT;
    private int maxWrites = MAX_WRITES_DEFAULT;
    private int maxFetches = MAX_FETCHES_DEFAULT;
    private int maxReads = MAX_READS_DEFAULT;
    private BalancerKind balancer = BALANCER_DEFAULT;
    private int healthFailureThreshold = NodeHealth.FAILURE_THRESHOLD_DEFAULT;
    private long healthEjectNs = NodeHealth.EJECT_NS_DEFAULT;
    private BadReplicaListener badReplicaListener = BadReplicaListener.NONE;
    private ChunkCache chunkCache = ChunkCache.NONE;
    private NanoClock nanoClock;
    private EpochClock epochClock;

    /**
     * Checks the settings and fills in defaults.
     *
     * @return this.
     * @throws ConfigurationException naming the first setting that is wrong.
     */
    public ClientContext conclude()
    {
        if (ring == null)
        {
            throw new ConfigurationException("ring", null, "is required");
        }
        if (ring.nodeCount() == 0)
        {
            throw new ConfigurationException("ring", ring, "has no nodes");
        }
        if (transport == null)
        {
            throw new ConfigurationException("transport", null, "is required");
        }
        if (clientId < 0)
        {
            clientId = transport.localNodeId();
        }
        if (ring.contains(clientId))
        {
            throw new ConfigurationException(CLIENT_ID_PROP, clientId, "is the id of a node");
        }
        if (writeConsistency == null)
        {
            throw new ConfigurationException(WRITE_CONSISTENCY_PROP, null, "is required");
        }
        if (readConsistency == null)
        {
            throw new ConfigurationException(READ_CONSISTENCY_PROP, null, "is required");
        }
        if (partitionMode == null)
        {
            throw new ConfigurationException(PARTITION_MODE_PROP, null, "must be consistency or availability");
        }
        if (chunking == null)
        {
            throw new ConfigurationException("chunking", null, "is required");
        }
        checkRange("putWindow", putWindow, 1, 1024);
        checkRange("readAhead", readAhead, 1, 1024);
        checkRange("workers", workers, 1, 256);
        checkRange("commandQueueCapacity", commandQueueCapacity, 2, 1 << 20);
        checkRange("maxWrites", maxWrites, 1, QuorumWriter.Context.MAX_MAX_WRITES);
        checkRange("maxFetches", maxFetches, 1, QuorumReader.Context.MAX_MAX);
        checkRange("maxReads", maxReads, 1, QuorumReader.Context.MAX_MAX);
        checkRange("healthFailureThreshold", healthFailureThreshold, 1, Integer.MAX_VALUE);
        if (requestTimeoutNs <= 0)
        {
            throw new ConfigurationException("requestTimeoutNs", requestTimeoutNs, "must be positive");
        }
        if (healthEjectNs <= 0)
        {
            throw new ConfigurationException("healthEjectNs", healthEjectNs, "must be positive");
        }
        if (balancer == null)
        {
            balancer = BALANCER_DEFAULT;
        }
        if (chunkCache == null)
        {
            chunkCache = ChunkCache.NONE;
        }
        if (badReplicaListener == null)
        {
            badReplicaListener = BadReplicaListener.NONE;
        }
        if (nanoClock == null)
        {
            nanoClock = SystemNanoClock.INSTANCE;
        }
        if (epochClock == null)
        {
            epochClock = SystemEpochClock.INSTANCE;
        }
        final int largestChunk = chunking.maxChunkSize() + 64;
        if (largestChunk > transport.maxMessageLength())
        {
            throw new ConfigurationException("chunking", chunking, "cuts chunks of up to " + chunking.maxChunkSize() +
                " bytes, more than a message of the transport carries (" + transport.maxMessageLength() + ")");
        }
        return this;
    }

    private static void checkRange(final String name, final int value, final int min, final int max)
    {
        if (value < min || value > max)
        {
            throw new ConfigurationException(name, value, "must be " + min + ".." + max);
        }
    }

    public Ring ring()
    {
        return ring;
    }

    /**
     * @param ring the cluster's ring: every key's owners, N. Required. The client sends each request straight to
     *             the owners it names.
     * @return this.
     */
    public ClientContext ring(final Ring ring)
    {
        this.ring = ring;
        return this;
    }

    public Transport transport()
    {
        return transport;
    }

    /**
     * @param transport the client's endpoint, with the client role; required. Owned by the client from
     *                  {@link RfsClient#connect} on (driven by its agent thread, closed with it).
     * @return this.
     */
    public ClientContext transport(final Transport transport)
    {
        this.transport = transport;
        return this;
    }

    public int clientId()
    {
        return clientId;
    }

    /**
     * @param clientId the writer id in the versions this client writes (ties between equal timestamps go to the
     *                 higher id); default the transport's node id. Must not be a node's id.
     * @return this.
     */
    public ClientContext clientId(final int clientId)
    {
        this.clientId = clientId;
        return this;
    }

    public ConsistencyLevel writeConsistency()
    {
        return writeConsistency;
    }

    /**
     * @param level W of the puts and deletes that name none; default {@link #WRITE_CONSISTENCY_DEFAULT}.
     * @return this.
     */
    public ClientContext writeConsistency(final ConsistencyLevel level)
    {
        this.writeConsistency = level;
        return this;
    }

    public ConsistencyLevel readConsistency()
    {
        return readConsistency;
    }

    /**
     * @param level R of the gets and stats that name none; default {@link #READ_CONSISTENCY_DEFAULT}.
     * @return this.
     */
    public ClientContext readConsistency(final ConsistencyLevel level)
    {
        this.readConsistency = level;
        return this;
    }

    public PartitionMode partitionMode()
    {
        return partitionMode;
    }

    /**
     * @param partitionMode what a put does when fewer than W of a key's owners are reachable (PACELC): refuse
     *                      ({@link PartitionMode#CONSISTENCY}) or write to stand-ins with hints
     *                      ({@link PartitionMode#AVAILABILITY}); default {@link #PARTITION_MODE_DEFAULT}. See
     *                      {@link QuorumWriter}.
     * @return this.
     */
    public ClientContext partitionMode(final PartitionMode partitionMode)
    {
        this.partitionMode = partitionMode;
        return this;
    }

    public ChunkingPolicy chunking()
    {
        return chunking;
    }

    /**
     * @param chunking how puts cut files; default {@link ChunkingPolicy#DEFAULT} (fixed 1 MiB). Its largest chunk
     *                 must fit one message of the transport.
     * @return this.
     */
    public ClientContext chunking(final ChunkingPolicy chunking)
    {
        this.chunking = chunking;
        return this;
    }

    public int putWindow()
    {
        return putWindow;
    }

    /**
     * @param putWindow chunks of one put in flight on the network, 1..1024; default {@link #PUT_WINDOW_DEFAULT}.
     *                  A put holds at most this many stored chunks in memory, whatever the file's size.
     * @return this.
     */
    public ClientContext putWindow(final int putWindow)
    {
        this.putWindow = putWindow;
        return this;
    }

    public int readAhead()
    {
        return readAhead;
    }

    /**
     * @param readAhead chunks of one get fetched and verified ahead of the caller, 1..1024; default
     *                  {@link #READ_AHEAD_DEFAULT}. A get holds at most twice this many chunks in memory.
     * @return this.
     */
    public ClientContext readAhead(final int readAhead)
    {
        this.readAhead = readAhead;
        return this;
    }

    public long requestTimeoutNs()
    {
        return requestTimeoutNs;
    }

    /**
     * @param requestTimeoutNs how long one write, one manifest read, or one replica of a chunk fetch may take;
     *                         default {@link #REQUEST_TIMEOUT_NS_DEFAULT}.
     * @return this.
     */
    public ClientContext requestTimeoutNs(final long requestTimeoutNs)
    {
        this.requestTimeoutNs = requestTimeoutNs;
        return this;
    }

    public int workers()
    {
        return workers;
    }

    /**
     * @param workers threads that hash, compress and verify chunks, 1..256; default {@link #WORKERS_DEFAULT}.
     * @return this.
     */
    public ClientContext workers(final int workers)
    {
        this.workers = workers;
        return this;
    }

    public int commandQueueCapacity()
    {
        return commandQueueCapacity;
    }

    /**
     * @param capacity commands user threads may queue for the agent; a full queue makes them wait. Default
     *                 {@link #COMMAND_QUEUE_CAPACITY_DEFAULT}.
     * @return this.
     */
    public ClientContext commandQueueCapacity(final int capacity)
    {
        this.commandQueueCapacity = capacity;
        return this;
    }

    public int maxWrites()
    {
        return maxWrites;
    }

    /**
     * @param maxWrites writes in flight on the agent over all puts; default {@link #MAX_WRITES_DEFAULT}.
     * @return this.
     */
    public ClientContext maxWrites(final int maxWrites)
    {
        this.maxWrites = maxWrites;
        return this;
    }

    public int maxFetches()
    {
        return maxFetches;
    }

    /**
     * @param maxFetches chunk fetches in flight on the agent over all gets; default {@link #MAX_FETCHES_DEFAULT}.
     * @return this.
     */
    public ClientContext maxFetches(final int maxFetches)
    {
        this.maxFetches = maxFetches;
        return this;
    }

    public int maxReads()
    {
        return maxReads;
    }

    /**
     * @param maxReads manifest reads in flight on the agent; default {@link #MAX_READS_DEFAULT}.
     * @return this.
     */
    public ClientContext maxReads(final int maxReads)
    {
        this.maxReads = maxReads;
        return this;
    }

    public BalancerKind balancer()
    {
        return balancer;
    }

    /**
     * @param balancer how each chunk's replica is picked; default {@link #BALANCER_DEFAULT}.
     * @return this.
     */
    public ClientContext balancer(final BalancerKind balancer)
    {
        this.balancer = balancer;
        return this;
    }

    public int healthFailureThreshold()
    {
        return healthFailureThreshold;
    }

    /**
     * @param threshold consecutive failed requests that eject a node from reads; default
     *                  {@link NodeHealth#FAILURE_THRESHOLD_DEFAULT}.
     * @return this.
     */
    public ClientContext healthFailureThreshold(final int threshold)
    {
        this.healthFailureThreshold = threshold;
        return this;
    }

    public long healthEjectNs()
    {
        return healthEjectNs;
    }

    /**
     * @param ejectNs how long an ejected node is skipped by reads; default {@link NodeHealth#EJECT_NS_DEFAULT}.
     * @return this.
     */
    public ClientContext healthEjectNs(final long ejectNs)
    {
        this.healthEjectNs = ejectNs;
        return this;
    }

    public BadReplicaListener badReplicaListener()
    {
        return badReplicaListener;
    }

    /**
     * @param listener told of every bad replica a read finds, on the agent thread; default
     *                 {@link BadReplicaListener#NONE}. {@link RfsClient#badReplicaReports()} counts them either way.
     * @return this.
     */
    public ClientContext badReplicaListener(final BadReplicaListener listener)
    {
        this.badReplicaListener = listener;
        return this;
    }

    public ChunkCache chunkCache()
    {
        return chunkCache;
    }

    /**
     * @param chunkCache where gets look for a chunk before fetching it, and keep the chunks they verify; default
     *                   {@link ChunkCache#NONE}. The S3 gateway sets one (docs/GATEWAY.md, "Chunk cache").
     * @return this.
     */
    public ClientContext chunkCache(final ChunkCache chunkCache)
    {
        this.chunkCache = chunkCache;
        return this;
    }

    public NanoClock nanoClock()
    {
        return nanoClock;
    }

    /**
     * @param nanoClock time for deadlines and health; default the system's monotonic clock.
     * @return this.
     */
    public ClientContext nanoClock(final NanoClock nanoClock)
    {
        this.nanoClock = nanoClock;
        return this;
    }

    public EpochClock epochClock()
    {
        return epochClock;
    }

    /**
     * @param epochClock physical time of the hybrid logical clock that versions puts; default the system clock.
     * @return this.
     */
    public ClientContext epochClock(final EpochClock epochClock)
    {
        this.epochClock = epochClock;
        return this;
    }
}

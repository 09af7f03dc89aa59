package io.rfs.replication.node;

import io.rfs.replication.repair.DigestKey;
import io.rfs.replication.repair.RepairContext;
import io.rfs.replication.ring.Ring;
import io.rfs.replication.ring.RingNode;

import io.rfs.replication.ConsistencyLevel;
import io.rfs.replication.PartitionMode;
import io.rfs.replication.cluster.ClusterContext;
import io.rfs.replication.protocol.ListManifestsRequestDescriptor;
import io.rfs.store.ConfigurationException;
import io.rfs.store.log.Disk;
import org.agrona.BitUtil;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Collections;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Configuration of one node: who it is, where its data lives, how it talks to the cluster, and the bounds of its
 * queues. Each setting has a property name ({@code *_PROP}, the key in a node's properties file, read by
 * {@link NodeProperties}) and, unless it is required, a documented default ({@code *_DEFAULT}).
 * {@code docs/CONFIGURATION.md} lists them all. {@link #conclude()} checks every value and fills in the defaults.
 * <p>
 * Clocks, the disk and the error handler are injected here and nowhere else, so that tests and the simulator run
 * the same node on a cached clock and a faulty disk (DESIGN.md principle 6).
 */
public final class NodeContext
{
    /** This node's id, unique in the cluster, 0 or more. Required. */
    public static final String NODE_ID_PROP = "node.id";
    /** Where peers and clients reach this node, {@code host:port}; the TCP listen address. Required. */
    public static final String NODE_ADDRESS_PROP = "node.address";
    /** Where the node serves {@code /health} and {@code /metrics} over HTTP, {@code host:port}; none by default. */
    public static final String HTTP_ADDRESS_PROP = "http.address";
    /** Failure domain: replicas of a key go to distinct zones where there are enough. */
    public static final String NODE_ZONE_PROP = "node.zone";
    public static final String NODE_ZONE_DEFAULT = "default";
    /** Relative capacity in hundredths: 100 is a standard node, 200 holds twice as much. */
    public static final String NODE_WEIGHT_PROP = "node.weight";
    public static final int NODE_WEIGHT_DEFAULT = 100;
    public static final int MAX_NODE_WEIGHT = 10_000;
    /** The node's data directory ({@code LOCK}, {@code store.meta}, {@code chunks/}, {@code manifests/}). Required. */
    public static final String DATA_DIRECTORY_PROP = "data.directory";
    /** Secret the nodes prove to each other (HMAC); required with TCP. */
    public static final String CLUSTER_SECRET_PROP = "cluster.secret";
    /** Secret clients prove to the nodes over TCP; without it no client can connect. */
    public static final String CLIENT_SECRET_PROP = "client.secret";
    /** Shortest secret accepted, bytes. */
    public static final int MIN_SECRET_LENGTH = 16;
    /** The members this node knows at start, {@code id=host:port,id=host:port}; empty by default. */
    public static final String SEEDS_PROP = "cluster.seeds";
    /**
     * The voting members, {@code id,id,...}; empty (the default) means every seed. A node not among them is a
     * learner: a node added to the ring by {@code rfs cluster add-node}, which follows the log and never votes.
     */
    public static final String VOTERS_PROP = "cluster.voters";
    /** Each seed's zone, {@code id=zone,...}, as clients are given it; the ring the node starts with uses it. */
    public static final String ZONES_PROP = "cluster.zones";
    /** Each seed's weight, {@code id=weight,...}, as clients are given it; the ring the node starts with uses it. */
    public static final String WEIGHTS_PROP = "cluster.weights";
    /** {@code tcp} or {@code shm}. */
    public static final String TRANSPORT_PROP = "transport";
    public static final TransportKind TRANSPORT_DEFAULT = TransportKind.TCP;
    /** Directory of the inbox files of the nodes of one host; default {@code inboxes} beside the data directory. */
    public static final String SHM_DIRECTORY_PROP = "transport.shm.directory";
    public static final String SHM_DIRECTORY_DEFAULT_NAME = "inboxes";
    /** Bytes of each node's shared-memory inbox ring, a power of two. */
    public static final String SHM_INBOX_CAPACITY_PROP = "transport.shm.inbox.capacity";
    public static final int SHM_INBOX_CAPACITY_DEFAULT = 64 * 1024 * 1024;
    /** N: copies of every chunk and manifest. */
    public static final String REPLICATION_FACTOR_PROP = "replication.factor";
    public static final int REPLICATION_FACTOR_DEFAULT = 3;
    /** W of a put unless the request says otherwise. */
    public static final String WRITE_CONSISTENCY_PROP = "write.consistency";
    public static final ConsistencyLevel WRITE_CONSISTENCY_DEFAULT = ConsistencyLevel.QUORUM;
    /** R of a get unless the request says otherwise. */
    public static final String READ_CONSISTENCY_PROP = "read.consistency";
    public static final ConsistencyLevel READ_CONSISTENCY_DEFAULT = ConsistencyLevel.QUORUM;
    /** Bytes of the ring that carries requests to the storage agent; a power of two, an eighth of it per request. */
    public static final String STORAGE_QUEUE_CAPACITY_PROP = "storage.queue.capacity";
    public static final int STORAGE_QUEUE_CAPACITY_DEFAULT = 64 * 1024 * 1024;
    /** Bytes of the ring that carries results back from the storage agent; a power of two. */
    public static final String STORAGE_RESULTS_CAPACITY_PROP = "storage.results.capacity";
    public static final int STORAGE_RESULTS_CAPACITY_DEFAULT = 16 * 1024 * 1024;
    /** Most writes in one group commit (one force per log). */
    public static final String STORAGE_BATCH_LIMIT_PROP = "storage.batch.limit";
    public static final int STORAGE_BATCH_LIMIT_DEFAULT = 256;
    /**
     * A test and benchmark knob: how long the storage agent waits before it serves each chunk read, as a slow disk
     * would make it; 0, the default, for none. {@code rfs bench -w balancers} slows one node down with it.
     */
    public static final String STORAGE_CHUNK_READ_DELAY_PROP = "storage.chunk.read.delay";
    public static final long STORAGE_CHUNK_READ_DELAY_NS_DEFAULT = 0;
    /** Longest {@link #STORAGE_CHUNK_READ_DELAY_PROP}: a second per read already stalls every request of the node. */
    public static final long MAX_STORAGE_CHUNK_READ_DELAY_NS = TimeUnit.SECONDS.toNanos(1);
    /** Bytes per chunk segment file. */
    public static final String CHUNK_SEGMENT_CAPACITY_PROP = "storage.chunk.segment.capacity";
    public static final int CHUNK_SEGMENT_CAPACITY_DEFAULT = 256 * 1024 * 1024;
    /** Garbage bytes in the chunk log (dropped, quarantined, superseded records) that start a compaction; 0: never. */
    public static final String COMPACTION_GARBAGE_THRESHOLD_PROP = "storage.compaction.garbage.threshold";
    public static final int COMPACTION_GARBAGE_THRESHOLD_DEFAULT = 64 * 1024 * 1024;
    /** Most chunk segments one compaction rewrites, which bounds how long it holds up the storage thread. */
    public static final String COMPACTION_MAX_SEGMENTS_PROP = "storage.compaction.max.segments";
    public static final int COMPACTION_MAX_SEGMENTS_DEFAULT = 1;
    /** Least share of garbage, in percent, for a chunk segment to be rewritten by a compaction. */
    public static final String COMPACTION_MIN_GARBAGE_PERCENT_PROP = "storage.compaction.min.garbage.percent";
    public static final int COMPACTION_MIN_GARBAGE_PERCENT_DEFAULT = 10;
    /**
     * Bytes of live records one compaction step copies (or of a rewritten file one step frees) before the storage
     * thread serves requests again.
     */
    public static final String COMPACTION_STEP_BYTES_PROP = "storage.compaction.step.bytes";
    public static final int COMPACTION_STEP_BYTES_DEFAULT = 4 * 1024 * 1024;
    /** Garbage bytes in the manifest log (superseded versions, dropped names) that start a compaction; 0: never. */
    public static final String MANIFEST_COMPACTION_GARBAGE_THRESHOLD_PROP =
        "storage.manifest.compaction.garbage.threshold";
    public static final int MANIFEST_COMPACTION_GARBAGE_THRESHOLD_DEFAULT = 4 * 1024 * 1024;
    /**
     * Age (of its version, by this node's clock) after which a tombstone is forgotten: long enough for every replica
     * to have the delete through hinted handoff or manifest repair (NODE.md "Tombstones").
     */
    public static final String TOMBSTONE_GRACE_PROP = "storage.tombstone.grace";
    public static final long TOMBSTONE_GRACE_NS_DEFAULT = TimeUnit.HOURS.toNanos(1);
    /** Bytes per manifest segment file. */
    public static final String MANIFEST_SEGMENT_CAPACITY_PROP = "storage.manifest.segment.capacity";
    public static final int MANIFEST_SEGMENT_CAPACITY_DEFAULT = 16 * 1024 * 1024;
    /** Most messages the network agent takes from the transport in one duty cycle. */
    public static final String POLL_LIMIT_PROP = "network.poll.limit";
    public static final int POLL_LIMIT_DEFAULT = 64;
    /** How long a response may wait for room towards its requester before it is dropped. */
    public static final String RESPONSE_TIMEOUT_PROP = "network.response.timeout";
    public static final long RESPONSE_TIMEOUT_NS_DEFAULT = TimeUnit.SECONDS.toNanos(1);
    /** Most entries in one page of a manifest listing (requests may ask for fewer). */
    public static final String LIST_MAX_ENTRIES_PROP = "list.max.entries";
    public static final int LIST_MAX_ENTRIES_DEFAULT = ListManifestsRequestDescriptor.MAX_ENTRIES;
    /** What a put does when fewer than W owners are reachable: {@code consistency} or {@code availability}. */
    public static final String PARTITION_MODE_PROP = "partition.mode";
    public static final PartitionMode PARTITION_MODE_DEFAULT = PartitionMode.CONSISTENCY;
    /** Most hints a node keeps undelivered; hinted writes beyond are refused with {@code HINTS_FULL}. */
    public static final String HANDOFF_MAX_HINTS_PROP = "handoff.max.hints";
    public static final int HANDOFF_MAX_HINTS_DEFAULT = 100_000;
    /** First wait before a target that failed a handoff is tried again; doubled per failure up to 16 times it. */
    public static final String HANDOFF_RETRY_INTERVAL_PROP = "handoff.retry.interval";
    public static final long HANDOFF_RETRY_INTERVAL_NS_DEFAULT = TimeUnit.SECONDS.toNanos(1);
    /** Most handoff requests in flight from this node, over all targets. */
    public static final String HANDOFF_MAX_IN_FLIGHT_PROP = "handoff.max.in.flight";
    public static final int HANDOFF_MAX_IN_FLIGHT_DEFAULT = 4;
    /** How long a handoff request waits for the target's answer. */
    public static final String HANDOFF_REQUEST_TIMEOUT_PROP = "handoff.request.timeout";
    public static final long HANDOFF_REQUEST_TIMEOUT_NS_DEFAULT = TimeUnit.SECONDS.toNanos(5);
    /** {@code dedicated} (a thread per agent) or {@code shared} (one thread). */
    public static final String THREADING_PROP = "threading";
    public static final ThreadingMode THREADING_DEFAULT = ThreadingMode.DEDICATED;
    /** How long a graceful stop waits for requests in progress to finish. */
    public static final String SHUTDOWN_TIMEOUT_PROP = "shutdown.timeout";
    public static final long SHUTDOWN_TIMEOUT_NS_DEFAULT = TimeUnit.SECONDS.toNanos(10);

    /** Time between heartbeats to each member, and between the leader's log replication messages. */
    public static final String HEARTBEAT_INTERVAL_PROP = "heartbeat.interval";
    public static final long HEARTBEAT_INTERVAL_NS_DEFAULT = ClusterContext.HEARTBEAT_INTERVAL_NS_DEFAULT;
    /** Least time without a leader before a node stands for election; each timeout is drawn from [t, 2t). */
    public static final String ELECTION_TIMEOUT_PROP = "election.timeout";
    public static final long ELECTION_TIMEOUT_NS_DEFAULT = ClusterContext.ELECTION_TIMEOUT_NS_DEFAULT;
    /** Phi from which the failure detector declares a member down. */
    public static final String FAILURE_PHI_THRESHOLD_PROP = "failure.phi.threshold";
    public static final double FAILURE_PHI_THRESHOLD_DEFAULT = ClusterContext.PHI_THRESHOLD_DEFAULT;
    /** Phi from which the failure detector reports a member suspect. */
    public static final String FAILURE_PHI_SUSPECT_PROP = "failure.phi.suspect";
    public static final double FAILURE_PHI_SUSPECT_DEFAULT = ClusterContext.PHI_SUSPECT_THRESHOLD_DEFAULT;
    /** Heartbeat intervals the failure detector remembers per member. */
    public static final String FAILURE_WINDOW_PROP = "failure.window";
    public static final int FAILURE_WINDOW_DEFAULT = ClusterContext.FAILURE_WINDOW_DEFAULT;
    /** Floor on the standard deviation of heartbeat intervals. */
    public static final String FAILURE_MIN_DEVIATION_PROP = "failure.min.deviation";
    public static final long FAILURE_MIN_DEVIATION_NS_DEFAULT = ClusterContext.FAILURE_MIN_DEVIATION_NS_DEFAULT;
    /** Pause a member may take on top of its mean heartbeat interval before phi starts to rise. */
    public static final String FAILURE_ACCEPTABLE_PAUSE_PROP = "failure.acceptable.pause";
    public static final long FAILURE_ACCEPTABLE_PAUSE_NS_DEFAULT =
        ClusterContext.FAILURE_ACCEPTABLE_PAUSE_NS_DEFAULT;
    /** Where the vote file and the cluster-metadata log live, inside the data directory. */
    public static final String CLUSTER_DIRECTORY_NAME = "cluster";

    /** Smallest ring for either storage queue. */
    public static final int MIN_QUEUE_CAPACITY = 64 * 1024;
    private static final Pattern ZONE = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private int nodeId = -1;
    private String address;
    private String httpAddress;
    private String zone = NODE_ZONE_DEFAULT;
    private int weight = NODE_WEIGHT_DEFAULT;
    private Path dataDirectory;
    private byte[] clusterSecret;
    private byte[] clientSecret;
    private final SortedMap<Integer, String> seeds = new TreeMap<>();
    private final SortedSet<Integer> voters = new TreeSet<>();
    private final SortedMap<Integer, String> seedZones = new TreeMap<>();
    private final SortedMap<Integer, Integer> seedWeights = new TreeMap<>();
    private TransportKind transport = TRANSPORT_DEFAULT;
    private Path shmDirectory;
    private int shmInboxCapacity = SHM_INBOX_CAPACITY_DEFAULT;
    private int replicationFactor = REPLICATION_FACTOR_DEFAULT;
    private ConsistencyLevel writeConsistency = WRITE_CONSISTENCY_DEFAULT;
    private ConsistencyLevel readConsistency = READ_CONSISTENCY_DEFAULT;
    private int storageQueueCapacity = STORAGE_QUEUE_CAPACITY_DEFAULT;
    private int storageResultsCapacity = STORAGE_RESULTS_CAPACITY_DEFAULT;
    private int storageBatchLimit = STORAGE_BATCH_LIMIT_DEFAULT;
    private int compactionGarbageThreshold = COMPACTION_GARBAGE_THRESHOLD_DEFAULT;
    private int compactionMaxSegments = COMPACTION_MAX_SEGMENTS_DEFAULT;
    private int compactionMinGarbagePercent = COMPACTION_MIN_GARBAGE_PERCENT_DEFAULT;
    private int compactionStepBytes = COMPACTION_STEP_BYTES_DEFAULT;
    private int manifestCompactionGarbageThreshold = MANIFEST_COMPACTION_GARBAGE_THRESHOLD_DEFAULT;
    private long tombstoneGraceNs = TOMBSTONE_GRACE_NS_DEFAULT;
    private long storageChunkReadDelayNs = STORAGE_CHUNK_READ_DELAY_NS_DEFAULT;
    private int chunkSegmentCapacity = CHUNK_SEGMENT_CAPACITY_DEFAULT;
    private int manifestSegmentCapacity = MANIFEST_SEGMENT_CAPACITY_DEFAULT;
    private int pollLimit = POLL_LIMIT_DEFAULT;
    private long responseTimeoutNs = RESPONSE_TIMEOUT_NS_DEFAULT;
    private int listMaxEntries = LIST_MAX_ENTRIES_DEFAULT;
    private PartitionMode partitionMode = PARTITION_MODE_DEFAULT;
    private int handoffMaxHints = HANDOFF_MAX_HINTS_DEFAULT;
    private long handoffRetryIntervalNs = HANDOFF_RETRY_INTERVAL_NS_DEFAULT;
    private int handoffMaxInFlight = HANDOFF_MAX_IN_FLIGHT_DEFAULT;
    private long handoffRequestTimeoutNs = HANDOFF_REQUEST_TIMEOUT_NS_DEFAULT;
    private ThreadingMode threading = THREADING_DEFAULT;
    private long shutdownTimeoutNs = SHUTDOWN_TIMEOUT_NS_DEFAULT;
    private long heartbeatIntervalNs = HEARTBEAT_INTERVAL_NS_DEFAULT;
    private long electionTimeoutNs = ELECTION_TIMEOUT_NS_DEFAULT;
    private double failurePhiThreshold = FAILURE_PHI_THRESHOLD_DEFAULT;
    private double failurePhiSuspect = FAILURE_PHI_SUSPECT_DEFAULT;
    private int failureWindow = FAILURE_WINDOW_DEFAULT;
    private long failureMinDeviationNs = FAILURE_MIN_DEVIATION_NS_DEFAULT;
    private long failureAcceptablePauseNs = FAILURE_ACCEPTABLE_PAUSE_NS_DEFAULT;
    private SplittableRandom random;
    private ClusterContext clusterContext;
    private final RepairContext repairContext = new RepairContext();
    private final ScrubContext scrubContext = new ScrubContext();
    private NanoClock nanoClock;
    private EpochClock epochClock;
    private Disk disk;
    private ErrorHandler errorHandler;
    private PrintStream notes = System.out;
    private boolean concluded;

    /**
     * Checks every setting and fills in defaults; calling it again does nothing.
     *
     * @return this.
     * @throws ConfigurationException naming the first setting that is wrong, by its property name.
     */
    public NodeContext conclude()
    {
        if (concluded)
        {
            return this;
        }
        if (nodeId < 0)
        {
            throw new ConfigurationException(NODE_ID_PROP, nodeId < -1 ? nodeId : "(not set)",
                "is required: a node id, 0 or more");
        }
        checkAddress(NODE_ADDRESS_PROP, address, 1);
        if (httpAddress != null)
        {
            checkAddress(HTTP_ADDRESS_PROP, httpAddress, 0);
        }
        if (!ZONE.matcher(zone == null ? "" : zone).matches())
        {
            throw new ConfigurationException(NODE_ZONE_PROP, zone, "must be 1..64 characters from [A-Za-z0-9._-]");
        }
        checkRange(NODE_WEIGHT_PROP, weight, 1, MAX_NODE_WEIGHT);
        if (dataDirectory == null)
        {
            throw new ConfigurationException(DATA_DIRECTORY_PROP, "(not set)", "is required: the node's directory");
        }
        checkSecret(CLUSTER_SECRET_PROP, clusterSecret);
        checkSecret(CLIENT_SECRET_PROP, clientSecret);
        if (transport == TransportKind.TCP && clusterSecret == null)
        {
            throw new ConfigurationException(CLUSTER_SECRET_PROP, "(not set)", "is required with transport=tcp");
        }
        for (final var seed : seeds.entrySet())
        {
            checkAddress(SEEDS_PROP + "[" + seed.getKey() + "]", seed.getValue(), 1);
            if (seed.getKey() == nodeId && !seed.getValue().equals(address))
            {
                throw new ConfigurationException(SEEDS_PROP + "[" + nodeId + "]", seed.getValue(),
                    "names this node with another address than " + NODE_ADDRESS_PROP + "=" + address);
            }
        }
        if (shmDirectory == null)
        {
            final Path data = dataDirectory.toAbsolutePath();
            shmDirectory = (data.getParent() == null ? data : data.getParent()).resolve(SHM_DIRECTORY_DEFAULT_NAME);
        }
        checkPowerOfTwo(SHM_INBOX_CAPACITY_PROP, shmInboxCapacity, MIN_QUEUE_CAPACITY);
        checkRange(REPLICATION_FACTOR_PROP, replicationFactor, 1, 64);
        checkPowerOfTwo(STORAGE_QUEUE_CAPACITY_PROP, storageQueueCapacity, MIN_QUEUE_CAPACITY);
        checkPowerOfTwo(STORAGE_RESULTS_CAPACITY_PROP, storageResultsCapacity, MIN_QUEUE_CAPACITY);
        checkRange(STORAGE_BATCH_LIMIT_PROP, storageBatchLimit, 1, 65_536);
        checkRange(COMPACTION_GARBAGE_THRESHOLD_PROP, compactionGarbageThreshold, 0, Integer.MAX_VALUE);
        checkRange(COMPACTION_MAX_SEGMENTS_PROP, compactionMaxSegments, 1, 1024);
        checkRange(COMPACTION_MIN_GARBAGE_PERCENT_PROP, compactionMinGarbagePercent, 1, 100);
        checkRange(COMPACTION_STEP_BYTES_PROP, compactionStepBytes, 64 * 1024, 256 * 1024 * 1024);
        checkRange(MANIFEST_COMPACTION_GARBAGE_THRESHOLD_PROP, manifestCompactionGarbageThreshold, 0,
            Integer.MAX_VALUE);
        if (tombstoneGraceNs < TimeUnit.SECONDS.toNanos(1))
        {
            throw new ConfigurationException(TOMBSTONE_GRACE_PROP, tombstoneGraceNs + "ns", "must be at least 1s");
        }
        if (chunkSegmentCapacity < 1024 * 1024 || chunkSegmentCapacity % 8 != 0)
        {
            throw new ConfigurationException(CHUNK_SEGMENT_CAPACITY_PROP, chunkSegmentCapacity,
                "must be a multiple of 8 and at least 1M");
        }
        if (manifestSegmentCapacity < 1024 * 1024 || manifestSegmentCapacity % 8 != 0)
        {
            throw new ConfigurationException(MANIFEST_SEGMENT_CAPACITY_PROP, manifestSegmentCapacity,
                "must be a multiple of 8 and at least 1M");
        }
        checkRange(POLL_LIMIT_PROP, pollLimit, 1, 65_536);
        if (responseTimeoutNs <= 0)
        {
            throw new ConfigurationException(RESPONSE_TIMEOUT_PROP, responseTimeoutNs + "ns", "must be positive");
        }
        checkRange(LIST_MAX_ENTRIES_PROP, listMaxEntries, 1, ListManifestsRequestDescriptor.MAX_ENTRIES);
        if (partitionMode == null)
        {
            throw new ConfigurationException(PARTITION_MODE_PROP, "null", "must be consistency or availability");
        }
        checkRange(HANDOFF_MAX_HINTS_PROP, handoffMaxHints, 1, 100_000_000);
        checkRange(HANDOFF_MAX_IN_FLIGHT_PROP, handoffMaxInFlight, 1, 1024);
        if (handoffRetryIntervalNs <= 0)
        {
            throw new ConfigurationException(
                HANDOFF_RETRY_INTERVAL_PROP, handoffRetryIntervalNs + "ns", "must be positive");
        }
        if (handoffRequestTimeoutNs <= 0)
        {
            throw new ConfigurationException(
                HANDOFF_REQUEST_TIMEOUT_PROP, handoffRequestTimeoutNs + "ns", "must be positive");
        }
        if (storageChunkReadDelayNs < 0 || storageChunkReadDelayNs > MAX_STORAGE_CHUNK_READ_DELAY_NS)
        {
            throw new ConfigurationException(STORAGE_CHUNK_READ_DELAY_PROP, storageChunkReadDelayNs + "ns",
                "must be 0..1s");
        }
        if (shutdownTimeoutNs < 0)
        {
            throw new ConfigurationException(SHUTDOWN_TIMEOUT_PROP, shutdownTimeoutNs + "ns", "must not be negative");
        }
        if (nanoClock == null)
        {
            nanoClock = SystemNanoClock.INSTANCE;
        }
        if (epochClock == null)
        {
            epochClock = SystemEpochClock.INSTANCE;
        }
        if (disk == null)
        {
            disk = new Disk();
        }
        if (errorHandler == null)
        {
            final int id = nodeId;
            errorHandler = throwable ->
            {
                System.err.println("rfs node " + id + ": " + throwable);
                throwable.printStackTrace(System.err);
            };
        }
        if (random == null)
        {
            random = new SplittableRandom();
        }
        clusterContext = newClusterContext().conclude();
        concludeRepair();
        concluded = true;
        return this;
    }

    /**
     * Repair's ring defaults to the seeds' ring as a client builds it (docs/CLUSTER.md, {@code client.properties}):
     * every seed with its {@code cluster.zones} zone and {@code cluster.weights} weight (default zone, standard
     * weight), N = {@code replication.factor}.
     */
    private void concludeRepair()
    {
        if (repairContext.ring() == null && !seeds.isEmpty() && replicationFactor <= Ring.MAX_REPLICATION_FACTOR)
        {
            final List<RingNode> nodes = new ArrayList<>();
            for (final var seed : seeds.entrySet())
            {
                final int id = seed.getKey();
                try
                {
                    nodes.add(new RingNode(id, seed.getValue(),
                        seedWeights.getOrDefault(id, RingNode.STANDARD_WEIGHT),
                        seedZones.getOrDefault(id, RingNode.DEFAULT_ZONE)));
                }
                catch (final IllegalArgumentException ex)
                {
                    throw new ConfigurationException(ZONES_PROP + "/" + WEIGHTS_PROP, id, ex.getMessage());
                }
            }
            repairContext.ring(Ring.empty(replicationFactor, Ring.DEFAULT_VNODES).withNodes(nodes));
        }
        if (repairContext.digestKey() == null)
        {
            repairContext.digestKey(DigestKey.of(clusterSecret));
        }
        repairContext.conclude();
        scrubContext.conclude();
    }

    /**
     * @return the background scrub's settings ({@code scrub.*}); change them before {@link #conclude()}.
     */
    public ScrubContext scrubContext()
    {
        return scrubContext;
    }

    /**
     * @return the repair settings ({@code repair.*}); change them before {@link #conclude()}.
     */
    public RepairContext repairContext()
    {
        return repairContext;
    }

    private ClusterContext newClusterContext()
    {
        final ClusterContext cluster = new ClusterContext()
            .nodeId(nodeId)
            .directory(dataDirectory.resolve(CLUSTER_DIRECTORY_NAME))
            .heartbeatIntervalNs(heartbeatIntervalNs)
            .electionTimeoutNs(electionTimeoutNs)
            .phiThreshold(failurePhiThreshold)
            .phiSuspectThreshold(failurePhiSuspect)
            .failureWindow(failureWindow)
            .failureMinDeviationNs(failureMinDeviationNs)
            .failureAcceptablePauseNs(failureAcceptablePauseNs)
            .nanoClock(nanoClock)
            .random(random)
            .disk(disk)
            .errorHandler(errorHandler);
        for (final int member : voters.isEmpty() ? seeds.keySet() : voters)
        {
            cluster.member(member);
        }
        return cluster.voter(voters.isEmpty() || voters.contains(nodeId));
    }

    private static void checkAddress(final String name, final String hostPort, final int minPort)
    {
        if (hostPort == null)
        {
            throw new ConfigurationException(name, "(not set)", "is required: host:port");
        }
        final int colon = hostPort.lastIndexOf(':');
        if (colon < 1 || colon == hostPort.length() - 1 || hostPort.length() > 255 || hostPort.contains(" "))
        {
            throw new ConfigurationException(name, hostPort, "must be host:port");
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
        if (port < minPort || port > 65_535)
        {
            throw new ConfigurationException(name, hostPort, "port must be " + minPort + "..65535");
        }
    }

    private static void checkSecret(final String name, final byte[] secret)
    {
        if (secret != null && secret.length < MIN_SECRET_LENGTH)
        {
            throw new ConfigurationException(name + ".length", secret.length,
                "must be at least " + MIN_SECRET_LENGTH + " bytes (use 32 random characters)");
        }
    }

    private static void checkRange(final String name, final long value, final long min, final long max)
    {
        if (value < min || value > max)
        {
            throw new ConfigurationException(name, value, "must be " + min + ".." + max);
        }
    }

    private static void checkPowerOfTwo(final String name, final int value, final int min)
    {
        if (value < min || !BitUtil.isPowerOfTwo(value))
        {
            throw new ConfigurationException(name, value, "must be a power of two, at least " + min);
        }
    }

    /**
     * @return the largest record a ring of {@code capacity} bytes carries (an eighth, as Agrona allows, less the
     * record header).
     */
    static int maxRecordLength(final int capacity)
    {
        return capacity / 8 - org.agrona.concurrent.ringbuffer.RecordDescriptor.HEADER_LENGTH;
    }

    /**
     * @return bytes to allocate for a ring of {@code capacity}: the records and Agrona's trailer.
     */
    static int ringLength(final int capacity)
    {
        return capacity + RingBufferDescriptor.TRAILER_LENGTH;
    }

    public int nodeId()
    {
        return nodeId;
    }

    /**
     * @param nodeId this node's id, unique in the cluster, 0 or more; required. A data directory remembers the id
     *               it was created with and refuses another.
     * @return this.
     */
    public NodeContext nodeId(final int nodeId)
    {
        this.nodeId = nodeId;
        return this;
    }

    public String address()
    {
        return address;
    }

    /**
     * @param address {@code host:port} where peers and clients reach this node; required.
     * @return this.
     */
    public NodeContext address(final String address)
    {
        this.address = address;
        return this;
    }

    /**
     * @return where {@code /health} and {@code /metrics} are served, {@code host:port}, or null for nowhere.
     */
    public String httpAddress()
    {
        return httpAddress;
    }

    /**
     * @param httpAddress {@code host:port} to serve {@code /health} and {@code /metrics} on (port 0: any free
     *                    port), or null (the default) to serve no HTTP.
     * @return this.
     */
    public NodeContext httpAddress(final String httpAddress)
    {
        this.httpAddress = httpAddress;
        return this;
    }

    public String zone()
    {
        return zone;
    }

    /**
     * @param zone failure domain, 1..64 characters from {@code [A-Za-z0-9._-]}; default {@link #NODE_ZONE_DEFAULT}.
     * @return this.
     */
    public NodeContext zone(final String zone)
    {
        this.zone = zone;
        return this;
    }

    public int weight()
    {
        return weight;
    }

    /**
     * @param weight relative capacity in hundredths, 1..{@link #MAX_NODE_WEIGHT}; default
     *               {@link #NODE_WEIGHT_DEFAULT}.
     * @return this.
     */
    public NodeContext weight(final int weight)
    {
        this.weight = weight;
        return this;
    }

    public Path dataDirectory()
    {
        return dataDirectory;
    }

    /**
     * @param dataDirectory the node's data directory, created if absent; required.
     * @return this.
     */
    public NodeContext dataDirectory(final Path dataDirectory)
    {
        this.dataDirectory = dataDirectory;
        return this;
    }

    /**
     * @return the nodes' shared secret, or null; never logged.
     */
    public byte[] clusterSecret()
    {
        return clusterSecret;
    }

    /**
     * @param clusterSecret at least {@link #MIN_SECRET_LENGTH} bytes; required with {@link TransportKind#TCP}.
     * @return this.
     */
    public NodeContext clusterSecret(final byte[] clusterSecret)
    {
        this.clusterSecret = clusterSecret;
        return this;
    }

    /**
     * @return the clients' shared secret, or null; never logged.
     */
    public byte[] clientSecret()
    {
        return clientSecret;
    }

    /**
     * @param clientSecret at least {@link #MIN_SECRET_LENGTH} bytes; clients must prove it over TCP.
     * @return this.
     */
    public NodeContext clientSecret(final byte[] clientSecret)
    {
        this.clientSecret = clientSecret;
        return this;
    }

    /**
     * @return the seed members, id to {@code host:port}, unmodifiable.
     */
    public SortedMap<Integer, String> seeds()
    {
        return Collections.unmodifiableSortedMap(seeds);
    }

    /**
     * Adds a seed member: a node this node knows at start. Messages from members are treated as from nodes;
     * anything else that reaches the node is a client's.
     *
     * @param nodeId  its id.
     * @param address its {@code host:port}.
     * @return this.
     */
    /**
     * @param nodeId a seed.
     * @param zone   its zone in the ring the node starts with.
     * @return this.
     */
    public NodeContext seedZone(final int nodeId, final String zone)
    {
        seedZones.put(nodeId, zone);
        return this;
    }

    /**
     * @param nodeId a seed.
     * @param weight its weight in the ring the node starts with.
     * @return this.
     */
    public NodeContext seedWeight(final int nodeId, final int weight)
    {
        seedWeights.put(nodeId, weight);
        return this;
    }

    /**
     * @return the voting members given, empty if every seed votes.
     */
    public SortedSet<Integer> voters()
    {
        return Collections.unmodifiableSortedSet(voters);
    }

    /**
     * Adds a voting member; once any is given, only those given vote ({@link #VOTERS_PROP}).
     *
     * @param nodeId a voting member's id.
     * @return this.
     */
    public NodeContext voter(final int nodeId)
    {
        if (nodeId < 0)
        {
            throw new ConfigurationException(VOTERS_PROP, nodeId, "node ids are 0 or more");
        }
        voters.add(nodeId);
        return this;
    }

    public NodeContext seed(final int nodeId, final String address)
    {
        if (nodeId < 0)
        {
            throw new ConfigurationException(SEEDS_PROP, nodeId + "=" + address, "node ids are 0 or more");
        }
        seeds.put(nodeId, address);
        return this;
    }

    public TransportKind transport()
    {
        return transport;
    }

    /**
     * @param transport the transport to serve on; default {@link #TRANSPORT_DEFAULT}.
     * @return this.
     */
    public NodeContext transport(final TransportKind transport)
    {
        this.transport = transport;
        return this;
    }

    public Path shmDirectory()
    {
        return shmDirectory;
    }

    /**
     * @param shmDirectory where the inbox files of the host's nodes live, writable by the cluster's user only;
     *                     created if absent. Default {@value #SHM_DIRECTORY_DEFAULT_NAME} beside the data directory,
     *                     so the nodes of {@code rfs cluster start} share one.
     * @return this.
     */
    public NodeContext shmDirectory(final Path shmDirectory)
    {
        this.shmDirectory = shmDirectory;
        return this;
    }

    public int shmInboxCapacity()
    {
        return shmInboxCapacity;
    }

    /**
     * @param shmInboxCapacity bytes of this node's inbox ring, a power of two; the largest frame is an eighth of it.
     *                         Default {@link #SHM_INBOX_CAPACITY_DEFAULT}.
     * @return this.
     */
    public NodeContext shmInboxCapacity(final int shmInboxCapacity)
    {
        this.shmInboxCapacity = shmInboxCapacity;
        return this;
    }

    public int replicationFactor()
    {
        return replicationFactor;
    }

    /**
     * @param replicationFactor N, copies of each chunk and manifest, 1..64; default
     *                          {@link #REPLICATION_FACTOR_DEFAULT}. Used by the coordinator, not by the node server.
     * @return this.
     */
    public NodeContext replicationFactor(final int replicationFactor)
    {
        this.replicationFactor = replicationFactor;
        return this;
    }

    public ConsistencyLevel writeConsistency()
    {
        return writeConsistency;
    }

    /**
     * @param writeConsistency W of a put that names none; default {@link #WRITE_CONSISTENCY_DEFAULT}.
     * @return this.
     */
    public NodeContext writeConsistency(final ConsistencyLevel writeConsistency)
    {
        this.writeConsistency = writeConsistency;
        return this;
    }

    public ConsistencyLevel readConsistency()
    {
        return readConsistency;
    }

    /**
     * @param readConsistency R of a get that names none; default {@link #READ_CONSISTENCY_DEFAULT}.
     * @return this.
     */
    public NodeContext readConsistency(final ConsistencyLevel readConsistency)
    {
        this.readConsistency = readConsistency;
        return this;
    }

    public int storageQueueCapacity()
    {
        return storageQueueCapacity;
    }

    /**
     * @param storageQueueCapacity bytes of the ring of requests waiting for the storage agent, a power of two. A
     *                             full ring answers {@code Error OVERLOADED}. An eighth of it must take the largest
     *                             message the transport carries. Default {@link #STORAGE_QUEUE_CAPACITY_DEFAULT}.
     * @return this.
     */
    public NodeContext storageQueueCapacity(final int storageQueueCapacity)
    {
        this.storageQueueCapacity = storageQueueCapacity;
        return this;
    }

    public int storageResultsCapacity()
    {
        return storageResultsCapacity;
    }

    /**
     * @param storageResultsCapacity bytes of the ring of results waiting to be sent, a power of two; an eighth of
     *                               it bounds a listing page and a chunk sent uncompressed to a requester that does
     *                               not accept LZ4. Default {@link #STORAGE_RESULTS_CAPACITY_DEFAULT}.
     * @return this.
     */
    public NodeContext storageResultsCapacity(final int storageResultsCapacity)
    {
        this.storageResultsCapacity = storageResultsCapacity;
        return this;
    }

    public int storageBatchLimit()
    {
        return storageBatchLimit;
    }

    /**
     * @param storageBatchLimit most writes acknowledged by one force; default {@link #STORAGE_BATCH_LIMIT_DEFAULT}.
     * @return this.
     */
    public NodeContext storageBatchLimit(final int storageBatchLimit)
    {
        this.storageBatchLimit = storageBatchLimit;
        return this;
    }

    public int compactionGarbageThreshold()
    {
        return compactionGarbageThreshold;
    }

    /**
     * @param compactionGarbageThreshold garbage bytes in the chunk log that start a compaction on the storage thread,
     *                                   0 for none; default {@link #COMPACTION_GARBAGE_THRESHOLD_DEFAULT}.
     * @return this.
     */
    public NodeContext compactionGarbageThreshold(final int compactionGarbageThreshold)
    {
        this.compactionGarbageThreshold = compactionGarbageThreshold;
        return this;
    }

    public int compactionMaxSegments()
    {
        return compactionMaxSegments;
    }

    /**
     * @param compactionMaxSegments most chunk segments one compaction rewrites, 1..1024; default
     *                              {@link #COMPACTION_MAX_SEGMENTS_DEFAULT}.
     * @return this.
     */
    public NodeContext compactionMaxSegments(final int compactionMaxSegments)
    {
        this.compactionMaxSegments = compactionMaxSegments;
        return this;
    }

    public int compactionMinGarbagePercent()
    {
        return compactionMinGarbagePercent;
    }

    /**
     * @param compactionMinGarbagePercent least share of garbage, 1..100 percent, for a chunk segment to be rewritten;
     *                                    default {@link #COMPACTION_MIN_GARBAGE_PERCENT_DEFAULT}.
     * @return this.
     */
    public NodeContext compactionMinGarbagePercent(final int compactionMinGarbagePercent)
    {
        this.compactionMinGarbagePercent = compactionMinGarbagePercent;
        return this;
    }

    public int compactionStepBytes()
    {
        return compactionStepBytes;
    }

    /**
     * @param compactionStepBytes bytes of live records one compaction step copies on the storage thread (a record is
     *                            never split), 64K..256M; default {@link #COMPACTION_STEP_BYTES_DEFAULT}.
     * @return this.
     */
    public NodeContext compactionStepBytes(final int compactionStepBytes)
    {
        this.compactionStepBytes = compactionStepBytes;
        return this;
    }

    public int manifestCompactionGarbageThreshold()
    {
        return manifestCompactionGarbageThreshold;
    }

    /**
     * @param manifestCompactionGarbageThreshold garbage bytes in the manifest log that start a compaction of it on
     *                                           the storage thread, 0 for none; default
     *                                           {@link #MANIFEST_COMPACTION_GARBAGE_THRESHOLD_DEFAULT}.
     * @return this.
     */
    public NodeContext manifestCompactionGarbageThreshold(final int manifestCompactionGarbageThreshold)
    {
        this.manifestCompactionGarbageThreshold = manifestCompactionGarbageThreshold;
        return this;
    }

    public long tombstoneGraceNs()
    {
        return tombstoneGraceNs;
    }

    /**
     * @param tombstoneGraceNs age of a tombstone's version after which this node forgets the deleted name, at least
     *                         1s; default {@link #TOMBSTONE_GRACE_NS_DEFAULT}.
     * @return this.
     */
    public NodeContext tombstoneGraceNs(final long tombstoneGraceNs)
    {
        this.tombstoneGraceNs = tombstoneGraceNs;
        return this;
    }

    public long storageChunkReadDelayNs()
    {
        return storageChunkReadDelayNs;
    }

    /**
     * @param storageChunkReadDelayNs how long the storage agent waits before each chunk read it serves, 0 to
     *                           {@link #MAX_STORAGE_CHUNK_READ_DELAY_NS} (the node's storage thread is busy meanwhile, as
     *                           with a slow disk); default {@link #STORAGE_CHUNK_READ_DELAY_NS_DEFAULT}, none.
     * @return this.
     */
    public NodeContext storageChunkReadDelayNs(final long storageChunkReadDelayNs)
    {
        this.storageChunkReadDelayNs = storageChunkReadDelayNs;
        return this;
    }

    public int chunkSegmentCapacity()
    {
        return chunkSegmentCapacity;
    }

    /**
     * @param chunkSegmentCapacity bytes per chunk segment file (created sparse); default
     *                             {@link #CHUNK_SEGMENT_CAPACITY_DEFAULT}.
     * @return this.
     */
    public NodeContext chunkSegmentCapacity(final int chunkSegmentCapacity)
    {
        this.chunkSegmentCapacity = chunkSegmentCapacity;
        return this;
    }

    public int manifestSegmentCapacity()
    {
        return manifestSegmentCapacity;
    }

    /**
     * @param manifestSegmentCapacity bytes per manifest segment file; default
     *                                {@link #MANIFEST_SEGMENT_CAPACITY_DEFAULT}.
     * @return this.
     */
    public NodeContext manifestSegmentCapacity(final int manifestSegmentCapacity)
    {
        this.manifestSegmentCapacity = manifestSegmentCapacity;
        return this;
    }

    public int pollLimit()
    {
        return pollLimit;
    }

    /**
     * @param pollLimit most messages taken from the transport per duty cycle; default {@link #POLL_LIMIT_DEFAULT}.
     * @return this.
     */
    public NodeContext pollLimit(final int pollLimit)
    {
        this.pollLimit = pollLimit;
        return this;
    }

    public long responseTimeoutNs()
    {
        return responseTimeoutNs;
    }

    /**
     * @param responseTimeoutNs how long a response waits for the transport to take it (the requester is slow or
     *                          gone) before it is dropped; the requester times out and retries. Default
     *                          {@link #RESPONSE_TIMEOUT_NS_DEFAULT}.
     * @return this.
     */
    public NodeContext responseTimeoutNs(final long responseTimeoutNs)
    {
        this.responseTimeoutNs = responseTimeoutNs;
        return this;
    }

    public int listMaxEntries()
    {
        return listMaxEntries;
    }

    /**
     * @param listMaxEntries most entries in one listing page; default {@link #LIST_MAX_ENTRIES_DEFAULT}.
     * @return this.
     */
    public NodeContext listMaxEntries(final int listMaxEntries)
    {
        this.listMaxEntries = listMaxEntries;
        return this;
    }

    public PartitionMode partitionMode()
    {
        return partitionMode;
    }

    /**
     * @param partitionMode what a put does when fewer than W owners are reachable; read by the coordinator (the
     *                      client side), not by the node server. Default {@link #PARTITION_MODE_DEFAULT}.
     * @return this.
     */
    public NodeContext partitionMode(final PartitionMode partitionMode)
    {
        this.partitionMode = partitionMode;
        return this;
    }

    public int handoffMaxHints()
    {
        return handoffMaxHints;
    }

    /**
     * @param handoffMaxHints most hints kept undelivered, which bounds the hint log; a hinted write beyond is
     *                        answered {@code HINTS_FULL} so the writer tries another node or fails. Default
     *                        {@link #HANDOFF_MAX_HINTS_DEFAULT}.
     * @return this.
     */
    public NodeContext handoffMaxHints(final int handoffMaxHints)
    {
        this.handoffMaxHints = handoffMaxHints;
        return this;
    }

    public long handoffRetryIntervalNs()
    {
        return handoffRetryIntervalNs;
    }

    /**
     * @param handoffRetryIntervalNs wait before a target whose handoff failed (timeout, refusal, error) is tried
     *                               again, doubled per further failure up to 16 times it; also how long a hint the
     *                               target found corrupt waits. Default {@link #HANDOFF_RETRY_INTERVAL_NS_DEFAULT}.
     * @return this.
     */
    public NodeContext handoffRetryIntervalNs(final long handoffRetryIntervalNs)
    {
        this.handoffRetryIntervalNs = handoffRetryIntervalNs;
        return this;
    }

    public int handoffMaxInFlight()
    {
        return handoffMaxInFlight;
    }

    /**
     * @param handoffMaxInFlight most handoff requests in flight, over all targets (a target being probed after a
     *                           failure gets one); bounds the load handoff puts on a returning node. Default
     *                           {@link #HANDOFF_MAX_IN_FLIGHT_DEFAULT}.
     * @return this.
     */
    public NodeContext handoffMaxInFlight(final int handoffMaxInFlight)
    {
        this.handoffMaxInFlight = handoffMaxInFlight;
        return this;
    }

    public long handoffRequestTimeoutNs()
    {
        return handoffRequestTimeoutNs;
    }

    /**
     * @param handoffRequestTimeoutNs how long a handoff request waits for its answer; default
     *                                {@link #HANDOFF_REQUEST_TIMEOUT_NS_DEFAULT}.
     * @return this.
     */
    public NodeContext handoffRequestTimeoutNs(final long handoffRequestTimeoutNs)
    {
        this.handoffRequestTimeoutNs = handoffRequestTimeoutNs;
        return this;
    }

    public ThreadingMode threading()
    {
        return threading;
    }

    /**
     * @param threading how {@link NodeServer} runs the agents; default {@link #THREADING_DEFAULT}.
     * @return this.
     */
    public NodeContext threading(final ThreadingMode threading)
    {
        this.threading = threading;
        return this;
    }

    public long shutdownTimeoutNs()
    {
        return shutdownTimeoutNs;
    }

    /**
     * @param shutdownTimeoutNs how long {@link NodeServer#close()} lets requests in progress finish before it
     *                          stops the agents anyway; default {@link #SHUTDOWN_TIMEOUT_NS_DEFAULT}.
     * @return this.
     */
    public NodeContext shutdownTimeoutNs(final long shutdownTimeoutNs)
    {
        this.shutdownTimeoutNs = shutdownTimeoutNs;
        return this;
    }

    public long heartbeatIntervalNs()
    {
        return heartbeatIntervalNs;
    }

    /**
     * @param heartbeatIntervalNs time between heartbeats to each member (and between the leader's log replication
     *                            messages); default {@link #HEARTBEAT_INTERVAL_NS_DEFAULT}.
     * @return this.
     */
    public NodeContext heartbeatIntervalNs(final long heartbeatIntervalNs)
    {
        this.heartbeatIntervalNs = heartbeatIntervalNs;
        return this;
    }

    public long electionTimeoutNs()
    {
        return electionTimeoutNs;
    }

    /**
     * @param electionTimeoutNs least time without a leader before this node stands for election, at least three
     *                          heartbeat intervals; default {@link #ELECTION_TIMEOUT_NS_DEFAULT}.
     * @return this.
     */
    public NodeContext electionTimeoutNs(final long electionTimeoutNs)
    {
        this.electionTimeoutNs = electionTimeoutNs;
        return this;
    }

    public double failurePhiThreshold()
    {
        return failurePhiThreshold;
    }

    /**
     * @param failurePhiThreshold phi from which a member is down, at least {@link #failurePhiSuspect()}; default
     *                            {@link #FAILURE_PHI_THRESHOLD_DEFAULT}.
     * @return this.
     */
    public NodeContext failurePhiThreshold(final double failurePhiThreshold)
    {
        this.failurePhiThreshold = failurePhiThreshold;
        return this;
    }

    public double failurePhiSuspect()
    {
        return failurePhiSuspect;
    }

    /**
     * @param failurePhiSuspect phi from which a member is suspect, positive; default
     *                          {@link #FAILURE_PHI_SUSPECT_DEFAULT}.
     * @return this.
     */
    public NodeContext failurePhiSuspect(final double failurePhiSuspect)
    {
        this.failurePhiSuspect = failurePhiSuspect;
        return this;
    }

    public int failureWindow()
    {
        return failureWindow;
    }

    /**
     * @param failureWindow heartbeat intervals remembered per member, 2..10000; default
     *                      {@link #FAILURE_WINDOW_DEFAULT}.
     * @return this.
     */
    public NodeContext failureWindow(final int failureWindow)
    {
        this.failureWindow = failureWindow;
        return this;
    }

    public long failureMinDeviationNs()
    {
        return failureMinDeviationNs;
    }

    /**
     * @param failureMinDeviationNs floor on the standard deviation of heartbeat intervals, positive; default
     *                              {@link #FAILURE_MIN_DEVIATION_NS_DEFAULT}.
     * @return this.
     */
    public NodeContext failureMinDeviationNs(final long failureMinDeviationNs)
    {
        this.failureMinDeviationNs = failureMinDeviationNs;
        return this;
    }

    public long failureAcceptablePauseNs()
    {
        return failureAcceptablePauseNs;
    }

    /**
     * @param failureAcceptablePauseNs pause allowed on top of the mean heartbeat interval; default
     *                                 {@link #FAILURE_ACCEPTABLE_PAUSE_NS_DEFAULT}.
     * @return this.
     */
    public NodeContext failureAcceptablePauseNs(final long failureAcceptablePauseNs)
    {
        this.failureAcceptablePauseNs = failureAcceptablePauseNs;
        return this;
    }

    public SplittableRandom random()
    {
        return random;
    }

    /**
     * @param random draws election timeouts; tests and the simulator pass a seeded one. Default an unseeded one.
     * @return this.
     */
    public NodeContext random(final SplittableRandom random)
    {
        this.random = random;
        return this;
    }

    /**
     * @return the cluster agent's settings, made from this context's by {@link #conclude()}.
     */
    public ClusterContext clusterContext()
    {
        return clusterContext;
    }

    public NanoClock nanoClock()
    {
        return nanoClock;
    }

    /**
     * @param nanoClock time for timeouts; default the system's monotonic clock. Tests pass a cached clock.
     * @return this.
     */
    public NodeContext nanoClock(final NanoClock nanoClock)
    {
        this.nanoClock = nanoClock;
        return this;
    }

    public EpochClock epochClock()
    {
        return epochClock;
    }

    /**
     * @param epochClock wall-clock time for the hybrid logical clock; default the system's.
     * @return this.
     */
    public NodeContext epochClock(final EpochClock epochClock)
    {
        this.epochClock = epochClock;
        return this;
    }

    public Disk disk()
    {
        return disk;
    }

    /**
     * @param disk file system calls of the store; tests count or fail forces with a subclass. Default a
     *             {@link Disk}.
     * @return this.
     */
    public NodeContext disk(final Disk disk)
    {
        this.disk = disk;
        return this;
    }

    public ErrorHandler errorHandler()
    {
        return errorHandler;
    }

    /**
     * @param errorHandler told of errors the agents did not expect; default prints them to standard error.
     * @return this.
     */
    public NodeContext errorHandler(final ErrorHandler errorHandler)
    {
        this.errorHandler = errorHandler;
        return this;
    }

    public PrintStream notes()
    {
        return notes;
    }

    /**
     * @param notes where the leader's one-line membership notes go (a node committed gone, a rebalance done);
     *              default standard output, the node's log.
     * @return this.
     */
    public NodeContext notes(final PrintStream notes)
    {
        this.notes = notes;
        return this;
    }

    /**
     * @return the settings, secrets left out.
     */
    @Override
    public String toString()
    {
        return "NodeContext{nodeId=" + nodeId + ", address=" + address + ", zone=" + zone + ", weight=" + weight +
            ", dataDirectory=" + dataDirectory + ", seeds=" + seeds + ", transport=" + transport +
            ", shmDirectory=" + shmDirectory + ", threading=" + threading + "}";
    }
}

package io.rfs.replication.cluster;

import io.rfs.store.ConfigurationException;
import io.rfs.store.log.Disk;
import org.agrona.ErrorHandler;
import org.agrona.collections.IntHashSet;
import org.agrona.concurrent.NanoClock;

import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * Configuration of a {@link ClusterAgent}: who the voting members are, where the election state and the
 * cluster-metadata log live, and the timings of heartbeats, failure detection and elections. A node fills it from
 * its {@code NodeContext} (whose {@code *_PROP} keys and {@code docs/CONFIGURATION.md} name these settings); tests
 * build it directly with a simulated clock and a seeded random. {@link #conclude()} checks it and fills in defaults.
 */
public final class ClusterContext
{
    /** Default time between heartbeats (and between a leader's {@code AppendEntries}): 100 ms. */
    public static final long HEARTBEAT_INTERVAL_NS_DEFAULT = TimeUnit.MILLISECONDS.toNanos(100);
    /** Default least election timeout: 500 ms (five heartbeat intervals); each is drawn from [this, twice this). */
    public static final long ELECTION_TIMEOUT_NS_DEFAULT = TimeUnit.MILLISECONDS.toNanos(500);
    /** Default phi from which a peer is down. */
    public static final double PHI_THRESHOLD_DEFAULT = 8.0;
    /** Default phi from which a peer is suspect. */
    public static final double PHI_SUSPECT_THRESHOLD_DEFAULT = 3.0;
    /** Default inter-arrival samples kept per peer. */
    public static final int FAILURE_WINDOW_DEFAULT = 100;
    /** Default floor on the standard deviation of heartbeat intervals: 25 ms. */
    public static final long FAILURE_MIN_DEVIATION_NS_DEFAULT = TimeUnit.MILLISECONDS.toNanos(25);
    /** Default pause allowed on top of the mean interval: 150 ms. */
    public static final long FAILURE_ACCEPTABLE_PAUSE_NS_DEFAULT = TimeUnit.MILLISECONDS.toNanos(150);

    private int nodeId = -1;
    private final IntHashSet members = new IntHashSet();
    private boolean voter = true;
    private Path directory;
    private long heartbeatIntervalNs = HEARTBEAT_INTERVAL_NS_DEFAULT;
    private long electionTimeoutNs = ELECTION_TIMEOUT_NS_DEFAULT;
    private double phiThreshold = PHI_THRESHOLD_DEFAULT;
    private double phiSuspectThreshold = PHI_SUSPECT_THRESHOLD_DEFAULT;
    private int failureWindow = FAILURE_WINDOW_DEFAULT;
    private long failureMinDeviationNs = FAILURE_MIN_DEVIATION_NS_DEFAULT;
    private long failureAcceptablePauseNs = FAILURE_ACCEPTABLE_PAUSE_NS_DEFAULT;
    private NanoClock nanoClock;
    private SplittableRandom random;
    private Disk disk;
    private IntSupplier load;
    private CommittedEntryListener committedEntryListener;
    private ErrorHandler errorHandler;

    /**
     * Checks every setting and fills in defaults.
     *
     * @return this.
     * @throws ConfigurationException naming the first setting that is wrong.
     */
    public ClusterContext conclude()
    {
        if (nodeId < 0)
        {
            throw new ConfigurationException("nodeId", nodeId, "must be set, 0 or more");
        }
        if (voter)
        {
            members.add(nodeId);
        }
        if (directory == null)
        {
            throw new ConfigurationException("directory", "(not set)", "is required: where the vote and log live");
        }
        if (heartbeatIntervalNs <= 0)
        {
            throw new ConfigurationException("heartbeat.interval", heartbeatIntervalNs + "ns", "must be positive");
        }
        if (electionTimeoutNs < 3 * heartbeatIntervalNs)
        {
            throw new ConfigurationException("election.timeout", electionTimeoutNs + "ns",
                "must be at least three heartbeat intervals (" + 3 * heartbeatIntervalNs + "ns), or a lost " +
                "heartbeat or two starts an election");
        }
        if (!(phiSuspectThreshold > 0))
        {
            throw new ConfigurationException("failure.phi.suspect", phiSuspectThreshold, "must be positive");
        }
        if (!(phiThreshold >= phiSuspectThreshold))
        {
            throw new ConfigurationException("failure.phi.threshold", phiThreshold,
                "must be at least failure.phi.suspect=" + phiSuspectThreshold);
        }
        if (failureWindow < 2 || failureWindow > 10_000)
        {
            throw new ConfigurationException("failure.window", failureWindow, "must be 2..10000");
        }
        if (failureMinDeviationNs <= 0)
        {
            throw new ConfigurationException("failure.min.deviation", failureMinDeviationNs + "ns",
                "must be positive");
        }
        if (failureAcceptablePauseNs < 0)
        {
            throw new ConfigurationException("failure.acceptable.pause", failureAcceptablePauseNs + "ns",
                "must not be negative");
        }
        if (nanoClock == null)
        {
            throw new ConfigurationException("nanoClock", "(not set)", "is required: the agent's clock");
        }
        if (random == null)
        {
            random = new SplittableRandom();
        }
        if (disk == null)
        {
            disk = new Disk();
        }
        if (load == null)
        {
            load = () -> 0;
        }
        if (committedEntryListener == null)
        {
            committedEntryListener = (index, term, type, payload, offset, length) -> { };
        }
        if (errorHandler == null)
        {
            errorHandler = Throwable::printStackTrace;
        }
        return this;
    }

    public int nodeId()
    {
        return nodeId;
    }

    /**
     * @param nodeId this node's id; required.
     * @return this.
     */
    public ClusterContext nodeId(final int nodeId)
    {
        this.nodeId = nodeId;
        return this;
    }

    /**
     * @return the voting members, this node included once concluded.
     */
    public IntHashSet members()
    {
        return members;
    }

    /**
     * Adds a voting member. The voting members are fixed for the life of the agent (the node's
     * {@code cluster.seeds}); ring membership changes go through the log, voting membership changes do not.
     *
     * @param memberId a node id.
     * @return this.
     */
    public ClusterContext member(final int memberId)
    {
        members.add(memberId);
        return this;
    }

    public boolean voter()
    {
        return voter;
    }

    /**
     * @param voter whether this node is a voting member; default true. False makes it a learner (a node added to
     *              the ring after the cluster was formed): it follows the leader's log but never votes nor
     *              campaigns, and {@link #members()} lists the voting members without it.
     * @return this.
     */
    public ClusterContext voter(final boolean voter)
    {
        this.voter = voter;
        return this;
    }

    public Path directory()
    {
        return directory;
    }

    /**
     * @param directory where {@code vote} and {@code log} live, created if absent: {@code cluster/} in the data
     *                  directory. Required.
     * @return this.
     */
    public ClusterContext directory(final Path directory)
    {
        this.directory = directory;
        return this;
    }

    public long heartbeatIntervalNs()
    {
        return heartbeatIntervalNs;
    }

    /**
     * @param heartbeatIntervalNs time between heartbeats to each peer, and between the leader's
     *                            {@code AppendEntries}; default {@link #HEARTBEAT_INTERVAL_NS_DEFAULT}.
     * @return this.
     */
    public ClusterContext heartbeatIntervalNs(final long heartbeatIntervalNs)
    {
        this.heartbeatIntervalNs = heartbeatIntervalNs;
        return this;
    }

    public long electionTimeoutNs()
    {
        return electionTimeoutNs;
    }

    /**
     * @param electionTimeoutNs least time without a leader before a node stands for election; each timeout is drawn
     *                          from [this, twice this) so that candidates rarely collide. At least three heartbeat
     *                          intervals; default {@link #ELECTION_TIMEOUT_NS_DEFAULT}.
     * @return this.
     */
    public ClusterContext electionTimeoutNs(final long electionTimeoutNs)
    {
        this.electionTimeoutNs = electionTimeoutNs;
        return this;
    }

    public double phiThreshold()
    {
        return phiThreshold;
    }

    /**
     * @param phiThreshold phi from which a peer is {@link MemberState#DOWN}; default {@link #PHI_THRESHOLD_DEFAULT}.
     * @return this.
     */
    public ClusterContext phiThreshold(final double phiThreshold)
    {
        this.phiThreshold = phiThreshold;
        return this;
    }

    public double phiSuspectThreshold()
    {
        return phiSuspectThreshold;
    }

    /**
     * @param phiSuspectThreshold phi from which a peer is {@link MemberState#SUSPECT}; default
     *                            {@link #PHI_SUSPECT_THRESHOLD_DEFAULT}.
     * @return this.
     */
    public ClusterContext phiSuspectThreshold(final double phiSuspectThreshold)
    {
        this.phiSuspectThreshold = phiSuspectThreshold;
        return this;
    }

    public int failureWindow()
    {
        return failureWindow;
    }

    /**
     * @param failureWindow heartbeat intervals remembered per peer; default {@link #FAILURE_WINDOW_DEFAULT}.
     * @return this.
     */
    public ClusterContext failureWindow(final int failureWindow)
    {
        this.failureWindow = failureWindow;
        return this;
    }

    public long failureMinDeviationNs()
    {
        return failureMinDeviationNs;
    }

    /**
     * @param failureMinDeviationNs floor on the standard deviation of intervals; default
     *                              {@link #FAILURE_MIN_DEVIATION_NS_DEFAULT}.
     * @return this.
     */
    public ClusterContext failureMinDeviationNs(final long failureMinDeviationNs)
    {
        this.failureMinDeviationNs = failureMinDeviationNs;
        return this;
    }

    public long failureAcceptablePauseNs()
    {
        return failureAcceptablePauseNs;
    }

    /**
     * @param failureAcceptablePauseNs pause allowed on top of the mean interval (a GC, a stalled disk); default
     *                                 {@link #FAILURE_ACCEPTABLE_PAUSE_NS_DEFAULT}.
     * @return this.
     */
    public ClusterContext failureAcceptablePauseNs(final long failureAcceptablePauseNs)
    {
        this.failureAcceptablePauseNs = failureAcceptablePauseNs;
        return this;
    }

    public NanoClock nanoClock()
    {
        return nanoClock;
    }

    /**
     * @param nanoClock the agent's clock; required.
     * @return this.
     */
    public ClusterContext nanoClock(final NanoClock nanoClock)
    {
        this.nanoClock = nanoClock;
        return this;
    }

    public SplittableRandom random()
    {
        return random;
    }

    /**
     * @param random draws election timeouts; tests pass a seeded one. Default an unseeded one.
     * @return this.
     */
    public ClusterContext random(final SplittableRandom random)
    {
        this.random = random;
        return this;
    }

    public Disk disk()
    {
        return disk;
    }

    /**
     * @param disk file system calls of the vote file and the log; default a {@link Disk}.
     * @return this.
     */
    public ClusterContext disk(final Disk disk)
    {
        this.disk = disk;
        return this;
    }

    public IntSupplier load()
    {
        return load;
    }

    /**
     * @param load this node's load for its heartbeats (requests in progress), read on the agent's thread; default 0.
     * @return this.
     */
    public ClusterContext load(final IntSupplier load)
    {
        this.load = load;
        return this;
    }

    public CommittedEntryListener committedEntryListener()
    {
        return committedEntryListener;
    }

    /**
     * @param listener told of each committed log entry, in order, after the agent has applied it; default none.
     * @return this.
     */
    public ClusterContext committedEntryListener(final CommittedEntryListener listener)
    {
        this.committedEntryListener = listener;
        return this;
    }

    public ErrorHandler errorHandler()
    {
        return errorHandler;
    }

    /**
     * @param errorHandler told of failures to persist the vote or the log; default prints them.
     * @return this.
     */
    public ClusterContext errorHandler(final ErrorHandler errorHandler)
    {
        this.errorHandler = errorHandler;
        return this;
    }
}

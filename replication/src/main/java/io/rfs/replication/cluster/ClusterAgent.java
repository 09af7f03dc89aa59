package io.rfs.replication.cluster;

import io.rfs.replication.protocol.AppendEntriesDecoder;
import io.rfs.replication.protocol.AppendResponseDecoder;
import io.rfs.replication.protocol.HeartbeatDecoder;
import io.rfs.replication.protocol.HeartbeatDescriptor;
import io.rfs.replication.protocol.LogEntryDescriptor;
import io.rfs.replication.protocol.MalformedMessageException;
import io.rfs.replication.protocol.MessageTypes;
import io.rfs.replication.protocol.RequestVoteDecoder;
import io.rfs.replication.protocol.VoteDecoder;
import io.rfs.replication.ring.CorruptRingException;
import io.rfs.replication.ring.Ring;
import io.rfs.replication.ring.RingCodec;
import io.rfs.replication.transport.MessageHandler;
import io.rfs.replication.transport.Transport;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.collections.Int2IntHashMap;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.IntHashSet;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * A node's membership and leadership: heartbeats and the phi-accrual failure detector, the generation-clock (Raft)
 * election, and the cluster-metadata log the leader replicates and commits to a majority.
 * <p>
 * <b>Heartbeats.</b> Every {@code heartbeatInterval} the agent sends a {@code Heartbeat} (term, ring version, the
 * leader it knows, its load) to every other voting member; each arrival feeds the {@link PhiAccrualFailureDetector},
 * and {@link #members()} reports each member's state, phi and last heartbeat.
 * <p>
 * <b>Election.</b> A follower that hears nothing from a leader of its term for an election timeout (drawn from
 * [{@code electionTimeout}, twice that) with the injected random) first asks a pre-vote (Raft thesis 9.6): would
 * the others vote for it in the next term? Nobody changes term or stores anything for a pre-vote; a node says yes
 * only if it has not heard from a leader within the least election timeout (and is not one) and the asker's log is
 * at least as up to date as its own. With yes from a majority (itself included) it becomes a candidate: it moves to
 * the next term, votes for itself and asks the others; otherwise it asks again at its next timeout. So a node that
 * was cut off, or restarted, and comes back cannot raise the cluster's term or depose a working leader, and a
 * minority never raises its terms at all. A node grants one vote per term, stored durably ({@link VoteFile}) before
 * it answers, and only to a candidate whose log is at least as up to date as its own; a majority of the voting
 * members makes a leader, so a term never has two. Any message with a higher term makes a node adopt that term and
 * follow. A follower that has heard from its leader within the least election timeout ignores vote requests for
 * later terms, and a leader that has not heard from a majority within an election timeout steps down: a node cut off
 * in a minority can neither unseat a working leader by coming back nor keep acting as one.
 * <p>
 * <b>Log.</b> The leader starts its term with a no-op entry, appends proposed changes ({@link #propose}), and sends
 * {@code AppendEntries} to each follower at every heartbeat interval and whenever it has new entries; an entry is
 * committed once a majority holds it and it is of the leader's term (earlier entries commit with it). Every node
 * applies committed entries in index order: a ring change whose ring is newer than the one in force replaces it
 * ({@link #ring()}), then the {@link ClusterContext#committedEntryListener()} is told.
 * <p>
 * <b>Learners.</b> A node of the committed ring that is not a voting member (one added by {@code rfs cluster
 * add-node}; its {@link ClusterContext#voter()} is false) is a learner: the leader sends it heartbeats and the log as
 * to a follower, but its acknowledgements count for no commit, and it never campaigns nor grants a vote. It follows
 * the leader, applies committed entries in order and so obeys the leader's term like any member.
 * <p>
 * <b>Messages</b> come in through {@link #onMessage}, called by whoever polls the transport (the node's network
 * agent); messages from non-members, malformed bodies and identity mismatches (a candidate or leader id that is not
 * the frame's source) are counted and dropped. Responses are matched by source and term, as in Raft; correlation
 * ids only number the requests for tracing. A message the transport refuses is counted; the next heartbeat interval
 * sends again.
 * <p>
 * <b>Threads.</b> Single writer: the thread that owns the transport calls {@link #doWork()} and {@link #onMessage};
 * votes and log appends are forced to disk on that thread (rare: once per term change, once per membership change).
 */
public final class ClusterAgent implements Agent, MessageHandler, AutoCloseable
{
    /** Leader id when none is known. */
    public static final int NO_LEADER = HeartbeatDescriptor.NO_LEADER;

    /** How often a peer's failure-detector verdict is compared with the published one, so a change shows soon. */
    private static final long STATUS_CHECK_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(5);

    private final ClusterContext context;
    private final NanoClock clock;
    private final SplittableRandom random;
    private final ErrorHandler errorHandler;
    private final int nodeId;
    private final int[] peers;
    private final Int2IntHashMap peerIndex = new Int2IntHashMap(-1);
    private final int majority;
    private final boolean voter;
    private final Int2ObjectHashMap<Learner> learners = new Int2ObjectHashMap<>();
    private final PhiAccrualFailureDetector detector;
    private final VoteFile voteFile;
    private final ClusterLog log;

    private final long[] nextIndex;
    private final long[] matchIndex;
    private final long[] lastAckNs;
    private final long[] peerTerm;
    private final long[] peerRingVersion;
    private final int[] peerLeaderId;
    private final int[] peerLoad;
    private final IntHashSet votes = new IntHashSet();
    private final IntHashSet preVotes = new IntHashSet();
    private final ClusterProxy proxy;
    private final UnsafeBuffer noPayload = new UnsafeBuffer(new byte[0]);

    private final HeartbeatDecoder heartbeatDecoder = new HeartbeatDecoder();
    private final RequestVoteDecoder requestVoteDecoder = new RequestVoteDecoder();
    private final VoteDecoder voteDecoder = new VoteDecoder();
    private final RequestVoteDecoder preVoteRequestDecoder = new RequestVoteDecoder(MessageTypes.PRE_REQUEST_VOTE);
    private final VoteDecoder preVoteDecoder = new VoteDecoder(MessageTypes.PRE_VOTE);
    private final AppendEntriesDecoder appendDecoder = new AppendEntriesDecoder();
    private final AppendResponseDecoder responseDecoder = new AppendResponseDecoder();

    private Role role = Role.FOLLOWER;
    private long currentTerm;
    private int votedFor;
    private int leaderId = NO_LEADER;
    private long electionDeadlineNs;
    private long lastLeaderContactNs = Long.MIN_VALUE;
    private long nextHeartbeatNs;
    private long becameLeaderNs;
    private boolean replicationPending;
    private boolean preVoting;
    private Ring ring;
    private long ringVersion;

    private volatile ClusterStatus published;
    private long nextStatusCheckNs;

    private long malformed;
    private long fromStrangers;
    private long elections;
    private long preVoteRounds;

    private ClusterAgent(
        final ClusterContext context, final Transport transport, final VoteFile voteFile, final ClusterLogHolder holder)
    {
        this.context = context;
        this.proxy = new ClusterProxy(transport, context.nodeId());
        this.clock = context.nanoClock();
        this.random = context.random();
        this.errorHandler = context.errorHandler();
        this.nodeId = context.nodeId();
        final int[] members = context.members().stream().mapToInt(Integer::intValue).sorted().toArray();
        this.peers = Arrays.stream(members).filter(id -> id != nodeId).toArray();
        for (int i = 0; i < peers.length; i++)
        {
            peerIndex.put(peers[i], i);
        }
        this.majority = members.length / 2 + 1;
        this.voter = context.voter();
        this.detector = new PhiAccrualFailureDetector(context.failureWindow(), context.heartbeatIntervalNs(),
            context.failureMinDeviationNs(), context.failureAcceptablePauseNs(), context.phiSuspectThreshold(),
            context.phiThreshold());
        this.voteFile = voteFile;
        this.currentTerm = voteFile.term();
        this.votedFor = voteFile.votedFor();
        this.nextIndex = new long[peers.length];
        this.matchIndex = new long[peers.length];
        this.lastAckNs = new long[peers.length];
        this.peerTerm = new long[peers.length];
        this.peerRingVersion = new long[peers.length];
        this.peerLeaderId = new int[peers.length];
        this.peerLoad = new int[peers.length];
        Arrays.fill(peerLeaderId, NO_LEADER);
        holder.agent = this;
        this.log = holder.log;
        final long now = clock.nanoTime();
        this.nextHeartbeatNs = now;
        resetElectionTimer(now);
        publish(now);
    }

    /** The leader's replication state of one learner. */
    private static final class Learner
    {
        private long nextIndex;
        private long matchIndex = -1;
        private long lastAckNs = Long.MIN_VALUE;
    }

    /** Lets the log's commit callback reach the agent built after it. */
    private static final class ClusterLogHolder
    {
        private ClusterAgent agent;
        private ClusterLog log;
    }

    /**
     * Opens the node's vote file and log (recovering both) and builds the agent, a follower of its stored term.
     *
     * @param context   concluded here.
     * @param transport the node's endpoint; the caller owns it and polls it, passing messages to {@link #onMessage}.
     * @return the agent.
     * @throws IOException if the stored state cannot be read or recovered.
     */
    public static ClusterAgent open(final ClusterContext context, final Transport transport) throws IOException
    {
        context.conclude();
        final VoteFile voteFile = VoteFile.open(context.directory(), context.disk());
        final ClusterLogHolder holder = new ClusterLogHolder();
        holder.log = ClusterLog.open(context.directory(), context.disk(),
            (index, term, type, payload, offset, length) ->
                holder.agent.apply(index, term, type, payload, offset, length));
        try
        {
            return new ClusterAgent(context, transport, voteFile, holder);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(holder.log);
            throw ex;
        }
    }

    @Override
    public String roleName()
    {
        return "rfs-cluster";
    }

    /**
     * One duty cycle: heartbeats and the leader's replication when due, then the election and leadership timers.
     *
     * @return work done.
     */
    @Override
    public int doWork()
    {
        final long now = clock.nanoTime();
        int work = 0;
        if (now - nextHeartbeatNs >= 0)
        {
            nextHeartbeatNs = now + context.heartbeatIntervalNs();
            if (voter)
            {
                sendHeartbeats();
            }
            publish(now);
            if (role == Role.LEADER)
            {
                replicationPending = false;
                for (int i = 0; i < peers.length; i++)
                {
                    sendAppend(i);
                }
                sendToLearners(false);
            }
            work++;
        }
        if (role == Role.LEADER)
        {
            if (replicationPending)
            {
                replicationPending = false;
                for (int i = 0; i < peers.length; i++)
                {
                    if (nextIndex[i] <= log.lastIndex())
                    {
                        sendAppend(i);
                    }
                }
                sendToLearners(true);
                work++;
            }
            if (now - becameLeaderNs >= context.electionTimeoutNs() && !hasRecentMajority(now))
            {
                stepDown(currentTerm);
                work++;
            }
        }
        else if (voter && now - electionDeadlineNs >= 0)
        {
            startPreVote(now);
            work++;
        }
        final ClusterStatus last = published;
        if (last.role() != role || last.term() != currentTerm || last.leaderId() != leaderId)
        {
            publish(now);
        }
        else if (now - nextStatusCheckNs >= 0)
        {
            nextStatusCheckNs = now + STATUS_CHECK_INTERVAL_NS;
            if (peerStateChanged(last, now))
            {
                publish(now);
            }
        }
        return work;
    }

    /**
     * @return whether the failure detector's verdict on a peer differs from the one last published.
     */
    private boolean peerStateChanged(final ClusterStatus last, final long now)
    {
        final List<MemberView> members = last.members();
        for (int i = 0; i < peers.length; i++)
        {
            if (members.get(i + 1).state() != detector.state(peers[i], now))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Replaces the published {@link ClusterStatus}; allocates, at most once per heartbeat interval plus once per
     * change of role, term or leader.
     */
    private void publish(final long now)
    {
        published = new ClusterStatus(nodeId, role, currentTerm, leaderId, ringVersion, majority, members(), now,
            voter);
    }

    /**
     * Proposes a ring change; only the leader accepts. The entry is in the leader's log, durably, when this
     * returns, and is committed once a majority holds it.
     *
     * @param type    one of {@link LogEntryDescriptor}'s membership types.
     * @param newRing the ring after the change.
     * @return the entry's index, or -1 if this node is not the leader (ask {@link #leaderId()}).
     * @throws IOException if the entry could not be made durable; this node then steps down.
     */
    public long propose(final int type, final Ring newRing) throws IOException
    {
        if (type == LogEntryDescriptor.TYPE_NOOP || !LogEntryDescriptor.isKnownType(type))
        {
            throw new IllegalArgumentException("type=" + type + " is not a membership change");
        }
        if (role != Role.LEADER)
        {
            return -1;
        }
        final byte[] encoded = RingCodec.encode(newRing);
        return appendAsLeader(type, new UnsafeBuffer(encoded), encoded.length);
    }

    private long appendAsLeader(final int type, final DirectBuffer payload, final int length) throws IOException
    {
        final long index;
        try
        {
            index = log.append(currentTerm, type, payload, 0, length);
        }
        catch (final IOException ex)
        {
            stepDown(currentTerm);
            throw ex;
        }
        replicationPending = true;
        advanceCommit();
        return index;
    }

    @Override
    public void onMessage(
        final int source, final int type, final long correlationId, final DirectBuffer buffer, final int offset,
        final int length)
    {
        if (peerIndex.get(source) < 0)
        {
            final Learner learner = learners.get(source);
            if (learner != null && type == MessageTypes.APPEND_RESPONSE)
            {
                onLearnerResponse(source, learner, correlationId, buffer, offset, length);
                return;
            }
            fromStrangers++;
            return;
        }
        try
        {
            switch (type)
            {
                case MessageTypes.HEARTBEAT:
                    onHeartbeat(source, heartbeatDecoder.wrap(buffer, offset, length));
                    break;
                case MessageTypes.REQUEST_VOTE:
                    onRequestVote(source, correlationId, requestVoteDecoder.wrap(buffer, offset, length));
                    break;
                case MessageTypes.VOTE:
                    onVote(source, voteDecoder.wrap(buffer, offset, length));
                    break;
                case MessageTypes.APPEND_ENTRIES:
                    onAppendEntries(source, correlationId, appendDecoder.wrap(buffer, offset, length));
                    break;
                case MessageTypes.APPEND_RESPONSE:
                    onAppendResponse(source, responseDecoder.wrap(buffer, offset, length));
                    break;
                case MessageTypes.PRE_REQUEST_VOTE:
                    onPreVoteRequest(source, correlationId, preVoteRequestDecoder.wrap(buffer, offset, length));
                    break;
                case MessageTypes.PRE_VOTE:
                    onPreVote(source, preVoteDecoder.wrap(buffer, offset, length));
                    break;
                default:
                    malformed++;
                    break;
            }
        }
        catch (final MalformedMessageException ex)
        {
            malformed++;
        }
    }

    private void onHeartbeat(final int source, final HeartbeatDecoder heartbeat)
    {
        final long now = clock.nanoTime();
        detector.heartbeat(source, now);
        final int p = peerIndex.get(source);
        peerTerm[p] = heartbeat.term();
        peerRingVersion[p] = heartbeat.ringVersion();
        peerLeaderId[p] = heartbeat.leaderId();
        peerLoad[p] = heartbeat.load();
        if (heartbeat.leaderId() == source && heartbeat.term() >= currentTerm)
        {
            if (role == Role.LEADER && heartbeat.term() == currentTerm)
            {
                errorHandler.onError(new IllegalStateException("node " + source + " claims leadership of term " +
                    currentTerm + ", which node " + nodeId + " leads: the election's safety is broken"));
                return;
            }
            followLeader(source, heartbeat.term(), now);
        }
    }

    private void onRequestVote(final int source, final long correlationId, final RequestVoteDecoder request)
    {
        if (request.candidateId() != source)
        {
            malformed++;
            return;
        }
        if (!voter)
        {
            sendVote(source, correlationId, false);
            return;
        }
        final long now = clock.nanoTime();
        final long term = request.term();
        if (term > currentTerm && hasLiveLeader(now))
        {
            sendVote(source, correlationId, false);
            return;
        }
        if (term > currentTerm && !adoptTerm(term))
        {
            return;
        }
        boolean granted = term == currentTerm && (votedFor == VoteFileDescriptor.NOBODY || votedFor == source) &&
            log.isAtLeastAsUpToDate(request.lastLogTerm(), request.lastLogIndex());
        if (granted && votedFor != source)
        {
            granted = persist(currentTerm, source);
        }
        if (granted)
        {
            resetElectionTimer(now);
        }
        sendVote(source, correlationId, granted);
    }

    /**
     * Answers whether this node would vote for the asker in the asked term, changing nothing here: the asker moves
     * to that term only with a majority of yes.
     */
    private void onPreVoteRequest(final int source, final long correlationId, final RequestVoteDecoder request)
    {
        if (request.candidateId() != source)
        {
            malformed++;
            return;
        }
        final boolean granted = request.term() > currentTerm && !hasLiveLeader(clock.nanoTime()) &&
            log.isAtLeastAsUpToDate(request.lastLogTerm(), request.lastLogIndex());
        proxy.preVote(source, correlationId, currentTerm, granted);
    }

    private void onPreVote(final int source, final VoteDecoder vote)
    {
        if (vote.term() > currentTerm)
        {
            adoptTerm(vote.term());
            return;
        }
        if (preVoting && vote.candidateId() == nodeId && vote.isGranted())
        {
            preVotes.add(source);
            if (preVotes.size() + 1 >= majority)
            {
                startElection(clock.nanoTime());
            }
        }
    }

    private boolean hasLiveLeader(final long now)
    {
        return role == Role.LEADER ||
            (leaderId != NO_LEADER && now - lastLeaderContactNs < context.electionTimeoutNs());
    }

    private void onVote(final int source, final VoteDecoder vote)
    {
        if (vote.term() > currentTerm)
        {
            adoptTerm(vote.term());
            return;
        }
        if (role == Role.CANDIDATE && vote.term() == currentTerm && vote.candidateId() == nodeId &&
            vote.isGranted())
        {
            votes.add(source);
            if (votes.size() + 1 >= majority)
            {
                becomeLeader(clock.nanoTime());
            }
        }
    }

    private void onAppendEntries(final int source, final long correlationId, final AppendEntriesDecoder request)
    {
        if (request.leaderId() != source)
        {
            malformed++;
            return;
        }
        if (request.term() < currentTerm)
        {
            sendAppendResponse(source, correlationId, log.lastIndex(), false);
            return;
        }
        final long now = clock.nanoTime();
        if (role == Role.LEADER && request.term() == currentTerm)
        {
            errorHandler.onError(new IllegalStateException("node " + source + " claims leadership of term " +
                currentTerm + ", which node " + nodeId + " leads: the election's safety is broken"));
            return;
        }
        if (!followLeader(source, request.term(), now))
        {
            return;
        }
        final boolean matched;
        try
        {
            matched = log.appendFrom(request);
        }
        catch (final IOException | RuntimeException ex)
        {
            errorHandler.onError(ex);
            return;
        }
        if (matched)
        {
            log.commit(Math.min(request.leaderCommit(), log.appendResult()));
        }
        sendAppendResponse(source, correlationId, log.appendResult(), matched);
    }

    private void onAppendResponse(final int source, final AppendResponseDecoder response)
    {
        if (response.term() > currentTerm)
        {
            adoptTerm(response.term());
            return;
        }
        if (role != Role.LEADER || response.term() != currentTerm)
        {
            return;
        }
        final int p = peerIndex.get(source);
        lastAckNs[p] = clock.nanoTime();
        if (response.isSuccess())
        {
            final long match = Math.min(response.matchIndex(), log.lastIndex());
            if (match > matchIndex[p])
            {
                matchIndex[p] = match;
                advanceCommit();
            }
            nextIndex[p] = Math.max(nextIndex[p], matchIndex[p] + 1);
            if (nextIndex[p] <= log.lastIndex())
            {
                sendAppend(p);
            }
        }
        else
        {
            final long retryFrom = Math.max(matchIndex[p] + 1, Math.min(nextIndex[p] - 1, response.matchIndex() + 1));
            if (retryFrom < nextIndex[p])
            {
                nextIndex[p] = retryFrom;
                sendAppend(p);
            }
        }
    }

    private void onLearnerResponse(
        final int source, final Learner learner, final long correlationId, final DirectBuffer buffer, final int offset,
        final int length)
    {
        final AppendResponseDecoder response;
        try
        {
            response = responseDecoder.wrap(buffer, offset, length);
        }
        catch (final MalformedMessageException ex)
        {
            malformed++;
            return;
        }
        if (response.term() > currentTerm)
        {
            adoptTerm(response.term());
            return;
        }
        if (role != Role.LEADER || response.term() != currentTerm)
        {
            return;
        }
        learner.lastAckNs = clock.nanoTime();
        if (response.isSuccess())
        {
            learner.matchIndex = Math.max(learner.matchIndex, Math.min(response.matchIndex(), log.lastIndex()));
            learner.nextIndex = Math.max(learner.nextIndex, learner.matchIndex + 1);
            if (learner.nextIndex <= log.lastIndex())
            {
                proxy.appendEntries(source, currentTerm, log, learner.nextIndex);
            }
        }
        else
        {
            final long retryFrom =
                Math.max(learner.matchIndex + 1, Math.min(learner.nextIndex - 1, response.matchIndex() + 1));
            if (retryFrom < learner.nextIndex)
            {
                learner.nextIndex = retryFrom;
                proxy.appendEntries(source, currentTerm, log, learner.nextIndex);
            }
        }
    }

    /**
     * The leader's heartbeat and log to each learner: every heartbeat tick, or only to those behind the log.
     */
    private void sendToLearners(final boolean behindOnly)
    {
        if (learners.isEmpty())
        {
            return;
        }
        final int load = behindOnly ? 0 : Math.max(0, context.load().getAsInt());
        for (final Int2ObjectHashMap<Learner>.EntryIterator it = learners.entrySet().iterator(); it.hasNext(); )
        {
            it.next();
            final int id = it.getIntKey();
            final Learner learner = it.getValue();
            if (!behindOnly)
            {
                proxy.heartbeat(id, currentTerm, ringVersion, leaderId, load);
            }
            if (!behindOnly || learner.nextIndex <= log.lastIndex())
            {
                proxy.appendEntries(id, currentTerm, log, learner.nextIndex);
            }
        }
    }

    /**
     * Makes the ring's nodes that are not voting members this node's learners (the leader replicates to them).
     */
    private void refreshLearners()
    {
        learners.keySet().removeIf(id -> !ring.contains(id));
        for (final var node : ring.nodes())
        {
            final int id = node.id();
            if (id != nodeId && peerIndex.get(id) < 0 && !learners.containsKey(id))
            {
                final Learner learner = new Learner();
                learner.nextIndex = log.lastIndex() + 1;
                learner.lastAckNs = clock.nanoTime();
                learners.put(id, learner);
            }
        }
    }

    /**
     * Makes {@code leader} this node's leader in {@code term} (at least the current one).
     *
     * @return false if a higher term could not be stored.
     */
    private boolean followLeader(final int leader, final long term, final long now)
    {
        if (term > currentTerm && !adoptTerm(term))
        {
            return false;
        }
        if (role != Role.FOLLOWER)
        {
            role = Role.FOLLOWER;
            votes.clear();
        }
        preVoting = false;
        leaderId = leader;
        lastLeaderContactNs = now;
        resetElectionTimer(now);
        return true;
    }

    /**
     * Moves to a higher term as a follower with no vote, durably.
     *
     * @return false if it could not be stored; the node then stays where it was.
     */
    private boolean adoptTerm(final long term)
    {
        if (!persist(term, VoteFileDescriptor.NOBODY))
        {
            return false;
        }
        stepDown(term);
        return true;
    }

    private void stepDown(final long term)
    {
        currentTerm = term;
        role = Role.FOLLOWER;
        leaderId = NO_LEADER;
        votes.clear();
        preVoting = false;
        replicationPending = false;
        resetElectionTimer(clock.nanoTime());
    }

    private void startPreVote(final long now)
    {
        if (majority == 1)
        {
            startElection(now);
            return;
        }
        resetElectionTimer(now);
        preVoteRounds++;
        preVoting = true;
        preVotes.clear();
        for (final int peer : peers)
        {
            proxy.preVoteRequest(peer, currentTerm + 1, log.lastTerm(), log.lastIndex());
        }
    }

    private void startElection(final long now)
    {
        resetElectionTimer(now);
        preVoting = false;
        if (!persist(currentTerm + 1, nodeId))
        {
            return;
        }
        elections++;
        role = Role.CANDIDATE;
        leaderId = NO_LEADER;
        votes.clear();
        if (majority == 1)
        {
            becomeLeader(now);
            return;
        }
        for (final int peer : peers)
        {
            proxy.requestVote(peer, currentTerm, log.lastTerm(), log.lastIndex());
        }
    }

    private void becomeLeader(final long now)
    {
        role = Role.LEADER;
        leaderId = nodeId;
        becameLeaderNs = now;
        votes.clear();
        for (int i = 0; i < peers.length; i++)
        {
            nextIndex[i] = log.lastIndex() + 1;
            matchIndex[i] = -1;
            lastAckNs[i] = now;
        }
        for (final Learner learner : learners.values())
        {
            learner.nextIndex = log.lastIndex() + 1;
            learner.matchIndex = -1;
            learner.lastAckNs = now;
        }
        try
        {
            appendAsLeader(LogEntryDescriptor.TYPE_NOOP, noPayload, 0);
        }
        catch (final IOException ex)
        {
            errorHandler.onError(ex);
            return;
        }
        nextHeartbeatNs = now;
    }

    private boolean hasRecentMajority(final long now)
    {
        int recent = 1;
        for (int i = 0; i < peers.length; i++)
        {
            if (now - lastAckNs[i] < context.electionTimeoutNs())
            {
                recent++;
            }
        }
        return recent >= majority;
    }

    private void advanceCommit()
    {
        for (long n = log.lastIndex(); n > log.commitIndex(); n--)
        {
            if (log.termAt(n) != currentTerm)
            {
                return;
            }
            int holders = 1;
            for (int i = 0; i < peers.length; i++)
            {
                if (matchIndex[i] >= n)
                {
                    holders++;
                }
            }
            if (holders >= majority)
            {
                log.commit(n);
                return;
            }
        }
    }

    private void apply(
        final long index, final long term, final int type, final DirectBuffer payload, final int offset,
        final int length)
    {
        if (type != LogEntryDescriptor.TYPE_NOOP)
        {
            try
            {
                final long version = RingCodec.ringVersion(payload, offset, length);
                if (ring == null || version > ringVersion)
                {
                    ring = RingCodec.decode(payload, offset, length);
                    ringVersion = version;
                    refreshLearners();
                }
            }
            catch (final CorruptRingException ex)
            {
                errorHandler.onError(ex);
            }
        }
        context.committedEntryListener().onCommitted(index, term, type, payload, offset, length);
    }

    private void sendHeartbeats()
    {
        final int load = Math.max(0, context.load().getAsInt());
        for (final int peer : peers)
        {
            proxy.heartbeat(peer, currentTerm, ringVersion, leaderId, load);
        }
    }

    private void sendAppend(final int p)
    {
        proxy.appendEntries(peers[p], currentTerm, log, nextIndex[p]);
    }

    private void sendVote(final int candidate, final long correlationId, final boolean granted)
    {
        proxy.vote(candidate, correlationId, currentTerm, granted);
    }

    private void sendAppendResponse(
        final int leader, final long correlationId, final long match, final boolean success)
    {
        proxy.appendResponse(leader, correlationId, currentTerm, match, success);
    }

    private boolean persist(final long term, final int vote)
    {
        try
        {
            voteFile.store(term, vote);
        }
        catch (final IOException ex)
        {
            errorHandler.onError(ex);
            return false;
        }
        currentTerm = term;
        votedFor = vote;
        return true;
    }

    private void resetElectionTimer(final long now)
    {
        electionDeadlineNs = now + context.electionTimeoutNs() + random.nextLong(context.electionTimeoutNs());
    }

    /**
     * @return the status as of this agent's last heartbeat tick or change of role, term or leader; any thread.
     */
    public ClusterStatus status()
    {
        return published;
    }

    /**
     * @return this node's role in its current term.
     */
    public Role role()
    {
        return role;
    }

    /**
     * @return the current term, as stored.
     */
    public long term()
    {
        return currentTerm;
    }

    /**
     * @return the leader of the current term as this node knows it, or {@link #NO_LEADER}.
     */
    public int leaderId()
    {
        return leaderId;
    }

    /**
     * @return this node's id.
     */
    public int nodeId()
    {
        return nodeId;
    }

    /**
     * @return the node's cluster-metadata log (read it on the agent's thread only).
     */
    public ClusterLog log()
    {
        return log;
    }

    /**
     * @return the ring of the last committed change applied, or null if none has been.
     */
    public Ring ring()
    {
        return ring;
    }

    /**
     * @return the version of {@link #ring()}, 0 if none.
     */
    public long ringVersion()
    {
        return ringVersion;
    }

    /**
     * When this node last heard from a member: a voting peer's last heartbeat, a learner's last acknowledgement
     * of the leader's log (known to the leader only); the agent's thread.
     *
     * @param id a node id.
     * @return the time on the agent's clock, or {@link Long#MIN_VALUE} if never or unknown.
     */
    public long lastHeardNs(final int id)
    {
        if (peerIndex.get(id) >= 0)
        {
            return detector.lastArrivalNs(id);
        }
        final Learner learner = learners.get(id);
        return learner == null ? Long.MIN_VALUE : learner.lastAckNs;
    }

    /**
     * @param id a node id.
     * @return whether it votes in this cluster (learners and strangers do not).
     */
    public boolean isVoter(final int id)
    {
        return id == nodeId ? voter : peerIndex.get(id) >= 0;
    }

    /**
     * @return the failure detector, for its verdict on one peer.
     */
    public PhiAccrualFailureDetector detector()
    {
        return detector;
    }

    /**
     * A snapshot of every voting member as this node sees it, this node first; allocates, for status reports.
     *
     * @return the members.
     */
    public List<MemberView> members()
    {
        final long now = clock.nanoTime();
        final List<MemberView> view = new ArrayList<>(peers.length + 1);
        view.add(new MemberView(nodeId, MemberState.UP, 0.0, now, currentTerm, ringVersion, leaderId,
            Math.max(0, context.load().getAsInt())));
        for (int i = 0; i < peers.length; i++)
        {
            view.add(new MemberView(peers[i], detector.state(peers[i], now), detector.phi(peers[i], now),
                detector.lastArrivalNs(peers[i]), peerTerm[i], peerRingVersion[i], peerLeaderId[i], peerLoad[i]));
        }
        return view;
    }

    /**
     * @return messages dropped because their body failed its checks or named another node than the sender.
     */
    public long malformedCount()
    {
        return malformed;
    }

    /**
     * @return messages dropped because the sender is not a voting member.
     */
    public long fromStrangersCount()
    {
        return fromStrangers;
    }

    /**
     * @return sends the transport refused (back-pressure or an unknown peer).
     */
    public long refusedSendsCount()
    {
        return proxy.refusedCount();
    }

    /**
     * @return elections this node has started (each after a pre-vote that a majority granted).
     */
    public long electionsCount()
    {
        return elections;
    }

    /**
     * @return pre-votes this node has asked for (one per election timeout without a leader).
     */
    public long preVoteRoundsCount()
    {
        return preVoteRounds;
    }

    /**
     * Closes the log file. The transport is the caller's.
     */
    @Override
    public void onClose()
    {
        close();
    }

    @Override
    public void close()
    {
        CloseHelper.quietClose(log);
    }
}

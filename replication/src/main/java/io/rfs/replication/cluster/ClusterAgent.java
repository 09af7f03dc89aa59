package io.rfs.replication.cluster;

import io.rfs.replication.protocol.AppendEntriesDecoder;
import io.rfs.replication.protocol.AppendResponseDecoder;
import io.rfs.replication.protocol.HeartbeatDecoder;
import io.rfs.replication.protocol.HeartbeatDescriptor;
import io.rfs.replication.protocol.LogEntryDescriptor;
import io.rfs.replication.protocol.MalformedMessageException;
import io.rfs.replication.protocol.MessageTypes;
import io.rfs.replication.protocol.RequestVoteDecoder;
import io.rfs.replication.protocol.RingResponseDecoder;
import io.rfs.replication.protocol.VoteDecoder;
import io.rfs.replication.ring.CorruptRingException;
import io.rfs.replication.ring.Ring;
import io.rfs.replication.ring.RingCodec;
import io.rfs.replication.transport.MessageHandler;
import io.rfs.replication.transport.Transport;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.IntArrayList;
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
 * <b>Heartbeats.</b> Every {@code heartbeatInterval} a voting member sends a {@code Heartbeat} (term, ring version,
 * the leader it knows, its load) to every other voting member, and the leader to every peer; each arrival feeds the {@link PhiAccrualFailureDetector},
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
 * <b>Catching up from a peer.</b> A heartbeat carries the version of the sender's committed ring. A node that hears a
 * newer one from any peer while it has no live leader (none heard within the least election timeout: it is cut off
 * from the leader, or one is being elected) asks that peer for its committed ring ({@code RingRequest}) and puts the
 * answer in force if it is newer than its own, at most once per election timeout. Only committed rings travel this
 * way, since every node answers with the ring it put in force, and that came from its committed log or, in turn,
 * from a peer's; the log itself is untouched, so the ring does not change the voters, and the entries that made it
 * are applied later as usual (an older ring is never put back). With a live leader the node waits for its log, which
 * every heartbeat interval's {@code AppendEntries} brings up to date. Clients' {@code RingRequest}s are answered here
 * too, so a client connecting through such a node places keys by the ring the cluster committed.
 * <p>
 * <b>Voting members</b> change with the ring, one node at a time (Raft's single-server changes, thesis 4.1): they are
 * the nodes of the newest ring in this node's log, committed or not, else the configured ones
 * ({@link ClusterContext#members()}). A node uses a change as soon as it is in its log, and drops it again if the
 * entry is overwritten; every ring change adds or removes at most one voter ({@link #isSingleVoterChange}), the
 * leader proposes one at a time and only after its term's first entry committed, so any two majorities of
 * consecutive memberships overlap. A node added to the ring thus votes once it holds the entry that added it, and a
 * removed one stops: a leader that removed itself leads on, without counting itself, until the change commits, and
 * then steps down. A peer that does not vote (a node of the ring in force not yet or no longer voting) is a learner:
 * the leader sends it heartbeats and the log as to a follower, but its acknowledgements count for no commit and its
 * votes for no election. So is a <i>retired</i> node, one a committed change took out of the ring: it learns its
 * removal and follows the leader, whose repair orders it to drop the copies the new owners hold
 * ({@link #reachableRetiredNodes()}).
 * <p>
 * <b>Messages</b> come in through {@link #onMessage}, called by whoever polls the transport (the node's network
 * agent, which lets only members' messages through, but a client's {@code RingRequest}); malformed bodies and
 * identity mismatches (a candidate or leader id that is not the frame's source) are counted and dropped. Responses
 * are matched by source and term, as in Raft; correlation ids only number the requests for tracing. A message the
 * transport refuses is counted; the next heartbeat interval sends again.
 * <p>
 * <b>Threads.</b> Single writer: the thread that owns the transport calls {@link #doWork()} and {@link #onMessage};
 * votes and log appends are forced to disk on that thread (rare: once per term change, once per membership change).
 */
public final class ClusterAgent implements Agent, MessageHandler, AutoCloseable
{
    /** Leader id when none is known. */
    public static final int NO_LEADER = HeartbeatDescriptor.NO_LEADER;

    private static final int NO_PEER = -1;

    /** How often a peer's failure-detector verdict is compared with the published one, so a change shows soon. */
    private static final long STATUS_CHECK_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(5);

    private final ClusterContext context;
    private final NanoClock clock;
    private final SplittableRandom random;
    private final ErrorHandler errorHandler;
    private final int nodeId;
    private final int[] configuredVoters;
    private final Int2ObjectHashMap<Peer> peersById = new Int2ObjectHashMap<>();
    private Peer[] peers = new Peer[0];
    private int votingPeers;
    private int majority;
    private boolean voter;
    private long membershipIndex = Long.MIN_VALUE;
    private long membershipTerm = Long.MIN_VALUE;
    private long membershipRingVersion = Long.MIN_VALUE;
    private Ring newestRing;
    private final LoggedRingMembers loggedRingMembers;
    private final PhiAccrualFailureDetector detector;
    private final VoteFile voteFile;
    private final ClusterLog log;

    /** Nodes some ring of the log or the configuration names that neither vote nor are in the ring in force. */
    private final IntHashSet retired = new IntHashSet();
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
    private final RingResponseDecoder ringResponseDecoder = new RingResponseDecoder();

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
    private byte[] encodedRing = new byte[0];
    private long encodedRingVersion;
    /** The peer last asked for its committed ring, until it answers; {@link #NO_PEER} for none. */
    private int ringAskedOf = NO_PEER;
    private long nextRingRequestNs;

    private volatile ClusterStatus published;
    private long nextStatusCheckNs;

    private long malformed;
    private long fromStrangers;
    private long elections;
    private long preVoteRounds;
    private long ringsFromPeers;

    private ClusterAgent(
        final ClusterContext context, final Transport transport, final VoteFile voteFile, final ClusterLogHolder holder)
    {
        this.context = context;
        this.proxy = new ClusterProxy(transport, context.nodeId());
        this.clock = context.nanoClock();
        this.random = context.random();
        this.errorHandler = context.errorHandler();
        this.loggedRingMembers = new LoggedRingMembers(errorHandler);
        this.nodeId = context.nodeId();
        this.configuredVoters = context.members().stream().mapToInt(Integer::intValue).sorted().toArray();
        this.detector = new PhiAccrualFailureDetector(context.failureWindow(), context.heartbeatIntervalNs(),
            context.failureMinDeviationNs(), context.failureAcceptablePauseNs(), context.phiSuspectThreshold(),
            context.phiThreshold());
        this.voteFile = voteFile;
        this.currentTerm = voteFile.term();
        this.votedFor = voteFile.votedFor();
        holder.agent = this;
        this.log = holder.log;
        final long now = clock.nanoTime();
        refreshMembership(now);
        this.nextHeartbeatNs = now;
        this.nextRingRequestNs = now;
        resetElectionTimer(now);
        publish(now);
    }

    /**
     * Another node this one hears from or replicates to: a voting member, or a learner of the ring in force.
     */
    private static final class Peer
    {
        private final int id;
        private boolean voting;
        /** The leader's replication state. */
        private long nextIndex;
        private long matchIndex = -1;
        private long lastAckNs = Long.MIN_VALUE;
        /** The term of the last acknowledgement of this node's log, while it leads. */
        private long ackedTerm = -1;
        /** What its last heartbeat said. */
        private long term;
        private long ringVersion;
        private int leaderId = NO_LEADER;
        private int load;

        private Peer(final int id)
        {
            this.id = id;
        }
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
            sendHeartbeats();
            publish(now);
            if (role == Role.LEADER)
            {
                replicationPending = false;
                for (final Peer peer : peers)
                {
                    sendAppend(peer);
                }
            }
            work++;
        }
        if (role == Role.LEADER)
        {
            if (replicationPending)
            {
                replicationPending = false;
                for (final Peer peer : peers)
                {
                    if (peer.nextIndex <= log.lastIndex())
                    {
                        sendAppend(peer);
                    }
                }
                work++;
            }
            if (now - becameLeaderNs >= context.electionTimeoutNs() && !hasRecentMajority(now))
            {
                stepDown(currentTerm);
                work++;
            }
            else if (!voter && log.commitIndex() >= membershipIndex)
            {
                // the change that removed this node committed: the others carry on without it
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
        if (members.size() != votingPeers + 1)
        {
            return true;
        }
        int i = 1;
        for (final Peer peer : peers)
        {
            if (peer.voting)
            {
                final MemberView member = members.get(i++);
                if (member.nodeId() != peer.id || member.state() != detector.state(peer.id, now))
                {
                    return true;
                }
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
        refreshMembership(clock.nanoTime());
        advanceCommit();
        return index;
    }

    @Override
    public void onMessage(
        final int source, final int type, final long correlationId, final DirectBuffer buffer, final int offset,
        final int length)
    {
        if (type == MessageTypes.RING_REQUEST)
        {
            // clients ask it too: answered without taking the asker for a peer
            proxy.ringResponse(source, correlationId, currentTerm, leaderId, encodedRing());
            return;
        }
        Peer peer = peersById.get(source);
        if (peer == null)
        {
            // the node agent passes on only its members' messages, and a node added later may lead before this
            // node's log names it: heard (never replicated to, nor counted) until a ring in the log names it
            fromStrangers++;
            peer = new Peer(source);
            peer.nextIndex = log.lastIndex() + 1;
            peersById.put(source, peer);
        }
        try
        {
            switch (type)
            {
                case MessageTypes.HEARTBEAT:
                    onHeartbeat(peer, heartbeatDecoder.wrap(buffer, offset, length));
                    break;
                case MessageTypes.REQUEST_VOTE:
                    onRequestVote(source, correlationId, requestVoteDecoder.wrap(buffer, offset, length));
                    break;
                case MessageTypes.VOTE:
                    onVote(peer, voteDecoder.wrap(buffer, offset, length));
                    break;
                case MessageTypes.APPEND_ENTRIES:
                    onAppendEntries(source, correlationId, appendDecoder.wrap(buffer, offset, length));
                    break;
                case MessageTypes.APPEND_RESPONSE:
                    onAppendResponse(peer, responseDecoder.wrap(buffer, offset, length));
                    break;
                case MessageTypes.PRE_REQUEST_VOTE:
                    onPreVoteRequest(source, correlationId, preVoteRequestDecoder.wrap(buffer, offset, length));
                    break;
                case MessageTypes.PRE_VOTE:
                    onPreVote(peer, preVoteDecoder.wrap(buffer, offset, length));
                    break;
                case MessageTypes.RING_RESPONSE:
                    onRingResponse(peer, ringResponseDecoder.wrap(buffer, offset, length));
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

    private void onHeartbeat(final Peer peer, final HeartbeatDecoder heartbeat)
    {
        final int source = peer.id;
        final long now = clock.nanoTime();
        detector.heartbeat(source, now);
        peer.term = heartbeat.term();
        peer.ringVersion = heartbeat.ringVersion();
        peer.leaderId = heartbeat.leaderId();
        peer.load = heartbeat.load();
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
        if (heartbeat.ringVersion() > ringVersion && !hasLiveLeader(now) && now - nextRingRequestNs >= 0)
        {
            nextRingRequestNs = now + context.electionTimeoutNs();
            ringAskedOf = source;
            proxy.ringRequest(source);
        }
    }

    /**
     * The answer to a {@code RingRequest} this node sent: the asked peer's committed ring, put in force if newer.
     * A leader takes none: its log holds every committed entry, which its own commit index soon covers.
     */
    private void onRingResponse(final Peer peer, final RingResponseDecoder response)
    {
        if (peer.id != ringAskedOf)
        {
            return;
        }
        ringAskedOf = NO_PEER;
        if (role == Role.LEADER || response.ringLength() == 0)
        {
            return;
        }
        try
        {
            if (takeRingIfNewer(response.buffer(), response.ringOffset(), response.ringLength()))
            {
                ringsFromPeers++;
            }
        }
        catch (final CorruptRingException ex)
        {
            malformed++;
        }
    }

    private void onRequestVote(final int source, final long correlationId, final RequestVoteDecoder request)
    {
        if (request.candidateId() != source)
        {
            malformed++;
            return;
        }
        // a node votes whether or not it counts itself a voter (Raft thesis 4.1): one whose log lags may not yet
        // know it was added back, and the candidate, whose log is newer, counts it; only voters' votes are counted
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

    private void onPreVote(final Peer peer, final VoteDecoder vote)
    {
        if (vote.term() > currentTerm)
        {
            adoptTerm(vote.term());
            return;
        }
        if (preVoting && peer.voting && vote.candidateId() == nodeId && vote.isGranted())
        {
            preVotes.add(peer.id);
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

    private void onVote(final Peer peer, final VoteDecoder vote)
    {
        if (vote.term() > currentTerm)
        {
            adoptTerm(vote.term());
            return;
        }
        if (role == Role.CANDIDATE && peer.voting && vote.term() == currentTerm && vote.candidateId() == nodeId &&
            vote.isGranted())
        {
            votes.add(peer.id);
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
        if (request.entryCount() > 0)
        {
            refreshMembership(now);
        }
        if (matched)
        {
            log.commit(Math.min(request.leaderCommit(), log.appendResult()));
        }
        sendAppendResponse(source, correlationId, log.appendResult(), matched);
    }

    private void onAppendResponse(final Peer peer, final AppendResponseDecoder response)
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
        peer.lastAckNs = clock.nanoTime();
        peer.ackedTerm = currentTerm;
        if (response.isSuccess())
        {
            final long match = Math.min(response.matchIndex(), log.lastIndex());
            if (match > peer.matchIndex)
            {
                peer.matchIndex = match;
                if (peer.voting)
                {
                    advanceCommit();
                }
            }
            peer.nextIndex = Math.max(peer.nextIndex, peer.matchIndex + 1);
            if (peer.nextIndex <= log.lastIndex())
            {
                sendAppend(peer);
            }
        }
        else
        {
            final long retryFrom =
                Math.max(peer.matchIndex + 1, Math.min(peer.nextIndex - 1, response.matchIndex() + 1));
            if (retryFrom < peer.nextIndex)
            {
                peer.nextIndex = retryFrom;
                sendAppend(peer);
            }
        }
    }

    /**
     * Recomputes the voting members and the peers when the newest ring in the log or the ring in force has changed:
     * the voters are the nodes of the newest ring in the log (an entry uncommitted, or overwritten later, counts
     * while it is there), else the configured ones; the peers replicated to and heard by the failure detector are
     * the other voters and the other nodes of the ring in force, and, once a ring is committed, the retired nodes
     * (named by an earlier ring or the configuration, by neither of those); messages are taken from those and from
     * every node of any ring in the log. A peer kept keeps its replication state; a new one starts from the end of
     * the log.
     */
    private void refreshMembership(final long now)
    {
        long index = log.lastIndex();
        while (index >= 0 && log.entry(index).type() == LogEntryDescriptor.TYPE_NOOP)
        {
            index--;
        }
        final long term = index >= 0 ? log.termAt(index) : -1;
        if (index == membershipIndex && term == membershipTerm && ringVersion == membershipRingVersion)
        {
            return;
        }
        final IntHashSet voters = new IntHashSet();
        final Ring newest = index >= 0 ? decodeRing(log.entry(index)) : null;
        newestRing = newest;
        if (newest != null)
        {
            newest.nodes().forEach(node -> voters.add(node.id()));
        }
        else
        {
            Arrays.stream(configuredVoters).forEach(voters::add);
        }
        final IntHashSet replicated = new IntHashSet();
        replicated.addAll(voters);
        if (ring != null)
        {
            ring.nodes().forEach(node -> replicated.add(node.id()));
        }
        replicated.remove(nodeId);
        retired.clear();
        // a node whose log lags may not know the leader that a later change brought in (Raft's servers take
        // messages from outside their configuration), so every node any ring in the log names is heard
        final IntHashSet known = new IntHashSet();
        known.addAll(replicated);
        Arrays.stream(configuredVoters).forEach(known::add);
        for (long i = 0; i <= log.lastIndex(); i++)
        {
            final ClusterLog.Entry entry = log.entry(i);
            if (entry.type() != LogEntryDescriptor.TYPE_NOOP && i != index)
            {
                for (final int id : loggedRingMembers.nodeIds(entry))
                {
                    known.add(id);
                }
            }
        }
        known.remove(nodeId);
        if (ring != null)
        {
            // a node a committed change took out of the ring is still sent the log, so that it learns its removal
            // and follows the leader, whose orders drop the copies it keeps (a learner, not counted for anything)
            for (final IntHashSet.IntIterator it = known.iterator(); it.hasNext(); )
            {
                final int id = it.nextValue();
                if (!replicated.contains(id))
                {
                    retired.add(id);
                }
            }
            replicated.addAll(retired);
        }
        peersById.keySet().removeIf(id -> !known.contains(id));
        for (final IntHashSet.IntIterator it = known.iterator(); it.hasNext(); )
        {
            final int id = it.nextValue();
            Peer peer = peersById.get(id);
            if (peer == null)
            {
                peer = new Peer(id);
                peer.nextIndex = log.lastIndex() + 1;
                peer.lastAckNs = now;
                peersById.put(id, peer);
            }
            peer.voting = voters.contains(id);
        }
        final int[] ids = new int[replicated.size()];
        int n = 0;
        for (final IntHashSet.IntIterator it = replicated.iterator(); it.hasNext(); )
        {
            ids[n++] = it.nextValue();
        }
        Arrays.sort(ids);
        final Peer[] next = new Peer[ids.length];
        int voting = 0;
        for (int i = 0; i < ids.length; i++)
        {
            next[i] = peersById.get(ids[i]);
            voting += next[i].voting ? 1 : 0;
        }
        peers = next;
        votingPeers = voting;
        voter = voters.contains(nodeId);
        majority = voters.size() / 2 + 1;
        membershipIndex = index;
        membershipTerm = term;
        membershipRingVersion = ringVersion;
    }

    private Ring decodeRing(final ClusterLog.Entry entry)
    {
        try
        {
            return RingCodec.decode(entry.payload(), 0, entry.payload().capacity());
        }
        catch (final CorruptRingException ex)
        {
            errorHandler.onError(ex);
            return null;
        }
    }

    /**
     * Whether a ring change keeps Raft's single-server rule: the ring's nodes, which become the voting members once
     * the change is in the log, differ from today's voting members by at most one node.
     *
     * @param next the ring after the change.
     * @return true if at most one voter is added or removed.
     */
    public boolean isSingleVoterChange(final Ring next)
    {
        int differences = 0;
        final IntHashSet nextIds = new IntHashSet();
        for (final var node : next.nodes())
        {
            nextIds.add(node.id());
            differences += isVoter(node.id()) ? 0 : 1;
        }
        differences += voter && !nextIds.contains(nodeId) ? 1 : 0;
        for (final Peer peer : peers)
        {
            differences += peer.voting && !nextIds.contains(peer.id) ? 1 : 0;
        }
        return differences <= 1;
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
        for (final Peer peer : peers)
        {
            if (peer.voting)
            {
                proxy.preVoteRequest(peer.id, currentTerm + 1, log.lastTerm(), log.lastIndex());
            }
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
        for (final Peer peer : peers)
        {
            if (peer.voting)
            {
                proxy.requestVote(peer.id, currentTerm, log.lastTerm(), log.lastIndex());
            }
        }
    }

    private void becomeLeader(final long now)
    {
        role = Role.LEADER;
        leaderId = nodeId;
        becameLeaderNs = now;
        votes.clear();
        for (final Peer peer : peers)
        {
            peer.nextIndex = log.lastIndex() + 1;
            peer.matchIndex = -1;
            peer.lastAckNs = now;
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
        int recent = voter ? 1 : 0;
        for (final Peer peer : peers)
        {
            if (peer.voting && now - peer.lastAckNs < context.electionTimeoutNs())
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
            int holders = voter ? 1 : 0;
            for (final Peer peer : peers)
            {
                if (peer.voting && peer.matchIndex >= n)
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
                takeRingIfNewer(payload, offset, length);
            }
            catch (final CorruptRingException ex)
            {
                errorHandler.onError(ex);
            }
        }
        context.committedEntryListener().onCommitted(index, term, type, payload, offset, length);
    }

    /**
     * Puts a committed ring in force unless the one in force is as new: rings only move forward.
     *
     * @return whether it was put in force.
     */
    private boolean takeRingIfNewer(final DirectBuffer encoded, final int offset, final int length)
        throws CorruptRingException
    {
        final long version = RingCodec.ringVersion(encoded, offset, length);
        if (ring != null && version <= ringVersion)
        {
            return false;
        }
        ring = RingCodec.decode(encoded, offset, length);
        ringVersion = version;
        refreshMembership(clock.nanoTime());
        return true;
    }

    /**
     * @return the ring in force as {@code RingCodec} encodes it, empty if none; encoded once per version.
     */
    private byte[] encodedRing()
    {
        if (ring != null && encodedRingVersion != ringVersion)
        {
            encodedRing = RingCodec.encode(ring);
            encodedRingVersion = ringVersion;
        }
        return encodedRing;
    }

    /**
     * A voter's heartbeats feed the other voters' failure detectors; the leader's also tell learners it leads.
     */
    private void sendHeartbeats()
    {
        if (!voter && role != Role.LEADER)
        {
            return;
        }
        final int load = Math.max(0, context.load().getAsInt());
        for (final Peer peer : peers)
        {
            if ((peer.voting && voter) || role == Role.LEADER)
            {
                proxy.heartbeat(peer.id, currentTerm, ringVersion, leaderId, load);
            }
        }
    }

    private void sendAppend(final Peer peer)
    {
        proxy.appendEntries(peer.id, currentTerm, log, peer.nextIndex);
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
     * @return the ring of the newest change in this node's log, committed or not (its nodes are the voting members),
     * or null if the log holds none; the agent's thread.
     */
    public Ring newestRing()
    {
        return newestRing;
    }

    /**
     * @return the version of {@link #ring()}, 0 if none.
     */
    public long ringVersion()
    {
        return ringVersion;
    }

    /**
     * When this node last heard from a peer: its last heartbeat or its last acknowledgement of the leader's log
     * (known to the leader only), whichever is later; the agent's thread.
     *
     * @param id a node id.
     * @return the time on the agent's clock, or {@link Long#MIN_VALUE} if never or unknown.
     */
    public long lastHeardNs(final int id)
    {
        final Peer peer = peersById.get(id);
        return peer == null ? Long.MIN_VALUE : Math.max(detector.lastArrivalNs(id), peer.lastAckNs);
    }

    /**
     * The nodes out of the ring in force that this leader still reaches: named by an earlier ring of the log (or the
     * configuration), neither voting nor in the ring in force, and acknowledging this leader's log in its term within
     * the least election timeout. A node removed while down is none of them until it comes back. The agent's thread;
     * allocates (once per repair round).
     *
     * @return their ids, ascending; none unless this node leads.
     */
    public int[] reachableRetiredNodes()
    {
        if (role != Role.LEADER || retired.isEmpty())
        {
            return new int[0];
        }
        final long now = clock.nanoTime();
        final IntArrayList reachable = new IntArrayList();
        for (final IntHashSet.IntIterator it = retired.iterator(); it.hasNext(); )
        {
            final Peer peer = peersById.get(it.nextValue());
            if (peer != null && peer.ackedTerm == currentTerm && now - peer.lastAckNs < context.electionTimeoutNs())
            {
                reachable.addInt(peer.id);
            }
        }
        final int[] ids = reachable.toIntArray();
        Arrays.sort(ids);
        return ids;
    }

    /**
     * @param id a node id.
     * @return whether it votes in this cluster (learners and strangers do not).
     */
    public boolean isVoter(final int id)
    {
        if (id == nodeId)
        {
            return voter;
        }
        final Peer peer = peersById.get(id);
        return peer != null && peer.voting;
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
        final List<MemberView> view = new ArrayList<>(votingPeers + 1);
        view.add(new MemberView(nodeId, MemberState.UP, 0.0, now, currentTerm, ringVersion, leaderId,
            Math.max(0, context.load().getAsInt())));
        for (final Peer peer : peers)
        {
            if (peer.voting)
            {
                view.add(new MemberView(peer.id, detector.state(peer.id, now), detector.phi(peer.id, now),
                    detector.lastArrivalNs(peer.id), peer.term, peer.ringVersion, peer.leaderId, peer.load));
            }
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
     * @return messages from nodes no ring in this node's log names (taken all the same: the node agent lets only
     * members' messages through).
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
     * @return committed rings this node took from a peer that answered its {@code RingRequest}, ahead of its log.
     */
    public long ringsFromPeersCount()
    {
        return ringsFromPeers;
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

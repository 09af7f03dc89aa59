package io.rfs.replication.cluster;

import io.rfs.replication.protocol.AppendEntriesDescriptor;
import io.rfs.replication.protocol.AppendEntriesEncoder;
import io.rfs.replication.protocol.AppendResponseEncoder;
import io.rfs.replication.protocol.HeartbeatEncoder;
import io.rfs.replication.protocol.LogEntryDescriptor;
import io.rfs.replication.protocol.MessageTypes;
import io.rfs.replication.protocol.RequestVoteEncoder;
import io.rfs.replication.protocol.RingResponseDescriptor;
import io.rfs.replication.protocol.RingResponseEncoder;
import io.rfs.replication.protocol.VoteEncoder;
import io.rfs.replication.transport.Transport;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Encodes the {@link ClusterAgent}'s messages and offers them to the transport. Each method returns false when the
 * transport refuses (back-pressure, an unknown or departed peer); the agent does not retry at once, since every
 * message it sends is repeated or superseded at the next heartbeat interval or election timeout, and refusals are
 * counted. Requests get a fresh correlation id for tracing; answers repeat the request's.
 * <p>
 * <b>Threads.</b> The agent's only; the buffers are reused.
 */
final class ClusterProxy
{
    private final Transport transport;
    private final int nodeId;
    private final UnsafeBuffer smallBuffer = new UnsafeBuffer(new byte[64]);
    private final ExpandableArrayBuffer appendBuffer = new ExpandableArrayBuffer(4096);
    private final HeartbeatEncoder heartbeat = new HeartbeatEncoder();
    private final RequestVoteEncoder requestVote = new RequestVoteEncoder();
    private final VoteEncoder vote = new VoteEncoder();
    private final RequestVoteEncoder preVoteRequest = new RequestVoteEncoder(MessageTypes.PRE_REQUEST_VOTE);
    private final VoteEncoder preVote = new VoteEncoder(MessageTypes.PRE_VOTE);
    private final AppendEntriesEncoder appendEntries = new AppendEntriesEncoder();
    private final AppendResponseEncoder appendResponse = new AppendResponseEncoder();
    private final RingResponseEncoder ringResponse = new RingResponseEncoder();
    private long correlationSequence;
    private long refused;

    ClusterProxy(final Transport transport, final int nodeId)
    {
        this.transport = transport;
        this.nodeId = nodeId;
    }

    boolean heartbeat(final int peer, final long term, final long ringVersion, final int leaderId, final int load)
    {
        final int length = heartbeat.wrap(smallBuffer, 0).term(term).ringVersion(ringVersion).leaderId(leaderId)
            .load(load).encodedLength();
        return offer(peer, MessageTypes.HEARTBEAT, 0, smallBuffer, length);
    }

    boolean requestVote(final int peer, final long term, final long lastLogTerm, final long lastLogIndex)
    {
        final int length = requestVote.wrap(smallBuffer, 0).term(term).lastLogTerm(lastLogTerm)
            .lastLogIndex(lastLogIndex).candidateId(nodeId).encodedLength();
        return offer(peer, MessageTypes.REQUEST_VOTE, ++correlationSequence, smallBuffer, length);
    }

    boolean vote(final int candidate, final long correlationId, final long term, final boolean granted)
    {
        final int length = vote.wrap(smallBuffer, 0).term(term).candidateId(candidate).granted(granted)
            .encodedLength();
        return offer(candidate, MessageTypes.VOTE, correlationId, smallBuffer, length);
    }

    /**
     * Asks whether {@code peer} would vote for this node in {@code term}, the term after the sender's own.
     */
    boolean preVoteRequest(final int peer, final long term, final long lastLogTerm, final long lastLogIndex)
    {
        final int length = preVoteRequest.wrap(smallBuffer, 0).term(term).lastLogTerm(lastLogTerm)
            .lastLogIndex(lastLogIndex).candidateId(nodeId).encodedLength();
        return offer(peer, MessageTypes.PRE_REQUEST_VOTE, ++correlationSequence, smallBuffer, length);
    }

    boolean preVote(final int candidate, final long correlationId, final long term, final boolean granted)
    {
        final int length = preVote.wrap(smallBuffer, 0).term(term).candidateId(candidate).granted(granted)
            .encodedLength();
        return offer(candidate, MessageTypes.PRE_VOTE, correlationId, smallBuffer, length);
    }

    /**
     * Sends the log's entries from {@code nextIndex}, as many as one message carries, with the entry before them as
     * the previous entry; none if the follower is up to date.
     */
    boolean appendEntries(final int peer, final long term, final ClusterLog log, final long nextIndex)
    {
        final long prevIndex = nextIndex - 1;
        appendEntries.wrap(appendBuffer, 0).term(term).prevLogIndex(prevIndex).prevLogTerm(log.termAt(prevIndex))
            .leaderCommit(log.commitIndex()).leaderId(nodeId);
        final int budget = transport.maxMessageLength();
        for (long index = nextIndex; index <= log.lastIndex() &&
            appendEntries.count() < AppendEntriesDescriptor.MAX_ENTRIES; index++)
        {
            final ClusterLog.Entry entry = log.entry(index);
            final int payloadLength = entry.payload().capacity();
            if (appendEntries.count() > 0 &&
                appendEntries.encodedLength() + LogEntryDescriptor.encodedLength(payloadLength) > budget)
            {
                break;
            }
            appendEntries.addEntry(entry.term(), entry.type(), entry.payload(), 0, payloadLength);
        }
        return offer(peer, MessageTypes.APPEND_ENTRIES, ++correlationSequence, appendBuffer,
            appendEntries.encodedLength());
    }

    boolean appendResponse(
        final int leader, final long correlationId, final long term, final long matchIndex, final boolean success)
    {
        final int length = appendResponse.wrap(smallBuffer, 0).term(term).matchIndex(matchIndex).success(success)
            .encodedLength();
        return offer(leader, MessageTypes.APPEND_RESPONSE, correlationId, smallBuffer, length);
    }

    /**
     * Asks {@code peer} for the ring its log committed (a {@code RingRequest}, no body).
     */
    boolean ringRequest(final int peer)
    {
        return offer(peer, MessageTypes.RING_REQUEST, ++correlationSequence, smallBuffer, 0);
    }

    /**
     * Allocates a body the size of the ring: rings are asked for when a client connects or a node lags, not per
     * request of the data path.
     *
     * @param encodedRing the committed ring as {@code RingCodec} encodes it, empty if none was committed.
     */
    boolean ringResponse(
        final int destination, final long correlationId, final long term, final int leaderId, final byte[] encodedRing)
    {
        final UnsafeBuffer body = new UnsafeBuffer(new byte[RingResponseDescriptor.BLOCK_LENGTH + encodedRing.length]);
        final int length = ringResponse.wrap(body, 0).term(term).leaderId(leaderId).ring(encodedRing).encodedLength();
        return offer(destination, MessageTypes.RING_RESPONSE, correlationId, body, length);
    }

    /**
     * @return offers the transport refused.
     */
    long refusedCount()
    {
        return refused;
    }

    private boolean offer(
        final int peer, final int type, final long correlationId, final DirectBuffer body, final int length)
    {
        if (transport.offer(peer, type, correlationId, body, 0, length))
        {
            return true;
        }
        refused++;
        return false;
    }
}

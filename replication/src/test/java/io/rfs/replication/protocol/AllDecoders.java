package io.rfs.replication.protocol;

import io.rfs.store.chunk.ChunkId;

import org.agrona.DirectBuffer;

/**
 * One decoder per type: wraps a body and reads every accessor, so a test sees any read outside the body.
 */
final class AllDecoders
{
    private final HelloDecoder hello = new HelloDecoder();
    private final ErrorDecoder error = new ErrorDecoder();
    private final PutChunkRequestDecoder putChunkRequest = new PutChunkRequestDecoder();
    private final PutChunkResponseDecoder putChunkResponse = new PutChunkResponseDecoder();
    private final GetChunkRequestDecoder getChunkRequest = new GetChunkRequestDecoder();
    private final GetChunkResponseDecoder getChunkResponse = new GetChunkResponseDecoder();
    private final HasChunksRequestDecoder hasChunksRequest = new HasChunksRequestDecoder();
    private final ChunkBitmapDecoder hasChunksResponse = new ChunkBitmapDecoder(MessageTypes.HAS_CHUNKS_RESPONSE);
    private final ChunkBitmapDecoder copyChunksResponse = new ChunkBitmapDecoder(MessageTypes.COPY_CHUNKS_RESPONSE);
    private final RangeDigestRequestDecoder rangeDigestRequest = new RangeDigestRequestDecoder();
    private final RangeDigestResponseDecoder rangeDigestResponse = new RangeDigestResponseDecoder();
    private final RangeIdsRequestDecoder rangeIdsRequest = new RangeIdsRequestDecoder();
    private final RangeIdsResponseDecoder rangeIdsResponse = new RangeIdsResponseDecoder();
    private final ReclaimCandidatesRequestDecoder reclaimRequest = new ReclaimCandidatesRequestDecoder();
    private final ReclaimCandidatesResponseDecoder reclaimResponse = new ReclaimCandidatesResponseDecoder();
    private final RangeManifestsRequestDecoder rangeManifestsRequest = new RangeManifestsRequestDecoder();
    private final RangeManifestsResponseDecoder rangeManifestsResponse = new RangeManifestsResponseDecoder();
    private final PutManifestRequestDecoder putManifestRequest = new PutManifestRequestDecoder();
    private final PutManifestResponseDecoder putManifestResponse = new PutManifestResponseDecoder();
    private final GetManifestRequestDecoder getManifestRequest = new GetManifestRequestDecoder();
    private final GetManifestResponseDecoder getManifestResponse = new GetManifestResponseDecoder();
    private final ListManifestsRequestDecoder listManifestsRequest = new ListManifestsRequestDecoder();
    private final ListManifestsResponseDecoder listManifestsResponse = new ListManifestsResponseDecoder();
    private final HeartbeatDecoder heartbeat = new HeartbeatDecoder();
    private final RequestVoteDecoder requestVote = new RequestVoteDecoder();
    private final VoteDecoder vote = new VoteDecoder();
    private final RequestVoteDecoder preVoteRequest = new RequestVoteDecoder(MessageTypes.PRE_REQUEST_VOTE);
    private final VoteDecoder preVote = new VoteDecoder(MessageTypes.PRE_VOTE);
    private final CorruptChunkReportDecoder corruptChunkReport = new CorruptChunkReportDecoder();
    private final AppendEntriesDecoder appendEntries = new AppendEntriesDecoder();
    private final AppendResponseDecoder appendResponse = new AppendResponseDecoder();
    private final CopyChunksRequestDecoder copyChunksRequest = new CopyChunksRequestDecoder();
    private final DropChunksRequestDecoder dropChunksRequest = new DropChunksRequestDecoder();
    private final ChunkBitmapDecoder dropChunksResponse = new ChunkBitmapDecoder(MessageTypes.DROP_CHUNKS_RESPONSE);
    private final DropManifestsRequestDecoder dropManifestsRequest = new DropManifestsRequestDecoder();
    private final ChunkBitmapDecoder dropManifestsResponse =
        new ChunkBitmapDecoder(MessageTypes.DROP_MANIFESTS_RESPONSE);
    private final VerifyChunksRequestDecoder verifyChunksRequest = new VerifyChunksRequestDecoder();
    private final VerifyChunksResponseDecoder verifyChunksResponse = new VerifyChunksResponseDecoder();
    private final RepairControlRequestDecoder repairControlRequest = new RepairControlRequestDecoder();
    private final RepairStatusDecoder repairStatus = new RepairStatusDecoder();
    private final MembershipRequestDecoder membershipRequest = new MembershipRequestDecoder();
    private final MembershipResponseDecoder membershipResponse = new MembershipResponseDecoder();
    private final RingResponseDecoder ringResponse = new RingResponseDecoder();

    /**
     * @return a sum over every field read, so the reads cannot be optimised away.
     */
    long decode(final int type, final DirectBuffer buffer, final int offset, final int length)
        throws MalformedMessageException
    {
        switch (type)
        {
            case MessageTypes.HELLO:
                hello.wrap(buffer, offset, length);
                return hello.minVersion() + hello.maxVersion() + hello.role() + hello.nodeId() +
                    buffer.getByte(hello.nonceOffset() + 31);
            case MessageTypes.ERROR:
                error.wrap(buffer, offset, length);
                return error.code().code() + error.relatedType() + error.text().length();
            case MessageTypes.PUT_CHUNK_REQUEST:
                putChunkRequest.wrap(buffer, offset, length);
                return putChunkRequest.chunkId().prefix() + putChunkRequest.rawLength() +
                    (putChunkRequest.isCompressed() ? 1 : 0) +
                    readAll(buffer, putChunkRequest.payloadOffset(), putChunkRequest.payloadLength());
            case MessageTypes.PUT_CHUNK_RESPONSE:
                putChunkResponse.wrap(buffer, offset, length);
                return putChunkResponse.chunkId().prefix() + putChunkResponse.status().code();
            case MessageTypes.GET_CHUNK_REQUEST:
                getChunkRequest.wrap(buffer, offset, length);
                return getChunkRequest.chunkId().prefix() + (getChunkRequest.acceptsCompressed() ? 1 : 0);
            case MessageTypes.GET_CHUNK_RESPONSE:
                getChunkResponse.wrap(buffer, offset, length);
                return getChunkResponse.chunkId().prefix() + getChunkResponse.status().code() +
                    getChunkResponse.rawLength() + (getChunkResponse.isCompressed() ? 1 : 0) +
                    readAll(buffer, getChunkResponse.payloadOffset(), getChunkResponse.payloadLength());
            case MessageTypes.HAS_CHUNKS_REQUEST:
            {
                hasChunksRequest.wrap(buffer, offset, length);
                long sum = 0;
                for (int i = 0; i < hasChunksRequest.count(); i++)
                {
                    sum += hasChunksRequest.chunkId(i).prefix();
                }
                return sum;
            }
            case MessageTypes.HAS_CHUNKS_RESPONSE:
                return readBitmap(hasChunksResponse.wrap(buffer, offset, length));
            case MessageTypes.COPY_CHUNKS_RESPONSE:
                return readBitmap(copyChunksResponse.wrap(buffer, offset, length));
            case MessageTypes.DROP_CHUNKS_RESPONSE:
                return readBitmap(dropChunksResponse.wrap(buffer, offset, length));
            case MessageTypes.DROP_MANIFESTS_RESPONSE:
                return readBitmap(dropManifestsResponse.wrap(buffer, offset, length));
            case MessageTypes.DROP_MANIFESTS_REQUEST:
            {
                dropManifestsRequest.wrap(buffer, offset, length);
                long sum = dropManifestsRequest.term();
                for (int i = 0; i < dropManifestsRequest.count(); i++)
                {
                    sum += dropManifestsRequest.name(i).length() + dropManifestsRequest.upTo(i).timestamp() +
                        dropManifestsRequest.upTo(i).nodeId();
                }
                return sum;
            }
            case MessageTypes.DROP_CHUNKS_REQUEST:
            {
                dropChunksRequest.wrap(buffer, offset, length);
                long sum = dropChunksRequest.term() + (dropChunksRequest.hasUntouchedSince() ?
                    dropChunksRequest.untouchedSinceNs() + dropChunksRequest.clockInstance() : 0);
                for (int i = 0; i < dropChunksRequest.count(); i++)
                {
                    sum += dropChunksRequest.chunkId(i).prefix();
                }
                return sum;
            }
            case MessageTypes.PUT_MANIFEST_REQUEST:
                putManifestRequest.wrap(buffer, offset, length);
                return readAll(buffer, putManifestRequest.manifestOffset(), putManifestRequest.manifestLength());
            case MessageTypes.PUT_MANIFEST_RESPONSE:
                putManifestResponse.wrap(buffer, offset, length);
                return putManifestResponse.status().code() + putManifestResponse.currentVersionTimestamp() +
                    putManifestResponse.currentVersionNodeId();
            case MessageTypes.GET_MANIFEST_REQUEST:
                getManifestRequest.wrap(buffer, offset, length);
                return getManifestRequest.name().length();
            case MessageTypes.GET_MANIFEST_RESPONSE:
                getManifestResponse.wrap(buffer, offset, length);
                return getManifestResponse.status().code() +
                    readAll(buffer, getManifestResponse.manifestOffset(), getManifestResponse.manifestLength());
            case MessageTypes.LIST_MANIFESTS_REQUEST:
                listManifestsRequest.wrap(buffer, offset, length);
                return listManifestsRequest.maxEntries() + (listManifestsRequest.includeTombstones() ? 1 : 0) +
                    readAll(buffer, listManifestsRequest.prefixOffset(), listManifestsRequest.prefixLength()) +
                    readAll(buffer, listManifestsRequest.pageTokenOffset(), listManifestsRequest.pageTokenLength());
            case MessageTypes.LIST_MANIFESTS_RESPONSE:
            {
                listManifestsResponse.wrap(buffer, offset, length);
                long sum = listManifestsResponse.status().code() + (listManifestsResponse.hasMore() ? 1 : 0) +
                    readAll(buffer, listManifestsResponse.pageTokenOffset(), listManifestsResponse.pageTokenLength());
                final ListManifestsResponseDecoder.Entries entries = listManifestsResponse.entries();
                while (entries.next())
                {
                    sum += entries.size() + entries.versionTimestamp() + entries.versionNodeId() +
                        entries.chunkCount() + (entries.isTombstone() ? 1 : 0) +
                        readAll(buffer, entries.sha256Offset(), 32) + readAll(buffer, entries.nameOffset(),
                        entries.nameLength());
                }
                return sum;
            }
            case MessageTypes.PRE_REQUEST_VOTE:
                preVoteRequest.wrap(buffer, offset, length);
                return preVoteRequest.term() + preVoteRequest.lastLogTerm() + preVoteRequest.lastLogIndex() +
                    preVoteRequest.candidateId();
            case MessageTypes.PRE_VOTE:
                preVote.wrap(buffer, offset, length);
                return preVote.term() + preVote.candidateId() + (preVote.isGranted() ? 1 : 0);
            case MessageTypes.MEMBERSHIP_REQUEST:
                membershipRequest.wrap(buffer, offset, length);
                return membershipRequest.operation() + membershipRequest.nodeId() + membershipRequest.weight() +
                    membershipRequest.zone().length() + membershipRequest.address().length();
            case MessageTypes.MEMBERSHIP_RESPONSE:
                membershipResponse.wrap(buffer, offset, length);
                return membershipResponse.status() + membershipResponse.leaderId() + membershipResponse.ringVersion() +
                    membershipResponse.text().length();
            case MessageTypes.RING_RESPONSE:
                ringResponse.wrap(buffer, offset, length);
                return ringResponse.term() + ringResponse.leaderId() + ringResponse.ringLength() +
                    ringResponse.ringOffset();
            case MessageTypes.CORRUPT_CHUNK_REPORT:
                corruptChunkReport.wrap(buffer, offset, length);
                return corruptChunkReport.term() + corruptChunkReport.chunkId().hashCode();
            case MessageTypes.HEARTBEAT:
                heartbeat.wrap(buffer, offset, length);
                return heartbeat.term() + heartbeat.ringVersion() + heartbeat.leaderId() + heartbeat.load();
            case MessageTypes.REQUEST_VOTE:
                requestVote.wrap(buffer, offset, length);
                return requestVote.term() + requestVote.lastLogTerm() + requestVote.lastLogIndex() +
                    requestVote.candidateId();
            case MessageTypes.VOTE:
                vote.wrap(buffer, offset, length);
                return vote.term() + vote.candidateId() + (vote.isGranted() ? 1 : 0);
            case MessageTypes.APPEND_ENTRIES:
            {
                appendEntries.wrap(buffer, offset, length);
                long sum = appendEntries.term() + appendEntries.prevLogIndex() + appendEntries.prevLogTerm() +
                    appendEntries.leaderCommit() + appendEntries.leaderId();
                for (int i = 0; i < appendEntries.entryCount(); i++)
                {
                    sum += appendEntries.entryTerm(i) + appendEntries.entryIndex(i) + appendEntries.entryType(i) +
                        readAll(buffer, appendEntries.entryPayloadOffset(i), appendEntries.entryPayloadLength(i));
                }
                return sum;
            }
            case MessageTypes.APPEND_RESPONSE:
                appendResponse.wrap(buffer, offset, length);
                return appendResponse.term() + appendResponse.matchIndex() + (appendResponse.isSuccess() ? 1 : 0);
            case MessageTypes.RANGE_DIGEST_REQUEST:
                rangeDigestRequest.wrap(buffer, offset, length);
                return rangeDigestRequest.ringFingerprint() + rangeDigestRequest.firstRange() +
                    rangeDigestRequest.count() + (rangeDigestRequest.manifests() ? 1 : 0);
            case MessageTypes.RANGE_DIGEST_RESPONSE:
            {
                rangeDigestResponse.wrap(buffer, offset, length);
                long sum = rangeDigestResponse.ringFingerprint() + rangeDigestResponse.firstRange() +
                    rangeDigestResponse.status().code();
                for (int i = 0; i < rangeDigestResponse.count(); i++)
                {
                    sum += rangeDigestResponse.lane0(i) + rangeDigestResponse.lane1(i) + rangeDigestResponse.held(i) +
                        rangeDigestResponse.quarantined(i);
                }
                return sum;
            }
            case MessageTypes.RANGE_IDS_REQUEST:
            {
                rangeIdsRequest.wrap(buffer, offset, length);
                final ChunkId after = rangeIdsRequest.after();
                return rangeIdsRequest.ringFingerprint() + rangeIdsRequest.range() + rangeIdsRequest.maxEntries() +
                    (after == null ? 0 : after.prefix());
            }
            case MessageTypes.RECLAIM_CANDIDATES_REQUEST:
            {
                reclaimRequest.wrap(buffer, offset, length);
                final ChunkId after = reclaimRequest.after();
                return reclaimRequest.graceNs() + reclaimRequest.maxEntries() + (after == null ? 0 : after.prefix());
            }
            case MessageTypes.RECLAIM_CANDIDATES_RESPONSE:
            {
                reclaimResponse.wrap(buffer, offset, length);
                long sum = reclaimResponse.listedAtNs() + reclaimResponse.clockInstance() +
                    reclaimResponse.status().code() + (reclaimResponse.more() ? 1 : 0);
                for (int i = 0; i < reclaimResponse.count(); i++)
                {
                    sum += reclaimResponse.chunkId(i).prefix();
                }
                return sum;
            }
            case MessageTypes.RANGE_IDS_RESPONSE:
            {
                rangeIdsResponse.wrap(buffer, offset, length);
                long sum = rangeIdsResponse.ringFingerprint() + rangeIdsResponse.status().code() +
                    (rangeIdsResponse.more() ? 1 : 0);
                for (int i = 0; i < rangeIdsResponse.count(); i++)
                {
                    sum += rangeIdsResponse.chunkId(i).prefix() + rangeIdsResponse.rawLength(i) +
                        rangeIdsResponse.state(i);
                }
                return sum;
            }
            case MessageTypes.RANGE_MANIFESTS_REQUEST:
            {
                rangeManifestsRequest.wrap(buffer, offset, length);
                final String after = rangeManifestsRequest.after();
                return rangeManifestsRequest.ringFingerprint() + rangeManifestsRequest.range() +
                    rangeManifestsRequest.maxEntries() + (after == null ? 0 : after.hashCode());
            }
            case MessageTypes.RANGE_MANIFESTS_RESPONSE:
            {
                rangeManifestsResponse.wrap(buffer, offset, length);
                long sum = rangeManifestsResponse.ringFingerprint() + rangeManifestsResponse.status().code() +
                    (rangeManifestsResponse.hasMore() ? 1 : 0);
                for (int i = 0; i < rangeManifestsResponse.count(); i++)
                {
                    sum += rangeManifestsResponse.name(i).hashCode() + rangeManifestsResponse.version(i).timestamp() +
                        rangeManifestsResponse.version(i).nodeId() + (rangeManifestsResponse.tombstone(i) ? 1 : 0);
                }
                return sum;
            }
            case MessageTypes.COPY_CHUNKS_REQUEST:
            {
                copyChunksRequest.wrap(buffer, offset, length);
                long sum = copyChunksRequest.sourceNodeId() + copyChunksRequest.term();
                for (int i = 0; i < copyChunksRequest.count(); i++)
                {
                    sum += buffer.getLong(copyChunksRequest.chunkIdOffset(i) + 24);
                }
                return sum;
            }
            case MessageTypes.VERIFY_CHUNKS_REQUEST:
            {
                verifyChunksRequest.wrap(buffer, offset, length);
                long sum = verifyChunksRequest.presenceOnly() ? 1 : 0;
                for (int i = 0; i < verifyChunksRequest.count(); i++)
                {
                    sum += verifyChunksRequest.chunkId(i).prefix();
                }
                return sum;
            }
            case MessageTypes.VERIFY_CHUNKS_RESPONSE:
            {
                verifyChunksResponse.wrap(buffer, offset, length);
                long sum = 0;
                for (int i = 0; i < verifyChunksResponse.count(); i++)
                {
                    sum += verifyChunksResponse.state(i);
                }
                return sum;
            }
            case MessageTypes.REPAIR_CONTROL_REQUEST:
                repairControlRequest.wrap(buffer, offset, length);
                return (repairControlRequest.startRound() ? 1 : 0) + (repairControlRequest.setsBandwidth() ? 2 : 0) +
                    repairControlRequest.bandwidth();
            case MessageTypes.REPAIR_STATUS_RESPONSE:
            {
                repairStatus.wrap(buffer, offset, length);
                long sum = repairStatus.leaderId() + (repairStatus.isLeader() ? 1 : 0) +
                    (repairStatus.isRoundInProgress() ? 2 : 0) + (repairStatus.isEnabled() ? 4 : 0);
                for (int at = RepairStatusDescriptor.TERM_OFFSET; at < RepairStatusDescriptor.BLOCK_LENGTH; at += 8)
                {
                    sum += repairStatus.field(at);
                }
                return sum;
            }
            default:
                throw new IllegalArgumentException("type=" + type);
        }
    }

    private static long readBitmap(final ChunkBitmapDecoder decoder)
    {
        long sum = 0;
        for (int i = 0; i < decoder.count(); i++)
        {
            sum += decoder.get(i) ? i : 0;
        }
        return sum;
    }

    private static long readAll(final DirectBuffer buffer, final int offset, final int length)
    {
        long sum = 0;
        for (int i = 0; i < length; i++)
        {
            sum += buffer.getByte(offset + i);
        }
        return sum;
    }
}

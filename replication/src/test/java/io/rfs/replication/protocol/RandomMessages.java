package io.rfs.replication.protocol;

import io.rfs.store.chunk.ChunkId;
import io.rfs.store.manifest.Manifest;
import io.rfs.store.manifest.ManifestCodec;
import io.rfs.store.manifest.Version;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Random valid values and bodies for the codec tests: every type in {@link #TYPES}, written with its encoder.
 */
final class RandomMessages
{
    static final int[] TYPES = {
        MessageTypes.HELLO, MessageTypes.ERROR,
        MessageTypes.PUT_CHUNK_REQUEST, MessageTypes.PUT_CHUNK_RESPONSE,
        MessageTypes.GET_CHUNK_REQUEST, MessageTypes.GET_CHUNK_RESPONSE,
        MessageTypes.HAS_CHUNKS_REQUEST, MessageTypes.HAS_CHUNKS_RESPONSE,
        MessageTypes.PUT_MANIFEST_REQUEST, MessageTypes.PUT_MANIFEST_RESPONSE,
        MessageTypes.GET_MANIFEST_REQUEST, MessageTypes.GET_MANIFEST_RESPONSE,
        MessageTypes.LIST_MANIFESTS_REQUEST, MessageTypes.LIST_MANIFESTS_RESPONSE,
        MessageTypes.HEARTBEAT, MessageTypes.REQUEST_VOTE, MessageTypes.VOTE,
        MessageTypes.APPEND_ENTRIES, MessageTypes.APPEND_RESPONSE,
        MessageTypes.COPY_CHUNKS_REQUEST, MessageTypes.COPY_CHUNKS_RESPONSE,
        MessageTypes.DROP_CHUNKS_REQUEST, MessageTypes.DROP_CHUNKS_RESPONSE,
        MessageTypes.RANGE_DIGEST_REQUEST, MessageTypes.RANGE_DIGEST_RESPONSE,
        MessageTypes.RANGE_IDS_REQUEST, MessageTypes.RANGE_IDS_RESPONSE,
        MessageTypes.RANGE_MANIFESTS_REQUEST, MessageTypes.RANGE_MANIFESTS_RESPONSE,
        MessageTypes.PRE_REQUEST_VOTE, MessageTypes.PRE_VOTE, MessageTypes.CORRUPT_CHUNK_REPORT,
        MessageTypes.VERIFY_CHUNKS_REQUEST, MessageTypes.VERIFY_CHUNKS_RESPONSE,
        MessageTypes.REPAIR_CONTROL_REQUEST, MessageTypes.REPAIR_STATUS_RESPONSE,
        MessageTypes.MEMBERSHIP_REQUEST, MessageTypes.MEMBERSHIP_RESPONSE, MessageTypes.RING_RESPONSE,
        MessageTypes.RECLAIM_CANDIDATES_REQUEST, MessageTypes.RECLAIM_CANDIDATES_RESPONSE,
        MessageTypes.DROP_MANIFESTS_REQUEST, MessageTypes.DROP_MANIFESTS_RESPONSE,
    };

    private static final String NAME_CHARS = "abcxyz0123-_.é語";

    private RandomMessages()
    {
    }

    static ChunkId chunkId(final SplittableRandom random)
    {
        final byte[] bytes = new byte[ChunkId.LENGTH];
        random.nextBytes(bytes);
        return ChunkId.of(bytes);
    }

    static String name(final SplittableRandom random, final int maxSegments)
    {
        final StringBuilder name = new StringBuilder();
        final int segments = 1 + random.nextInt(maxSegments);
        for (int s = 0; s < segments; s++)
        {
            if (s > 0)
            {
                name.append('/');
            }
            name.append('n');
            final int length = random.nextInt(12);
            for (int i = 0; i < length; i++)
            {
                name.append(NAME_CHARS.charAt(random.nextInt(NAME_CHARS.length())));
            }
        }
        return name.toString();
    }

    static Manifest manifest(final SplittableRandom random, final int maxChunks)
    {
        final Version version = new Version(random.nextLong(), random.nextInt());
        if (random.nextInt(8) == 0)
        {
            return Manifest.tombstone(name(random, 4), version);
        }
        final int count = random.nextInt(maxChunks + 1);
        final ChunkId[] ids = new ChunkId[count];
        final int[] lengths = new int[count];
        long size = 0;
        for (int i = 0; i < count; i++)
        {
            ids[i] = chunkId(random);
            lengths[i] = 1 + random.nextInt(1 << 22);
            size += lengths[i];
        }
        final byte[] sha = new byte[32];
        random.nextBytes(sha);
        return new Manifest(name(random, 4), size, sha, ids, lengths, version, false);
    }

    /**
     * @return -1 (not hinted) half the time, else a node id, sometimes an extreme one.
     */
    static int hintedFor(final SplittableRandom random)
    {
        switch (random.nextInt(4))
        {
            case 0:
                return random.nextInt(Integer.MAX_VALUE);
            case 1:
                return random.nextBoolean() ? 0 : Integer.MAX_VALUE;
            default:
                return -1;
        }
    }

    static UnsafeBuffer bytes(final SplittableRandom random, final int length)
    {
        final byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return new UnsafeBuffer(bytes);
    }

    static UnsafeBuffer utf8(final String text)
    {
        return new UnsafeBuffer(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes a random valid body of a type.
     *
     * @return its length.
     */
    static int encode(final int type, final SplittableRandom random, final MutableDirectBuffer dst, final int offset)
    {
        switch (type)
        {
            case MessageTypes.HELLO:
            {
                final int min = 1 + random.nextInt(10);
                return new HelloEncoder().wrap(dst, offset).versions(min, min + random.nextInt(10))
                    .role(1 + random.nextInt(2)).nodeId(random.nextInt()).nonce(bytes(random, 32), 0).encodedLength();
            }
            case MessageTypes.ERROR:
                return new ErrorEncoder().wrap(dst, offset).code(ErrorCode.values()[random.nextInt(7)])
                    .relatedType(random.nextInt(256)).text(name(random, 8)).encodedLength();
            case MessageTypes.PUT_CHUNK_REQUEST:
            {
                final int payload = 1 + random.nextInt(300);
                final boolean compressed = random.nextBoolean();
                return new PutChunkRequestEncoder().wrap(dst, offset).chunkId(chunkId(random))
                    .rawLength(compressed ? 1 + random.nextInt(1 << 20) : payload).compressed(compressed)
                    .hintedFor(hintedFor(random)).payload(bytes(random, payload), 0, payload).encodedLength();
            }
            case MessageTypes.PUT_CHUNK_RESPONSE:
                return new PutChunkResponseEncoder().wrap(dst, offset).chunkId(chunkId(random))
                    .status(Status.values()[random.nextInt(Status.values().length)])
                    .hintRecorded(random.nextBoolean()).encodedLength();
            case MessageTypes.GET_CHUNK_REQUEST:
                return new GetChunkRequestEncoder().wrap(dst, offset).chunkId(chunkId(random))
                    .acceptCompressed(random.nextBoolean()).encodedLength();
            case MessageTypes.GET_CHUNK_RESPONSE:
            {
                final GetChunkResponseEncoder encoder = new GetChunkResponseEncoder().wrap(dst, offset)
                    .chunkId(chunkId(random));
                if (random.nextInt(3) == 0)
                {
                    return encoder.status(Status.NOT_FOUND).encodedLength();
                }
                final int payload = 1 + random.nextInt(300);
                return encoder.status(Status.OK).rawLength(payload).payload(bytes(random, payload), 0, payload)
                    .encodedLength();
            }
            case MessageTypes.HAS_CHUNKS_REQUEST:
            {
                final HasChunksRequestEncoder encoder = new HasChunksRequestEncoder().wrap(dst, offset);
                for (int i = 0, n = 1 + random.nextInt(20); i < n; i++)
                {
                    encoder.addChunkId(chunkId(random));
                }
                return encoder.encodedLength();
            }
            case MessageTypes.HAS_CHUNKS_RESPONSE:
            case MessageTypes.COPY_CHUNKS_RESPONSE:
            case MessageTypes.DROP_CHUNKS_RESPONSE:
            case MessageTypes.DROP_MANIFESTS_RESPONSE:
            {
                final int count = 1 + random.nextInt(100);
                final ChunkBitmapEncoder encoder = new ChunkBitmapEncoder(type).wrap(dst, offset, count);
                for (int i = 0; i < count; i++)
                {
                    encoder.set(i, random.nextBoolean());
                }
                return encoder.encodedLength();
            }
            case MessageTypes.PUT_MANIFEST_REQUEST:
                return new PutManifestRequestEncoder().wrap(dst, offset).hintedFor(hintedFor(random))
                    .manifest(manifest(random, 20)).encodedLength();
            case MessageTypes.PUT_MANIFEST_RESPONSE:
                return new PutManifestResponseEncoder().wrap(dst, offset)
                    .status(Status.values()[random.nextInt(Status.values().length)])
                    .hintRecorded(random.nextBoolean()).currentVersion(random.nextLong(), random.nextInt())
                    .encodedLength();
            case MessageTypes.GET_MANIFEST_REQUEST:
                return new GetManifestRequestEncoder().wrap(dst, offset).name(name(random, 6)).encodedLength();
            case MessageTypes.GET_MANIFEST_RESPONSE:
            {
                final GetManifestResponseEncoder encoder = new GetManifestResponseEncoder().wrap(dst, offset);
                return random.nextInt(3) == 0 ? encoder.status(Status.NOT_FOUND).encodedLength() :
                    encoder.status(Status.OK).manifest(manifest(random, 20)).encodedLength();
            }
            case MessageTypes.LIST_MANIFESTS_REQUEST:
            {
                final UnsafeBuffer prefix = utf8(name(random, 2));
                final UnsafeBuffer token = bytes(random, random.nextInt(40));
                return new ListManifestsRequestEncoder().wrap(dst, offset).maxEntries(1 + random.nextInt(1000))
                    .includeTombstones(random.nextBoolean()).prefix(prefix, 0, prefix.capacity())
                    .pageToken(token, 0, token.capacity()).encodedLength();
            }
            case MessageTypes.LIST_MANIFESTS_RESPONSE:
            {
                final UnsafeBuffer token = bytes(random, random.nextInt(40));
                final ListManifestsResponseEncoder encoder = new ListManifestsResponseEncoder().wrap(dst, offset)
                    .status(Status.OK).more(random.nextBoolean()).nextPageToken(token, 0, token.capacity());
                for (int i = 0, n = random.nextInt(10); i < n; i++)
                {
                    final UnsafeBuffer name = utf8(name(random, 4));
                    final boolean tombstone = random.nextInt(5) == 0;
                    encoder.addEntry(name, 0, name.capacity(), tombstone ? 0 : random.nextLong(1L << 50),
                        random.nextLong(), random.nextInt(), tombstone ? 0 : random.nextInt(1000),
                        bytes(random, 32), 0, tombstone);
                }
                return encoder.encodedLength();
            }
            case MessageTypes.MEMBERSHIP_REQUEST:
            {
                final MembershipRequestEncoder encoder = new MembershipRequestEncoder().wrap(dst, offset);
                switch (random.nextInt(3))
                {
                    case 0:
                        return encoder.add(1 + random.nextInt(1000), 1 + random.nextInt(100), name(random, 1),
                            "127.0.0." + random.nextInt(256) + ":" + random.nextInt(65536)).encodedLength();
                    case 1:
                        return encoder.weight(1 + random.nextInt(1000), 1 + random.nextInt(10_000)).encodedLength();
                    default:
                        return encoder.remove(1 + random.nextInt(1000)).encodedLength();
                }
            }
            case MessageTypes.MEMBERSHIP_RESPONSE:
                return new MembershipResponseEncoder().wrap(dst, offset)
                    .status(1 + random.nextInt(MembershipResponseDescriptor.BUSY)).leaderId(random.nextInt(1000))
                    .ringVersion(random.nextLong(Long.MAX_VALUE)).text(name(random, 3)).encodedLength();
            case MessageTypes.RING_RESPONSE:
            {
                final byte[] ring = new byte[random.nextInt(200)];
                random.nextBytes(ring);
                return new RingResponseEncoder().wrap(dst, offset).term(random.nextLong(Long.MAX_VALUE))
                    .leaderId(random.nextInt(1000)).ring(ring).encodedLength();
            }
            case MessageTypes.CORRUPT_CHUNK_REPORT:
                return new CorruptChunkReportEncoder().wrap(dst, offset).term(random.nextLong(Long.MAX_VALUE))
                    .chunkId(chunkId(random)).encodedLength();
            case MessageTypes.HEARTBEAT:
                return new HeartbeatEncoder().wrap(dst, offset).term(random.nextLong(Long.MAX_VALUE))
                    .ringVersion(random.nextLong(Long.MAX_VALUE)).leaderId(random.nextInt())
                    .load(random.nextInt(Integer.MAX_VALUE)).encodedLength();
            case MessageTypes.REQUEST_VOTE:
            case MessageTypes.PRE_REQUEST_VOTE:
            {
                final long term = 1 + random.nextLong(Long.MAX_VALUE - 1);
                return new RequestVoteEncoder(type).wrap(dst, offset).term(term).lastLogTerm(random.nextLong(term + 1))
                    .lastLogIndex(random.nextLong(-1, Long.MAX_VALUE)).candidateId(random.nextInt()).encodedLength();
            }
            case MessageTypes.VOTE:
            case MessageTypes.PRE_VOTE:
                return new VoteEncoder(type).wrap(dst, offset).term(random.nextLong(Long.MAX_VALUE))
                    .candidateId(random.nextInt()).granted(random.nextBoolean()).encodedLength();
            case MessageTypes.APPEND_ENTRIES:
            {
                final long term = 1 + random.nextLong(1L << 40);
                final long prevTerm = random.nextLong(term + 1);
                final AppendEntriesEncoder encoder = new AppendEntriesEncoder().wrap(dst, offset).term(term)
                    .prevLogIndex(random.nextLong(-1, 1L << 40)).prevLogTerm(prevTerm)
                    .leaderCommit(random.nextLong(-1, 1L << 40)).leaderId(random.nextInt());
                long entryTerm = Math.max(1, prevTerm);
                for (int i = 0, n = random.nextInt(4); i < n; i++)
                {
                    entryTerm += random.nextLong(term - entryTerm + 1);
                    final UnsafeBuffer payload = bytes(random, random.nextInt(200));
                    encoder.addEntry(entryTerm, 1 + random.nextInt(5), payload, 0, payload.capacity());
                }
                return encoder.encodedLength();
            }
            case MessageTypes.APPEND_RESPONSE:
                return new AppendResponseEncoder().wrap(dst, offset).term(random.nextLong(Long.MAX_VALUE))
                    .matchIndex(random.nextLong(-1, Long.MAX_VALUE)).success(random.nextBoolean()).encodedLength();
            case MessageTypes.COPY_CHUNKS_REQUEST:
            {
                final CopyChunksRequestEncoder encoder = new CopyChunksRequestEncoder().wrap(dst, offset)
                    .sourceNodeId(random.nextInt()).term(random.nextLong(Long.MAX_VALUE));
                for (int i = 0, n = 1 + random.nextInt(20); i < n; i++)
                {
                    encoder.addChunkId(chunkId(random));
                }
                return encoder.encodedLength();
            }
            case MessageTypes.DROP_CHUNKS_REQUEST:
            {
                final DropChunksRequestEncoder encoder = new DropChunksRequestEncoder().wrap(dst, offset)
                    .term(random.nextLong(Long.MAX_VALUE));
                for (int i = 0, n = 1 + random.nextInt(20); i < n; i++)
                {
                    encoder.addChunkId(chunkId(random));
                }
                if (random.nextBoolean())
                {
                    encoder.untouchedSince(random.nextLong(), random.nextLong());
                }
                return encoder.encodedLength();
            }
            case MessageTypes.DROP_MANIFESTS_REQUEST:
            {
                final DropManifestsRequestEncoder encoder = new DropManifestsRequestEncoder().wrap(dst, offset)
                    .term(random.nextLong(Long.MAX_VALUE));
                for (int i = 0, n = 1 + random.nextInt(20); i < n; i++)
                {
                    encoder.addEntry(name(random, 3).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        new io.rfs.store.manifest.Version(random.nextLong(), random.nextInt(Integer.MAX_VALUE)));
                }
                return encoder.encodedLength();
            }
            case MessageTypes.RANGE_DIGEST_REQUEST:
                return new RangeDigestRequestEncoder().wrap(dst, offset).ringFingerprint(random.nextLong())
                    .ranges(random.nextInt(Integer.MAX_VALUE), 1 + random.nextInt(RangeDigestRequestDescriptor.MAX_COUNT))
                    .manifests(random.nextBoolean()).encodedLength();
            case MessageTypes.RANGE_DIGEST_RESPONSE:
            {
                final RangeDigestResponseEncoder encoder = new RangeDigestResponseEncoder().wrap(dst, offset)
                    .ringFingerprint(random.nextLong()).firstRange(random.nextInt(Integer.MAX_VALUE));
                if (random.nextInt(4) == 0)
                {
                    return encoder.status(Status.RING_MISMATCH).encodedLength();
                }
                encoder.status(Status.OK).manifests(random.nextBoolean());
                for (int i = 0, n = random.nextInt(20); i < n; i++)
                {
                    encoder.addDigest(random.nextLong(), random.nextLong(), random.nextLong(Long.MAX_VALUE),
                        random.nextInt(Integer.MAX_VALUE));
                }
                return encoder.encodedLength();
            }
            case MessageTypes.RANGE_IDS_REQUEST:
                return new RangeIdsRequestEncoder().wrap(dst, offset).ringFingerprint(random.nextLong())
                    .range(random.nextInt(Integer.MAX_VALUE)).maxEntries(1 + random.nextInt(4096))
                    .after(random.nextBoolean() ? chunkId(random) : null).encodedLength();
            case MessageTypes.RECLAIM_CANDIDATES_REQUEST:
                return new ReclaimCandidatesRequestEncoder().wrap(dst, offset).graceNs(random.nextLong(Long.MAX_VALUE))
                    .maxEntries(1 + random.nextInt(4096)).after(random.nextBoolean() ? chunkId(random) : null)
                    .encodedLength();
            case MessageTypes.RECLAIM_CANDIDATES_RESPONSE:
            {
                final ReclaimCandidatesResponseEncoder encoder = new ReclaimCandidatesResponseEncoder()
                    .wrap(dst, offset).listedAt(random.nextLong(), random.nextLong()).status(Status.OK)
                    .more(random.nextBoolean());
                for (int i = 0, n = random.nextInt(20); i < n; i++)
                {
                    encoder.addChunkId(chunkId(random));
                }
                return encoder.encodedLength();
            }
            case MessageTypes.RANGE_IDS_RESPONSE:
            {
                final RangeIdsResponseEncoder encoder = new RangeIdsResponseEncoder().wrap(dst, offset)
                    .ringFingerprint(random.nextLong()).status(Status.OK).more(random.nextBoolean());
                for (int i = 0, n = random.nextInt(20); i < n; i++)
                {
                    encoder.addEntry(chunkId(random), random.nextInt(Integer.MAX_VALUE), random.nextInt(2));
                }
                return encoder.encodedLength();
            }
            case MessageTypes.RANGE_MANIFESTS_REQUEST:
                return new RangeManifestsRequestEncoder().wrap(dst, offset).ringFingerprint(random.nextLong())
                    .range(random.nextInt(Integer.MAX_VALUE)).maxEntries(1 + random.nextInt(1024))
                    .after(random.nextBoolean() ? name(random, 3) : null).encodedLength();
            case MessageTypes.RANGE_MANIFESTS_RESPONSE:
            {
                final RangeManifestsResponseEncoder encoder = new RangeManifestsResponseEncoder().wrap(dst, offset)
                    .ringFingerprint(random.nextLong()).status(Status.OK).more(random.nextBoolean());
                for (int i = 0, n = random.nextInt(20); i < n; i++)
                {
                    encoder.addEntry(name(random, 3).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        random.nextLong(), random.nextInt(Integer.MAX_VALUE), random.nextBoolean());
                }
                return encoder.encodedLength();
            }
            case MessageTypes.VERIFY_CHUNKS_REQUEST:
            {
                final VerifyChunksRequestEncoder encoder = new VerifyChunksRequestEncoder().wrap(dst, offset,
                    random.nextBoolean());
                for (int i = 0, n = 1 + random.nextInt(20); i < n; i++)
                {
                    encoder.addChunkId(chunkId(random));
                }
                return encoder.encodedLength();
            }
            case MessageTypes.VERIFY_CHUNKS_RESPONSE:
            {
                final int count = 1 + random.nextInt(VerifyChunksRequestDescriptor.MAX_COUNT);
                final VerifyChunksResponseEncoder encoder = new VerifyChunksResponseEncoder().wrap(dst, offset, count);
                for (int i = 0; i < count; i++)
                {
                    encoder.state(i, random.nextInt(VerifyChunksResponseDescriptor.MAX_STATE + 1));
                }
                return encoder.encodedLength();
            }
            case MessageTypes.REPAIR_CONTROL_REQUEST:
            {
                final RepairControlRequestEncoder encoder = new RepairControlRequestEncoder().wrap(dst, offset);
                if (random.nextBoolean())
                {
                    encoder.startRound();
                }
                if (random.nextBoolean())
                {
                    encoder.bandwidth(1 + random.nextLong(RepairControlRequestDescriptor.MAX_BANDWIDTH));
                }
                return encoder.encodedLength();
            }
            case MessageTypes.REPAIR_STATUS_RESPONSE:
            {
                final RepairStatusEncoder encoder = new RepairStatusEncoder().wrap(dst, offset)
                    .flags(random.nextInt(RepairStatusDescriptor.KNOWN_FLAGS + 1)).leaderId(random.nextInt(100));
                for (int at = RepairStatusDescriptor.TERM_OFFSET; at < RepairStatusDescriptor.BLOCK_LENGTH; at += 8)
                {
                    encoder.field(at, random.nextLong(Long.MAX_VALUE));
                }
                return encoder.encodedLength();
            }
            default:
                throw new IllegalArgumentException("type=" + type);
        }
    }
}

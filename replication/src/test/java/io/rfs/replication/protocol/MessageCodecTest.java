package io.rfs.replication.protocol;

import io.rfs.store.chunk.ChunkId;
import io.rfs.store.manifest.Manifest;
import io.rfs.store.manifest.ManifestCodec;
import io.rfs.store.manifest.ManifestDecoder;
import io.rfs.store.manifest.Version;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MessageCodecTest
{
    /** Run with {@code -Drfs.test.seed=N} to replay a failure; every message names the seed it used. */
    private static final long SEED = Long.getLong("rfs.test.seed", ThreadLocalRandom.current().nextLong());
    private static final int ITERATIONS = 300;

    private final SplittableRandom random = new SplittableRandom(SEED);
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1 << 20]);

    private String seed(final int iteration)
    {
        return "seed=" + SEED + " iteration=" + iteration;
    }

    private int randomOffset()
    {
        buffer.setMemory(0, 4096, (byte)random.nextInt());
        return random.nextInt(64);
    }

    @Test
    void shouldDecodeEveryBodyTheEncodersWrite() throws Exception
    {
        final AllDecoders decoders = new AllDecoders();
        for (int i = 0; i < ITERATIONS; i++)
        {
            for (final int type : RandomMessages.TYPES)
            {
                final int offset = randomOffset();
                final int length = RandomMessages.encode(type, random, buffer, offset);
                final UnsafeBuffer exact = new UnsafeBuffer(buffer, 0, offset + length);
                decoders.decode(type, exact, offset, length);
            }
        }
    }

    @Test
    void shouldRoundTripHello() throws Exception
    {
        final HelloDecoder decoder = new HelloDecoder();
        for (int i = 0; i < ITERATIONS; i++)
        {
            final int offset = randomOffset();
            final int min = 1 + random.nextInt(200);
            final int max = min + random.nextInt(256 - min);
            final int role = 1 + random.nextInt(2);
            final int nodeId = random.nextInt();
            final UnsafeBuffer nonce = RandomMessages.bytes(random, 32);
            final int length = new HelloEncoder().wrap(buffer, offset).versions(min, max).role(role).nodeId(nodeId)
                .nonce(nonce, 0).encodedLength();

            decoder.wrap(buffer, offset, length);

            assertThat(length).isEqualTo(HelloDescriptor.BLOCK_LENGTH);
            assertThat(decoder.minVersion()).as(seed(i)).isEqualTo(min);
            assertThat(decoder.maxVersion()).as(seed(i)).isEqualTo(max);
            assertThat(decoder.role()).as(seed(i)).isEqualTo(role);
            assertThat(decoder.nodeId()).as(seed(i)).isEqualTo(nodeId);
            final UnsafeBuffer copy = new UnsafeBuffer(new byte[32]);
            decoder.getNonce(copy, 0);
            assertThat(copy.byteArray()).as(seed(i)).isEqualTo(nonce.byteArray());
        }
    }

    @Test
    void shouldNegotiateTheHighestCommonVersion()
    {
        assertThat(HelloDescriptor.negotiateVersion(1, 1, 1, 1)).isEqualTo(1);
        assertThat(HelloDescriptor.negotiateVersion(1, 3, 2, 5)).isEqualTo(3);
        assertThat(HelloDescriptor.negotiateVersion(2, 5, 1, 3)).isEqualTo(3);
        assertThat(HelloDescriptor.negotiateVersion(1, 2, 3, 4)).isZero();
        assertThat(HelloDescriptor.negotiateVersion(3, 4, 1, 2)).isZero();
    }

    @Test
    void shouldRoundTripError() throws Exception
    {
        final ErrorDecoder decoder = new ErrorDecoder();
        for (int i = 0; i < ITERATIONS; i++)
        {
            final int offset = randomOffset();
            final ErrorCode code = ErrorCode.values()[random.nextInt(ErrorCode.values().length)];
            final String text = RandomMessages.name(random, 10);
            final int length = new ErrorEncoder().wrap(buffer, offset).code(code).relatedType(77).text(text)
                .encodedLength();

            decoder.wrap(buffer, offset, length);

            assertThat(decoder.code()).as(seed(i)).isEqualTo(code);
            assertThat(decoder.relatedType()).isEqualTo(77);
            assertThat(decoder.text()).as(seed(i)).isEqualTo(text);
        }
    }

    @Test
    void shouldCutErrorTextAtACharacterBoundary() throws Exception
    {
        final int length = new ErrorEncoder().wrap(buffer, 0).code(ErrorCode.INTERNAL).text("語".repeat(400))
            .encodedLength();

        final ErrorDecoder decoder = new ErrorDecoder().wrap(buffer, 0, length);

        assertThat(decoder.textLength()).isEqualTo(1023);
        assertThat(decoder.text()).isEqualTo("語".repeat(341));
    }

    @Test
    void shouldReadAnUnknownErrorCodeAsInternal() throws Exception
    {
        final int length = new ErrorEncoder().wrap(buffer, 0).code(ErrorCode.MALFORMED).encodedLength();
        buffer.putInt(ErrorDescriptor.CODE_OFFSET, 999, BodyDescriptor.BYTE_ORDER);

        final ErrorDecoder decoder = new ErrorDecoder().wrap(buffer, 0, length);

        assertThat(decoder.rawCode()).isEqualTo(999);
        assertThat(decoder.code()).isEqualTo(ErrorCode.INTERNAL);
    }

    @Test
    void shouldRoundTripPutChunkRequestWithGatheredPayload() throws Exception
    {
        final PutChunkRequestDecoder decoder = new PutChunkRequestDecoder();
        for (int i = 0; i < ITERATIONS; i++)
        {
            final int offset = randomOffset();
            final ChunkId id = RandomMessages.chunkId(random);
            final int payloadLength = 1 + random.nextInt(2000);
            final boolean compressed = random.nextBoolean();
            final int rawLength = compressed ? 1 + random.nextInt(PutChunkRequestDescriptor.MAX_RAW_LENGTH) :
                payloadLength;
            final UnsafeBuffer payload = RandomMessages.bytes(random, payloadLength);
            final PutChunkRequestEncoder encoder = new PutChunkRequestEncoder().wrap(buffer, offset).chunkId(id)
                .rawLength(rawLength).compressed(compressed).payloadLength(payloadLength);
            assertThat(encoder.encodedLength()).isEqualTo(PutChunkRequestDescriptor.BLOCK_LENGTH);
            buffer.putBytes(offset + encoder.encodedLength(), payload, 0, payloadLength);

            decoder.wrap(buffer, offset, encoder.encodedLength() + payloadLength);

            assertThat(decoder.chunkId()).as(seed(i)).isEqualTo(id);
            assertThat(decoder.rawLength()).as(seed(i)).isEqualTo(rawLength);
            assertThat(decoder.payloadLength()).as(seed(i)).isEqualTo(payloadLength);
            assertThat(decoder.isCompressed()).as(seed(i)).isEqualTo(compressed);
            final byte[] copy = new byte[payloadLength];
            buffer.getBytes(decoder.payloadOffset(), copy);
            assertThat(copy).as(seed(i)).isEqualTo(payload.byteArray());
        }
    }

    @Test
    void shouldRoundTripHintedWrites() throws Exception
    {
        final PutChunkRequestDecoder chunk = new PutChunkRequestDecoder();
        final PutManifestRequestDecoder manifest = new PutManifestRequestDecoder();
        for (int i = 0; i < ITERATIONS; i++)
        {
            final int offset = randomOffset();
            final int hintedFor = RandomMessages.hintedFor(random);
            final boolean compressed = random.nextBoolean();
            final UnsafeBuffer payload = RandomMessages.bytes(random, 10);
            final int chunkLength = new PutChunkRequestEncoder().wrap(buffer, offset)
                .chunkId(RandomMessages.chunkId(random)).compressed(compressed).hintedFor(hintedFor).rawLength(compressed ? 99 : 10).payload(payload, 0, 10)
                .encodedLength();
            chunk.wrap(buffer, offset, chunkLength);
            assertThat(chunk.isHinted()).as(seed(i)).isEqualTo(hintedFor >= 0);
            assertThat(chunk.hintedFor()).as(seed(i)).isEqualTo(hintedFor);
            assertThat(chunk.isCompressed()).as(seed(i)).isEqualTo(compressed);

            final int manifestLength = new PutManifestRequestEncoder().wrap(buffer, offset).hintedFor(hintedFor)
                .manifest(RandomMessages.manifest(random, 3)).encodedLength();
            manifest.wrap(buffer, offset, manifestLength);
            assertThat(manifest.isHinted()).as(seed(i)).isEqualTo(hintedFor >= 0);
            assertThat(manifest.hintedFor()).as(seed(i)).isEqualTo(hintedFor);
        }
    }

    @Test
    void shouldClearAHintWhenAskedForAPlainWrite() throws Exception
    {
        final int length = new PutChunkRequestEncoder().wrap(buffer, 0).chunkId(RandomMessages.chunkId(random))
            .compressed(true).hintedFor(7).hintedFor(PutChunkRequestDescriptor.NOT_HINTED).rawLength(20)
            .payload(RandomMessages.bytes(random, 10), 0, 10).encodedLength();

        final PutChunkRequestDecoder decoder = new PutChunkRequestDecoder().wrap(buffer, 0, length);

        assertThat(decoder.isHinted()).isFalse();
        assertThat(decoder.isCompressed()).isTrue();
        assertThat(buffer.getInt(PutChunkRequestDescriptor.HINTED_FOR_OFFSET)).isZero();
    }

    @Test
    void shouldRefuseAHintedForNodeWithoutTheHintedFlag()
    {
        final int chunkLength = new PutChunkRequestEncoder().wrap(buffer, 0).chunkId(RandomMessages.chunkId(random))
            .rawLength(10).payload(RandomMessages.bytes(random, 10), 0, 10).encodedLength();
        buffer.putInt(PutChunkRequestDescriptor.HINTED_FOR_OFFSET, 3, BodyDescriptor.BYTE_ORDER);
        assertThatThrownBy(() -> new PutChunkRequestDecoder().wrap(buffer, 0, chunkLength))
            .isInstanceOf(MalformedMessageException.class)
            .hasMessage("malformed PutChunkRequest: hintedFor (not HINTED)=3 is outside 0..0");

        final int manifestLength = new PutManifestRequestEncoder().wrap(buffer, 0)
            .manifest(RandomMessages.manifest(random, 2)).encodedLength();
        buffer.putInt(PutManifestRequestDescriptor.HINT_OFFSET, 3, BodyDescriptor.BYTE_ORDER);
        assertThatThrownBy(() -> new PutManifestRequestDecoder().wrap(buffer, 0, manifestLength))
            .isInstanceOf(MalformedMessageException.class)
            .hasMessage("malformed PutManifestRequest: hint=0x3 names a node without the HINTED bit");
    }

    @Test
    void shouldRefuseANegativeHintedForNode()
    {
        final int length = new PutChunkRequestEncoder().wrap(buffer, 0).chunkId(RandomMessages.chunkId(random))
            .hintedFor(5).rawLength(10).payload(RandomMessages.bytes(random, 10), 0, 10).encodedLength();
        buffer.putInt(PutChunkRequestDescriptor.HINTED_FOR_OFFSET, -5, BodyDescriptor.BYTE_ORDER);

        assertThatThrownBy(() -> new PutChunkRequestDecoder().wrap(buffer, 0, length))
            .isInstanceOf(MalformedMessageException.class)
            .hasMessage("malformed PutChunkRequest: hintedFor=-5 is outside 0..2147483647");
    }

    @Test
    void shouldRefuseTheHintedFlagInAGetChunkResponse()
    {
        final int length = new GetChunkResponseEncoder().wrap(buffer, 0).chunkId(RandomMessages.chunkId(random))
            .status(Status.OK).rawLength(10).payload(RandomMessages.bytes(random, 10), 0, 10).encodedLength();
        buffer.putByte(GetChunkResponseDescriptor.FLAGS_OFFSET, (byte)PutChunkRequestDescriptor.FLAG_HINTED);

        assertThatThrownBy(() -> new GetChunkResponseDecoder().wrap(buffer, 0, length))
            .isInstanceOf(MalformedMessageException.class)
            .hasMessage("malformed GetChunkResponse: flags=0x2 has unknown bits 0x2");
    }

    @Test
    void shouldRoundTripHintRecordedAndRefuseUnknownResponseFlags() throws Exception
    {
        final int chunkLength = new PutChunkResponseEncoder().wrap(buffer, 0).chunkId(RandomMessages.chunkId(random))
            .status(Status.OK).hintRecorded(true).encodedLength();
        assertThat(new PutChunkResponseDecoder().wrap(buffer, 0, chunkLength).isHintRecorded()).isTrue();
        buffer.putByte(PutChunkResponseDescriptor.FLAGS_OFFSET, (byte)0x3);
        assertThatThrownBy(() -> new PutChunkResponseDecoder().wrap(buffer, 0, chunkLength))
            .isInstanceOf(MalformedMessageException.class)
            .hasMessage("malformed PutChunkResponse: flags=0x3 has unknown bits 0x2");

        final int manifestLength = new PutManifestResponseEncoder().wrap(buffer, 0).status(Status.HINTS_FULL)
            .encodedLength();
        final PutManifestResponseDecoder manifest = new PutManifestResponseDecoder().wrap(buffer, 0, manifestLength);
        assertThat(manifest.status()).isEqualTo(Status.HINTS_FULL);
        assertThat(manifest.isHintRecorded()).isFalse();
        buffer.putByte(PutManifestResponseDescriptor.FLAGS_OFFSET, (byte)0x80);
        assertThatThrownBy(() -> new PutManifestResponseDecoder().wrap(buffer, 0, manifestLength))
            .isInstanceOf(MalformedMessageException.class)
            .hasMessage("malformed PutManifestResponse: flags=0x80 has unknown bits 0x80");
    }

    @Test
    void shouldRefuseAnUncompressedPayloadOfAnotherLength()
    {
        final int length = new PutChunkRequestEncoder().wrap(buffer, 0).chunkId(RandomMessages.chunkId(random))
            .rawLength(100).compressed(false).payload(RandomMessages.bytes(random, 99), 0, 99).encodedLength();

        assertThatThrownBy(() -> new PutChunkRequestDecoder().wrap(buffer, 0, length))
            .isInstanceOf(MalformedMessageException.class)
            .hasMessage("malformed PutChunkRequest: payloadLength=99 differs from rawLength=100 but not compressed");
    }

    @Test
    void shouldRefuseAPayloadThatRunsPastTheBody()
    {
        final int length = new PutChunkRequestEncoder().wrap(buffer, 0).chunkId(RandomMessages.chunkId(random))
            .rawLength(100).payload(RandomMessages.bytes(random, 100), 0, 100).encodedLength();

        assertThatThrownBy(() -> new PutChunkRequestDecoder().wrap(buffer, 0, length - 1))
            .isInstanceOf(MalformedMessageException.class)
            .hasMessage("malformed PutChunkRequest: payloadLength=100 at offset 48 runs past bodyLength=147");
    }

    @Test
    void shouldRoundTripPutChunkResponse() throws Exception
    {
        final PutChunkResponseDecoder decoder = new PutChunkResponseDecoder();
        for (final Status status : Status.values())
        {
            final ChunkId id = RandomMessages.chunkId(random);
            final int length = new PutChunkResponseEncoder().wrap(buffer, 3).chunkId(id).status(status)
                .encodedLength();

            decoder.wrap(buffer, 3, length);

            assertThat(decoder.chunkId()).isEqualTo(id);
            assertThat(id.matches(buffer, decoder.chunkIdOffset())).isTrue();
            assertThat(decoder.status()).isEqualTo(status);
        }
    }

    @Test
    void shouldRoundTripGetChunkRequestAndResponse() throws Exception
    {
        final GetChunkRequestDecoder request = new GetChunkRequestDecoder();
        final GetChunkResponseDecoder response = new GetChunkResponseDecoder();
        for (int i = 0; i < ITERATIONS; i++)
        {
            final int offset = randomOffset();
            final ChunkId id = RandomMessages.chunkId(random);
            final boolean accept = random.nextBoolean();
            request.wrap(buffer, offset, new GetChunkRequestEncoder().wrap(buffer, offset).chunkId(id)
                .acceptCompressed(accept).encodedLength());
            assertThat(request.chunkId()).as(seed(i)).isEqualTo(id);
            assertThat(request.acceptsCompressed()).as(seed(i)).isEqualTo(accept);

            final int payloadLength = 1 + random.nextInt(500);
            final UnsafeBuffer payload = RandomMessages.bytes(random, payloadLength);
            final int length = new GetChunkResponseEncoder().wrap(buffer, offset).chunkId(id).status(Status.OK)
                .rawLength(payloadLength * 2).compressed(true).payload(payload, 0, payloadLength).encodedLength();
            response.wrap(buffer, offset, length);
            assertThat(response.chunkId()).as(seed(i)).isEqualTo(id);
            assertThat(response.status()).isEqualTo(Status.OK);
            assertThat(response.rawLength()).isEqualTo(payloadLength * 2);
            assertThat(response.isCompressed()).isTrue();
            assertThat(response.payloadLength()).isEqualTo(payloadLength);
            assertThat(buffer.getByte(response.payloadOffset() + payloadLength - 1))
                .isEqualTo(payload.getByte(payloadLength - 1));
        }
    }

    @Test
    void shouldRefuseAGetChunkErrorWithAPayload()
    {
        final int length = new GetChunkResponseEncoder().wrap(buffer, 0).status(Status.NOT_FOUND).encodedLength();
        buffer.putInt(GetChunkResponseDescriptor.PAYLOAD_LENGTH_OFFSET, 5, BodyDescriptor.BYTE_ORDER);

        assertThatThrownBy(() -> new GetChunkResponseDecoder().wrap(buffer, 0, length + 5))
            .isInstanceOf(MalformedMessageException.class)
            .hasMessageContaining("status=NOT_FOUND with rawLength=0 payloadLength=5");
    }

    @Test
    void shouldRoundTripHasChunksAndBitmap() throws Exception
    {
        final HasChunksRequestDecoder request = new HasChunksRequestDecoder();
        final ChunkBitmapDecoder response = new ChunkBitmapDecoder(MessageTypes.HAS_CHUNKS_RESPONSE);
        for (int i = 0; i < 50; i++)
        {
            final int offset = randomOffset();
            final int count = 1 + random.nextInt(HasChunksRequestDescriptor.MAX_COUNT);
            final ChunkId[] ids = new ChunkId[count];
            final HasChunksRequestEncoder encoder = new HasChunksRequestEncoder().wrap(buffer, offset);
            for (int j = 0; j < count; j++)
            {
                ids[j] = RandomMessages.chunkId(random);
                encoder.addChunkId(ids[j]);
            }
            request.wrap(buffer, offset, encoder.encodedLength());
            assertThat(request.count()).as(seed(i)).isEqualTo(count);
            for (int j = 0; j < count; j++)
            {
                assertThat(request.chunkId(j)).as(seed(i)).isEqualTo(ids[j]);
            }

            final boolean[] bits = new boolean[count];
            final ChunkBitmapEncoder bitmap = new ChunkBitmapEncoder(MessageTypes.HAS_CHUNKS_RESPONSE)
                .wrap(buffer, offset, count);
            for (int j = 0; j < count; j++)
            {
                bits[j] = random.nextBoolean();
                bitmap.set(j, bits[j]);
            }
            assertThat(bitmap.encodedLength()).isEqualTo(8 + (count + 7) / 8);
            response.wrap(buffer, offset, bitmap.encodedLength());
            for (int j = 0; j < count; j++)
            {
                assertThat(response.get(j)).as(seed(i) + " bit " + j).isEqualTo(bits[j]);
            }
        }
    }

    @Test
    void shouldRefuseMoreThanMaxCountIds()
    {
        final HasChunksRequestEncoder encoder = new HasChunksRequestEncoder().wrap(new ExpandableArrayBuffer(), 0);
        for (int i = 0; i < HasChunksRequestDescriptor.MAX_COUNT; i++)
        {
            encoder.addChunkId(RandomMessages.chunkId(random));
        }

        assertThatThrownBy(() -> encoder.addChunkId(RandomMessages.chunkId(random)))
            .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldRoundTripCopyChunksRequest() throws Exception
    {
        final ChunkId a = RandomMessages.chunkId(random);
        final ChunkId b = RandomMessages.chunkId(random);
        final int length = new CopyChunksRequestEncoder().wrap(buffer, 5).sourceNodeId(9).term(42).addChunkId(a)
            .addChunkId(b).encodedLength();

        final CopyChunksRequestDecoder decoder = new CopyChunksRequestDecoder().wrap(buffer, 5, length);

        assertThat(decoder.sourceNodeId()).isEqualTo(9);
        assertThat(decoder.term()).isEqualTo(42);
        assertThat(decoder.count()).isEqualTo(2);
        assertThat(decoder.chunkId(0)).isEqualTo(a);
        assertThat(decoder.chunkId(1)).isEqualTo(b);
    }

    @Test
    void shouldRoundTripDropChunksRequestAndRefuseANonZeroReservedField() throws Exception
    {
        final ChunkId a = RandomMessages.chunkId(random);
        final ChunkId b = RandomMessages.chunkId(random);
        final int length = new DropChunksRequestEncoder().wrap(buffer, 5).term(42).addChunkId(a).addChunkId(b)
            .encodedLength();

        final DropChunksRequestDecoder decoder = new DropChunksRequestDecoder().wrap(buffer, 5, length);

        assertThat(decoder.term()).isEqualTo(42);
        assertThat(decoder.count()).isEqualTo(2);
        assertThat(decoder.chunkId(0)).isEqualTo(a);
        assertThat(decoder.chunkId(1)).isEqualTo(b);
        assertThat(MessageTypes.requiresLeader(MessageTypes.DROP_CHUNKS_REQUEST)).isTrue();
        assertThat(MessageTypes.isAllowedFrom(MessageTypes.DROP_CHUNKS_REQUEST, MessageTypes.ROLE_CLIENT)).isFalse();
        assertThat(MessageTypes.responseType(MessageTypes.DROP_CHUNKS_REQUEST))
            .isEqualTo(MessageTypes.DROP_CHUNKS_RESPONSE);

        assertThat(decoder.hasUntouchedSince()).isFalse();
        buffer.putInt(5 + DropChunksRequestDescriptor.FLAGS_OFFSET, 2, BodyDescriptor.BYTE_ORDER);
        assertThatThrownBy(() -> decoder.wrap(buffer, 5, length))
            .isInstanceOf(MalformedMessageException.class).hasMessageContaining("flags");
    }

    @Test
    void shouldRoundTripDropManifestsRequestAndRefuseAnEntryWithFlags() throws Exception
    {
        final int length = new DropManifestsRequestEncoder().wrap(buffer, 5).term(42)
            .addEntry("a/b".getBytes(StandardCharsets.UTF_8), new Version(1_000, 3))
            .addEntry("語".getBytes(StandardCharsets.UTF_8), new Version(-7, 0)).encodedLength();

        final DropManifestsRequestDecoder decoder = new DropManifestsRequestDecoder().wrap(buffer, 5, length);

        assertThat(decoder.term()).isEqualTo(42);
        assertThat(decoder.count()).isEqualTo(2);
        assertThat(decoder.name(0)).isEqualTo("a/b");
        assertThat(decoder.upTo(0)).isEqualTo(new Version(1_000, 3));
        assertThat(decoder.name(1)).isEqualTo("語");
        assertThat(decoder.upTo(1)).isEqualTo(new Version(-7, 0));
        assertThat(MessageTypes.requiresLeader(MessageTypes.DROP_MANIFESTS_REQUEST)).isTrue();
        assertThat(MessageTypes.isAllowedFrom(MessageTypes.DROP_MANIFESTS_REQUEST, MessageTypes.ROLE_CLIENT))
            .isFalse();
        assertThat(MessageTypes.responseType(MessageTypes.DROP_MANIFESTS_REQUEST))
            .isEqualTo(MessageTypes.DROP_MANIFESTS_RESPONSE);
        assertThatThrownBy(() -> decoder.wrap(buffer, 5, length - 8))
            .isInstanceOf(MalformedMessageException.class).hasMessageContaining("entry");

        buffer.putByte(5 + DropManifestsRequestDescriptor.ENTRIES_OFFSET +
            RangeManifestsResponseDescriptor.ENTRY_FLAGS_OFFSET, (byte)1);
        assertThatThrownBy(() -> decoder.wrap(buffer, 5, length))
            .isInstanceOf(MalformedMessageException.class).hasMessageContaining("entry.flags");
    }

    @Test
    void shouldRoundTripADropOrderThatDropsOnlyIdsUntouchedSinceAClockReading() throws Exception
    {
        final SplittableRandom random = new SplittableRandom(87);
        final ChunkId a = RandomMessages.chunkId(random);
        final int length = new DropChunksRequestEncoder().wrap(buffer, 5).term(3).addChunkId(a)
            .untouchedSince(-123_456_789L, 0x5EED).encodedLength();

        final DropChunksRequestDecoder decoder = new DropChunksRequestDecoder().wrap(buffer, 5, length);

        assertThat(length).isEqualTo(DropChunksRequestDescriptor.encodedLength(1) + 16);
        assertThat(decoder.chunkId(0)).isEqualTo(a);
        assertThat(decoder.hasUntouchedSince()).isTrue();
        assertThat(decoder.untouchedSinceNs()).isEqualTo(-123_456_789L);
        assertThat(decoder.clockInstance()).isEqualTo(0x5EED);
        assertThatThrownBy(() -> decoder.wrap(buffer, 5, length - 1))
            .isInstanceOf(MalformedMessageException.class).hasMessageContaining("chunkIds");
    }

    @Test
    void shouldRoundTripMembershipRequestsAndRefuseFieldsTheOperationDoesNotTake() throws Exception
    {
        final int addLength = new MembershipRequestEncoder().wrap(buffer, 3).add(7, 250, "rack-b", "10.0.0.7:7407")
            .encodedLength();
        final MembershipRequestDecoder add = new MembershipRequestDecoder().wrap(buffer, 3, addLength);
        assertThat(add.operation()).isEqualTo(MembershipRequestDescriptor.ADD);
        assertThat(add.nodeId()).isEqualTo(7);
        assertThat(add.weight()).isEqualTo(250);
        assertThat(add.zone()).isEqualTo("rack-b");
        assertThat(add.address()).isEqualTo("10.0.0.7:7407");
        assertThatThrownBy(() -> new MembershipRequestDecoder().wrap(buffer, 3, addLength - 1))
            .isInstanceOf(MalformedMessageException.class).hasMessageContaining("zoneAndAddress");

        final int removeLength = new MembershipRequestEncoder().wrap(buffer, 3).remove(2).encodedLength();
        final MembershipRequestDecoder remove = new MembershipRequestDecoder().wrap(buffer, 3, removeLength);
        assertThat(remove.operation()).isEqualTo(MembershipRequestDescriptor.REMOVE);
        assertThat(remove.nodeId()).isEqualTo(2);

        buffer.putInt(3 + MembershipRequestDescriptor.WEIGHT_OFFSET, 100, BodyDescriptor.BYTE_ORDER);
        assertThatThrownBy(() -> new MembershipRequestDecoder().wrap(buffer, 3, removeLength))
            .isInstanceOf(MalformedMessageException.class).hasMessageContaining("weight");

        final int weightLength = new MembershipRequestEncoder().wrap(buffer, 3).weight(4, 300).encodedLength();
        final MembershipRequestDecoder weight = new MembershipRequestDecoder().wrap(buffer, 3, weightLength);
        assertThat(weight.operation()).isEqualTo(MembershipRequestDescriptor.WEIGHT);
        assertThat(weight.nodeId()).isEqualTo(4);
        assertThat(weight.weight()).isEqualTo(300);
        buffer.putInt(3 + MembershipRequestDescriptor.WEIGHT_OFFSET, 0, BodyDescriptor.BYTE_ORDER);
        assertThatThrownBy(() -> new MembershipRequestDecoder().wrap(buffer, 3, weightLength))
            .isInstanceOf(MalformedMessageException.class).hasMessageContaining("weight");
    }

    @Test
    void shouldRoundTripMembershipAndRingResponses() throws Exception
    {
        final int length = new MembershipResponseEncoder().wrap(buffer, 1)
            .status(MembershipResponseDescriptor.NOT_LEADER).leaderId(3).ringVersion(12).text("ask node 3")
            .encodedLength();
        final MembershipResponseDecoder response = new MembershipResponseDecoder().wrap(buffer, 1, length);
        assertThat(response.status()).isEqualTo(MembershipResponseDescriptor.NOT_LEADER);
        assertThat(response.leaderId()).isEqualTo(3);
        assertThat(response.ringVersion()).isEqualTo(12);
        assertThat(response.text()).isEqualTo("ask node 3");

        final byte[] ring = {1, 2, 3, 4, 5};
        final int ringLength = new RingResponseEncoder().wrap(buffer, 9).term(4).leaderId(2).ring(ring)
            .encodedLength();
        final RingResponseDecoder ringResponse = new RingResponseDecoder().wrap(buffer, 9, ringLength);
        assertThat(ringResponse.term()).isEqualTo(4);
        assertThat(ringResponse.leaderId()).isEqualTo(2);
        assertThat(bytes(ringResponse.ringOffset(), ringResponse.ringLength())).isEqualTo(ring);
        assertThatThrownBy(() -> new RingResponseDecoder().wrap(buffer, 9, ringLength - 1))
            .isInstanceOf(MalformedMessageException.class).hasMessageContaining("ring");
    }

    @Test
    void shouldRoundTripManifestRequestsAndResponses() throws Exception
    {
        final PutManifestRequestDecoder put = new PutManifestRequestDecoder();
        final GetManifestResponseDecoder get = new GetManifestResponseDecoder();
        final ManifestDecoder view = new ManifestDecoder();
        for (int i = 0; i < ITERATIONS; i++)
        {
            final int offset = randomOffset();
            final Manifest manifest = RandomMessages.manifest(random, 100);

            put.wrap(buffer, offset, new PutManifestRequestEncoder().wrap(buffer, offset).manifest(manifest)
                .encodedLength());
            assertThat(put.manifestLength()).isEqualTo(ManifestCodec.encodedLength(manifest));
            assertSameManifest(ManifestCodec.decode(buffer, put.manifestOffset(), put.manifestLength()), manifest,
                seed(i));
            assertThat(put.manifest(view).name()).isEqualTo(manifest.name());

            get.wrap(buffer, offset, new GetManifestResponseEncoder().wrap(buffer, offset).status(Status.OK)
                .manifest(manifest).encodedLength());
            assertThat(get.status()).isEqualTo(Status.OK);
            assertSameManifest(get.manifest(view).toManifest(), manifest, seed(i));
        }
    }

    @Test
    void shouldCopyAnEncodedManifest() throws Exception
    {
        final Manifest manifest = RandomMessages.manifest(random, 10);
        final UnsafeBuffer encoded = new UnsafeBuffer(new byte[ManifestCodec.encodedLength(manifest)]);
        ManifestCodec.encode(manifest, encoded, 0);

        final int length = new PutManifestRequestEncoder().wrap(buffer, 0).manifest(encoded, 0, encoded.capacity())
            .encodedLength();

        assertSameManifest(new PutManifestRequestDecoder().wrap(buffer, 0, length).manifest(new ManifestDecoder())
            .toManifest(), manifest, "copy");
    }

    @Test
    void shouldRefuseACorruptManifestInsideABody()
    {
        final Manifest manifest = RandomMessages.manifest(random, 3);
        final int length = new PutManifestRequestEncoder().wrap(buffer, 0).manifest(manifest).encodedLength();
        buffer.putByte(PutManifestRequestDescriptor.MANIFEST_OFFSET, (byte)'X');

        assertThatThrownBy(() -> new PutManifestRequestDecoder().wrap(buffer, 0, length))
            .isInstanceOf(MalformedMessageException.class)
            .hasMessageStartingWith("malformed PutManifestRequest: manifest: magic=");
    }

    @Test
    void shouldRoundTripPutManifestResponse() throws Exception
    {
        final int length = new PutManifestResponseEncoder().wrap(buffer, 0).status(Status.ALREADY_HAD)
            .currentVersion(123456789L, 4).encodedLength();

        final PutManifestResponseDecoder decoder = new PutManifestResponseDecoder().wrap(buffer, 0, length);

        assertThat(decoder.status()).isEqualTo(Status.ALREADY_HAD);
        assertThat(decoder.currentVersion()).isEqualTo(new Version(123456789L, 4));
    }

    @Test
    void shouldRoundTripGetManifestRequestAndRefuseBadNames() throws Exception
    {
        final GetManifestRequestDecoder decoder = new GetManifestRequestDecoder();
        for (int i = 0; i < ITERATIONS; i++)
        {
            final String name = RandomMessages.name(random, 8);
            final int offset = randomOffset();
            decoder.wrap(buffer, offset, new GetManifestRequestEncoder().wrap(buffer, offset).name(name)
                .encodedLength());
            assertThat(decoder.name()).as(seed(i)).isEqualTo(name);
        }

        final int length = new GetManifestRequestEncoder().wrap(buffer, 0).name("a/../b").encodedLength();
        assertThatThrownBy(() -> decoder.wrap(buffer, 0, length))
            .isInstanceOf(MalformedMessageException.class)
            .hasMessage("malformed GetManifestRequest: name: name has a '..' segment");
    }

    @Test
    void shouldRoundTripListManifests() throws Exception
    {
        final ListManifestsRequestDecoder request = new ListManifestsRequestDecoder();
        final ListManifestsResponseDecoder response = new ListManifestsResponseDecoder();
        for (int i = 0; i < ITERATIONS; i++)
        {
            final int offset = randomOffset();
            final UnsafeBuffer prefix = RandomMessages.utf8(random.nextBoolean() ? "" : RandomMessages.name(random, 2));
            final UnsafeBuffer token = RandomMessages.bytes(random, random.nextInt(100));
            final int maxEntries = 1 + random.nextInt(ListManifestsRequestDescriptor.MAX_ENTRIES);
            request.wrap(buffer, offset, new ListManifestsRequestEncoder().wrap(buffer, offset).maxEntries(maxEntries)
                .includeTombstones(true).prefix(prefix, 0, prefix.capacity()).pageToken(token, 0, token.capacity())
                .encodedLength());
            assertThat(request.maxEntries()).isEqualTo(maxEntries);
            assertThat(request.includeTombstones()).isTrue();
            assertThat(request.prefixLength()).isEqualTo(prefix.capacity());
            assertThat(bytes(request.prefixOffset(), request.prefixLength())).isEqualTo(prefix.byteArray());
            assertThat(bytes(request.pageTokenOffset(), request.pageTokenLength())).isEqualTo(token.byteArray());

            final Manifest[] page = new Manifest[random.nextInt(20)];
            final ListManifestsResponseEncoder encoder = new ListManifestsResponseEncoder().wrap(buffer, offset)
                .status(Status.OK).more(true).nextPageToken(token, 0, token.capacity());
            final ManifestDecoder view = new ManifestDecoder();
            final ExpandableArrayBuffer scratch = new ExpandableArrayBuffer();
            for (int j = 0; j < page.length; j++)
            {
                page[j] = RandomMessages.manifest(random, 5);
                encoder.addEntry(view.wrap(scratch, 0, ManifestCodec.encode(page[j], scratch, 0)));
            }
            response.wrap(buffer, offset, encoder.encodedLength());
            assertThat(response.hasMore()).isTrue();
            assertThat(response.entryCount()).as(seed(i)).isEqualTo(page.length);
            assertThat(bytes(response.pageTokenOffset(), response.pageTokenLength())).isEqualTo(token.byteArray());
            final ListManifestsResponseDecoder.Entries entries = response.entries();
            for (final Manifest expected : page)
            {
                assertThat(entries.next()).isTrue();
                assertThat(entries.name()).as(seed(i)).isEqualTo(expected.name());
                assertThat(entries.size()).isEqualTo(expected.size());
                assertThat(entries.chunkCount()).isEqualTo(expected.chunkCount());
                assertThat(entries.isTombstone()).isEqualTo(expected.isTombstone());
                assertThat(new Version(entries.versionTimestamp(), entries.versionNodeId()))
                    .isEqualTo(expected.version());
                assertThat(bytes(entries.sha256Offset(), 32)).isEqualTo(expected.sha256());
            }
            assertThat(entries.next()).isFalse();
        }
    }

    @Test
    void shouldRoundTripHeartbeatAndVotes() throws Exception
    {
        for (int i = 0; i < ITERATIONS; i++)
        {
            final int offset = randomOffset();
            final long term = 1 + random.nextLong(Long.MAX_VALUE - 1);
            final long ring = random.nextLong(Long.MAX_VALUE);
            final int leader = random.nextInt();
            final int load = random.nextInt(Integer.MAX_VALUE);
            final HeartbeatDecoder heartbeat = new HeartbeatDecoder().wrap(buffer, offset, new HeartbeatEncoder()
                .wrap(buffer, offset).term(term).ringVersion(ring).leaderId(leader).load(load).encodedLength());
            assertThat(heartbeat.term()).as(seed(i)).isEqualTo(term);
            assertThat(heartbeat.ringVersion()).isEqualTo(ring);
            assertThat(heartbeat.leaderId()).isEqualTo(leader);
            assertThat(heartbeat.load()).isEqualTo(load);

            final long lastLogTerm = random.nextLong(term + 1);
            final long lastLogIndex = random.nextLong(-1, Long.MAX_VALUE);
            final RequestVoteDecoder request = new RequestVoteDecoder().wrap(buffer, offset, new RequestVoteEncoder()
                .wrap(buffer, offset).term(term).lastLogTerm(lastLogTerm).lastLogIndex(lastLogIndex).candidateId(leader)
                .encodedLength());
            assertThat(request.term()).as(seed(i)).isEqualTo(term);
            assertThat(request.lastLogTerm()).isEqualTo(lastLogTerm);
            assertThat(request.lastLogIndex()).isEqualTo(lastLogIndex);
            assertThat(request.candidateId()).isEqualTo(leader);

            final boolean granted = random.nextBoolean();
            final VoteDecoder vote = new VoteDecoder().wrap(buffer, offset, new VoteEncoder().wrap(buffer, offset)
                .term(term).candidateId(leader).granted(granted).encodedLength());
            assertThat(vote.term()).isEqualTo(term);
            assertThat(vote.candidateId()).isEqualTo(leader);
            assertThat(vote.isGranted()).isEqualTo(granted);
        }
    }

    @Test
    void shouldDefaultHeartbeatLeaderToNone() throws Exception
    {
        final int length = new HeartbeatEncoder().wrap(buffer, 0).term(1).encodedLength();

        assertThat(new HeartbeatDecoder().wrap(buffer, 0, length).leaderId()).isEqualTo(HeartbeatDescriptor.NO_LEADER);
    }

    @Test
    void shouldIgnoreBytesAppendedByALaterRevision() throws Exception
    {
        final int length = new VoteEncoder().wrap(buffer, 0).term(3).candidateId(2).granted(true).encodedLength();
        buffer.putLong(length, -1L);

        final VoteDecoder decoder = new VoteDecoder().wrap(buffer, 0, length + 8);

        assertThat(decoder.term()).isEqualTo(3);
        assertThat(decoder.isGranted()).isTrue();
    }

    @Test
    void shouldRoundTripRangeManifestsAndReadAnOldDigestRequestAsOneForChunks() throws Exception
    {
        final int length = new RangeManifestsRequestEncoder().wrap(buffer, 0).ringFingerprint(7).range(3).maxEntries(100)
            .after("docs/é").encodedLength();
        final RangeManifestsRequestDecoder request = new RangeManifestsRequestDecoder().wrap(buffer, 0, length);
        assertThat(request.ringFingerprint()).isEqualTo(7);
        assertThat(request.range()).isEqualTo(3);
        assertThat(request.maxEntries()).isEqualTo(100);
        assertThat(request.after()).isEqualTo("docs/é");

        final int responseLength = new RangeManifestsResponseEncoder().wrap(buffer, 0).ringFingerprint(7).status(Status.OK).more(true)
            .addEntry("a".getBytes(java.nio.charset.StandardCharsets.UTF_8), 11, 2, false)
            .addEntry("bcdefghij".getBytes(java.nio.charset.StandardCharsets.UTF_8), 12, 3, true).encodedLength();
        final RangeManifestsResponseDecoder response =
            new RangeManifestsResponseDecoder().wrap(buffer, 0, responseLength);
        assertThat(response.count()).isEqualTo(2);
        assertThat(response.hasMore()).isTrue();
        assertThat(response.name(1)).isEqualTo("bcdefghij");
        assertThat(response.version(1)).isEqualTo(new io.rfs.store.manifest.Version(12, 3));
        assertThat(response.tombstone(0)).isFalse();
        assertThat(response.tombstone(1)).isTrue();
        assertThatThrownBy(() -> new RangeManifestsResponseDecoder().wrap(buffer, 0, responseLength - 8))
            .isInstanceOf(MalformedMessageException.class);

        new RangeDigestRequestEncoder().wrap(buffer, 0).ringFingerprint(1).ranges(0, 4).manifests(true);
        assertThat(new RangeDigestRequestDecoder().wrap(buffer, 0, RangeDigestRequestDescriptor.BLOCK_LENGTH)
            .manifests()).isTrue();
        assertThat(new RangeDigestRequestDecoder().wrap(buffer, 0, RangeDigestRequestDescriptor.MIN_BLOCK_LENGTH)
            .manifests()).as("a body of the first revision").isFalse();
    }

    @Test
    void shouldRefuseABodyShorterThanItsBlock()
    {
        assertThatThrownBy(() -> new RequestVoteDecoder().wrap(buffer, 0, RequestVoteDescriptor.BLOCK_LENGTH - 1))
            .isInstanceOf(MalformedMessageException.class)
            .hasMessage("malformed RequestVote: bodyLength=31 is shorter than the fixed block of 32");
    }

    @Test
    void shouldRefuseARangeOutsideTheBufferAsACallerError()
    {
        assertThatThrownBy(() -> new VoteDecoder().wrap(new UnsafeBuffer(new byte[10]), 0, 16))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRefuseAnEncodingThatDoesNotFit()
    {
        assertThatThrownBy(() -> new HeartbeatEncoder().wrap(new UnsafeBuffer(new byte[20]), 0))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("offset=0 length=24 does not fit capacity=20");
    }

    @Test
    void shouldAuthoriseByRole()
    {
        assertThat(MessageTypes.isAllowedFrom(MessageTypes.PUT_CHUNK_REQUEST, MessageTypes.ROLE_CLIENT)).isTrue();
        assertThat(MessageTypes.isAllowedFrom(MessageTypes.PUT_CHUNK_RESPONSE, MessageTypes.ROLE_CLIENT)).isFalse();
        assertThat(MessageTypes.isAllowedFrom(MessageTypes.HEARTBEAT, MessageTypes.ROLE_CLIENT)).isFalse();
        assertThat(MessageTypes.isAllowedFrom(MessageTypes.REQUEST_VOTE, MessageTypes.ROLE_CLIENT)).isFalse();
        assertThat(MessageTypes.isAllowedFrom(MessageTypes.COPY_CHUNKS_REQUEST, MessageTypes.ROLE_CLIENT)).isFalse();
        assertThat(MessageTypes.isAllowedFrom(MessageTypes.COPY_CHUNKS_REQUEST, MessageTypes.ROLE_NODE)).isTrue();
        assertThat(MessageTypes.requiresLeader(MessageTypes.COPY_CHUNKS_REQUEST)).isTrue();
        assertThat(MessageTypes.requiresLeader(MessageTypes.HEARTBEAT)).isFalse();
        assertThat(MessageTypes.isAllowedFrom(3, MessageTypes.ROLE_NODE)).isFalse();
        assertThat(MessageTypes.isAllowedFrom(70_000, MessageTypes.ROLE_NODE)).isFalse();
        assertThat(MessageTypes.isAllowedFrom(-1, MessageTypes.ROLE_NODE)).isFalse();
        assertThat(MessageTypes.name(-5)).isEqualTo("Unknown");
        for (final int type : RandomMessages.TYPES)
        {
            assertThat(MessageTypes.isKnown(type)).isTrue();
            if (MessageTypes.kind(type) == MessageTypes.KIND_REQUEST)
            {
                assertThat(MessageTypes.kind(MessageTypes.responseType(type))).isEqualTo(MessageTypes.KIND_RESPONSE);
            }
        }
    }

    private byte[] bytes(final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return bytes;
    }

    private static void assertSameManifest(final Manifest actual, final Manifest expected, final String seed)
    {
        assertThat(actual.name()).as(seed).isEqualTo(expected.name());
        assertThat(actual.size()).as(seed).isEqualTo(expected.size());
        assertThat(actual.sha256()).as(seed).isEqualTo(expected.sha256());
        assertThat(actual.version()).as(seed).isEqualTo(expected.version());
        assertThat(actual.isTombstone()).as(seed).isEqualTo(expected.isTombstone());
        assertThat(actual.chunkCount()).as(seed).isEqualTo(expected.chunkCount());
        for (int i = 0; i < expected.chunkCount(); i++)
        {
            assertThat(actual.chunkId(i)).as(seed).isEqualTo(expected.chunkId(i));
            assertThat(actual.chunkLength(i)).as(seed).isEqualTo(expected.chunkLength(i));
        }
    }
}

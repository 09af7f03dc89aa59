package io.rfs.replication.node;

import io.rfs.replication.protocol.ChunkBitmapDecoder;
import io.rfs.replication.protocol.GetChunkResponseDecoder;
import io.rfs.replication.protocol.MessageTypes;
import io.rfs.replication.protocol.PutChunkRequestDescriptor;
import io.rfs.replication.protocol.PutChunkRequestEncoder;
import io.rfs.replication.protocol.Status;
import io.rfs.store.chunk.ChunkId;
import io.rfs.store.chunkstore.ChunkCodec;
import io.rfs.store.log.RecordDescriptor;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static io.rfs.replication.node.NodeFixture.NODE_ID;
import static org.assertj.core.api.Assertions.assertThat;

class ChunkRequestsTest
{
    @TempDir
    Path directory;

    private NodeFixture fixture;
    private TestClient client;

    @BeforeEach
    void open() throws IOException
    {
        fixture = new NodeFixture(directory.resolve("node"));
        client = fixture.client;
    }

    @AfterEach
    void close()
    {
        fixture.close();
    }

    @Test
    void shouldStoreACompressedChunkAndServeItAsStoredOrDecompressed() throws Exception
    {
        final byte[] raw = compressible(1, 60_000);
        final ChunkId id = client.codec().hash(raw, raw.length);
        final long put = client.putChunk(NODE_ID, raw, true);
        fixture.step();
        assertThat(client.putChunkResponse(put).status()).isEqualTo(Status.OK);
        assertThat(client.putChunkResponse(put).chunkId()).isEqualTo(id);

        final long asStored = client.getChunk(NODE_ID, id, true);
        final long decompressed = client.getChunk(NODE_ID, id, false);
        fixture.step();

        final GetChunkResponseDecoder stored = client.getChunkResponse(asStored);
        assertThat(stored.status()).isEqualTo(Status.OK);
        assertThat(stored.isCompressed()).as("sent as stored, compressed").isTrue();
        assertThat(stored.rawLength()).isEqualTo(raw.length);
        assertThat(decompress(stored)).isEqualTo(raw);

        final GetChunkResponseDecoder plain = client.getChunkResponse(decompressed);
        assertThat(plain.status()).isEqualTo(Status.OK);
        assertThat(plain.isCompressed()).isFalse();
        assertThat(payload(plain)).isEqualTo(raw);
        assertThat(fixture.counter(NodeCounter.CHUNKS_WRITTEN)).isEqualTo(1);
    }

    @Test
    void shouldStoreARawChunkAndServeItRawEvenToARequesterThatAcceptsCompression() throws Exception
    {
        final byte[] raw = random(2, 50_000);
        final ChunkId id = client.codec().hash(raw, raw.length);
        final long put = client.putChunk(NODE_ID, raw, false);
        fixture.step();
        assertThat(client.putChunkResponse(put).status()).isEqualTo(Status.OK);

        final long get = client.getChunk(NODE_ID, id, true);
        fixture.step();

        final GetChunkResponseDecoder response = client.getChunkResponse(get);
        assertThat(response.status()).isEqualTo(Status.OK);
        assertThat(response.isCompressed()).isFalse();
        assertThat(payload(response)).isEqualTo(raw);
    }

    @Test
    void shouldAnswerAlreadyHadForAChunkItHoldsAndNotFoundForOneItDoesNot() throws Exception
    {
        final byte[] raw = random(3, 10_000);
        final long first = client.putChunk(NODE_ID, raw, false);
        final long second = client.putChunk(NODE_ID, raw, false);
        final long missing = client.getChunk(NODE_ID, client.codec().hash(new byte[]{ 1 }, 1), true);
        fixture.step();
        fixture.step();

        assertThat(client.putChunkResponse(first).status()).isEqualTo(Status.OK);
        assertThat(client.putChunkResponse(second).status()).isEqualTo(Status.ALREADY_HAD);
        assertThat(client.getChunkResponse(missing).status()).isEqualTo(Status.NOT_FOUND);
        assertThat(fixture.counter(NodeCounter.CHUNKS_ALREADY_HELD)).isEqualTo(1);
    }

    @Test
    void shouldAnswerHasChunksWithABitmapInRequestOrder() throws Exception
    {
        final ChunkCodec codec = client.codec();
        final byte[] a = random(4, 1_000);
        final byte[] b = random(5, 1_000);
        client.putChunk(NODE_ID, a, false);
        client.putChunk(NODE_ID, b, false);
        fixture.step();

        final ChunkId absent = codec.hash(new byte[]{ 9 }, 1);
        final long has = client.hasChunks(NODE_ID, codec.hash(b, b.length), absent, codec.hash(a, a.length), absent);
        fixture.step();

        final ChunkBitmapDecoder bitmap = client.hasChunksResponse(has);
        assertThat(bitmap.count()).isEqualTo(4);
        assertThat(new boolean[]{ bitmap.get(0), bitmap.get(1), bitmap.get(2), bitmap.get(3) })
            .containsExactly(true, false, true, false);
    }

    @Test
    void shouldRefuseAChunkWhoseBytesDoNotHashToItsIdAndCountIt() throws Exception
    {
        final byte[] raw = random(6, 5_000);
        final ChunkId id = client.codec().hash(raw, raw.length);
        final byte[] flipped = raw.clone();
        flipped[100] ^= 1;

        final long corrupt = client.putChunk(NODE_ID, id, flipped, false);
        final long has = client.hasChunks(NODE_ID, id);
        fixture.step();
        fixture.step();

        assertThat(client.putChunkResponse(corrupt).status()).isEqualTo(Status.CORRUPT);
        assertThat(client.hasChunksResponse(has).get(0)).as("nothing stored").isFalse();
        assertThat(fixture.counter(NodeCounter.CORRUPT_CHUNKS_REFUSED)).isEqualTo(1);

        final long good = client.putChunk(NODE_ID, id, raw, false);
        fixture.step();
        assertThat(client.putChunkResponse(good).status()).isEqualTo(Status.OK);
    }

    @Test
    void shouldRefuseACompressedPayloadThatDoesNotDecompressToItsRawLength() throws Exception
    {
        final byte[] raw = compressible(7, 20_000);
        final ChunkCodec codec = client.codec();
        final ChunkId id = codec.hash(raw, raw.length);
        final int compressedLength = codec.compress(raw, raw.length);
        final UnsafeBuffer body = new UnsafeBuffer(new byte[PutChunkRequestDescriptor.BLOCK_LENGTH + compressedLength]);
        new PutChunkRequestEncoder().wrap(body, 0).chunkId(id).rawLength(raw.length + 1).compressed(true)
            .payload(new UnsafeBuffer(codec.compressed()), 0, compressedLength);

        final long put = client.send(NODE_ID, MessageTypes.PUT_CHUNK_REQUEST, body, body.capacity());
        fixture.step();

        assertThat(client.putChunkResponse(put).status()).isEqualTo(Status.CORRUPT);
        assertThat(fixture.counter(NodeCounter.CORRUPT_CHUNKS_REFUSED)).isEqualTo(1);
    }

    @Test
    void shouldServeEveryAcknowledgedChunkAfterARestart() throws Exception
    {
        final byte[] raw = compressible(8, 30_000);
        final ChunkId id = client.codec().hash(raw, raw.length);
        final long put = client.putChunk(NODE_ID, raw, true);
        fixture.step();
        assertThat(client.putChunkResponse(put).status()).isEqualTo(Status.OK);

        fixture.restart();
        final long get = client.getChunk(NODE_ID, id, true);
        fixture.step();

        assertThat(decompress(client.getChunkResponse(get))).isEqualTo(raw);
    }

    @Test
    void shouldAnswerCorruptForAStoredChunkThatFailsItsHeaderCheckAndNeverServeIt() throws Exception
    {
        final byte[] raw = random(9, 8_000);
        final ChunkId id = client.codec().hash(raw, raw.length);
        client.putChunk(NODE_ID, raw, false);
        fixture.step();
        flipByteOfFirstRecord(directory.resolve("node").resolve("chunks"), RecordDescriptor.RAW_LENGTH_OFFSET);

        final long first = client.getChunk(NODE_ID, id, true);
        fixture.step();
        final long second = client.getChunk(NODE_ID, id, true);
        fixture.step();

        assertThat(client.getChunkResponse(first).status()).isEqualTo(Status.CORRUPT);
        assertThat(client.getChunkResponse(second).status()).as("quarantined").isEqualTo(Status.NOT_FOUND);
        assertThat(fixture.counter(NodeCounter.CORRUPT_RECORDS_FOUND)).isEqualTo(1);
    }

    /**
     * Damages a header field of the first record in the first segment while the node has it mapped, leaving its
     * header checksum stale, as rot after recovery would.
     */
    private static void flipByteOfFirstRecord(final Path chunks, final int fieldOffset) throws IOException
    {
        final Path segment;
        try (Stream<Path> files = Files.list(chunks))
        {
            segment = files.filter(p -> p.toString().endsWith(".seg")).sorted().findFirst().orElseThrow();
        }
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, fieldOffset);
            one.put(0, (byte)(one.get(0) ^ 1)).rewind();
            channel.write(one, fieldOffset);
        }
    }

    private static byte[] payload(final GetChunkResponseDecoder response)
    {
        final byte[] bytes = new byte[response.payloadLength()];
        response.buffer().getBytes(response.payloadOffset(), bytes);
        return bytes;
    }

    private byte[] decompress(final GetChunkResponseDecoder response)
    {
        final byte[] stored = payload(response);
        if (!response.isCompressed())
        {
            return stored;
        }
        final byte[] raw = new byte[response.rawLength()];
        assertThat(client.codec().decompress(stored, stored.length, raw, raw.length)).isTrue();
        return raw;
    }

    static byte[] random(final long seed, final int length)
    {
        final byte[] bytes = new byte[length];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }

    static byte[] compressible(final long seed, final int length)
    {
        final byte[] bytes = random(seed, length);
        Arrays.fill(bytes, length / 4, length, (byte)'x');
        return bytes;
    }
}

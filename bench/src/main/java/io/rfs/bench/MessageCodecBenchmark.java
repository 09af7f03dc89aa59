package io.rfs.bench;

import io.rfs.replication.protocol.HasChunksRequestDecoder;
import io.rfs.replication.protocol.HasChunksRequestEncoder;
import io.rfs.replication.protocol.HeartbeatDecoder;
import io.rfs.replication.protocol.HeartbeatEncoder;
import io.rfs.replication.protocol.ListManifestsResponseDecoder;
import io.rfs.replication.protocol.ListManifestsResponseEncoder;
import io.rfs.replication.protocol.MalformedMessageException;
import io.rfs.replication.protocol.PutChunkRequestDecoder;
import io.rfs.replication.protocol.PutChunkRequestEncoder;
import io.rfs.replication.protocol.PutManifestRequestDecoder;
import io.rfs.replication.protocol.PutManifestRequestEncoder;
import io.rfs.replication.protocol.Status;
import io.rfs.store.chunk.ChunkId;
import io.rfs.store.manifest.Manifest;
import io.rfs.store.manifest.Version;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Encoding and decoding of protocol bodies with the flyweights: each must allocate nothing (run with
 * {@code -prof gc}; {@code gc.alloc.rate.norm} should read 0 B/op). Decoding includes every check a receiver makes.
 * <ul>
 *     <li>{@code heartbeat*}: the smallest fixed body, 24 bytes.</li>
 *     <li>{@code putChunk*}: the fixed part of a chunk upload (48 bytes) as the gather offer sends it; decoding
 *     also checks a 64-byte payload's length.</li>
 *     <li>{@code hasChunks*}: a batch of 64 chunk ids.</li>
 *     <li>{@code listPage*}: a page of 16 file stats, names checked against the file name rules.</li>
 *     <li>{@code putManifestDecode}: a 64-chunk manifest, verified whole.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {
    BenchmarkFlags.ADD_OPENS_REFLECT, BenchmarkFlags.ADD_OPENS_NIO, BenchmarkFlags.ADD_OPENS_ZIP,
    BenchmarkFlags.ADD_EXPORTS_NIO_CH, BenchmarkFlags.ADD_EXPORTS_REF, BenchmarkFlags.ADD_EXPORTS_MISC})
@State(Scope.Thread)
public class MessageCodecBenchmark
{
    private static final int CHUNK_ID = 0;
    private static final int HEARTBEAT = 64;
    private static final int PUT_CHUNK = 128;
    private static final int HAS_CHUNKS = 512;
    private static final int LIST_PAGE = 8192;
    private static final int PUT_MANIFEST = 32768;

    private final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 1024));
    private final UnsafeBuffer scratch = new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 1024));
    private final HeartbeatEncoder heartbeatEncoder = new HeartbeatEncoder();
    private final HeartbeatDecoder heartbeatDecoder = new HeartbeatDecoder();
    private final PutChunkRequestEncoder putChunkEncoder = new PutChunkRequestEncoder();
    private final PutChunkRequestDecoder putChunkDecoder = new PutChunkRequestDecoder();
    private final HasChunksRequestEncoder hasChunksEncoder = new HasChunksRequestEncoder();
    private final HasChunksRequestDecoder hasChunksDecoder = new HasChunksRequestDecoder();
    private final ListManifestsResponseEncoder listEncoder = new ListManifestsResponseEncoder();
    private final ListManifestsResponseDecoder listDecoder = new ListManifestsResponseDecoder();
    private final PutManifestRequestDecoder putManifestDecoder = new PutManifestRequestDecoder();
    private final UnsafeBuffer[] names = new UnsafeBuffer[16];
    private int putChunkLength;
    private int hasChunksLength;
    private int listPageLength;
    private int putManifestLength;
    private long term;

    @Setup
    public void setUp()
    {
        final SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < scratch.capacity(); i++)
        {
            scratch.putByte(i, (byte)random.nextInt());
        }
        buffer.putBytes(CHUNK_ID, scratch, 0, ChunkId.LENGTH);
        heartbeat();
        putChunkLength = putChunk() + 64;
        hasChunksLength = hasChunks();
        for (int i = 0; i < names.length; i++)
        {
            names[i] = new UnsafeBuffer(("photos/2026/holiday/img_" + (1000 + i) + ".jpg")
                .getBytes(StandardCharsets.UTF_8));
        }
        listPageLength = listPage();

        final ChunkId[] ids = new ChunkId[64];
        final int[] lengths = new int[64];
        for (int i = 0; i < ids.length; i++)
        {
            final byte[] id = new byte[ChunkId.LENGTH];
            random.nextBytes(id);
            ids[i] = ChunkId.of(id);
            lengths[i] = 1 << 20;
        }
        final Manifest manifest = new Manifest("backups/db.tar", 64L << 20, new byte[32], ids, lengths,
            new Version(12345, 1), false);
        putManifestLength = new PutManifestRequestEncoder().wrap(buffer, PUT_MANIFEST).manifest(manifest)
            .encodedLength();
    }

    @Benchmark
    public int heartbeat()
    {
        return heartbeatEncoder.wrap(buffer, HEARTBEAT).term(++term).ringVersion(7).leaderId(3).load(12)
            .encodedLength();
    }

    @Benchmark
    public long heartbeatDecode() throws MalformedMessageException
    {
        heartbeatDecoder.wrap(buffer, HEARTBEAT, 24);
        return heartbeatDecoder.term() + heartbeatDecoder.ringVersion() + heartbeatDecoder.leaderId() +
            heartbeatDecoder.load();
    }

    @Benchmark
    public int putChunk()
    {
        return putChunkEncoder.wrap(buffer, PUT_CHUNK).chunkId(buffer, CHUNK_ID).rawLength(64).compressed(false)
            .payloadLength(64).encodedLength();
    }

    @Benchmark
    public long putChunkDecode() throws MalformedMessageException
    {
        putChunkDecoder.wrap(buffer, PUT_CHUNK, putChunkLength);
        return putChunkDecoder.chunkIdOffset() + putChunkDecoder.rawLength() + putChunkDecoder.payloadOffset() +
            putChunkDecoder.payloadLength() + (putChunkDecoder.isCompressed() ? 1 : 0);
    }

    @Benchmark
    public int hasChunks()
    {
        hasChunksEncoder.wrap(buffer, HAS_CHUNKS);
        for (int i = 0; i < 64; i++)
        {
            hasChunksEncoder.addChunkId(scratch, i * ChunkId.LENGTH);
        }
        return hasChunksEncoder.encodedLength();
    }

    @Benchmark
    public long hasChunksDecode() throws MalformedMessageException
    {
        hasChunksDecoder.wrap(buffer, HAS_CHUNKS, hasChunksLength);
        long sum = 0;
        for (int i = 0; i < hasChunksDecoder.count(); i++)
        {
            sum += buffer.getLong(hasChunksDecoder.chunkIdOffset(i));
        }
        return sum;
    }

    @Benchmark
    public int listPage()
    {
        listEncoder.wrap(buffer, LIST_PAGE).status(Status.OK).more(true).nextPageToken(names[15], 0,
            names[15].capacity());
        for (final UnsafeBuffer name : names)
        {
            listEncoder.addEntry(name, 0, name.capacity(), 1 << 20, 1234, 1, 1, scratch, 0, false);
        }
        return listEncoder.encodedLength();
    }

    @Benchmark
    public long listPageDecode() throws MalformedMessageException
    {
        final ListManifestsResponseDecoder.Entries entries = listDecoder.wrap(buffer, LIST_PAGE, listPageLength)
            .entries();
        long sum = 0;
        while (entries.next())
        {
            sum += entries.size() + entries.nameLength() + entries.versionTimestamp();
        }
        return sum;
    }

    @Benchmark
    public int putManifestDecode() throws MalformedMessageException
    {
        return putManifestDecoder.wrap(buffer, PUT_MANIFEST, putManifestLength).manifestLength();
    }
}

package io.rfs.replication.node;

import io.rfs.store.chunk.ChunkId;
import io.rfs.store.chunkstore.ChunkCodec;
import io.rfs.store.chunkstore.ChunkStore;
import io.rfs.store.log.Disk;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The compactor's steps on the storage thread, stepped by hand: copy steps go on while results wait in the ring, the
 * finish (which unmaps the victims) waits until the ring is empty.
 */
class LogCompactorTest
{
    private static final int CHUNK_LENGTH = 20_000;
    private static final int STEP_BYTES = 64 * 1024;

    @TempDir
    Path dir;

    @Test
    void shouldCopyInStepsWhileResultsWaitAndFinishOnlyOnceTheRingIsEmpty() throws IOException
    {
        final ChunkCodec codec = new ChunkCodec();
        final SplittableRandom random = new SplittableRandom(4);
        final List<ChunkId> kept = new ArrayList<>();
        final List<byte[]> contents = new ArrayList<>();
        final List<Throwable> errors = new ArrayList<>();
        final NodeCounters counters = new NodeCounters();
        final ByteArrayOutputStream lines = new ByteArrayOutputStream();
        final RingBuffer results = new OneToOneRingBuffer(
            new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 1024 + RingBufferDescriptor.TRAILER_LENGTH)));
        try (ChunkStore chunks = ChunkStore.open(dir, new Disk(), 1024 * 1024, 1))
        {
            for (int i = 0; i < 100; i++)
            {
                final byte[] raw = new byte[CHUNK_LENGTH];
                random.nextBytes(raw);
                final ChunkId id = codec.hash(raw, raw.length);
                chunks.put(id, raw, raw.length, codec);
                if (i % 4 == 0)
                {
                    chunks.drop(id);
                }
                else
                {
                    kept.add(id);
                    contents.add(raw);
                }
            }
            chunks.force();
            final LogCompactor compactor = new LogCompactor("compaction", "chunks", chunks::garbageBytes,
                () -> chunks.startCompaction(10, 8), 1, STEP_BYTES, counters, NodeCounter.COMPACTIONS,
                NodeCounter.COMPACTION_BYTES_RECLAIMED, errors::add, new PrintStream(lines, true,
                StandardCharsets.UTF_8));
            assertThat(results.write(1, new UnsafeBuffer(new byte[8]), 0, 8)).isTrue();

            assertThat(compactor.startIfDue()).isTrue();
            int copySteps = 0;
            while (compactor.step(results) == 1)
            {
                copySteps++;
                assertThat(copySteps).as("about 75 live chunks of 20 KB, 64 KiB a step").isLessThan(40);
            }
            assertThat(copySteps).isGreaterThan(10);
            assertThat(compactor.step(results)).as("still waiting for the ring").isZero();
            assertThat(segmentFiles()).as("nothing taken out of the log yet: 2 victims, 2 of copies").hasSize(4);
            assertHeld(chunks, codec, kept, contents);

            results.read((type, buffer, offset, length) -> { }, 1);
            while (compactor.isRunning())
            {
                assertThat(compactor.step(results)).isOne();
            }

            assertThat(errors).isEmpty();
            assertThat(counters.get(NodeCounter.COMPACTIONS)).isOne();
            assertThat(counters.get(NodeCounter.COMPACTION_BYTES_RECLAIMED)).isEqualTo(25L * (64 + CHUNK_LENGTH));
            assertThat(segmentFiles()).as("the two victims gone, the copies' segments left").hasSize(2);
            assertThat(lines.toString(StandardCharsets.UTF_8)).startsWith("rfs compaction: 2 segments rewritten, " +
                "75 chunks moved, " + 25L * (64 + CHUNK_LENGTH) + " bytes reclaimed, 0 bytes of garbage left; ");
            assertHeld(chunks, codec, kept, contents);
        }
    }

    private static void assertHeld(
        final ChunkStore chunks, final ChunkCodec codec, final List<ChunkId> kept, final List<byte[]> contents)
        throws IOException
    {
        final byte[] dst = new byte[CHUNK_LENGTH];
        for (int i = 0; i < kept.size(); i++)
        {
            assertThat(chunks.read(kept.get(i), dst, codec)).isEqualTo(CHUNK_LENGTH);
            assertThat(dst).isEqualTo(contents.get(i));
        }
        assertThat(chunks.size()).isEqualTo(kept.size());
    }

    private List<Path> segmentFiles() throws IOException
    {
        try (var files = Files.list(dir))
        {
            return files.toList();
        }
    }
}

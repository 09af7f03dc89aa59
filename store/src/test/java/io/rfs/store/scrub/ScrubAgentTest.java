package io.rfs.store.scrub;

import io.rfs.store.LocalFileStore;
import io.rfs.store.LocalStoreContext;
import io.rfs.store.TransferListener;
import io.rfs.store.chunk.ChunkingPolicy;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class ScrubAgentTest
{
    private static final int CHUNK = 64 * 1024;

    @TempDir
    Path dir;

    private LocalFileStore open() throws IOException
    {
        return LocalFileStore.open(new LocalStoreContext()
            .dataDirectory(dir)
            .chunking(ChunkingPolicy.fixed(CHUNK))
            .chunkSegmentCapacity(1024 * 1024));
    }

    @Test
    void shouldVerifyNoFasterThanItsRate() throws IOException
    {
        try (LocalFileStore store = open())
        {
            store.put("f", new ByteArrayInputStream(random(16 * CHUNK)), TransferListener.NONE);
            final CachedNanoClock clock = new CachedNanoClock();
            final List<ScrubReport> reports = new ArrayList<>();
            // 640 KiB/s: one 64 KiB chunk per 100 ms of clock time.
            final ScrubAgent agent = new ScrubAgent(store.chunkStore(), clock, 10L * CHUNK, reports::add);

            assertThat(agent.doWork()).as("no budget at t=0").isZero();
            for (int step = 1; step < 16; step++)
            {
                clock.advance(TimeUnit.MILLISECONDS.toNanos(100));
                assertThat(agent.doWork()).as("step %d verifies exactly one chunk", step).isEqualTo(1);
                assertThat(agent.doWork()).as("and no more until time passes").isZero();
            }
            assertThat(reports).isEmpty();
            clock.advance(TimeUnit.MILLISECONDS.toNanos(100));
            assertThat(agent.doWork()).as("the last chunk, then the end of the pass").isEqualTo(2);

            assertThat(reports).hasSize(1);
            assertThat(reports.get(0).chunksChecked()).isEqualTo(16);
            assertThat(reports.get(0).bytesChecked()).isEqualTo(16L * CHUNK);
            assertThat(reports.get(0).corrupt()).isEmpty();
        }
    }

    @Test
    void shouldIdleBetweenPassesOfAnEmptyStore() throws IOException
    {
        try (LocalFileStore store = open())
        {
            final CachedNanoClock clock = new CachedNanoClock();
            final List<ScrubReport> reports = new ArrayList<>();
            final ScrubAgent agent = new ScrubAgent(store.chunkStore(), clock, 10L * CHUNK, reports::add);

            assertThat(agent.doWork()).as("an empty pass ends at once").isEqualTo(1);
            for (int step = 0; step < 9; step++)
            {
                clock.advance(TimeUnit.MILLISECONDS.toNanos(100));
                assertThat(agent.doWork()).as("idle %d00 ms after the pass began", step + 1).isZero();
            }
            clock.advance(TimeUnit.MILLISECONDS.toNanos(100));
            assertThat(agent.doWork()).as("the next pass, a second after the first began").isEqualTo(1);
            assertThat(reports).hasSize(2);
        }
    }

    @Test
    void shouldFindAndQuarantineRot() throws IOException
    {
        try (LocalFileStore store = open())
        {
            store.put("f", new ByteArrayInputStream(random(4 * CHUNK)), TransferListener.NONE);
        }
        final Path segment;
        try (Stream<Path> files = Files.list(dir.resolve("chunks")))
        {
            segment = files.sorted().findFirst().orElseThrow();
        }
        try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw"))
        {
            file.seek(CHUNK + 1000); // inside the second chunk's payload
            final int b = file.read();
            file.seek(CHUNK + 1000);
            file.write(b ^ 1);
        }
        try (LocalFileStore store = open())
        {
            final ScrubReport report = store.scrub(Long.MAX_VALUE / 2);
            assertThat(report.chunksChecked()).isEqualTo(4);
            assertThat(report.corrupt()).hasSize(1);
            assertThat(store.chunkStore().quarantined()).containsExactlyElementsOf(report.corrupt());
            assertThat(store.verify(List.of(), TransferListener.NONE).missing()).isEqualTo(1);
        }
    }

    private static byte[] random(final int size)
    {
        final byte[] bytes = new byte[size];
        new SplittableRandom(size).nextBytes(bytes);
        return bytes;
    }
}

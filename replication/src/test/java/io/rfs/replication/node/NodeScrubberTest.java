package io.rfs.replication.node;

import io.rfs.store.chunk.ChunkId;
import io.rfs.store.chunkstore.ChunkCodec;
import io.rfs.store.chunkstore.ChunkStore;
import io.rfs.store.log.Disk;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The background scrub on one chunk store, stepped by hand on simulated clocks: the coverage deadline, the back-off,
 * progress across a restart, and what it does with rot.
 */
class NodeScrubberTest
{
    private static final int CHUNKS = 40;
    private static final int CHUNK_LENGTH = 16 * 1024;
    private static final long PERIOD_NS = TimeUnit.SECONDS.toNanos(20);
    private static final long STEP_MS = 10;

    @TempDir
    Path directory;

    private final CachedNanoClock clock = new CachedNanoClock();
    private final CachedEpochClock epochClock = new CachedEpochClock();
    private final NodeCounters counters = new NodeCounters();
    private final ArrayDeque<ChunkId> found = new ArrayDeque<>();
    private final List<Throwable> errors = new ArrayList<>();
    private final ChunkCodec codec = new ChunkCodec();
    private ChunkStore store;
    private long serviceTimeNs;

    @AfterEach
    void close()
    {
        if (store != null)
        {
            store.close();
        }
        assertThat(errors).isEmpty();
    }

    private NodeScrubber scrubber()
    {
        return new NodeScrubber(new ScrubContext().periodNs(PERIOD_NS).conclude(), store,
            directory.resolve(ScrubProgress.DIRECTORY), clock, epochClock, () -> serviceTimeNs, counters, found,
            errors::add);
    }

    private List<ChunkId> fill() throws IOException
    {
        epochClock.update(1_700_000_000_000L);
        store = ChunkStore.open(directory.resolve("chunks"), new Disk(), 4 * 1024 * 1024, 1);
        final List<ChunkId> ids = new ArrayList<>();
        final SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < CHUNKS; i++)
        {
            final byte[] raw = new byte[CHUNK_LENGTH];
            random.nextBytes(raw);
            final ChunkId id = codec.hash(raw, raw.length);
            store.put(id, raw, raw.length, codec);
            ids.add(id);
        }
        store.force();
        return ids;
    }

    private void step(final NodeScrubber scrubber)
    {
        clock.advance(TimeUnit.MILLISECONDS.toNanos(STEP_MS));
        epochClock.advance(STEP_MS);
        scrubber.doWork();
    }

    @Test
    void shouldSpreadAPassOverHalfThePeriodAndStartTheNextNoEarlierThanThat() throws IOException
    {
        fill();
        final NodeScrubber scrubber = scrubber();
        final long startMs = epochClock.time();
        while (counters.get(NodeCounter.SCRUB_PASSES) == 0)
        {
            step(scrubber);
            assertThat(epochClock.time() - startMs).as("the pass's deadline").isLessThanOrEqualTo(
                TimeUnit.NANOSECONDS.toMillis(PERIOD_NS / 2) + 2 * STEP_MS);
        }
        final long passMs = epochClock.time() - startMs;

        assertThat(passMs).as("paced to its deadline, not run flat out").isGreaterThan(
            TimeUnit.NANOSECONDS.toMillis(PERIOD_NS) / 4);
        assertThat(counters.get(NodeCounter.SCRUB_CHUNKS_VERIFIED)).isEqualTo(CHUNKS);
        assertThat(counters.get(NodeCounter.SCRUB_BYTES_VERIFIED)).isEqualTo((long)CHUNKS * CHUNK_LENGTH);
        assertThat(scrubber.status().coverage()).isEqualTo(1.0);
        assertThat(scrubber.status().oldestUnverifiedAgeMs(epochClock.time())).as("since the pass began")
            .isBetween(passMs - STEP_MS, passMs);

        while (epochClock.time() - startMs < TimeUnit.NANOSECONDS.toMillis(PERIOD_NS / 2) - STEP_MS)
        {
            step(scrubber);
        }
        assertThat(counters.get(NodeCounter.SCRUB_CHUNKS_VERIFIED)).as("waits for the next slot").isEqualTo(CHUNKS);
        for (int i = 0; i < 100; i++)
        {
            step(scrubber);
        }
        assertThat(counters.get(NodeCounter.SCRUB_CHUNKS_VERIFIED)).as("the second pass").isGreaterThan(CHUNKS);
        assertThat(scrubber.status().oldestUnverifiedSinceMs()).as("since the first pass began")
            .isBetween(startMs, startMs + STEP_MS);
    }

    @Test
    void shouldSlowDownWhileRequestsAreSlowAndCatchUpAfterwards() throws IOException
    {
        fill();
        final NodeScrubber scrubber = scrubber();
        step(scrubber);
        step(scrubber);
        final long normal = scrubber.rate();

        serviceTimeNs = 4 * new ScrubContext().latencyTargetNs();
        step(scrubber);
        assertThat(scrubber.rate()).as("a quarter at four times the target").isBetween(normal / 5, normal / 3);
        for (int i = 0; i < 500; i++)
        {
            step(scrubber);
        }
        serviceTimeNs = 0;
        step(scrubber);
        assertThat(scrubber.rate()).as("behind schedule now, so faster than before").isGreaterThan(normal);
    }

    @Test
    void shouldResumeItsPassAfterARestart() throws IOException
    {
        fill();
        NodeScrubber scrubber = scrubber();
        while (counters.get(NodeCounter.SCRUB_CHUNKS_VERIFIED) < CHUNKS / 2)
        {
            step(scrubber);
        }
        for (int i = 0; i < 120; i++)
        {
            clock.advance(TimeUnit.MILLISECONDS.toNanos(STEP_MS));
            epochClock.advance(STEP_MS);
        }
        scrubber.doWork();
        final long before = counters.get(NodeCounter.SCRUB_CHUNKS_VERIFIED);
        final ScrubProgress saved = ScrubProgress.read(directory.resolve(ScrubProgress.DIRECTORY));
        assertThat(saved).isNotNull();
        assertThat(saved.chunksDone()).isBetween(1L, before);

        scrubber = scrubber();
        while (counters.get(NodeCounter.SCRUB_PASSES) == 0)
        {
            step(scrubber);
        }

        assertThat(counters.get(NodeCounter.SCRUB_CHUNKS_VERIFIED) - before).as("only the rest of the pass")
            .isEqualTo(CHUNKS - saved.chunksDone());
    }

    @Test
    void shouldQuarantineAndQueueARottenChunk() throws IOException
    {
        final List<ChunkId> ids = fill();
        store.close();
        store = null;
        SegmentRot.rotFirstChunkKeepingCrcs(directory.resolve("chunks"));
        store = ChunkStore.open(directory.resolve("chunks"), new Disk(), 4 * 1024 * 1024, 1);
        final NodeScrubber scrubber = scrubber();

        while (counters.get(NodeCounter.SCRUB_PASSES) == 0)
        {
            step(scrubber);
        }

        assertThat(found).containsExactly(ids.get(0));
        assertThat(counters.get(NodeCounter.SCRUB_CORRUPT_FOUND)).isEqualTo(1);
        assertThat(store.contains(ids.get(0))).as("quarantined").isFalse();
        assertThat(store.quarantined()).containsExactly(ids.get(0));
    }

    @Test
    void shouldStartANewPassWhenItsProgressFileIsDamaged() throws IOException
    {
        fill();
        final Path progress = directory.resolve(ScrubProgress.DIRECTORY);
        new ScrubProgress(epochClock.time() - 1_000, -1, 7, null).write(progress);
        assertThat(ScrubProgress.read(progress)).isEqualTo(new ScrubProgress(epochClock.time() - 1_000, -1, 7, null));
        final byte[] bytes = java.nio.file.Files.readAllBytes(progress.resolve(ScrubProgress.FILE));
        bytes[10] ^= 1;
        java.nio.file.Files.write(progress.resolve(ScrubProgress.FILE), bytes);
        assertThat(ScrubProgress.read(progress)).as("the checksum fails").isNull();

        final NodeScrubber scrubber = scrubber();
        while (counters.get(NodeCounter.SCRUB_PASSES) == 0)
        {
            step(scrubber);
        }

        assertThat(counters.get(NodeCounter.SCRUB_CHUNKS_VERIFIED)).as("the whole pass").isEqualTo(CHUNKS);
    }
}

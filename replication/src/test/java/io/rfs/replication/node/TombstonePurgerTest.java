package io.rfs.replication.node;

import io.rfs.store.chunk.ChunkId;
import io.rfs.store.manifest.HybridLogicalClock;
import io.rfs.store.manifest.Manifest;
import io.rfs.store.manifest.ManifestStore;
import io.rfs.store.manifest.Version;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tombstone purger on one node, stepped by hand on cached clocks: a deleted name is held (so an older version a
 * stale replica sends cannot come back) until its tombstone is older than the grace period, then forgotten for good.
 */
class TombstonePurgerTest
{
    private static final long GRACE_MS = TimeUnit.MINUTES.toMillis(10);
    private static final long START_MS = 1_700_000_000_000L;

    @TempDir
    Path dir;

    private NodeFixture fixture;

    @BeforeEach
    void setUp() throws Exception
    {
        fixture = new NodeFixture(dir, c -> c.tombstoneGraceNs(TimeUnit.MILLISECONDS.toNanos(GRACE_MS)));
        fixture.epochClock.update(START_MS);
    }

    @AfterEach
    void tearDown()
    {
        fixture.close();
    }

    @Test
    void shouldKeepATombstoneWithinTheGracePeriodSoAStaleReplicasOlderVersionDoesNotComeBack() throws Exception
    {
        final ManifestStore manifests = fixture.node.store().manifests();
        manifests.put(live("a", START_MS, 1));
        manifests.put(Manifest.tombstone("a", version(START_MS + 1_000, 2)));

        advance(GRACE_MS - 1_000);
        purge();

        assertThat(manifests.stat("a").tombstone()).isTrue();
        assertThat(manifests.put(live("a", START_MS, 3))).as("a stale replica's older version").isFalse();
        assertThat(manifests.stat("a").tombstone()).isTrue();
        assertThat(fixture.counter(NodeCounter.TOMBSTONES_PURGED)).isZero();
    }

    @Test
    void shouldForgetATombstoneOlderThanTheGracePeriodAndNoOlderVersionAfterARestart() throws Exception
    {
        final ManifestStore manifests = fixture.node.store().manifests();
        manifests.put(live("a", START_MS, 1));
        manifests.put(Manifest.tombstone("a", version(START_MS + 1_000, 2)));
        manifests.put(live("b", START_MS, 1));

        advance(GRACE_MS + 2_000);
        purge();

        assertThat(manifests.stat("a")).isNull();
        assertThat(manifests.stat("b").tombstone()).as("a live name stays").isFalse();
        assertThat(fixture.counter(NodeCounter.TOMBSTONES_PURGED)).isEqualTo(1);
        fixture.restart();
        assertThat(fixture.node.store().manifests().stat("a")).as("no version of a forgotten name comes back").isNull();
        assertThat(fixture.node.store().manifests().size()).isEqualTo(1);
    }

    @Test
    void shouldKeepAnExpiredTombstoneThisNodeHoldsAHintFor() throws Exception
    {
        final ManifestStore manifests = fixture.node.store().manifests();
        final Version deleted = version(START_MS, 1);
        manifests.put(Manifest.tombstone("a", deleted));
        fixture.node.store().hints().addManifest(NodeFixture.PEER_ID, "a", deleted.timestamp(), deleted.nodeId());

        advance(GRACE_MS + 1_000);
        purge();

        assertThat(manifests.stat("a").tombstone()).as("needed here until handed off").isTrue();
    }

    @Test
    void shouldHoldABoundedNumberOfNamesOverManyPutAndDeleteCycles() throws Exception
    {
        final ManifestStore manifests = fixture.node.store().manifests();
        final int cycles = 12;
        final int namesPerCycle = 200;
        int mostHeld = 0;
        for (int cycle = 0; cycle < cycles; cycle++)
        {
            final long nowMs = fixture.epochClock.time();
            for (int i = 0; i < namesPerCycle; i++)
            {
                final String name = "c" + cycle + "-" + i;
                manifests.put(live(name, nowMs, 1));
                manifests.put(Manifest.tombstone(name, version(nowMs + 1, 1)));
            }
            mostHeld = Math.max(mostHeld, manifests.size());
            advance(GRACE_MS / 2);
            purge();
        }

        // a cycle's tombstones outlive the grace period by one cycle at most: three cycles' worth are ever held
        assertThat(mostHeld).isLessThanOrEqualTo(3 * namesPerCycle);
        assertThat(fixture.counter(NodeCounter.TOMBSTONES_PURGED)).isGreaterThanOrEqualTo((cycles - 3) * namesPerCycle);
        assertThat(manifests.size()).isLessThanOrEqualTo(3 * namesPerCycle);
    }

    private void advance(final long ms)
    {
        fixture.epochClock.advance(ms);
        fixture.nanoClock.advance(TimeUnit.MILLISECONDS.toNanos(ms));
    }

    /**
     * Steps the purger until its walk of the names is over.
     */
    private void purge()
    {
        final TombstonePurger purger = fixture.node.tombstonePurger();
        int steps = 0;
        while (purger.doWork() > 0)
        {
            steps++;
            assertThat(steps).as("a walk ends").isLessThan(1_000);
        }
        assertThat(fixture.errors).isEmpty();
    }

    private static Version version(final long physicalMs, final int nodeId)
    {
        return new Version(physicalMs << HybridLogicalClock.LOGICAL_BITS, nodeId);
    }

    private static Manifest live(final String name, final long physicalMs, final int nodeId)
    {
        final byte[] id = new byte[ChunkId.LENGTH];
        return new Manifest(name, 1000, new byte[32], new ChunkId[]{ChunkId.of(id)}, new int[]{1000},
            version(physicalMs, nodeId), false);
    }
}

package io.rfs.replication.node;

import io.rfs.store.FileStat;
import io.rfs.store.manifest.ManifestStore;
import io.rfs.store.manifest.Version;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.NanoClock;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Forgets deleted names: a tombstone whose version is older than {@code storage.tombstone.grace} (by this node's
 * wall clock) is dropped from the manifest store, every version of its name, durably ({@link ManifestStore#drop}),
 * so that neither memory nor the manifest log grows with the names ever deleted. A tombstone this node keeps a
 * pending hint for stays until it is handed off. The safety argument (why a replica that missed the delete cannot
 * bring the file back) is in NODE.md "Tombstones".
 * <p>
 * Once per {@link #CHECK_INTERVAL_NS} it walks the names in order, {@link #NAMES_PER_STEP} a step, and drops the
 * expired tombstones of each step at once: a drop scans the log's record headers once per call, so batching keeps
 * that cost per tombstone small, and a step never holds the storage thread up for a walk of every name.
 * <p>
 * <b>Threads.</b> The storage thread, composed with the {@link StorageAgent} (it shares the store).
 */
public final class TombstonePurger implements Agent
{
    /** How often a walk of the names starts. */
    static final long CHECK_INTERVAL_NS = TimeUnit.SECONDS.toNanos(10);
    /** Names looked at per step; the expired tombstones among them are dropped in one call. */
    static final int NAMES_PER_STEP = 4096;

    private final ManifestStore manifests;
    private final HintStore hints;
    private final NanoClock nanoClock;
    private final EpochClock epochClock;
    private final long graceMs;
    private final NodeCounters counters;
    private final ErrorHandler errorHandler;
    private final List<String> names = new ArrayList<>();
    private final List<Version> versions = new ArrayList<>();
    private final boolean[] dropped = new boolean[NAMES_PER_STEP];
    private boolean walking;
    private String cursor;
    private long nextCheckNs;

    TombstonePurger(
        final NodeContext context, final ManifestStore manifests, final HintStore hints, final NodeCounters counters)
    {
        this.manifests = manifests;
        this.hints = hints;
        this.nanoClock = context.nanoClock();
        this.epochClock = context.epochClock();
        this.graceMs = TimeUnit.NANOSECONDS.toMillis(context.tombstoneGraceNs());
        this.counters = counters;
        this.errorHandler = context.errorHandler();
        this.nextCheckNs = nanoClock.nanoTime();
    }

    @Override
    public String roleName()
    {
        return "rfs-tombstone-purger";
    }

    @Override
    public int doWork()
    {
        if (!walking)
        {
            final long nowNs = nanoClock.nanoTime();
            if (nowNs - nextCheckNs < 0)
            {
                return 0;
            }
            nextCheckNs = nowNs + CHECK_INTERVAL_NS;
            walking = true;
            cursor = null;
        }
        step(epochClock.time() - graceMs);
        return 1;
    }

    private void step(final long expiredBeforeMs)
    {
        names.clear();
        versions.clear();
        final int[] visited = {0};
        manifests.forEachNewest(cursor, stat ->
        {
            visited[0]++;
            cursor = stat.name();
            if (isExpired(stat, expiredBeforeMs))
            {
                names.add(stat.name());
                versions.add(stat.version());
            }
            return visited[0] < NAMES_PER_STEP;
        });
        if (visited[0] < NAMES_PER_STEP)
        {
            walking = false;
        }
        if (names.isEmpty())
        {
            return;
        }
        try
        {
            // a newer version written since the walk looked is kept (the drop compares versions under its lock)
            counters.add(NodeCounter.TOMBSTONES_PURGED, manifests.drop(names, versions, dropped));
        }
        catch (final IOException ex)
        {
            // the names stay held; the next walk tries again
            errorHandler.onError(ex);
        }
    }

    private boolean isExpired(final FileStat stat, final long expiredBeforeMs)
    {
        return stat.tombstone() && stat.version().physicalMs() < expiredBeforeMs && !hints.containsManifest(stat.name());
    }
}

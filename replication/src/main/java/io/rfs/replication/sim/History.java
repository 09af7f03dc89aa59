package io.rfs.replication.sim;

import io.rfs.store.manifest.Version;

import java.util.Map;
import java.util.TreeMap;

/**
 * The model the checker holds the cluster to: every write the workload started, per name and version, with what
 * it wrote and whether and when it was acknowledged. A write that failed may still have reached some replicas, so
 * it stays possible; only an acknowledged one is owed.
 */
final class History
{
    enum State
    {
        STARTED, ACKNOWLEDGED, FAILED
    }

    static final class Write
    {
        final String name;
        final Version version;
        /** The content, or null for a delete. */
        final byte[] content;
        /** The version of the ring its client placed it by. */
        final long ringVersion;
        State state = State.STARTED;
        long acknowledgedNs;

        Write(final String name, final Version version, final byte[] content, final long ringVersion)
        {
            this.name = name;
            this.version = version;
            this.content = content;
            this.ringVersion = ringVersion;
        }

        boolean isDelete()
        {
            return content == null;
        }
    }

    /** Any ring: what the end audit owes. */
    static final long ANY_RING = -1;

    private final Map<String, TreeMap<Version, Write>> writes = new TreeMap<>();

    Write started(final String name, final Version version, final byte[] content, final long ringVersion)
    {
        final Write write = new Write(name, version, content, ringVersion);
        writes.computeIfAbsent(name, n -> new TreeMap<>()).put(version, write);
        return write;
    }

    /**
     * @return the write of that version of the name, or null if the workload never started it.
     */
    Write find(final String name, final Version version)
    {
        final TreeMap<Version, Write> versions = writes.get(name);
        return versions == null ? null : versions.get(version);
    }

    /**
     * @param name  a name.
     * @param nowNs a virtual time.
     * @return the newest write of the name acknowledged before that time: what a QUORUM read started then owes at
     * least; null if none.
     */
    Write owed(final String name, final long nowNs)
    {
        return owed(name, nowNs, ANY_RING);
    }

    /**
     * What a QUORUM read owes when its client places keys by one ring: only writes placed by the same ring. A write
     * acknowledged by W owners of an older ring may sit on too few owners of the new one until the leader's
     * rebalancing repair has copied it (one new owner per changed range, which holds nothing yet), so a read by the
     * new ring may miss it meanwhile; it is owed again by the end audit, once repair has run.
     *
     * @param name        a name.
     * @param nowNs       a virtual time.
     * @param ringVersion the reading client's ring version, or {@link #ANY_RING}.
     * @return the newest write of the name acknowledged before that time and placed by that ring; null if none.
     */
    Write owed(final String name, final long nowNs, final long ringVersion)
    {
        final TreeMap<Version, Write> versions = writes.get(name);
        if (versions == null)
        {
            return null;
        }
        for (final Write write : versions.descendingMap().values())
        {
            if (write.state == State.ACKNOWLEDGED && write.acknowledgedNs <= nowNs &&
                (ringVersion == ANY_RING || write.ringVersion == ringVersion))
            {
                return write;
            }
        }
        return null;
    }

    Iterable<String> names()
    {
        return writes.keySet();
    }
}

package io.rfs.replication.repair;

import io.rfs.replication.ring.Ring;
import io.rfs.store.FileStat;
import io.rfs.store.chunk.ChunkId;
import io.rfs.store.chunk.Sha256;
import io.rfs.store.manifest.ManifestIndexListener;
import io.rfs.store.manifest.ManifestStore;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * A node's summary of the manifests it holds, per ring range of the names' positions ({@link Ring#manifestPosition}):
 * for each range of the ring in force, the count of names held and two 64-bit sums of a keyed hash of
 * (name, version, tombstone) of the newest version held of each name. Two replicas of a range have equal digests
 * exactly when they hold the same newest version of the same names (up to a chance of about 2^-128), so the leader
 * compares manifests with the same one small message per range as chunks ({@link RangeDigests}).
 * <p>
 * <b>The value of a manifest</b> is the keyed hash ({@link DigestKey}) of
 * SHA-256(UTF-8 name ‖ version timestamp (i64 big-endian) ‖ version node id (i32 big-endian) ‖ tombstone (1 byte)):
 * the unkeyed SHA-256 only shortens the triple to the 32 bytes the keyed hash takes, so the sums stay as hard to
 * steer as those of chunk ids.
 * <p>
 * <b>Kept up to date</b> as the {@link ManifestStore}'s {@link ManifestIndexListener}: a name's newest version
 * changing subtracts the old version's value and adds the new one's. {@link #rebuild} recomputes everything on start
 * and whenever the ring in force changes.
 * <p>
 * <b>Threads.</b> Single writer: the thread that changes the store (the node's storage agent) and reads the digests.
 */
public final class ManifestDigests implements ManifestIndexListener
{
    private final DigestKey key;
    private final MessageDigest sha256 = Sha256.newDigest();
    private final ByteBuffer versionBytes = ByteBuffer.allocate(13);
    private Ring ring;
    private long[] lane0 = new long[0];
    private long[] lane1 = new long[0];
    private long[] counts = new long[0];

    /**
     * @param key the cluster's digest key.
     */
    public ManifestDigests(final DigestKey key)
    {
        this.key = key;
    }

    /**
     * Makes {@code ring}'s ranges the ones summarised and recomputes every digest from the store's newest versions.
     *
     * @param ring      the ring in force, or null for none.
     * @param manifests the store; call on the thread that changes it.
     */
    public void rebuild(final Ring ring, final ManifestStore manifests)
    {
        this.ring = ring;
        final int ranges = ring == null ? 0 : ring.tokenCount();
        lane0 = new long[ranges];
        lane1 = new long[ranges];
        counts = new long[ranges];
        manifests.forEachNewest(null, stat ->
        {
            add(stat, 1);
            return true;
        });
    }

    /**
     * @return the ring whose ranges are summarised, or null.
     */
    public Ring ring()
    {
        return ring;
    }

    /**
     * @return ranges summarised: the ring's token count.
     */
    public int rangeCount()
    {
        return counts.length;
    }

    /**
     * @param range a token index of {@link #ring()}.
     * @return names held in its range.
     */
    public long count(final int range)
    {
        return counts[range];
    }

    /**
     * @param range a token index.
     * @return the first lane of its digest.
     */
    public long lane0(final int range)
    {
        return lane0[range];
    }

    /**
     * @param range a token index.
     * @return the second lane of its digest.
     */
    public long lane1(final int range)
    {
        return lane1[range];
    }

    /**
     * @param name a file name.
     * @return the token index whose range holds its manifest, or -1 with no ring.
     */
    public int rangeOf(final String name)
    {
        return ring == null || counts.length == 0 ? -1 : ring.tokenIndex(Ring.manifestPosition(name));
    }

    @Override
    public void onNewestChanged(final FileStat previous, final FileStat current)
    {
        if (previous != null)
        {
            add(previous, -1);
        }
        if (current != null)
        {
            add(current, 1);
        }
    }

    private void add(final FileStat stat, final int sign)
    {
        final int range = rangeOf(stat.name());
        if (range < 0)
        {
            return;
        }
        final ChunkId value = valueOf(stat);
        lane0[range] += sign * key.lane0(value);
        lane1[range] += sign * key.lane1(value);
        counts[range] += sign;
    }

    private ChunkId valueOf(final FileStat stat)
    {
        sha256.reset();
        sha256.update(stat.name().getBytes(StandardCharsets.UTF_8));
        versionBytes.clear();
        versionBytes.putLong(stat.version().timestamp()).putInt(stat.version().nodeId())
            .put((byte)(stat.tombstone() ? 1 : 0));
        sha256.update(versionBytes.array());
        return ChunkId.of(sha256.digest());
    }
}

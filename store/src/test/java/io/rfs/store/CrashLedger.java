package io.rfs.store;

import io.rfs.store.chunk.ChunkId;
import io.rfs.store.chunk.Sha256;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the parent of {@link CrashWorker}s knows about the store they wrote, built from their output, and the
 * check of a recovered store against it.
 * <p>
 * An acknowledged put or delete is durable: after any crash the store must show it (or, for a name, a newer write
 * the worker had started). The one operation in flight at the kill may or may not have happened, but must never
 * show half done; whichever way recovery decided, later recoveries must agree, so once checked it counts as
 * acknowledged.
 */
final class CrashLedger
{
    private final long seed;
    private final CrashWorker.Mode mode;
    /** Name to index of the put whose content it must hold (or a newer one's, while that put is in flight). */
    private final Map<String, Integer> live = new TreeMap<>();
    private final Set<String> deleted = new TreeSet<>();
    /** Files the test put itself, outside the worker's protocol. */
    private final Map<String, byte[]> ownFiles = new TreeMap<>();
    private final List<String> acksToCheck = new ArrayList<>();
    /** Chunks of dropped files: none may be held again after a crash. */
    private final Set<ChunkId> droppedChunks = new HashSet<>();
    private String pendingPut;
    private int pendingPutIndex = -1;
    private String pendingDelete;
    private int nextIndex;
    private boolean compacting;
    private long lastCompactionNs;
    private int roundAcks;
    private int roundCompactions;
    private int totalAcks;
    private int totalDeletes;
    private int totalDrops;
    private int roundFinishes;
    private boolean retiring;

    /**
     * @param seed the run's seed.
     * @param mode what the workers do, which decides their files' content.
     */
    CrashLedger(final long seed, final CrashWorker.Mode mode)
    {
        this.seed = seed;
        this.mode = mode;
    }

    /**
     * Resets the per-round counters before a new worker starts.
     */
    void startRound()
    {
        roundAcks = 0;
        roundCompactions = 0;
        roundFinishes = 0;
        compacting = false;
        retiring = false;
    }

    /**
     * Takes in one line of a worker's output.
     *
     * @param line the line.
     */
    void onLine(final String line)
    {
        final String[] fields = line.split(" ");
        switch (fields[0])
        {
            case "PUT" ->
            {
                pendingPut = fields[1];
                pendingPutIndex = Integer.parseInt(fields[2]);
            }
            case "ACK" ->
            {
                final int index = Integer.parseInt(fields[4]);
                assertThat(fields[1]).as(line).isEqualTo(pendingPut);
                assertThat(index).as(line).isEqualTo(pendingPutIndex);
                live.put(fields[1], index);
                acksToCheck.add(line);
                pendingPut = null;
                pendingPutIndex = -1;
                nextIndex = Math.max(nextIndex, index + 1);
                roundAcks++;
                totalAcks++;
            }
            case "DELETING" -> pendingDelete = fields[1];
            case "DEL" ->
            {
                assertThat(fields[1]).as(line).isEqualTo(pendingDelete);
                live.remove(fields[1]);
                deleted.add(fields[1]);
                pendingDelete = null;
                totalDeletes++;
            }
            case "COMPACTING" ->
            {
                compacting = true;
                roundCompactions++;
            }
            case "COMPACTED" ->
            {
                compacting = false;
                lastCompactionNs = Long.parseLong(fields[4]);
            }
            case "DROPPED" ->
            {
                droppedChunks.addAll(CrashWorker.chunkIds(content(Integer.parseInt(fields[2]))));
                totalDrops++;
            }
            case "FINISHING" ->
            {
                retiring = true;
                roundFinishes++;
            }
            case "RELEASED" -> retiring = false;
            default ->
            {
                // READY, DROPPING (its chunks may or may not be held after a kill), STARTED, FINISHED, or a
                // library's banner.
            }
        }
    }

    /**
     * @param name    a file the test put itself.
     * @param content its content.
     */
    void ownPut(final String name, final byte[] content)
    {
        ownFiles.put(name, content);
    }

    int nextIndex()
    {
        return nextIndex;
    }

    int roundAcks()
    {
        return roundAcks;
    }

    int roundCompactions()
    {
        return roundCompactions;
    }

    int totalAcks()
    {
        return totalAcks;
    }

    int totalDeletes()
    {
        return totalDeletes;
    }

    int totalDrops()
    {
        return totalDrops;
    }

    /**
     * @return FINISHING lines of the last worker: stepped compactions that reached their finish.
     */
    int roundFinishes()
    {
        return roundFinishes;
    }

    /**
     * @return true if the last worker printed FINISHING and not RELEASED after it: it may have left retired files.
     */
    boolean isRetiring()
    {
        return retiring;
    }

    /**
     * @return true if the last worker printed COMPACTING and not COMPACTED after it.
     */
    boolean isCompacting()
    {
        return compacting;
    }

    /**
     * @return how long the last compaction a worker finished took, or 0 if none did yet.
     */
    long lastCompactionNs()
    {
        return lastCompactionNs;
    }

    /**
     * Checks a recovered store against everything acknowledged so far, then settles the operation that was in
     * flight at the kill the way recovery decided it.
     *
     * @param store the store, just reopened.
     * @throws IOException if a read fails in a way the check does not expect.
     */
    void assertRecovered(final LocalFileStore store) throws IOException
    {
        for (final String ack : acksToCheck)
        {
            final String[] fields = ack.split(" ");
            final byte[] content = content(Integer.parseInt(fields[4]));
            assertThat(fields[2] + " " + fields[3]).as("what the worker acknowledged: %s", ack)
                .isEqualTo(sha256(content) + " " + content.length);
        }
        acksToCheck.clear();

        final Set<String> listed = new TreeSet<>();
        for (final FileStat stat : store.list(""))
        {
            listed.add(stat.name());
        }
        final Set<String> expected = new TreeSet<>(live.keySet());
        expected.addAll(ownFiles.keySet());

        if (pendingDelete != null && !listed.contains(pendingDelete))
        {
            live.remove(pendingDelete);
            deleted.add(pendingDelete);
            expected.remove(pendingDelete);
        }
        if (pendingPut != null && listed.contains(pendingPut))
        {
            expected.add(pendingPut);
        }
        assertThat(listed).as("live files after recovery (put in flight: %s %d, delete in flight: %s)", pendingPut,
            pendingPutIndex, pendingDelete).isEqualTo(expected);

        for (final Map.Entry<String, Integer> entry : live.entrySet())
        {
            final String name = entry.getKey();
            final List<String> allowed = new ArrayList<>();
            allowed.add(sha256(content(entry.getValue())));
            if (name.equals(pendingPut))
            {
                allowed.add(sha256(content(pendingPutIndex)));
            }
            final String actual = readSha256(store, name);
            assertThat(actual).as("content of %s (acknowledged put %d%s)", name, entry.getValue(),
                name.equals(pendingPut) ? ", or the put " + pendingPutIndex + " in flight" : "").isIn(allowed);
            if (name.equals(pendingPut) && !actual.equals(allowed.get(0)))
            {
                entry.setValue(pendingPutIndex);
            }
        }
        if (pendingPut != null && !live.containsKey(pendingPut) && listed.contains(pendingPut))
        {
            assertThat(readSha256(store, pendingPut)).as("content of %s, put %d in flight", pendingPut, pendingPutIndex)
                .isEqualTo(sha256(content(pendingPutIndex)));
            live.put(pendingPut, pendingPutIndex);
        }
        for (final Map.Entry<String, byte[]> entry : ownFiles.entrySet())
        {
            assertThat(readSha256(store, entry.getKey())).as("content of %s", entry.getKey())
                .isEqualTo(sha256(entry.getValue()));
        }
        for (final String name : deleted)
        {
            assertThatThrownBy(() -> store.stat(name)).as("%s stays deleted", name)
                .isInstanceOf(UnknownFileException.class);
        }
        for (final ChunkId id : droppedChunks)
        {
            assertThat(store.chunkStore().contains(id)).as("dropped chunk %s held again", id).isFalse();
        }
        pendingPut = null;
        pendingPutIndex = -1;
        pendingDelete = null;
    }

    private byte[] content(final int index)
    {
        return CrashWorker.content(mode, seed, index);
    }

    /**
     * Reads a file, checking the bytes against the SHA-256 its manifest records.
     *
     * @return the SHA-256 of the bytes read, as hex.
     */
    static String readSha256(final LocalFileStore store, final String name) throws IOException
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final FileStat stat = store.get(name, out, TransferListener.NONE);
        final String actual = sha256(out.toByteArray());
        assertThat(actual + " " + out.size()).as("%s matches its manifest", name)
            .isEqualTo(stat.sha256() + " " + stat.size());
        return actual;
    }

    /**
     * Puts a file and returns its content, for the test's own writes.
     */
    static byte[] put(final LocalFileStore store, final String name, final byte[] content) throws IOException
    {
        store.put(name, new ByteArrayInputStream(content), TransferListener.NONE);
        return content;
    }

    static String sha256(final byte[] bytes)
    {
        return HexFormat.of().formatHex(Sha256.digest(bytes));
    }
}

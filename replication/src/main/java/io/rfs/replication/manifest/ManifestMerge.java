package io.rfs.replication.manifest;

import io.rfs.replication.protocol.ListManifestsResponseDecoder;
import io.rfs.store.FileStat;
import io.rfs.store.manifest.Version;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Merges the manifest listings of several nodes, name by name in byte order (each node lists its manifests in that
 * order): for each name, which node holds which version. Holds one listing page per node, so memory stays bounded
 * however many files there are. It never fetches: it says which node's next page it needs
 * ({@link #nextPageWanted()}), and the caller hands the page in when it has it ({@link #onPage}), at once (the
 * blocking walk of {@code rfs verify}) or when its answer arrives (the leader's reclaim, on the network thread). A
 * node whose listing fails ({@link #onFailed}) is left out from then on and named by {@link #failedNodes()}.
 * <p>
 * <b>Threads.</b> One thread.
 */
public final class ManifestMerge
{
    /** Entries asked for per page. */
    public static final int PAGE_ENTRIES = 1000;
    /** {@link #nextPageWanted()}: no page is wanted that has not been asked for. */
    public static final int NO_NODE = Integer.MIN_VALUE;

    /**
     * One name and the versions of its manifest the nodes hold.
     *
     * @param name    the name.
     * @param holders node id to what that node holds, tombstones included.
     */
    public record Name(String name, Map<Integer, FileStat> holders)
    {
        /**
         * @return the newest version any node holds.
         */
        public FileStat newest()
        {
            FileStat newest = null;
            for (final FileStat stat : holders.values())
            {
                if (newest == null || stat.version().isNewerThan(newest.version()))
                {
                    newest = stat;
                }
            }
            return newest;
        }
    }

    private final List<Cursor> cursors = new ArrayList<>();
    private final Map<Integer, String> failed = new TreeMap<>();

    /**
     * @param nodeIds the nodes whose listings to merge.
     */
    public ManifestMerge(final List<Integer> nodeIds)
    {
        for (final int nodeId : nodeIds)
        {
            cursors.add(new Cursor(nodeId));
        }
    }

    /**
     * @return the next name in byte order and its holders; null when a page is wanted first (see
     * {@link #nextPageWanted()}) or when every listing is done ({@link #isDone()}).
     */
    public Name next()
    {
        byte[] least = null;
        for (final Cursor cursor : cursors)
        {
            if (cursor.isWaiting())
            {
                return null;
            }
            final byte[] name = cursor.peek();
            if (name != null && (least == null || Arrays.compareUnsigned(name, least) < 0))
            {
                least = name;
            }
        }
        if (least == null)
        {
            return null;
        }
        final Map<Integer, FileStat> holders = new TreeMap<>();
        for (final Cursor cursor : cursors)
        {
            final byte[] name = cursor.peek();
            if (name != null && Arrays.equals(name, least))
            {
                holders.put(cursor.nodeId, cursor.take());
            }
        }
        return new Name(new String(least, StandardCharsets.UTF_8), holders);
    }

    /**
     * @return true once every listing has ended (or failed) and every name has been returned.
     */
    public boolean isDone()
    {
        for (final Cursor cursor : cursors)
        {
            if (!cursor.done)
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Names a node whose next page the merge needs and has not asked for yet, and marks it asked for.
     *
     * @return the node, or {@link #NO_NODE}.
     */
    public int nextPageWanted()
    {
        for (final Cursor cursor : cursors)
        {
            if (cursor.isWaiting() && !cursor.asked)
            {
                cursor.asked = true;
                return cursor.nodeId;
            }
        }
        return NO_NODE;
    }

    /**
     * @param nodeId a node.
     * @return the token to ask its next page with: null for the first page.
     */
    public byte[] token(final int nodeId)
    {
        return cursor(nodeId).token;
    }

    /**
     * @param nodeId    the node whose page was wanted.
     * @param entries   the page's entries, in name order.
     * @param nextToken the token of its next page, or null if this was the last.
     */
    public void onPage(final int nodeId, final List<FileStat> entries, final byte[] nextToken)
    {
        final Cursor cursor = cursor(nodeId);
        cursor.asked = false;
        cursor.page = entries;
        cursor.index = 0;
        cursor.token = nextToken;
        if (nextToken == null && entries.isEmpty())
        {
            cursor.done = true;
        }
    }

    /**
     * @param nodeId the node whose page was wanted and did not come.
     * @param why    the reason, kept for {@link #failedNodes()}.
     */
    public void onFailed(final int nodeId, final String why)
    {
        final Cursor cursor = cursor(nodeId);
        cursor.asked = false;
        cursor.done = true;
        cursor.page = List.of();
        failed.put(nodeId, why);
    }

    /**
     * @return the nodes whose listing failed, with why; they hold manifests this merge did not see.
     */
    public Map<Integer, String> failedNodes()
    {
        return failed;
    }

    /**
     * Copies a listing page's entries off the wire.
     *
     * @param page a decoded {@code ListManifestsResponse}.
     * @return its entries, tombstones included, in name order.
     */
    public static List<FileStat> entries(final ListManifestsResponseDecoder page)
    {
        final List<FileStat> entries = new ArrayList<>(page.entryCount());
        final ListManifestsResponseDecoder.Entries cursor = page.entries();
        final byte[] sha256 = new byte[32];
        while (cursor.next())
        {
            page.buffer().getBytes(cursor.sha256Offset(), sha256);
            entries.add(new FileStat(cursor.name(), cursor.size(), HexFormat.of().formatHex(sha256),
                cursor.chunkCount(), new Version(cursor.versionTimestamp(), cursor.versionNodeId()),
                cursor.isTombstone()));
        }
        return entries;
    }

    /**
     * @param page a decoded {@code ListManifestsResponse}.
     * @return the token of the next page, or null if this was the last.
     */
    public static byte[] nextToken(final ListManifestsResponseDecoder page)
    {
        if (!page.hasMore())
        {
            return null;
        }
        final byte[] token = new byte[page.pageTokenLength()];
        page.buffer().getBytes(page.pageTokenOffset(), token);
        return token;
    }

    private Cursor cursor(final int nodeId)
    {
        for (final Cursor cursor : cursors)
        {
            if (cursor.nodeId == nodeId)
            {
                return cursor;
            }
        }
        throw new IllegalArgumentException("nodeId=" + nodeId + " is not merged here");
    }

    /**
     * One node's listing, a page at a time.
     */
    private static final class Cursor
    {
        private final int nodeId;
        private List<FileStat> page = List.of();
        private int index;
        private byte[] token;
        private boolean done;
        private boolean asked;
        private byte[] current;

        Cursor(final int nodeId)
        {
            this.nodeId = nodeId;
        }

        /**
         * @return true if the merge cannot go on without this node's next page.
         */
        boolean isWaiting()
        {
            if (done || index < page.size())
            {
                return false;
            }
            if (!page.isEmpty() && token == null)
            {
                done = true;
                return false;
            }
            return true;
        }

        byte[] peek()
        {
            if (current == null && !done && index < page.size())
            {
                current = page.get(index).name().getBytes(StandardCharsets.UTF_8);
            }
            return current;
        }

        FileStat take()
        {
            current = null;
            return page.get(index++);
        }
    }
}

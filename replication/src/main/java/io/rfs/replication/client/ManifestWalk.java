package io.rfs.replication.client;

import io.rfs.store.FileStat;
import io.rfs.store.RfsException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Walks the manifests of every node at once, name by name in byte order, merging the nodes' listings (each node lists
 * its manifests in that order): for each name, which node holds which version. Holds one listing page per node, so
 * memory stays bounded however many files there are. A node whose listing fails is left out from then on and named
 * by {@link #failedNodes()}.
 * <p>
 * <b>Threads.</b> One caller thread; the pages come from the client's agent.
 */
final class ManifestWalk
{
    /** Entries asked for per page. */
    static final int PAGE_ENTRIES = 1000;

    /**
     * Fetches one page of a node's listing.
     */
    @FunctionalInterface
    interface PageSource
    {
        /**
         * @param nodeId the node.
         * @param token  the previous page's token, or null for the first.
         * @return the page.
         * @throws IOException if the node did not answer.
         */
        ClientAgent.ListPage page(int nodeId, byte[] token) throws IOException;
    }

    /**
     * One name and the versions of its manifest the nodes hold.
     *
     * @param name    the name.
     * @param holders node id to what that node holds, tombstones included.
     */
    record Name(String name, Map<Integer, FileStat> holders)
    {
        /**
         * @return the newest version any node holds.
         */
        FileStat newest()
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

    private final PageSource source;
    private final List<Cursor> cursors = new ArrayList<>();
    private final Map<Integer, String> failed = new TreeMap<>();

    /**
     * @param nodeIds the nodes to walk.
     * @param source  where pages come from.
     */
    ManifestWalk(final List<Integer> nodeIds, final PageSource source)
    {
        this.source = source;
        for (final int nodeId : nodeIds)
        {
            cursors.add(new Cursor(nodeId));
        }
    }

    /**
     * @return the next name in byte order and its holders, or null when every listing is done.
     */
    Name next()
    {
        byte[] least = null;
        for (final Cursor cursor : cursors)
        {
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
     * @return the nodes whose listing failed, with why; they hold manifests this walk did not see.
     */
    Map<Integer, String> failedNodes()
    {
        return failed;
    }

    /**
     * One node's listing, a page at a time.
     */
    private final class Cursor
    {
        private final int nodeId;
        private List<FileStat> page = List.of();
        private int index;
        private byte[] token;
        private boolean done;
        private byte[] current;

        Cursor(final int nodeId)
        {
            this.nodeId = nodeId;
        }

        byte[] peek()
        {
            if (current != null)
            {
                return current;
            }
            while (!done && index >= page.size())
            {
                if (page.size() > 0 && token == null)
                {
                    done = true;
                    break;
                }
                try
                {
                    final ClientAgent.ListPage next = source.page(nodeId, token);
                    page = next.entries();
                    index = 0;
                    token = next.nextToken();
                    if (page.isEmpty() && token == null)
                    {
                        done = true;
                    }
                }
                catch (final IOException | RuntimeException ex)
                {
                    failed.put(nodeId, ex instanceof RfsException || ex instanceof IOException ? ex.getMessage() :
                        ex.toString());
                    done = true;
                }
            }
            if (done)
            {
                return null;
            }
            current = page.get(index).name().getBytes(StandardCharsets.UTF_8);
            return current;
        }

        FileStat take()
        {
            current = null;
            return page.get(index++);
        }
    }
}

package io.rfs.replication.client;

import io.rfs.replication.manifest.ManifestMerge;
import io.rfs.store.RfsException;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Walks the manifests of every node at once, name by name in byte order ({@link ManifestMerge}), fetching each page
 * when the merge needs it and waiting for it. A node whose listing fails is left out from then on and named by
 * {@link #failedNodes()}.
 * <p>
 * <b>Threads.</b> One caller thread; the pages come from the client's agent.
 */
final class ManifestWalk
{
    /** Entries asked for per page. */
    static final int PAGE_ENTRIES = ManifestMerge.PAGE_ENTRIES;

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

    private final PageSource source;
    private final ManifestMerge merge;

    /**
     * @param nodeIds the nodes to walk.
     * @param source  where pages come from.
     */
    ManifestWalk(final List<Integer> nodeIds, final PageSource source)
    {
        this.source = source;
        this.merge = new ManifestMerge(nodeIds);
    }

    /**
     * @return the next name in byte order and its holders, or null when every listing is done.
     */
    ManifestMerge.Name next()
    {
        while (true)
        {
            final ManifestMerge.Name next = merge.next();
            if (next != null || merge.isDone())
            {
                return next;
            }
            int nodeId;
            while ((nodeId = merge.nextPageWanted()) != ManifestMerge.NO_NODE)
            {
                try
                {
                    final ClientAgent.ListPage page = source.page(nodeId, merge.token(nodeId));
                    merge.onPage(nodeId, page.entries(), page.nextToken());
                }
                catch (final IOException | RuntimeException ex)
                {
                    merge.onFailed(nodeId, ex instanceof RfsException || ex instanceof IOException ?
                        ex.getMessage() : ex.toString());
                }
            }
        }
    }

    /**
     * @return the nodes whose listing failed, with why; they hold manifests this walk did not see.
     */
    Map<Integer, String> failedNodes()
    {
        return merge.failedNodes();
    }
}

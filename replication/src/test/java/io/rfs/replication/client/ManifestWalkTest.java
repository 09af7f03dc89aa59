package io.rfs.replication.client;

import io.rfs.replication.manifest.ManifestMerge;
import io.rfs.store.FileStat;
import io.rfs.store.RfsException;
import io.rfs.store.manifest.Version;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The merged walk of the nodes' manifest listings that {@code rfs verify} rests on: byte order across pages and nodes,
 * and a node whose listing fails part way.
 */
class ManifestWalkTest
{
    @Test
    void shouldMergeTheNodesListingsInByteOrderAcrossPages()
    {
        final Map<Integer, List<FileStat>> held = Map.of(
            1, List.of(stat("a", 1), stat("c", 1), stat("é", 1)),
            2, List.of(stat("a", 2), stat("b", 1), stat("c", 1), stat("d", 1)),
            3, List.of());
        final ManifestWalk walk = new ManifestWalk(List.of(1, 2, 3), pagesOfTwo(held, -1));

        final List<String> names = new ArrayList<>();
        ManifestMerge.Name next;
        ManifestMerge.Name first = null;
        while ((next = walk.next()) != null)
        {
            first = first == null ? next : first;
            names.add(next.name() + next.holders().keySet());
        }

        assertThat(names).containsExactly("a[1, 2]", "b[2]", "c[1, 2]", "d[2]", "é[1]");
        assertThat(first.newest().version().timestamp()).isEqualTo(2);
        assertThat(walk.failedNodes()).isEmpty();
    }

    @Test
    void shouldLeaveOutANodeWhoseListingFailsAndNameIt()
    {
        final Map<Integer, List<FileStat>> held = Map.of(
            1, List.of(stat("a", 1), stat("b", 1), stat("c", 1)),
            2, List.of(stat("a", 1), stat("b", 1), stat("c", 1)));
        final ManifestWalk walk = new ManifestWalk(List.of(1, 2), pagesOfTwo(held, 2));

        final List<String> names = new ArrayList<>();
        ManifestMerge.Name next;
        while ((next = walk.next()) != null)
        {
            names.add(next.name() + next.holders().keySet());
        }

        assertThat(names).containsExactly("a[1, 2]", "b[1, 2]", "c[1]");
        assertThat(walk.failedNodes()).containsOnlyKeys(2);
    }

    /**
     * Pages of two entries; {@code failingNode}'s second page fails.
     */
    private static ManifestWalk.PageSource pagesOfTwo(final Map<Integer, List<FileStat>> held, final int failingNode)
    {
        return (nodeId, token) ->
        {
            final int from = token == null ? 0 : token[0];
            if (nodeId == failingNode && from > 0)
            {
                throw new RfsException("node " + nodeId + " did not answer");
            }
            final List<FileStat> all = held.get(nodeId);
            final int to = Math.min(all.size(), from + 2);
            return new ClientAgent.ListPage(all.subList(from, to), to < all.size() ? new byte[]{(byte)to} : null);
        };
    }

    private static FileStat stat(final String name, final long timestamp)
    {
        return new FileStat(name, 1, "00", 1, new Version(timestamp, 1), false);
    }
}

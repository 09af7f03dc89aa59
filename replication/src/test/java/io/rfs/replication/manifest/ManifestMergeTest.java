package io.rfs.replication.manifest;

import io.rfs.store.FileStat;
import io.rfs.store.manifest.Version;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The merge on its own, pages handed in when their answers come (as the leader's reclaim does on the network thread).
 */
class ManifestMergeTest
{
    @Test
    void shouldReturnNothingUntilEveryNodeWithoutAnEntryHasAnsweredItsPage()
    {
        final ManifestMerge merge = new ManifestMerge(List.of(1, 2));

        assertThat(merge.next()).isNull();
        assertThat(merge.isDone()).isFalse();
        assertThat(merge.nextPageWanted()).isEqualTo(1);
        assertThat(merge.nextPageWanted()).isEqualTo(2);
        assertThat(merge.nextPageWanted()).isEqualTo(ManifestMerge.NO_NODE);

        merge.onPage(1, List.of(stat("a", 1), stat("c", 1)), null);
        assertThat(merge.next()).isNull();

        merge.onPage(2, List.of(stat("b", 1)), new byte[]{1});
        final List<String> names = new ArrayList<>();
        names.add(merge.next().name() + "[1]1");
        names.add(merge.next().name() + "[2]1");
        assertThat(merge.next()).isNull();
        assertThat(merge.nextPageWanted()).isEqualTo(2);
        assertThat(merge.token(2)).containsExactly(1);

        merge.onPage(2, List.of(stat("c", 2)), null);
        ManifestMerge.Name next;
        while ((next = merge.next()) != null)
        {
            names.add(next.name() + next.holders().keySet() + next.newest().version().timestamp());
        }

        assertThat(names).containsExactly("a[1]1", "b[2]1", "c[1, 2]2");
        assertThat(merge.isDone()).isTrue();
        assertThat(merge.failedNodes()).isEmpty();
    }

    @Test
    void shouldGoOnWithoutANodeWhosePageFailed()
    {
        final ManifestMerge merge = new ManifestMerge(List.of(1, 2));
        merge.nextPageWanted();
        merge.nextPageWanted();
        merge.onPage(1, List.of(stat("a", 1)), null);
        merge.onFailed(2, "timed out");

        assertThat(merge.next().holders()).containsOnlyKeys(1);
        assertThat(merge.next()).isNull();
        assertThat(merge.isDone()).isTrue();
        assertThat(merge.failedNodes()).containsEntry(2, "timed out");
    }

    private static FileStat stat(final String name, final long timestamp)
    {
        return new FileStat(name, 1, "00", 1, new Version(timestamp, 1), false);
    }
}

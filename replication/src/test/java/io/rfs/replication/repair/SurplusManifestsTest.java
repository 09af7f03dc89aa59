package io.rfs.replication.repair;

import io.rfs.store.manifest.Version;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SurplusManifestsTest
{
    private static final Version OLD = new Version(100, 1);
    private static final Version NEW = new Version(200, 1);
    private static final Version NEW_OTHER_WRITER = new Version(200, 2);

    @Test
    void shouldDropFromAHolderWhenEveryOwnerHoldsTheSameVersionOrNewer()
    {
        assertThat(SurplusManifests.mayDrop(new Version[] {OLD, OLD, NEW, OLD}, 3, 3)).isTrue();
        assertThat(SurplusManifests.mayDrop(new Version[] {NEW, NEW, NEW, OLD, NEW}, 3, 3)).isTrue();
        assertThat(SurplusManifests.mayDrop(new Version[] {NEW, NEW, NEW, OLD, NEW}, 3, 4)).isTrue();
    }

    @Test
    void shouldKeepAHolderVersionSomeOwnerLacksOrHoldsOlder()
    {
        assertThat(SurplusManifests.mayDrop(new Version[] {NEW, NEW, null, NEW}, 3, 3)).as("an owner lacks it")
            .isFalse();
        assertThat(SurplusManifests.mayDrop(new Version[] {NEW, OLD, NEW, NEW}, 3, 3)).as("an owner is behind")
            .isFalse();
        assertThat(SurplusManifests.mayDrop(new Version[] {NEW, NEW, NEW, NEW_OTHER_WRITER}, 3, 3))
            .as("the same time from a higher node id is newer").isFalse();
    }

    @Test
    void shouldNeverDropFromAnOwnerOrFromANodeThatHoldsNothing()
    {
        assertThat(SurplusManifests.mayDrop(new Version[] {OLD, NEW, NEW, NEW}, 3, 0)).isFalse();
        assertThat(SurplusManifests.mayDrop(new Version[] {NEW, NEW, NEW, null}, 3, 3)).isFalse();
    }
}

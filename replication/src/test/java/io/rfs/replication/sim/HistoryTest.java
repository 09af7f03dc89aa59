package io.rfs.replication.sim;

import io.rfs.store.manifest.Version;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HistoryTest
{
    private static History.Write acknowledged(final History history, final long physicalMs, final long ringVersion,
        final long atNs)
    {
        final History.Write write = history.started("a", new Version(physicalMs << 16, 100), new byte[1], ringVersion);
        write.state = History.State.ACKNOWLEDGED;
        write.acknowledgedNs = atNs;
        return write;
    }

    @Test
    void shouldOweTheNewestWriteAcknowledgedBeforeTheReadWhateverItsRing()
    {
        final History history = new History();
        final History.Write older = acknowledged(history, 1, 4, 10);
        final History.Write newer = acknowledged(history, 2, 5, 20);

        assertThat(history.owed("a", 15)).isSameAs(older);
        assertThat(history.owed("a", 25)).isSameAs(newer);
        assertThat(history.owed("b", 25)).isNull();
    }

    @Test
    void shouldOweOnlyWritesPlacedByTheReadersRingWhenAskedByRing()
    {
        final History history = new History();
        final History.Write older = acknowledged(history, 1, 4, 10);
        acknowledged(history, 2, 5, 20);

        assertThat(history.owed("a", 25, 4)).isSameAs(older);
        assertThat(history.owed("a", 25, 6)).isNull();
    }

    @Test
    void shouldNotOweAWriteThatFailed()
    {
        final History history = new History();
        final History.Write failed = history.started("a", new Version(1 << 16, 100), null, 4);
        failed.state = History.State.FAILED;

        assertThat(history.owed("a", Long.MAX_VALUE)).isNull();
    }
}

package io.rfs.store;

import io.rfs.store.chunk.ChunkingPolicy;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalStoreContextTest
{
    @Test
    void shouldRefuseAChunkSegmentCapacityBelowTheLogsMinimumEvenWhenFourChunksFit()
    {
        final LocalStoreContext context = new LocalStoreContext()
            .dataDirectory(Path.of("unused"))
            .chunking(ChunkingPolicy.fixed(64 * 1024))
            .chunkSegmentCapacity(256 * 1024);

        assertThatThrownBy(context::conclude).isInstanceOf(ConfigurationException.class)
            .hasMessageStartingWith("chunkSegmentCapacity=262144: ");
    }
}

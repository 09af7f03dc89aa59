package io.rfs.replication.node;

import io.rfs.replication.protocol.Status;
import io.rfs.replication.transport.shm.InProcessNetwork;
import io.rfs.replication.transport.shm.SharedMemoryContext;
import io.rfs.store.StoreDirectory;
import io.rfs.store.log.Disk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static io.rfs.replication.node.ChunkRequestsTest.random;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The production wiring on real threads, in this process: the one test of the node that waits for other threads.
 */
class NodeServerTest
{
    @TempDir
    Path directory;

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldServeOnItsOwnThreadAndReleaseEverythingWhenClosed() throws Exception
    {
        final InProcessNetwork network = new InProcessNetwork(new SharedMemoryContext().inboxCapacity(1024 * 1024));
        final TestClient client = new TestClient(network.newTransport(NodeFixture.CLIENT_ID));
        final NodeContext context = NodeFixture.serverContext(1, directory.resolve("node"));

        final NodeServer server = NodeServer.start(context, c -> network.newTransport(c.nodeId()));
        final long put = client.putChunk(1, random(1, 10_000), false);
        while (client.responses.isEmpty())
        {
            client.poll();
            Thread.onSpinWait();
        }
        server.close();
        server.close();

        assertThat(client.putChunkResponse(put).status()).isEqualTo(Status.OK);
        assertThat(server.node().networkAgent().isDrained()).isTrue();
        try (StoreDirectory reopened = StoreDirectory.open(directory.resolve("node"), 1, new Disk()))
        {
            assertThat(reopened.nodeId()).as("the lock was released").isEqualTo(1);
        }
        client.transport.close();
    }
}

package io.rfs.replication.node;

import io.rfs.replication.protocol.ErrorCode;
import io.rfs.replication.protocol.MessageTypes;
import io.rfs.replication.protocol.Status;
import io.rfs.store.chunk.ChunkId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.rfs.replication.node.ChunkRequestsTest.random;
import static io.rfs.replication.node.ManifestRequestsTest.manifest;
import static io.rfs.replication.node.NodeFixture.NODE_ID;
import static org.assertj.core.api.Assertions.assertThat;

class StorageAgentTest
{
    @TempDir
    Path directory;

    private NodeFixture fixture;
    private TestClient client;

    @BeforeEach
    void open() throws IOException
    {
        fixture = new NodeFixture(directory.resolve("node"));
        client = fixture.client;
    }

    @AfterEach
    void close()
    {
        fixture.close();
    }

    @Test
    void shouldAcknowledgeEveryWriteOfABatchAfterOneForce() throws Exception
    {
        final List<Long> puts = new ArrayList<>();
        for (int i = 0; i < 20; i++)
        {
            puts.add(client.putChunk(NODE_ID, random(i, 2_000 + i), false));
        }
        final int forcesBefore = fixture.disk.forces;

        fixture.node.networkAgent().doWork();
        fixture.node.networkAgent().doWork();
        client.poll();
        assertThat(client.responses).as("no acknowledgement before the storage agent forced").isEmpty();

        fixture.node.storageAgent().doWork();
        assertThat(fixture.disk.forces - forcesBefore).as("20 puts, one force").isEqualTo(1);
        fixture.node.networkAgent().doWork();
        client.poll();

        for (final long put : puts)
        {
            assertThat(client.putChunkResponse(put).status()).isEqualTo(Status.OK);
        }
        assertThat(fixture.counter(NodeCounter.GROUP_COMMITS)).isEqualTo(1);
        assertThat(fixture.counter(NodeCounter.CHUNKS_WRITTEN)).isEqualTo(20);
    }

    @Test
    void shouldForceEachLogOnceForABatchOfChunksAndManifests() throws Exception
    {
        client.putChunk(NODE_ID, random(1, 1_000), false);
        client.putManifest(NODE_ID, manifest("x", 1, 1, 1));
        client.putChunk(NODE_ID, random(2, 1_000), false);
        client.putManifest(NODE_ID, manifest("y", 1, 1, 1));
        final int forcesBefore = fixture.disk.forces;

        fixture.step();

        assertThat(fixture.disk.forces - forcesBefore).isEqualTo(2);
        assertThat(client.responses).hasSize(4);
    }

    @Test
    void shouldServeAReadQueuedBehindWritesOnlyAfterTheirForce() throws Exception
    {
        final byte[] raw = random(3, 4_000);
        final ChunkId id = client.codec().hash(raw, raw.length);
        final long put = client.putChunk(NODE_ID, raw, false);
        final long has = client.hasChunks(NODE_ID, id);
        fixture.node.networkAgent().doWork();

        fixture.node.storageAgent().doWork();
        fixture.node.networkAgent().doWork();
        client.poll();
        assertThat(client.responses).extracting(TestClient.Response::correlationId).containsExactly(put);

        fixture.node.storageAgent().doWork();
        fixture.node.networkAgent().doWork();
        client.poll();
        assertThat(client.hasChunksResponse(has).get(0)).isTrue();
    }

    @Test
    void shouldAcknowledgeNothingWhenTheForceFailsAndRefuseEverythingAfter() throws Exception
    {
        final long first = client.putChunk(NODE_ID, random(4, 1_000), false);
        final long second = client.putManifest(NODE_ID, manifest("m", 1, 1, 1));
        fixture.disk.failForces = true;

        fixture.step();

        assertThat(client.putChunkResponse(first).status()).isEqualTo(Status.ERROR);
        assertThat(client.putManifestResponse(second).status()).isEqualTo(Status.ERROR);
        assertThat(fixture.node.storageAgent().failure()).contains("injected fdatasync failure");
        assertThat(fixture.errors).isNotEmpty();

        fixture.disk.failForces = false;
        final long later = client.getManifest(NODE_ID, "m");
        fixture.step();
        assertThat(client.error(later).code()).isEqualTo(ErrorCode.INTERNAL);
        assertThat(client.error(later).relatedType()).isEqualTo(MessageTypes.GET_MANIFEST_REQUEST);
        assertThat(client.error(later).text()).contains("restart the node");
    }

    @Test
    void shouldHoldAcknowledgementsThatFindTheResultsRingFullAndTakeNoRequestsUntilTheyAreOut() throws Exception
    {
        fixture.close();
        fixture = new NodeFixture(directory.resolve("small"), context -> context
            .storageResultsCapacity(NodeContext.MIN_QUEUE_CAPACITY).pollLimit(2_000).storageBatchLimit(256));
        client = fixture.client;
        final List<Long> puts = new ArrayList<>();
        for (int i = 0; i < 1_000; i++)
        {
            puts.add(client.putChunk(NODE_ID, random(i, 200), false));
        }
        final long has = client.hasChunks(NODE_ID, client.codec().hash(random(0, 200), 200));
        fixture.node.networkAgent().doWork();
        assertThat(fixture.node.networkAgent().inProgress()).isEqualTo(1_001);

        for (int i = 0; i < 6; i++)
        {
            fixture.node.storageAgent().doWork();
        }
        assertThat(fixture.counter(NodeCounter.GROUP_COMMITS)).as("no batch taken while acks wait").isEqualTo(4);

        for (int i = 0; i < 4; i++)
        {
            fixture.step();
        }
        for (final long put : puts)
        {
            assertThat(client.putChunkResponse(put).status()).isEqualTo(Status.OK);
        }
        assertThat(client.hasChunksResponse(has).get(0)).isTrue();
        assertThat(client.responses.get(client.responses.size() - 1).correlationId()).isEqualTo(has);
        assertThat(fixture.node.networkAgent().inProgress()).isZero();
    }
}

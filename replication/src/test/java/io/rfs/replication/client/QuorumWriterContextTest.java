package io.rfs.replication.client;

import io.rfs.replication.PartitionMode;
import io.rfs.replication.ring.Ring;
import io.rfs.replication.ring.RingNode;
import io.rfs.replication.transport.PendingRequests;
import io.rfs.replication.transport.Transport;
import io.rfs.replication.transport.shm.InProcessNetwork;
import io.rfs.replication.transport.shm.SharedMemoryContext;
import io.rfs.store.ConfigurationException;
import io.rfs.store.chunk.ChunkId;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QuorumWriterContextTest
{
    private final InProcessNetwork network = new InProcessNetwork(new SharedMemoryContext().inboxCapacity(64 * 1024));
    private final Transport transport = network.newTransport(100);
    private final PendingRequests pending = new PendingRequests(new PendingRequests.Context());
    private final Ring ring = Ring.empty(3, 4).withNode(RingNode.of(1, "127.0.0.1:7401"));

    @AfterEach
    void close()
    {
        transport.close();
    }

    @Test
    void shouldNameTheMissingOrWrongSetting()
    {
        assertThatThrownBy(() -> new QuorumWriter.Context().transport(transport).conclude())
            .isInstanceOf(ConfigurationException.class).hasMessageContaining("ring");
        assertThatThrownBy(() -> new QuorumWriter.Context().ring(ring).conclude())
            .isInstanceOf(ConfigurationException.class).hasMessageContaining("transport");
        assertThatThrownBy(() -> new QuorumWriter.Context().ring(ring).transport(transport).conclude())
            .isInstanceOf(ConfigurationException.class).hasMessageContaining("pendingRequests");
        assertThatThrownBy(() -> new QuorumWriter.Context().ring(ring).transport(transport).pendingRequests(pending).maxWrites(0).conclude())
            .isInstanceOf(ConfigurationException.class).hasMessageContaining("maxWrites");
        assertThatThrownBy(
            () -> new QuorumWriter.Context().ring(ring).transport(transport).pendingRequests(pending).requestTimeoutNs(0).conclude())
            .isInstanceOf(ConfigurationException.class).hasMessageContaining("requestTimeoutNs");
        assertThatThrownBy(() -> context().partitionMode(null).conclude())
            .isInstanceOf(ConfigurationException.class).hasMessageContaining("partitionMode");
        assertThatThrownBy(() -> context().attemptTimeoutNs(-1).conclude())
            .isInstanceOf(ConfigurationException.class).hasMessageContaining("attemptTimeoutNs=-1");
    }

    @Test
    void shouldRefuseByDefaultAndTryAStandInAfterAQuarterOfTheRequestTimeout()
    {
        final QuorumWriter.Context context = context().requestTimeoutNs(8_000).conclude();

        assertThat(context.partitionMode()).isEqualTo(PartitionMode.CONSISTENCY);
        assertThat(context.attemptTimeoutNs()).isEqualTo(2_000);
        assertThat(context.nodeHealth()).isNotNull();
        assertThat(context().attemptTimeoutNs(500).conclude().attemptTimeoutNs()).isEqualTo(500);
    }

    private QuorumWriter.Context context()
    {
        return new QuorumWriter.Context().ring(ring).transport(transport).pendingRequests(pending);
    }

    @Test
    void shouldRefuseAPayloadThatDoesNotFitAMessageAndTakeNoSlotForIt()
    {
        final QuorumWriter writer = new QuorumWriter(new QuorumWriter.Context().ring(ring).transport(transport).pendingRequests(pending)
            .maxWrites(1));
        final int tooLong = transport.maxMessageLength();
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[tooLong]);
        final ChunkId id = ChunkId.of(new byte[ChunkId.LENGTH]);
        final WriteRecorder recorder = new WriteRecorder();

        assertThatThrownBy(() -> writer.putChunk(id, tooLong, false, payload, 0, tooLong, recorder))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("payloadLength=" + tooLong);
        assertThat(writer.putChunk(id, 10, false, payload, 0, 10, recorder)).isPositive();
    }

    @Test
    void shouldFailAWriteAtOnceWhenTheRingHasFewerOwnersThanItNeeds()
    {
        final QuorumWriter writer = new QuorumWriter(new QuorumWriter.Context().ring(ring).transport(transport).pendingRequests(pending));
        final WriteRecorder recorder = new WriteRecorder();
        final long writeId = writer.putChunk(
            ChunkId.of(new byte[ChunkId.LENGTH]), 10, false, new UnsafeBuffer(new byte[10]), 0, 10, recorder);

        writer.doWork();

        assertThat(recorder.failed.get(writeId).failures()).isEmpty();
        assertThat(recorder.failed.get(writeId).required()).isEqualTo(2);
    }
}

package io.rfs.tools;

import io.rfs.replication.client.MembershipClient;
import io.rfs.replication.protocol.GetChunkRequestEncoder;
import io.rfs.replication.protocol.GetChunkResponseDecoder;
import io.rfs.replication.protocol.GetManifestRequestEncoder;
import io.rfs.replication.protocol.GetManifestResponseDecoder;
import io.rfs.replication.protocol.MalformedMessageException;
import io.rfs.replication.protocol.MembershipRequestEncoder;
import io.rfs.replication.protocol.MessageTypes;
import io.rfs.replication.protocol.PutChunkRequestEncoder;
import io.rfs.replication.protocol.PutChunkResponseDecoder;
import io.rfs.replication.protocol.Status;
import io.rfs.replication.transport.PeerRole;
import io.rfs.replication.transport.tcp.TcpTransport;
import io.rfs.replication.transport.tcp.TcpTransportContext;
import io.rfs.store.chunk.ChunkId;
import io.rfs.store.manifest.ManifestDecoder;
import io.rfs.store.manifest.Version;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client of the local cluster made only from {@code client.properties}, as a real client would be: a TCP
 * transport that authenticates with {@code client.secret} to every node of {@code cluster.seeds}, with blocking
 * put and get of one chunk, a look at one node's copy of a chunk or a manifest, and an operator's ring change. The
 * test's {@code @Timeout} bounds every wait.
 */
final class ClusterChunkClient implements AutoCloseable
{
    private static final int CLIENT_ID = 1_000;
    private static final long MEMBERSHIP_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(60);

    private final TcpTransport transport;
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024 * 1024]);
    private final IdleStrategy idle = new BackoffIdleStrategy(10, 20, 1_000, TimeUnit.MILLISECONDS.toNanos(1));
    private long nextCorrelationId = 1;
    private UnsafeBuffer answer;
    private int answerType;

    /**
     * @param clientProperties the cluster's {@code client.properties}.
     */
    ClusterChunkClient(final Path clientProperties) throws Exception
    {
        final Properties client = new Properties();
        try (Reader reader = Files.newBufferedReader(clientProperties, StandardCharsets.UTF_8))
        {
            client.load(reader);
        }
        assertThat(client.getProperty("transport")).isEqualTo("tcp");
        final TcpTransportContext context = new TcpTransportContext()
            .nodeId(CLIENT_ID)
            .role(PeerRole.CLIENT)
            .clientSecret(client.getProperty("client.secret").getBytes(StandardCharsets.UTF_8));
        for (final String seed : client.getProperty("cluster.seeds").split(","))
        {
            final int equals = seed.indexOf('=');
            context.peer(Integer.parseInt(seed.substring(0, equals)),
                TcpTransportContext.parseAddress("cluster.seeds", seed.substring(equals + 1)));
        }
        transport = new TcpTransport(context);
    }

    /**
     * Stores a chunk, uncompressed, on one node and waits for its acknowledgement.
     *
     * @return the status the node answered.
     */
    Status putChunk(final int node, final ChunkId id, final byte[] raw) throws MalformedMessageException
    {
        final PutChunkRequestEncoder encoder = new PutChunkRequestEncoder().wrap(buffer, 0).chunkId(id)
            .rawLength(raw.length).payload(new UnsafeBuffer(raw), 0, raw.length);
        request(node, MessageTypes.PUT_CHUNK_REQUEST, encoder.encodedLength());
        assertThat(answerType).isEqualTo(MessageTypes.PUT_CHUNK_RESPONSE);
        return new PutChunkResponseDecoder().wrap(answer, 0, answer.capacity()).status();
    }

    /**
     * Reads a chunk from one node, uncompressed.
     *
     * @return its bytes.
     */
    byte[] getChunk(final int node, final ChunkId id) throws MalformedMessageException
    {
        final GetChunkRequestEncoder encoder = new GetChunkRequestEncoder().wrap(buffer, 0).chunkId(id)
            .acceptCompressed(false);
        request(node, MessageTypes.GET_CHUNK_REQUEST, encoder.encodedLength());
        assertThat(answerType).isEqualTo(MessageTypes.GET_CHUNK_RESPONSE);
        final GetChunkResponseDecoder decoder = new GetChunkResponseDecoder().wrap(answer, 0, answer.capacity());
        assertThat(decoder.status()).as("chunk %s on node %d", id, node).isEqualTo(Status.OK);
        final byte[] bytes = new byte[decoder.payloadLength()];
        answer.getBytes(decoder.payloadOffset(), bytes);
        return bytes;
    }

    /**
     * Asks one node for a chunk, uncompressed.
     *
     * @return the status it answered: {@code OK} if it holds the chunk, {@code NOT_FOUND} if not.
     */
    Status chunkStatus(final int node, final ChunkId id) throws MalformedMessageException
    {
        final GetChunkRequestEncoder encoder = new GetChunkRequestEncoder().wrap(buffer, 0).chunkId(id)
            .acceptCompressed(false);
        request(node, MessageTypes.GET_CHUNK_REQUEST, encoder.encodedLength());
        assertThat(answerType).isEqualTo(MessageTypes.GET_CHUNK_RESPONSE);
        return new GetChunkResponseDecoder().wrap(answer, 0, answer.capacity()).status();
    }

    /**
     * Asks one node for its current version of a file's manifest.
     *
     * @return the version, or null if the node holds none.
     */
    Version manifestVersion(final int node, final String name) throws Exception
    {
        final GetManifestRequestEncoder encoder = new GetManifestRequestEncoder().wrap(buffer, 0).name(name);
        request(node, MessageTypes.GET_MANIFEST_REQUEST, encoder.encodedLength());
        assertThat(answerType).isEqualTo(MessageTypes.GET_MANIFEST_RESPONSE);
        final GetManifestResponseDecoder decoder = new GetManifestResponseDecoder().wrap(answer, 0, answer.capacity());
        if (decoder.status() == Status.NOT_FOUND)
        {
            return null;
        }
        assertThat(decoder.status()).as("manifest '%s' on node %d", name, node).isEqualTo(Status.OK);
        return decoder.manifest(new ManifestDecoder()).version();
    }

    /**
     * Sends an operator's ring change the way {@code rfs cluster set-weight} and its kin do ({@link MembershipClient}),
     * without a command's process to start: to the nodes given, in turn, and on to the leader they name.
     *
     * @param nodes the nodes to ask, the likely leader first (one that does not answer costs seconds).
     * @return the deciding answer.
     */
    MembershipClient.Answer changeRing(final List<Integer> nodes, final MembershipRequestEncoder change)
    {
        final MembershipClient.Answer answer = new MembershipClient(transport, nodes, SystemNanoClock.INSTANCE)
            .change(change, MEMBERSHIP_TIMEOUT_NS);
        assertThat(answer).as("an answer to the ring change from %s", nodes).isNotNull();
        return answer;
    }

    private void request(final int node, final int type, final int length)
    {
        while (!transport.isConnected(node))
        {
            idle.idle(transport.doWork());
        }
        final long correlationId = nextCorrelationId++;
        while (!transport.offer(node, type, correlationId, buffer, 0, length))
        {
            idle.idle(transport.doWork());
        }
        answer = null;
        while (answer == null)
        {
            final int work = transport.doWork() + transport.poll(
                (final int source, final int messageType, final long correlation, final DirectBuffer body,
                    final int offset, final int bodyLength) ->
                {
                    if (source == node && correlation == correlationId)
                    {
                        answer = new UnsafeBuffer(new byte[bodyLength]);
                        answer.putBytes(0, body, offset, bodyLength);
                        answerType = messageType;
                    }
                }, 16);
            idle.idle(work);
        }
    }

    @Override
    public void close()
    {
        transport.close();
    }
}

package io.rfs.replication.node;

import io.rfs.replication.protocol.ChunkBitmapDecoder;
import io.rfs.replication.protocol.ErrorDecoder;
import io.rfs.replication.protocol.GetChunkRequestEncoder;
import io.rfs.replication.protocol.GetChunkResponseDecoder;
import io.rfs.replication.protocol.GetManifestRequestEncoder;
import io.rfs.replication.protocol.GetManifestResponseDecoder;
import io.rfs.replication.protocol.HasChunksRequestEncoder;
import io.rfs.replication.protocol.ListManifestsRequestEncoder;
import io.rfs.replication.protocol.ListManifestsResponseDecoder;
import io.rfs.replication.protocol.MalformedMessageException;
import io.rfs.replication.protocol.MessageTypes;
import io.rfs.replication.protocol.PutChunkRequestDescriptor;
import io.rfs.replication.protocol.PutChunkRequestEncoder;
import io.rfs.replication.protocol.PutChunkResponseDecoder;
import io.rfs.replication.protocol.PutManifestRequestDescriptor;
import io.rfs.replication.protocol.PutManifestRequestEncoder;
import io.rfs.replication.protocol.PutManifestResponseDecoder;
import io.rfs.replication.transport.MessageHandler;
import io.rfs.replication.transport.Transport;
import io.rfs.store.chunk.ChunkId;
import io.rfs.store.chunkstore.ChunkCodec;
import io.rfs.store.manifest.Manifest;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A fake client endpoint for node tests: encodes real requests with the protocol's encoders, offers them on its own
 * transport, and keeps a copy of every message that comes back, by correlation id.
 */
final class TestClient implements MessageHandler
{
    record Response(int source, int type, long correlationId, UnsafeBuffer body)
    {
    }

    final Transport transport;
    final List<Response> responses = new ArrayList<>();
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[4 * 1024 * 1024]);
    private final ChunkCodec codec = new ChunkCodec();
    private long nextCorrelationId = 1;

    TestClient(final Transport transport)
    {
        this.transport = transport;
    }

    /**
     * Offers a chunk, LZ4-compressed if asked and if compression pays.
     *
     * @return the correlation id.
     */
    long putChunk(final int node, final byte[] raw, final boolean compress)
    {
        return putChunk(node, codec.hash(raw, raw.length), raw, compress);
    }

    long putChunk(final int node, final ChunkId id, final byte[] raw, final boolean compress)
    {
        return putChunk(node, id, raw, compress, PutChunkRequestDescriptor.NOT_HINTED);
    }

    /**
     * A hinted write: asks {@code node} to keep the chunk for {@code hintedFor}.
     */
    long putChunkHinted(final int node, final byte[] raw, final int hintedFor)
    {
        return putChunk(node, codec.hash(raw, raw.length), raw, false, hintedFor);
    }

    long putChunk(final int node, final ChunkId id, final byte[] raw, final boolean compress, final int hintedFor)
    {
        final PutChunkRequestEncoder encoder = new PutChunkRequestEncoder().wrap(buffer, 0).chunkId(id)
            .rawLength(raw.length).hintedFor(hintedFor);
        final int compressedLength = compress ? codec.compress(raw, raw.length) : -1;
        if (compress)
        {
            assertThat(compressedLength).as("test data must compress").isPositive();
            encoder.compressed(true).payload(new UnsafeBuffer(codec.compressed()), 0, compressedLength);
        }
        else
        {
            encoder.payload(new UnsafeBuffer(raw), 0, raw.length);
        }
        return send(node, MessageTypes.PUT_CHUNK_REQUEST, encoder.encodedLength());
    }

    long getChunk(final int node, final ChunkId id, final boolean acceptCompressed)
    {
        return getChunk(node, id, acceptCompressed, false);
    }

    long getChunk(final int node, final ChunkId id, final boolean acceptCompressed, final boolean verify)
    {
        final GetChunkRequestEncoder encoder = new GetChunkRequestEncoder().wrap(buffer, 0).chunkId(id)
            .acceptCompressed(acceptCompressed).verify(verify);
        return send(node, MessageTypes.GET_CHUNK_REQUEST, encoder.encodedLength());
    }

    long hasChunks(final int node, final ChunkId... ids)
    {
        final HasChunksRequestEncoder encoder = new HasChunksRequestEncoder().wrap(buffer, 0);
        for (final ChunkId id : ids)
        {
            encoder.addChunkId(id);
        }
        return send(node, MessageTypes.HAS_CHUNKS_REQUEST, encoder.encodedLength());
    }

    long putManifest(final int node, final Manifest manifest)
    {
        return putManifestHinted(node, manifest, PutManifestRequestDescriptor.NOT_HINTED);
    }

    /**
     * A hinted write: asks {@code node} to keep the manifest for {@code hintedFor} (-1: a plain write).
     */
    long putManifestHinted(final int node, final Manifest manifest, final int hintedFor)
    {
        final PutManifestRequestEncoder encoder = new PutManifestRequestEncoder().wrap(buffer, 0)
            .hintedFor(hintedFor).manifest(manifest);
        return send(node, MessageTypes.PUT_MANIFEST_REQUEST, encoder.encodedLength());
    }

    long getManifest(final int node, final String name)
    {
        final GetManifestRequestEncoder encoder = new GetManifestRequestEncoder().wrap(buffer, 0).name(name);
        return send(node, MessageTypes.GET_MANIFEST_REQUEST, encoder.encodedLength());
    }

    long listManifests(
        final int node, final String prefix, final byte[] token, final int maxEntries, final boolean tombstones)
    {
        final byte[] prefixBytes = prefix.getBytes(StandardCharsets.UTF_8);
        final ListManifestsRequestEncoder encoder = new ListManifestsRequestEncoder().wrap(buffer, 0)
            .maxEntries(maxEntries).includeTombstones(tombstones)
            .prefix(new UnsafeBuffer(prefixBytes), 0, prefixBytes.length);
        if (token != null)
        {
            encoder.pageToken(new UnsafeBuffer(token), 0, token.length);
        }
        return send(node, MessageTypes.LIST_MANIFESTS_REQUEST, encoder.encodedLength());
    }

    /**
     * Offers a body as it is, for messages the helpers above do not make.
     */
    long send(final int node, final int type, final DirectBuffer body, final int length)
    {
        buffer.putBytes(0, body, 0, length);
        return send(node, type, length);
    }

    long send(final int node, final int type, final int length)
    {
        final long correlationId = nextCorrelationId++;
        assertThat(transport.offer(node, type, correlationId, buffer, 0, length)).as("offer").isTrue();
        return correlationId;
    }

    int poll()
    {
        return transport.poll(this, 1024);
    }

    @Override
    public void onMessage(
        final int source, final int type, final long correlationId, final DirectBuffer body, final int offset,
        final int length)
    {
        final UnsafeBuffer copy = new UnsafeBuffer(new byte[length]);
        copy.putBytes(0, body, offset, length);
        responses.add(new Response(source, type, correlationId, copy));
    }

    /**
     * @return the one message answering the request, asserting there is exactly one.
     */
    Response response(final long correlationId)
    {
        final List<Response> matching = responses.stream().filter(r -> r.correlationId() == correlationId).toList();
        assertThat(matching).as("responses to %s in %s", correlationId, responses).hasSize(1);
        return matching.get(0);
    }

    Response response(final long correlationId, final int type)
    {
        final Response response = response(correlationId);
        assertThat(response.type()).as("type of %s", response).isEqualTo(type);
        return response;
    }

    PutChunkResponseDecoder putChunkResponse(final long correlationId) throws MalformedMessageException
    {
        final Response response = response(correlationId, MessageTypes.PUT_CHUNK_RESPONSE);
        return new PutChunkResponseDecoder().wrap(response.body(), 0, response.body().capacity());
    }

    GetChunkResponseDecoder getChunkResponse(final long correlationId) throws MalformedMessageException
    {
        final Response response = response(correlationId, MessageTypes.GET_CHUNK_RESPONSE);
        return new GetChunkResponseDecoder().wrap(response.body(), 0, response.body().capacity());
    }

    ChunkBitmapDecoder hasChunksResponse(final long correlationId) throws MalformedMessageException
    {
        final Response response = response(correlationId, MessageTypes.HAS_CHUNKS_RESPONSE);
        return new ChunkBitmapDecoder(MessageTypes.HAS_CHUNKS_RESPONSE)
            .wrap(response.body(), 0, response.body().capacity());
    }

    PutManifestResponseDecoder putManifestResponse(final long correlationId) throws MalformedMessageException
    {
        final Response response = response(correlationId, MessageTypes.PUT_MANIFEST_RESPONSE);
        return new PutManifestResponseDecoder().wrap(response.body(), 0, response.body().capacity());
    }

    GetManifestResponseDecoder getManifestResponse(final long correlationId) throws MalformedMessageException
    {
        final Response response = response(correlationId, MessageTypes.GET_MANIFEST_RESPONSE);
        return new GetManifestResponseDecoder().wrap(response.body(), 0, response.body().capacity());
    }

    ListManifestsResponseDecoder listManifestsResponse(final long correlationId) throws MalformedMessageException
    {
        final Response response = response(correlationId, MessageTypes.LIST_MANIFESTS_RESPONSE);
        return new ListManifestsResponseDecoder().wrap(response.body(), 0, response.body().capacity());
    }

    ErrorDecoder error(final long correlationId) throws MalformedMessageException
    {
        final Response response = response(correlationId, MessageTypes.ERROR);
        return new ErrorDecoder().wrap(response.body(), 0, response.body().capacity());
    }

    ChunkCodec codec()
    {
        return codec;
    }
}

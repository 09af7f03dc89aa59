package io.rfs.replication.sim;

import io.rfs.replication.ConsistencyLevel;
import io.rfs.replication.client.ChunkFetchListener;
import io.rfs.replication.client.ChunkVerifier;
import io.rfs.replication.client.ManifestReadListener;
import io.rfs.replication.client.QuorumReadException;
import io.rfs.replication.client.QuorumReader;
import io.rfs.replication.client.QuorumWriteException;
import io.rfs.replication.client.QuorumWriter;
import io.rfs.replication.client.ReplicaFailure;
import io.rfs.replication.client.ResponsePoller;
import io.rfs.replication.client.WriteListener;
import io.rfs.replication.protocol.MalformedMessageException;
import io.rfs.replication.protocol.MessageTypes;
import io.rfs.replication.protocol.VerifyChunksRequestDescriptor;
import io.rfs.replication.protocol.VerifyChunksRequestEncoder;
import io.rfs.replication.protocol.VerifyChunksResponseDecoder;
import io.rfs.replication.ring.Ring;
import io.rfs.replication.transport.PendingRequests;
import io.rfs.replication.transport.ResponseListener;
import io.rfs.replication.transport.fault.SimulatedTransport;
import io.rfs.store.RfsException;
import io.rfs.store.chunk.ChunkId;
import io.rfs.store.chunkstore.ChunkCodec;
import io.rfs.store.manifest.HybridLogicalClock;
import io.rfs.store.manifest.Manifest;
import io.rfs.store.manifest.Version;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The cluster client of the simulation, on the same thread: a {@link QuorumWriter} and a {@link QuorumReader} on
 * one transport, driven the way {@code RfsClient} drives them (chunks first, then the manifest; a read takes the
 * newest manifest of R owners, then fetches each chunk, verifies it with {@link ChunkVerifier} and falls over to
 * another replica when it does not verify), without its worker threads. Puts, deletes and reads end in callbacks.
 * <p>
 * Several clients share a run, each with its own id (the node part of its versions) and transport. A client places
 * keys by the ring it last connected with: {@link #reconnect(Ring)}, once it has nothing in flight, is what a new
 * {@code RfsClient} asking for the committed ring at connect would get.
 */
final class SimulationClient
{
    static final int CHUNK_SIZE = 4096;
    private static final int[] NO_NODES = new int[0];

    private final int clientId;
    private final SimulatedTransport transport;
    private final NanoClock nanoClock;
    private long nextStepNs;
    private final PendingRequests pending;
    private final ResponsePoller poller;
    private final HybridLogicalClock hlc;
    private final ChunkCodec codec = new ChunkCodec();
    private final VerifyChunksRequestEncoder verifyEncoder = new VerifyChunksRequestEncoder();
    private final VerifyChunksResponseDecoder verifyDecoder = new VerifyChunksResponseDecoder();
    private final boolean skipReadChecksum;
    private Ring ring;
    private QuorumWriter writer;
    private QuorumReader reader;

    SimulationClient(final SimulationCluster cluster, final int clientId, final boolean skipReadChecksum)
    {
        this.clientId = clientId;
        this.transport = cluster.newClientTransport(clientId);
        this.nanoClock = cluster.nanoClock;
        this.pending = new PendingRequests(new PendingRequests.Context().nanoClock(cluster.nanoClock));
        this.poller = new ResponsePoller(transport, pending, cluster.nanoClock, ResponsePoller.POLL_LIMIT_DEFAULT);
        this.hlc = new HybridLogicalClock(cluster.epochClock);
        this.skipReadChecksum = skipReadChecksum;
        reconnect(cluster.ring());
    }

    int id()
    {
        return clientId;
    }

    /**
     * Places keys by a new ring from now on, as a client that connects afresh and asks for the committed ring.
     *
     * @param ring the ring in force.
     * @throws IllegalStateException if anything is in flight.
     */
    void reconnect(final Ring ring)
    {
        if (this.ring != null && (inFlight() > 0 || pending.size() > 0))
        {
            throw new IllegalStateException("client " + clientId + " reconnects with requests in flight");
        }
        this.ring = ring;
        this.writer = new QuorumWriter(new QuorumWriter.Context().ring(ring).transport(transport)
            .pendingRequests(pending).nanoClock(nanoClock).consistencyLevel(ConsistencyLevel.QUORUM));
        this.reader = new QuorumReader(new QuorumReader.Context().ring(ring).transport(transport)
            .pendingRequests(pending).nanoClock(nanoClock).consistencyLevel(ConsistencyLevel.QUORUM));
    }

    Ring ring()
    {
        return ring;
    }

    boolean isIdle()
    {
        return inFlight() == 0 && pending.size() == 0;
    }

    /**
     * @return whether {@link #doWork()} may find something to do: a response has come due, the client did work when
     * last stepped or has been asked to send since, or its timers' poll is due ({@link SimulationCluster#nextStepNs}).
     */
    boolean isDue(final long nowNs)
    {
        return nextStepNs - nowNs <= 0 || transport.nextDeliveryTimeNs() - nowNs <= 0;
    }

    /**
     * @return when the client must be stepped next, for a response or for its own sake.
     */
    long nextStepNs()
    {
        return Math.min(nextStepNs, transport.nextDeliveryTimeNs());
    }

    int doWork()
    {
        final long nowNs = nanoClock.nanoTime();
        final int work = poller.doWork() + writer.doWork() + reader.doWork() + poller.doWork();
        nextStepNs = SimulationCluster.nextStepNs(nowNs, work);
        return work;
    }

    Version nextVersion()
    {
        return new Version(hlc.now(), clientId);
    }

    /**
     * Writes a file: every chunk at W, then the manifest at W.
     *
     * @param done told true when the manifest was acknowledged, false when any write failed.
     */
    void put(final String name, final Version version, final byte[] content, final Consumer<Boolean> done)
    {
        final int count = (content.length + CHUNK_SIZE - 1) / CHUNK_SIZE;
        final ChunkId[] ids = new ChunkId[count];
        final int[] lengths = new int[count];
        final int[] remaining = { count };
        final boolean[] failed = { false };
        final Runnable writeManifest = () ->
        {
            final Manifest manifest = new Manifest(name, content.length, io.rfs.store.chunk.Sha256.digest(content),
                ids, lengths, version, false);
            submit(() -> writer.putManifest(manifest, listener(done)));
        };
        for (int i = 0; i < count; i++)
        {
            final int offset = i * CHUNK_SIZE;
            lengths[i] = Math.min(CHUNK_SIZE, content.length - offset);
            final byte[] raw = Arrays.copyOfRange(content, offset, offset + lengths[i]);
            ids[i] = codec.hash(raw, raw.length);
            final int compressedLength = codec.compress(raw, raw.length);
            final byte[] payload = compressedLength < 0 ? raw : Arrays.copyOf(codec.compressed(), compressedLength);
            final ChunkId id = ids[i];
            final int rawLength = lengths[i];
            submit(() -> writer.putChunk(id, rawLength, compressedLength >= 0, new UnsafeBuffer(payload), 0,
                payload.length, listener(ok ->
                {
                    if (failed[0])
                    {
                        return;
                    }
                    if (!ok)
                    {
                        failed[0] = true;
                        done.accept(false);
                    }
                    else if (--remaining[0] == 0)
                    {
                        writeManifest.run();
                    }
                })));
        }
        if (count == 0)
        {
            writeManifest.run();
        }
    }

    void delete(final String name, final Version version, final Consumer<Boolean> done)
    {
        submit(() -> writer.putManifest(Manifest.tombstone(name, version), listener(done)));
    }

    /**
     * Reads a file at R.
     */
    void get(final String name, final ConsistencyLevel level, final ReadListener listener)
    {
        submit(() -> reader.readManifest(name, level, new ManifestReadListener()
        {
            @Override
            public void onRead(final long readId, final Manifest manifest)
            {
                if (manifest == null || manifest.isTombstone())
                {
                    listener.onRead(manifest, null);
                }
                else
                {
                    new FileRead(manifest, listener).fetch(0, NO_NODES);
                }
            }

            @Override
            public void onFailed(final long readId, final QuorumReadException failure)
            {
                listener.onUnavailable(failure.getMessage());
            }
        }));
    }

    /**
     * Fetches a chunk from one replica, with no failover, as {@code verify} does.
     *
     * @param done told whether that replica sent bytes that verify.
     */
    void verifyReplica(final int nodeId, final ChunkId id, final int rawLength, final Consumer<Boolean> done)
    {
        final byte[] payload = new byte[rawLength];
        submit(() -> reader.fetchChunkFrom(nodeId, id, rawLength, payload, new ChunkFetchListener()
        {
            @Override
            public void onFetched(final long fetchId, final int node, final boolean compressed, final int length)
            {
                done.accept(ChunkVerifier.verify(codec, id, rawLength, compressed, payload, length,
                    new byte[rawLength]) != null);
            }

            @Override
            public void onFailed(final long fetchId, final RfsException failure)
            {
                done.accept(false);
            }
        }));
    }

    /**
     * Reads a manifest at a level, for the end checks.
     */
    void readManifest(final String name, final ConsistencyLevel level, final Consumer<Manifest> done,
        final Consumer<String> unavailable)
    {
        submit(() -> reader.readManifest(name, level, new ManifestReadListener()
        {
            @Override
            public void onRead(final long readId, final Manifest manifest)
            {
                done.accept(manifest);
            }

            @Override
            public void onFailed(final long readId, final QuorumReadException failure)
            {
                unavailable.accept(failure.getMessage());
            }
        }));
    }

    /**
     * Asks a node to re-hash its copies of chunks, as {@code rfs verify} does ({@code VerifyChunksRequest}).
     *
     * @param done   told each chunk's {@code VerifyChunksResponseDescriptor} state, in the order asked.
     * @param failed told why the node gave no usable answer.
     */
    void verifyChunks(final int nodeId, final ChunkId[] ids, final Consumer<int[]> done,
        final Consumer<String> failed)
    {
        final UnsafeBuffer body = new UnsafeBuffer(new byte[VerifyChunksRequestDescriptor.encodedLength(ids.length)]);
        verifyEncoder.wrap(body, 0, false);
        for (final ChunkId id : ids)
        {
            verifyEncoder.addChunkId(id);
        }
        request(nodeId, MessageTypes.VERIFY_CHUNKS_REQUEST, body, verifyEncoder.encodedLength(),
            (type, buffer, offset, length) ->
            {
                if (type != MessageTypes.VERIFY_CHUNKS_RESPONSE)
                {
                    failed.accept("answered " + MessageTypes.name(type));
                    return;
                }
                verifyDecoder.wrap(buffer, offset, length);
                if (verifyDecoder.count() != ids.length)
                {
                    failed.accept("answered " + verifyDecoder.count() + " states for " + ids.length + " chunks");
                    return;
                }
                final int[] states = new int[ids.length];
                for (int i = 0; i < states.length; i++)
                {
                    states[i] = verifyDecoder.state(i);
                }
                done.accept(states);
            }, failed);
    }

    /**
     * Sends one request and waits (by callback) for its answer, as the client agent's {@code request} does.
     *
     * @param answered told the response, valid only during the call.
     * @param failed   told why there was none: not sent, or not answered within the writer's request timeout.
     */
    void request(final int nodeId, final int type, final DirectBuffer body, final int length, final Answer answered,
        final Consumer<String> failed)
    {
        final long correlationId = pending.register(nodeId, new ResponseListener()
        {
            @Override
            public void onResponse(final long id, final int source, final int responseType, final DirectBuffer buffer,
                final int offset, final int responseLength)
            {
                try
                {
                    answered.onAnswer(responseType, buffer, offset, responseLength);
                }
                catch (final MalformedMessageException ex)
                {
                    failed.accept("node " + nodeId + " sent a malformed " + MessageTypes.name(responseType) + ": " +
                        ex.getMessage());
                }
            }

            @Override
            public void onTimeout(final long id)
            {
                failed.accept("node " + nodeId + " did not answer a " + MessageTypes.name(type));
            }
        }, QuorumWriter.Context.REQUEST_TIMEOUT_NS_DEFAULT);
        if (correlationId == PendingRequests.REFUSED)
        {
            throw new IllegalStateException("client refused a request: the workload keeps fewer in flight");
        }
        if (!transport.offer(nodeId, type, correlationId, body, 0, length))
        {
            pending.cancel(correlationId);
            failed.accept("could not send node " + nodeId + " a " + MessageTypes.name(type));
        }
        stepSoon();
    }

    int inFlight()
    {
        return writer.inFlight() + reader.readsInFlight() + reader.fetchesInFlight();
    }

    private void submit(final java.util.function.LongSupplier request)
    {
        if (request.getAsLong() == QuorumWriter.REFUSED)
        {
            throw new IllegalStateException("client refused a request: the workload keeps fewer in flight");
        }
        stepSoon();
    }

    /**
     * A request started outside a duty cycle (by the workload) may have left the writer or reader work to do.
     */
    private void stepSoon()
    {
        nextStepNs = Math.min(nextStepNs, nanoClock.nanoTime());
    }

    private static WriteListener listener(final Consumer<Boolean> done)
    {
        return new WriteListener()
        {
            @Override
            public void onWritten(final long writeId, final int acknowledgements)
            {
                done.accept(true);
            }

            @Override
            public void onFailed(final long writeId, final QuorumWriteException failure)
            {
                done.accept(false);
            }
        };
    }

    /**
     * A node's answer to a request.
     */
    interface Answer
    {
        void onAnswer(int type, DirectBuffer buffer, int offset, int length) throws MalformedMessageException;
    }

    /**
     * How a read ended.
     */
    interface ReadListener
    {
        /**
         * @param manifest the newest version R owners hold: null if none, a tombstone, or a file.
         * @param content  the file's bytes as the client returns them (each chunk verified unless the broken rule
         *                 is on); null for null or a tombstone.
         */
        void onRead(Manifest manifest, byte[] content);

        /**
         * @param why R owners, or every replica of a chunk, could not be had.
         */
        void onUnavailable(String why);
    }

    private final class FileRead implements ChunkFetchListener
    {
        private final Manifest manifest;
        private final ReadListener listener;
        private final byte[] content;
        private int index;
        private int offset;
        private int[] excluded;
        private byte[] payload;

        private FileRead(final Manifest manifest, final ReadListener listener)
        {
            this.manifest = manifest;
            this.listener = listener;
            this.content = new byte[(int)manifest.size()];
        }

        private void fetch(final int index, final int[] excluded)
        {
            if (index == manifest.chunkCount())
            {
                listener.onRead(manifest, content);
                return;
            }
            this.index = index;
            this.excluded = excluded;
            this.payload = new byte[manifest.chunkLength(index)];
            submit(() -> reader.fetchChunk(manifest.chunkId(index), payload.length, payload, excluded, this));
        }

        @Override
        public void onFetched(final long fetchId, final int nodeId, final boolean compressed, final int payloadLength)
        {
            final ChunkId id = manifest.chunkId(index);
            final int rawLength = payload.length;
            final byte[] raw = new byte[rawLength];
            final byte[] verified;
            if (skipReadChecksum)
            {
                verified = !compressed ? (payloadLength == rawLength ? payload : null) :
                    codec.decompress(payload, payloadLength, raw, rawLength) ? raw : null;
            }
            else
            {
                verified = ChunkVerifier.verify(codec, id, rawLength, compressed, payload, payloadLength, raw);
            }
            if (verified == null)
            {
                reader.reportBadReplica(nodeId, id, ReplicaFailure.MISMATCH);
                final int[] next = Arrays.copyOf(excluded, excluded.length + 1);
                next[excluded.length] = nodeId;
                fetch(index, next);
                return;
            }
            System.arraycopy(verified, 0, content, offset, rawLength);
            offset += rawLength;
            fetch(index + 1, NO_NODES);
        }

        @Override
        public void onFailed(final long fetchId, final RfsException failure)
        {
            listener.onUnavailable("chunk " + manifest.chunkId(index).toShortHex() + ": " + failure.getMessage());
        }
    }
}

package io.rfs.replication.protocol;

import io.rfs.store.manifest.Manifest;
import io.rfs.store.manifest.ManifestCodec;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static io.rfs.replication.protocol.BodyDescriptor.BYTE_ORDER;
import static io.rfs.replication.protocol.PutManifestRequestDescriptor.*;

/**
 * Writes a {@code PutManifestRequest} body; see {@link PutManifestRequestDescriptor}. Either encode a
 * {@link Manifest} in place ({@link #manifest(Manifest)}), copy encoded bytes ({@link #manifest(DirectBuffer, int,
 * int)}), or declare their length ({@link #manifestLength}) and send them as the gather offer's payload.
 */
public final class PutManifestRequestEncoder extends MessageEncoder
{
    private int written;

    public PutManifestRequestEncoder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        wrapBlock(buffer, offset, BLOCK_LENGTH);
        written = 0;
        return this;
    }

    /**
     * Makes this a hinted write (sloppy quorum): the receiver keeps the manifest for {@code nodeId} and hands it
     * over when that node is back.
     *
     * @param nodeId the name's owner that could not be reached, 0 or more; {@link
     *               PutManifestRequestDescriptor#NOT_HINTED} makes it a plain write again.
     * @return this.
     */
    public PutManifestRequestEncoder hintedFor(final int nodeId)
    {
        if (nodeId < NOT_HINTED)
        {
            throw new IllegalArgumentException("hintedFor=" + nodeId + " must be a node id (0 or more) or -1");
        }
        buffer.putInt(offset + HINT_OFFSET, nodeId == NOT_HINTED ? 0 : HINT_FLAG | nodeId, BYTE_ORDER);
        return this;
    }

    /**
     * Encodes a manifest after the fixed block with {@link ManifestCodec#encode}, allocation-free.
     *
     * @param manifest the manifest.
     * @return this.
     */
    public PutManifestRequestEncoder manifest(final Manifest manifest)
    {
        final int length = ManifestCodec.encode(manifest, buffer, offset + MANIFEST_OFFSET);
        buffer.putInt(offset + MANIFEST_LENGTH_OFFSET, length, BYTE_ORDER);
        written = length;
        return this;
    }

    /**
     * Copies an encoded manifest after the fixed block.
     *
     * @param src       holds it.
     * @param srcOffset where it starts.
     * @param length    its length.
     * @return this.
     */
    public PutManifestRequestEncoder manifest(final DirectBuffer src, final int srcOffset, final int length)
    {
        manifestLength(length);
        checkRoom(buffer, offset + MANIFEST_OFFSET, length);
        buffer.putBytes(offset + MANIFEST_OFFSET, src, srcOffset, length);
        written = length;
        return this;
    }

    /**
     * @param length length of the encoded manifest the gather offer sends after the fixed block.
     * @return this.
     */
    public PutManifestRequestEncoder manifestLength(final int length)
    {
        if (length < 1)
        {
            throw new IllegalArgumentException("manifestLength=" + length + " must be positive");
        }
        buffer.putInt(offset + MANIFEST_LENGTH_OFFSET, length, BYTE_ORDER);
        written = 0;
        return this;
    }

    @Override
    public int messageType()
    {
        return MessageTypes.PUT_MANIFEST_REQUEST;
    }

    @Override
    public int encodedLength()
    {
        return BLOCK_LENGTH + written;
    }
}

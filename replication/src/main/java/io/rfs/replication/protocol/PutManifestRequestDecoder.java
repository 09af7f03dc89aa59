package io.rfs.replication.protocol;

import io.rfs.store.manifest.CorruptManifestException;
import io.rfs.store.manifest.ManifestDecoder;
import org.agrona.DirectBuffer;

import static io.rfs.replication.protocol.BodyDescriptor.BYTE_ORDER;
import static io.rfs.replication.protocol.PutManifestRequestDescriptor.*;

/**
 * Reads a {@code PutManifestRequest} body; see {@link PutManifestRequestDescriptor} and {@link MessageDecoder}.
 */
public final class PutManifestRequestDecoder extends MessageDecoder
{
    /**
     * Checks: the manifest lies within the body and passes {@code ManifestCodec.verify} whole.
     *
     * @param buffer holds the body.
     * @param offset where it starts.
     * @param length body length.
     * @return this.
     * @throws MalformedMessageException naming the first field that is wrong.
     */
    public PutManifestRequestDecoder wrap(final DirectBuffer buffer, final int offset, final int length)
        throws MalformedMessageException
    {
        wrapBlock(buffer, offset, length, BLOCK_LENGTH);
        final int manifestLength = manifestLength();
        BodyDescriptor.checkRange(messageName(), "manifestLength", manifestLength, 1, Integer.MAX_VALUE);
        BodyDescriptor.checkFits(messageName(), "manifest", MANIFEST_OFFSET, manifestLength, length);
        BodyDescriptor.checkManifest(messageName(), buffer, offset + MANIFEST_OFFSET, manifestLength);
        return this;
    }

    public int manifestLength()
    {
        return buffer.getInt(offset + MANIFEST_LENGTH_OFFSET, BYTE_ORDER);
    }

    /**
     * @return where the encoded manifest lies in {@link #buffer()}.
     */
    public int manifestOffset()
    {
        return offset + MANIFEST_OFFSET;
    }

    /**
     * @param decoder a manifest view to point at the manifest.
     * @return {@code decoder}, wrapped (it verifies the manifest again).
     * @throws CorruptManifestException only if the bytes changed since {@link #wrap}.
     */
    public ManifestDecoder manifest(final ManifestDecoder decoder) throws CorruptManifestException
    {
        return decoder.wrap(buffer, manifestOffset(), manifestLength());
    }

    @Override
    public int messageType()
    {
        return MessageTypes.PUT_MANIFEST_REQUEST;
    }
}

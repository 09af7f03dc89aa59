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
     * Checks: the manifest lies within the body and passes {@code ManifestCodec.verify} whole; the hint word is
     * zero unless its {@code HINTED} bit is set.
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
        final int hint = buffer.getInt(offset + HINT_OFFSET, BYTE_ORDER);
        if (hint > 0)
        {
            throw new MalformedMessageException(messageName(),
                "hint=0x" + Integer.toHexString(hint) + " names a node without the HINTED bit");
        }
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

    public boolean isHinted()
    {
        return (buffer.getInt(offset + HINT_OFFSET, BYTE_ORDER) & HINT_FLAG) != 0;
    }

    /**
     * @return the owner this node is asked to keep the manifest for, or
     * {@link PutManifestRequestDescriptor#NOT_HINTED}.
     */
    public int hintedFor()
    {
        final int hint = buffer.getInt(offset + HINT_OFFSET, BYTE_ORDER);
        return (hint & HINT_FLAG) != 0 ? hint & HINTED_FOR_MASK : NOT_HINTED;
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

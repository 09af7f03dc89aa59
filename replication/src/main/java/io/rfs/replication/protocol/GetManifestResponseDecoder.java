package io.rfs.replication.protocol;

import io.rfs.store.manifest.CorruptManifestException;
import io.rfs.store.manifest.ManifestDecoder;
import org.agrona.DirectBuffer;

import static io.rfs.replication.protocol.BodyDescriptor.BYTE_ORDER;
import static io.rfs.replication.protocol.GetManifestResponseDescriptor.*;

/**
 * Reads a {@code GetManifestResponse} body; see {@link GetManifestResponseDescriptor} and {@link MessageDecoder}.
 */
public final class GetManifestResponseDecoder extends MessageDecoder
{
    /**
     * Checks: a known status; for {@code OK} a manifest within the body that verifies whole; otherwise length 0.
     *
     * @param buffer holds the body.
     * @param offset where it starts.
     * @param length body length.
     * @return this.
     * @throws MalformedMessageException naming the first field that is wrong.
     */
    public GetManifestResponseDecoder wrap(final DirectBuffer buffer, final int offset, final int length)
        throws MalformedMessageException
    {
        wrapBlock(buffer, offset, length, BLOCK_LENGTH);
        final String name = messageName();
        final int status = buffer.getByte(offset + STATUS_OFFSET) & 0xFF;
        BodyDescriptor.checkRange(name, "status", status, 0, Status.maxCode());
        final int manifestLength = manifestLength();
        if (status == Status.OK.code())
        {
            BodyDescriptor.checkRange(name, "manifestLength", manifestLength, 1, Integer.MAX_VALUE);
            BodyDescriptor.checkFits(name, "manifest", MANIFEST_OFFSET, manifestLength, length);
            BodyDescriptor.checkManifest(name, buffer, offset + MANIFEST_OFFSET, manifestLength);
        }
        else if (manifestLength != 0)
        {
            throw new MalformedMessageException(
                name, "manifestLength=" + manifestLength + " with status=" + Status.get(status) + ", must be 0");
        }
        return this;
    }

    public Status status()
    {
        return Status.get(buffer.getByte(offset + STATUS_OFFSET) & 0xFF);
    }

    public int manifestLength()
    {
        return buffer.getInt(offset + MANIFEST_LENGTH_OFFSET, BYTE_ORDER);
    }

    public int manifestOffset()
    {
        return offset + MANIFEST_OFFSET;
    }

    /**
     * @param decoder a manifest view to point at the manifest; only for status {@code OK}.
     * @return {@code decoder}, wrapped (it verifies the manifest again).
     * @throws CorruptManifestException if there is no manifest or the bytes changed since {@link #wrap}.
     */
    public ManifestDecoder manifest(final ManifestDecoder decoder) throws CorruptManifestException
    {
        return decoder.wrap(buffer, manifestOffset(), manifestLength());
    }

    @Override
    public int messageType()
    {
        return MessageTypes.GET_MANIFEST_RESPONSE;
    }
}

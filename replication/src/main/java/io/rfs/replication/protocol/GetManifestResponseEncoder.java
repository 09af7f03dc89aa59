package io.rfs.replication.protocol;

import io.rfs.store.manifest.Manifest;
import io.rfs.store.manifest.ManifestCodec;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static io.rfs.replication.protocol.BodyDescriptor.BYTE_ORDER;
import static io.rfs.replication.protocol.GetManifestResponseDescriptor.*;

/**
 * Writes a {@code GetManifestResponse} body; see {@link GetManifestResponseDescriptor}. For {@code OK}, encode,
 * copy, or declare the manifest (and send it as the gather offer's payload), as with
 * {@link PutManifestRequestEncoder}.
 */
public final class GetManifestResponseEncoder extends MessageEncoder
{
    private int written;

    public GetManifestResponseEncoder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        wrapBlock(buffer, offset, BLOCK_LENGTH);
        written = 0;
        return this;
    }

    public GetManifestResponseEncoder status(final Status status)
    {
        buffer.putByte(offset + STATUS_OFFSET, (byte)status.code());
        return this;
    }

    public GetManifestResponseEncoder manifest(final Manifest manifest)
    {
        final int length = ManifestCodec.encode(manifest, buffer, offset + MANIFEST_OFFSET);
        buffer.putInt(offset + MANIFEST_LENGTH_OFFSET, length, BYTE_ORDER);
        written = length;
        return this;
    }

    public GetManifestResponseEncoder manifest(final DirectBuffer src, final int srcOffset, final int length)
    {
        manifestLength(length);
        checkRoom(buffer, offset + MANIFEST_OFFSET, length);
        buffer.putBytes(offset + MANIFEST_OFFSET, src, srcOffset, length);
        written = length;
        return this;
    }

    public GetManifestResponseEncoder manifestLength(final int length)
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
        return MessageTypes.GET_MANIFEST_RESPONSE;
    }

    @Override
    public int encodedLength()
    {
        return BLOCK_LENGTH + written;
    }
}

package io.rfs.replication.protocol;

import io.rfs.store.manifest.CorruptManifestException;
import io.rfs.store.manifest.ManifestCodec;
import io.rfs.store.manifest.ManifestDescriptor;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * Rules every message body shares, and the checks its decoders make. Layouts of single message types are in the
 * {@code *Descriptor} classes beside this one; {@code docs/PROTOCOL.md} specifies them all.
 * <ul>
 *     <li>Integers are little-endian ({@link #BYTE_ORDER}); chunk ids and digests are their own 32 bytes.</li>
 *     <li>A body is a fixed block (fields at fixed offsets, {@code BLOCK_LENGTH} bytes) followed by its
 *     variable-length parts, each sized by a length or count field in the fixed block.</li>
 *     <li>Reserved bytes are written as zero and ignored on read. Unknown flag bits are refused.</li>
 *     <li>Compatibility: a later revision of protocol version 1 may only append fields after the last field a
 *     layout has now; a reader checks that every field it knows lies within the body and ignores bytes after them.
 *     Any other change takes a new protocol version, negotiated by {@code Hello}.</li>
 * </ul>
 */
public final class BodyDescriptor
{
    /** Byte order of every integer field of every body. */
    public static final ByteOrder BYTE_ORDER = ByteOrder.LITTLE_ENDIAN;

    private BodyDescriptor()
    {
    }

    /**
     * Checks that a decoder's arguments describe bytes inside the buffer; a caller error, not bad input.
     *
     * @param buffer holds the body.
     * @param offset where the body starts.
     * @param length body length.
     * @throws IllegalArgumentException if the range does not lie within {@code buffer}.
     */
    public static void checkBounds(final DirectBuffer buffer, final int offset, final int length)
    {
        if (offset < 0 || length < 0 || (long)offset + length > buffer.capacity())
        {
            throw new IllegalArgumentException(
                "offset=" + offset + " length=" + length + " do not lie within capacity=" + buffer.capacity());
        }
    }

    /**
     * @param messageName for the error.
     * @param length      body length.
     * @param blockLength length of the fixed block.
     * @throws MalformedMessageException if the body is shorter than its fixed block.
     */
    public static void checkBlock(final String messageName, final int length, final int blockLength)
        throws MalformedMessageException
    {
        if (length < blockLength)
        {
            throw new MalformedMessageException(
                messageName, "bodyLength=" + length + " is shorter than the fixed block of " + blockLength);
        }
    }

    /**
     * @param messageName for the error.
     * @param field       the field's name.
     * @param value       its value.
     * @param min         least allowed.
     * @param max         most allowed.
     * @throws MalformedMessageException unless {@code min <= value <= max}.
     */
    public static void checkRange(
        final String messageName, final String field, final long value, final long min, final long max)
        throws MalformedMessageException
    {
        if (value < min || value > max)
        {
            throw new MalformedMessageException(messageName, field + "=" + value + " is outside " + min + ".." + max);
        }
    }

    /**
     * @param messageName for the error.
     * @param field       the flags field's name.
     * @param flags       its value.
     * @param known       the bits this version defines.
     * @throws MalformedMessageException if any other bit is set.
     */
    public static void checkFlags(final String messageName, final String field, final int flags, final int known)
        throws MalformedMessageException
    {
        if ((flags & ~known) != 0)
        {
            throw new MalformedMessageException(messageName, field + "=0x" + Integer.toHexString(flags) +
                " has unknown bits 0x" + Integer.toHexString(flags & ~known));
        }
    }

    /**
     * Checks that a variable-length part lies within the body.
     *
     * @param messageName for the error.
     * @param field       the part's name.
     * @param start       where it starts, relative to the body.
     * @param partLength  its length, already checked to be non-negative.
     * @param bodyLength  the body's length.
     * @throws MalformedMessageException if it runs past the end of the body.
     */
    public static void checkFits(
        final String messageName, final String field, final int start, final long partLength, final int bodyLength)
        throws MalformedMessageException
    {
        if (start + partLength > bodyLength)
        {
            throw new MalformedMessageException(messageName, field + "Length=" + partLength + " at offset " + start +
                " runs past bodyLength=" + bodyLength);
        }
    }

    /**
     * Checks name bytes against the file name rules (well-formed UTF-8, no NUL, no {@code .} or {@code ..}
     * segment) without allocating unless they fail.
     *
     * @param messageName for the error.
     * @param field       the field's name.
     * @param buffer      holds the name.
     * @param offset      where it starts.
     * @param length      its length, already checked to be 1 to {@link ManifestDescriptor#MAX_NAME_BYTES}.
     * @throws MalformedMessageException naming the rule the name breaks.
     */
    public static void checkName(
        final String messageName, final String field, final DirectBuffer buffer, final int offset, final int length)
        throws MalformedMessageException
    {
        try
        {
            ManifestDescriptor.checkName(buffer, offset, length);
        }
        catch (final CorruptManifestException ex)
        {
            throw new MalformedMessageException(messageName, field + ": " + detail(ex), ex);
        }
    }

    /**
     * Checks an encoded manifest in place, allocation-free unless it fails.
     *
     * @param messageName for the error.
     * @param buffer      holds the manifest, within bounds already checked.
     * @param offset      where it starts.
     * @param length      its length.
     * @throws MalformedMessageException naming the first field of the manifest that is wrong.
     */
    public static void checkManifest(
        final String messageName, final DirectBuffer buffer, final int offset, final int length)
        throws MalformedMessageException
    {
        try
        {
            ManifestCodec.verify(buffer, offset, length);
        }
        catch (final CorruptManifestException ex)
        {
            throw new MalformedMessageException(messageName, "manifest: " + detail(ex), ex);
        }
    }

    private static String detail(final CorruptManifestException ex)
    {
        final String message = ex.getMessage();
        final String prefix = "corrupt manifest: ";
        return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }
}

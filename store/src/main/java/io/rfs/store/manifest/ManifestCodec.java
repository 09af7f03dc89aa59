package io.rfs.store.manifest;

import io.rfs.store.FileName;
import io.rfs.store.InvalidNameException;
import io.rfs.store.chunk.ChunkId;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static io.rfs.store.manifest.ManifestDescriptor.*;

/**
 * Encodes a {@link Manifest} to, and decodes it from, the binary form laid out by {@link ManifestDescriptor}.
 * <p>
 * {@link #encode} and {@link #verify} allocate nothing (except an exception on failure); {@link #decode} allocates
 * only what the resulting {@link Manifest} holds plus the name check's copies. To read a few fields, or to walk the
 * chunk list of a huge manifest without building arrays, use {@link ManifestDecoder}.
 * <p>
 * The encoder refuses (with {@link IllegalArgumentException}) every manifest the decoder would refuse, so a manifest
 * that was written can always be read back. Stateless and thread safe.
 */
public final class ManifestCodec
{
    private ManifestCodec()
    {
    }

    /**
     * @param manifest a manifest to encode.
     * @return the bytes its encoding takes.
     * @throws IllegalArgumentException if its name is not well-formed UTF-16 or not 1 to
     *                                  {@link ManifestDescriptor#MAX_NAME_BYTES} bytes in UTF-8, or it has more than
     *                                  {@link ManifestDescriptor#MAX_CHUNKS} chunks.
     */
    public static int encodedLength(final Manifest manifest)
    {
        return ManifestDescriptor.encodedLength(utf8Length(manifest.name()), checkedChunkCount(manifest));
    }

    /**
     * Writes the encoding of a manifest. Writes only within {@code [offset, offset + encodedLength(manifest))}; if it
     * throws, bytes within that range may have changed.
     *
     * @param manifest the manifest.
     * @param dst      destination; must have room for {@link #encodedLength(Manifest)} bytes at {@code offset}
     *                 unless it is expandable.
     * @param offset   where the encoding starts.
     * @return bytes written, the same as {@link #encodedLength(Manifest)}.
     * @throws IllegalArgumentException if the manifest breaks a rule the decoder checks (its name breaks a
     *                                  {@link FileName} rule, a tombstone has chunks, a chunk length is not
     *                                  positive, too many chunks) or {@code dst} is too small.
     */
    public static int encode(final Manifest manifest, final MutableDirectBuffer dst, final int offset)
    {
        final String name = manifest.name();
        final int nameLength = utf8Length(name);
        final int chunkCount = checkedChunkCount(manifest);
        checkChunks(manifest, chunkCount);
        final int length = ManifestDescriptor.encodedLength(nameLength, chunkCount);
        if (offset < 0 || (!dst.isExpandable() && (long)offset + length > dst.capacity()))
        {
            throw new IllegalArgumentException(
                "offset=" + offset + " length=" + length + " does not fit capacity=" + dst.capacity());
        }

        putUtf8(name, dst, offset + HEADER_LENGTH);
        try
        {
            checkName(dst, offset + HEADER_LENGTH, nameLength);
        }
        catch (final CorruptManifestException ex)
        {
            throw new IllegalArgumentException(ex.detail(), ex);
        }
        putHeader(manifest, nameLength, dst, offset);

        final int paddingOffset = offset + HEADER_LENGTH + nameLength;
        final int entriesOffset = offset + entriesOffset(nameLength);
        dst.setMemory(paddingOffset, entriesOffset - paddingOffset, (byte)0);
        putEntries(manifest, dst, entriesOffset);

        return length;
    }

    /**
     * Checks that bytes hold exactly one valid manifest, without allocating: magic, format version, flags, every
     * length and count against its limit and against {@code length}, the name, padding and reserved fields, every
     * chunk length, and that the size is the sum of the chunk lengths. Safe on hostile input: it reads nothing
     * before checking it lies within {@code [offset, offset + length)}.
     *
     * @param src    buffer holding the bytes.
     * @param offset where the manifest starts.
     * @param length bytes the manifest occupies; must be exactly its encoded length.
     * @throws CorruptManifestException naming the first field found wrong and its value.
     * @throws IllegalArgumentException if {@code offset} and {@code length} do not lie within {@code src}.
     */
    public static void verify(final DirectBuffer src, final int offset, final int length)
        throws CorruptManifestException
    {
        if (offset < 0 || length < 0 || (long)offset + length > src.capacity())
        {
            throw new IllegalArgumentException(
                "offset=" + offset + " length=" + length + " do not lie within capacity=" + src.capacity());
        }
        checkPreamble(length);
        checkMagic(src.getInt(offset + MAGIC_OFFSET, BYTE_ORDER));
        checkFormatVersion(src.getByte(offset + FORMAT_VERSION_OFFSET) & 0xFF);
        checkHeaderLength(length);

        final int flags = src.getByte(offset + FLAGS_OFFSET) & 0xFF;
        checkFlags(flags);
        final int nameLength = src.getShort(offset + NAME_LENGTH_OFFSET, BYTE_ORDER) & 0xFFFF;
        checkNameLength(nameLength);
        final int chunkCount = src.getInt(offset + CHUNK_COUNT_OFFSET, BYTE_ORDER);
        checkChunkCount(chunkCount, (flags & FLAG_TOMBSTONE) != 0);
        checkEncodedLength(length, nameLength, chunkCount);

        checkName(src, offset + HEADER_LENGTH, nameLength);
        final int paddingOffset = offset + HEADER_LENGTH + nameLength;
        final int entriesOffset = offset + entriesOffset(nameLength);
        for (int i = paddingOffset; i < entriesOffset; i++)
        {
            checkPadding(i - paddingOffset, src.getByte(i));
        }

        long chunkSum = 0;
        int entry = entriesOffset;
        for (int i = 0; i < chunkCount; i++)
        {
            final int rawLength = src.getInt(entry + ENTRY_RAW_LENGTH_OFFSET, BYTE_ORDER);
            checkChunkLength(i, rawLength);
            checkEntryReserved(i, src.getInt(entry + ENTRY_RESERVED_OFFSET, BYTE_ORDER));
            chunkSum += rawLength;
            entry += ENTRY_LENGTH;
        }
        checkSize(src.getLong(offset + SIZE_OFFSET, BYTE_ORDER), chunkSum);
    }

    /**
     * Decodes a manifest from untrusted bytes: {@link #verify} first, then the name through
     * {@link FileName#validate}, then the value is built.
     *
     * @param src    buffer holding the bytes.
     * @param offset where the manifest starts.
     * @param length bytes the manifest occupies; must be exactly its encoded length.
     * @return the manifest.
     * @throws CorruptManifestException naming the first field found wrong and its value; nothing else is thrown
     *                                  for any content of the bytes.
     * @throws IllegalArgumentException if {@code offset} and {@code length} do not lie within {@code src}.
     */
    public static Manifest decode(final DirectBuffer src, final int offset, final int length)
        throws CorruptManifestException
    {
        verify(src, offset, length);

        final int nameLength = src.getShort(offset + NAME_LENGTH_OFFSET, BYTE_ORDER) & 0xFFFF;
        final byte[] nameBytes = new byte[nameLength];
        src.getBytes(offset + HEADER_LENGTH, nameBytes);
        final String name = decodeName(nameBytes);

        final byte[] sha256 = new byte[SHA256_LENGTH];
        src.getBytes(offset + SHA256_OFFSET, sha256);

        final int chunkCount = src.getInt(offset + CHUNK_COUNT_OFFSET, BYTE_ORDER);
        final ChunkId[] chunkIds = new ChunkId[chunkCount];
        final int[] chunkLengths = new int[chunkCount];
        int entry = offset + entriesOffset(nameLength);
        for (int i = 0; i < chunkCount; i++)
        {
            chunkIds[i] = ChunkId.read(src, entry + ENTRY_CHUNK_ID_OFFSET);
            chunkLengths[i] = src.getInt(entry + ENTRY_RAW_LENGTH_OFFSET, BYTE_ORDER);
            entry += ENTRY_LENGTH;
        }

        final Version version = new Version(
            src.getLong(offset + TIMESTAMP_OFFSET, BYTE_ORDER), src.getInt(offset + NODE_ID_OFFSET, BYTE_ORDER));
        final boolean tombstone = (src.getByte(offset + FLAGS_OFFSET) & FLAG_TOMBSTONE) != 0;

        return new Manifest(
            name, src.getLong(offset + SIZE_OFFSET, BYTE_ORDER), sha256, chunkIds, chunkLengths, version, tombstone);
    }

    private static String decodeName(final byte[] nameBytes) throws CorruptManifestException
    {
        final String name = new String(nameBytes, StandardCharsets.UTF_8);
        final byte[] validated;
        try
        {
            validated = FileName.validate(name);
        }
        catch (final InvalidNameException ex)
        {
            throw new CorruptManifestException("name is invalid: " + ex.getMessage(), ex);
        }
        if (!Arrays.equals(validated, nameBytes))
        {
            throw new CorruptManifestException("name is not valid UTF-8");
        }
        return name;
    }

    private static void checkChunks(final Manifest manifest, final int chunkCount)
    {
        if (manifest.isTombstone() && chunkCount != 0)
        {
            throw new IllegalArgumentException("tombstone with chunkCount=" + chunkCount + ", must have none");
        }
        for (int i = 0; i < chunkCount; i++)
        {
            if (manifest.chunkLength(i) <= 0)
            {
                throw new IllegalArgumentException(
                    "chunkLength[" + i + "]=" + manifest.chunkLength(i) + " must be positive");
            }
        }
    }

    private static void putHeader(
        final Manifest manifest, final int nameLength, final MutableDirectBuffer dst, final int offset)
    {
        final Version version = manifest.version();
        dst.putInt(offset + MAGIC_OFFSET, MAGIC, BYTE_ORDER);
        dst.putByte(offset + FORMAT_VERSION_OFFSET, (byte)CURRENT_VERSION);
        dst.putByte(offset + FLAGS_OFFSET, (byte)(manifest.isTombstone() ? FLAG_TOMBSTONE : 0));
        dst.putShort(offset + NAME_LENGTH_OFFSET, (short)nameLength, BYTE_ORDER);
        dst.putLong(offset + TIMESTAMP_OFFSET, version.timestamp(), BYTE_ORDER);
        dst.putInt(offset + NODE_ID_OFFSET, version.nodeId(), BYTE_ORDER);
        dst.putInt(offset + CHUNK_COUNT_OFFSET, manifest.chunkCount(), BYTE_ORDER);
        dst.putLong(offset + SIZE_OFFSET, manifest.size(), BYTE_ORDER);
        dst.putBytes(offset + SHA256_OFFSET, manifest.sha256());
    }

    private static void putEntries(final Manifest manifest, final MutableDirectBuffer dst, final int entriesOffset)
    {
        int entry = entriesOffset;
        for (int i = 0, count = manifest.chunkCount(); i < count; i++)
        {
            manifest.chunkId(i).write(dst, entry + ENTRY_CHUNK_ID_OFFSET);
            dst.putInt(entry + ENTRY_RAW_LENGTH_OFFSET, manifest.chunkLength(i), BYTE_ORDER);
            dst.putInt(entry + ENTRY_RESERVED_OFFSET, 0, BYTE_ORDER);
            entry += ENTRY_LENGTH;
        }
    }

    private static int checkedChunkCount(final Manifest manifest)
    {
        final int chunkCount = manifest.chunkCount();
        if (chunkCount > MAX_CHUNKS)
        {
            throw new IllegalArgumentException("chunkCount=" + chunkCount + " exceeds MAX_CHUNKS=" + MAX_CHUNKS);
        }
        return chunkCount;
    }

    private static int utf8Length(final String name)
    {
        int length = 0;
        final int chars = name.length();
        for (int i = 0; i < chars && length <= MAX_NAME_BYTES; i++)
        {
            final char c = name.charAt(i);
            if (c < 0x80)
            {
                length += 1;
            }
            else if (c < 0x800)
            {
                length += 2;
            }
            else if (Character.isHighSurrogate(c) && i + 1 < chars && Character.isLowSurrogate(name.charAt(i + 1)))
            {
                length += 4;
                i++;
            }
            else if (Character.isSurrogate(c))
            {
                throw new IllegalArgumentException("name has a lone surrogate at index " + i);
            }
            else
            {
                length += 3;
            }
        }
        if (length < 1 || length > MAX_NAME_BYTES)
        {
            throw new IllegalArgumentException("name is " + (length > MAX_NAME_BYTES ? "at least " : "") + length +
                " bytes in UTF-8, outside 1.." + MAX_NAME_BYTES);
        }
        return length;
    }

    private static void putUtf8(final String name, final MutableDirectBuffer dst, final int offset)
    {
        int index = offset;
        final int chars = name.length();
        for (int i = 0; i < chars; i++)
        {
            final char c = name.charAt(i);
            if (c < 0x80)
            {
                dst.putByte(index++, (byte)c);
            }
            else if (c < 0x800)
            {
                dst.putByte(index++, (byte)(0xC0 | (c >> 6)));
                dst.putByte(index++, (byte)(0x80 | (c & 0x3F)));
            }
            else if (Character.isHighSurrogate(c))
            {
                final int codePoint = Character.toCodePoint(c, name.charAt(++i));
                dst.putByte(index++, (byte)(0xF0 | (codePoint >> 18)));
                dst.putByte(index++, (byte)(0x80 | ((codePoint >> 12) & 0x3F)));
                dst.putByte(index++, (byte)(0x80 | ((codePoint >> 6) & 0x3F)));
                dst.putByte(index++, (byte)(0x80 | (codePoint & 0x3F)));
            }
            else
            {
                dst.putByte(index++, (byte)(0xE0 | (c >> 12)));
                dst.putByte(index++, (byte)(0x80 | ((c >> 6) & 0x3F)));
                dst.putByte(index++, (byte)(0x80 | (c & 0x3F)));
            }
        }
    }
}

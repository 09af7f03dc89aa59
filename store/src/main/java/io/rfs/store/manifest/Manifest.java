package io.rfs.store.manifest;

import io.rfs.store.FileStat;
import io.rfs.store.chunk.ChunkId;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * One version of a file: its name, length, whole-content SHA-256, the ordered chunks it is cut into, its version
 * and whether it is a tombstone (a delete). Immutable; the arrays are owned by the manifest and must not be changed
 * after construction.
 * <p>
 * The binary form is {@link ManifestCodec}'s, laid out by {@link ManifestDescriptor}.
 */
public final class Manifest
{
    private static final HexFormat HEX = HexFormat.of();

    private final String name;
    private final long size;
    private final byte[] sha256;
    private final ChunkId[] chunkIds;
    private final int[] chunkLengths;
    private final Version version;
    private final boolean tombstone;

    /**
     * @param name         the file's name (already validated).
     * @param size         length in bytes; equals the sum of {@code chunkLengths}.
     * @param sha256       whole-content SHA-256, 32 bytes.
     * @param chunkIds     chunk ids in file order.
     * @param chunkLengths uncompressed length of each chunk.
     * @param version      this version.
     * @param tombstone    true for a delete.
     */
    public Manifest(
        final String name,
        final long size,
        final byte[] sha256,
        final ChunkId[] chunkIds,
        final int[] chunkLengths,
        final Version version,
        final boolean tombstone)
    {
        if (sha256.length != 32)
        {
            throw new IllegalArgumentException("sha256 length=" + sha256.length);
        }
        if (chunkIds.length != chunkLengths.length)
        {
            throw new IllegalArgumentException(
                "chunkIds.length=" + chunkIds.length + " chunkLengths.length=" + chunkLengths.length);
        }
        long total = 0;
        for (final int length : chunkLengths)
        {
            total += length;
        }
        if (total != size)
        {
            throw new IllegalArgumentException("size=" + size + " but chunk lengths sum to " + total);
        }
        this.name = name;
        this.size = size;
        this.sha256 = sha256;
        this.chunkIds = chunkIds;
        this.chunkLengths = chunkLengths;
        this.version = version;
        this.tombstone = tombstone;
    }

    /**
     * @param name    the deleted file's name.
     * @param version the delete's version.
     * @return a tombstone: no content, empty-content digest.
     */
    public static Manifest tombstone(final String name, final Version version)
    {
        return new Manifest(name, 0, EMPTY_SHA256.clone(), new ChunkId[0], new int[0], version, true);
    }

    private static final String EMPTY_SHA256_HEX = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /** SHA-256 of no bytes. */
    public static final byte[] EMPTY_SHA256 = HEX.parseHex(EMPTY_SHA256_HEX);

    /**
     * @param sha256 a whole-content digest, 32 bytes.
     * @return its lower-case hex; every tombstone (and empty file) shares one string, since a store holds a stat per
     * name and tombstones are many.
     */
    static String sha256Hex(final byte[] sha256)
    {
        return Arrays.equals(sha256, EMPTY_SHA256) ? EMPTY_SHA256_HEX : HEX.formatHex(sha256);
    }

    public String name()
    {
        return name;
    }

    public long size()
    {
        return size;
    }

    /**
     * @return the whole-content SHA-256; the array is shared, do not change it.
     */
    public byte[] sha256()
    {
        return sha256;
    }

    public int chunkCount()
    {
        return chunkIds.length;
    }

    /**
     * @param index position in file order.
     * @return that chunk's id.
     */
    public ChunkId chunkId(final int index)
    {
        return chunkIds[index];
    }

    /**
     * @param index position in file order.
     * @return that chunk's uncompressed length.
     */
    public int chunkLength(final int index)
    {
        return chunkLengths[index];
    }

    public Version version()
    {
        return version;
    }

    public boolean isTombstone()
    {
        return tombstone;
    }

    /**
     * @return the metadata view of this manifest.
     */
    public FileStat toStat()
    {
        return new FileStat(name, size, sha256Hex(sha256), chunkIds.length, version, tombstone);
    }

    @Override
    public String toString()
    {
        return "Manifest{name=" + name + ", size=" + size + ", chunks=" + chunkIds.length + ", version=" + version +
            (tombstone ? ", tombstone" : "") + '}';
    }
}

package io.rfs.replication.protocol;

/**
 * Layout of a {@code PutManifestRequest} body (type {@link MessageTypes#PUT_MANIFEST_REQUEST}): store this version of
 * a file. The manifest is in the format of {@code io.rfs.store.manifest.ManifestDescriptor} (docs/FORMATS.md),
 * verified whole by the receiver; a tombstone is a delete.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                   Manifest length (i32)                       |  0
 *  +---------------------------------------------------------------+
 *  |H|            Hinted for node id (31 bits), 0 if not H         |  4
 *  +---------------------------------------------------------------+
 *  |             Encoded manifest (manifest length bytes)        ...  8
 *  +---------------------------------------------------------------+
 * </pre>
 * The manifest must fit the frame: with the default 8 MiB frame, about 200,000 chunks. The manifest may go as the
 * payload of the gather offer, straight from the store's segment.
 * <p>
 * <b>Hint word</b> (bytes 4..7, a little-endian u32, once reserved). Bit 31 ({@link #HINT_FLAG}, "H") marks a hinted
 * write (sloppy quorum): the receiver, not one of the name's owners, keeps the manifest for the owner whose node id
 * is bits 0..30 (node ids are non-negative i32s, so 31 bits hold them all), records the hint durably, and answers
 * with {@code PutManifestResponseDescriptor.FLAG_HINT_RECORDED}. Zero means a plain write, as before; without H the
 * other bits must be zero. A node older than this revision ignores the word and stores the manifest as a plain write
 * without recording a hint, and its answer lacks {@code HINT_RECORDED}: a writer must not count such an answer
 * towards a sloppy quorum.
 */
public final class PutManifestRequestDescriptor
{
    public static final int MANIFEST_LENGTH_OFFSET = 0;
    public static final int HINT_OFFSET = 4;
    public static final int BLOCK_LENGTH = 8;
    /** Bit 31 of the hint word: a hinted write. */
    public static final int HINT_FLAG = 0x8000_0000;
    /** Bits 0..30 of the hint word: the node id the manifest is kept for. */
    public static final int HINTED_FOR_MASK = 0x7FFF_FFFF;
    /** The hinted-for value of a request that is not hinted. */
    public static final int NOT_HINTED = -1;
    public static final int MANIFEST_OFFSET = BLOCK_LENGTH;

    private PutManifestRequestDescriptor()
    {
    }
}

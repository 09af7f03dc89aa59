package io.rfs.replication.node;

import io.rfs.replication.protocol.ListManifestsRequestDecoder;
import io.rfs.replication.protocol.ListManifestsResponseEncoder;
import io.rfs.replication.protocol.Status;
import io.rfs.store.FileStat;
import io.rfs.store.manifest.ManifestDescriptor;
import io.rfs.store.manifest.ManifestStore;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static io.rfs.replication.protocol.ListManifestsResponseDescriptor.entriesOffset;
import static io.rfs.replication.protocol.ListManifestsResponseDescriptor.entryLength;

/**
 * Builds one page of a {@code ListManifestsResponse}: the current versions whose names start with the request's
 * prefix, after its page token, at most the smaller of the request's and the node's page size, and no more bytes
 * than a response may carry. {@link #prepare} works out the page and its length (so the caller can claim exactly
 * that much room), {@link #encode} writes it.
 * <p>
 * <b>Page token.</b> Opaque to requesters: a format byte ({@value #TOKEN_FORMAT}) and the UTF-8 name of the last
 * name this page looked at; the next page starts after it. A token this node cannot read is answered with status
 * {@code ERROR}.
 * <p>
 * <b>Order.</b> Names come in the manifest store's order, {@link String#compareTo}; that is the byte order of their
 * UTF-8 except where names differ by a character above U+FFFF against one in U+E000..U+FFFF. Paging is exact either
 * way: every name appears once.
 * <p>
 * Allocates per page (the names' bytes, the stats); listing is not a hot path. Not thread safe: the storage
 * agent's own.
 */
final class ManifestListing
{
    /** First byte of every page token this version writes. */
    static final byte TOKEN_FORMAT = 1;
    private static final int MAX_TOKEN_LENGTH = 1 + ManifestDescriptor.MAX_NAME_BYTES;
    private static final HexFormat HEX = HexFormat.of();

    private final ManifestStore manifests;
    private final int maxEntries;
    private final List<FileStat> page = new ArrayList<>();
    private final List<byte[]> names = new ArrayList<>();
    private final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);
    private final UnsafeBuffer sha256 = new UnsafeBuffer(new byte[ManifestDescriptor.SHA256_LENGTH]);
    private byte[] nextToken;
    private boolean more;
    private boolean badToken;

    /**
     * @param manifests  the store listed.
     * @param maxEntries the node's most entries per page.
     */
    ManifestListing(final ManifestStore manifests, final int maxEntries)
    {
        this.manifests = manifests;
        this.maxEntries = maxEntries;
    }

    /**
     * @return the least response length that takes one entry of the longest name after the longest token.
     */
    static int minResponseLength()
    {
        return entriesOffset(MAX_TOKEN_LENGTH) + entryLength(ManifestDescriptor.MAX_NAME_BYTES);
    }

    /**
     * Works out the page a request asks for.
     *
     * @param request   a wrapped request.
     * @param maxLength most bytes the response body may take, at least {@link #minResponseLength()}.
     * @return the response body's length.
     */
    int prepare(final ListManifestsRequestDecoder request, final int maxLength)
    {
        page.clear();
        names.clear();
        nextToken = null;
        more = false;
        badToken = false;

        String after = null;
        final int tokenLength = request.pageTokenLength();
        if (tokenLength > 0)
        {
            final byte[] token = new byte[tokenLength];
            request.buffer().getBytes(request.pageTokenOffset(), token);
            after = token[0] == TOKEN_FORMAT && tokenLength <= MAX_TOKEN_LENGTH ?
                decode(token, 1, tokenLength - 1) : null;
            if (after == null)
            {
                badToken = true;
                return entriesOffset(0);
            }
        }
        final byte[] prefix = new byte[request.prefixLength()];
        request.buffer().getBytes(request.prefixOffset(), prefix);
        final String prefixText = longestDecodablePrefix(prefix);
        if (prefixText == null)
        {
            return entriesOffset(0);
        }

        final int limit = Math.min(request.maxEntries(), maxEntries);
        final List<FileStat> candidates = manifests.list(prefixText, after, request.includeTombstones(), limit + 1);
        more = candidates.size() > limit;
        final int budget = maxLength - entriesOffset(MAX_TOKEN_LENGTH);
        int used = 0;
        String lastLooked = null;
        for (int i = 0, size = Math.min(limit, candidates.size()); i < size; i++)
        {
            final FileStat stat = candidates.get(i);
            final byte[] name = stat.name().getBytes(StandardCharsets.UTF_8);
            if (startsWith(name, prefix))
            {
                final int length = entryLength(name.length);
                if (used + length > budget)
                {
                    more = true;
                    break;
                }
                used += length;
                page.add(stat);
                names.add(name);
            }
            lastLooked = stat.name();
        }
        if (more && lastLooked != null)
        {
            final byte[] name = lastLooked.getBytes(StandardCharsets.UTF_8);
            nextToken = new byte[1 + name.length];
            nextToken[0] = TOKEN_FORMAT;
            System.arraycopy(name, 0, nextToken, 1, name.length);
        }
        else
        {
            more = false;
        }
        return entriesOffset(nextToken == null ? 0 : nextToken.length) + used;
    }

    /**
     * Writes the page {@link #prepare} worked out.
     *
     * @param encoder a response encoder.
     * @param buffer  destination, with room for the length {@code prepare} returned.
     * @param offset  where the body starts.
     * @return the body's length.
     */
    int encode(final ListManifestsResponseEncoder encoder, final MutableDirectBuffer buffer, final int offset)
    {
        encoder.wrap(buffer, offset).status(badToken ? Status.ERROR : Status.OK).more(more);
        if (nextToken != null)
        {
            view.wrap(nextToken);
            encoder.nextPageToken(view, 0, nextToken.length);
        }
        for (int i = 0; i < page.size(); i++)
        {
            final FileStat stat = page.get(i);
            final byte[] name = names.get(i);
            view.wrap(name);
            sha256.putBytes(0, HEX.parseHex(stat.sha256()));
            encoder.addEntry(view, 0, name.length, stat.tombstone() ? 0 : stat.size(), stat.version().timestamp(),
                stat.version().nodeId(), stat.tombstone() ? 0 : stat.chunkCount(), sha256, 0, stat.tombstone());
        }
        return encoder.encodedLength();
    }

    /**
     * @return true if the last page prepared had a token this node cannot read.
     */
    boolean badToken()
    {
        return badToken;
    }

    private static boolean startsWith(final byte[] name, final byte[] prefix)
    {
        if (name.length < prefix.length)
        {
            return false;
        }
        for (int i = 0; i < prefix.length; i++)
        {
            if (name[i] != prefix[i])
            {
                return false;
            }
        }
        return true;
    }

    /**
     * A byte prefix may end inside a character; every name it matches starts with its whole characters.
     *
     * @return the prefix's complete characters, or null if it is not UTF-8 at all (then no name matches).
     */
    private static String longestDecodablePrefix(final byte[] prefix)
    {
        for (int cut = 0; cut <= Math.min(3, prefix.length); cut++)
        {
            final String text = decode(prefix, 0, prefix.length - cut);
            if (text != null)
            {
                return text;
            }
        }
        return null;
    }

    private static String decode(final byte[] bytes, final int offset, final int length)
    {
        try
        {
            return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes, offset, length))
                .toString();
        }
        catch (final CharacterCodingException ex)
        {
            return null;
        }
    }
}

package io.rfs.gateway;

import io.rfs.store.FileStat;
import io.rfs.store.FileStore;
import io.rfs.store.TransferListener;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Multipart uploads kept in the store (docs/GATEWAY.md, "Multipart upload"):
 * <ul>
 *   <li>an upload: the file {@code s3-uploads/ID}, a properties file of {@code bucket}, {@code key} and
 *   {@code content-type}; {@code ID} is 32 random hex digits;</li>
 *   <li>its part {@code N}: the file {@code s3-uploads/ID/NNNNN} (the part number in five digits, so that names sort
 *   in part order), and its {@link ObjectMetadata} (the part's ETag, linked to its SHA-256) in
 *   {@code s3-uploads/ID/NNNNN.meta}; a part uploaded again is a new version of the same names.</li>
 * </ul>
 * Completing streams the listed parts, in order, into a put of the object (see {@link StorePipe}), then deletes the
 * upload. Thread-safe as the store is; two requests on one upload at once behave as S3's do (the last part wins).
 */
final class MultipartUploads
{
    /** Where uploads live. */
    static final String UPLOADS = "s3-uploads/";
    /** The smallest part but the last, as S3. */
    static final long MIN_PART_BYTES = 5L * 1024 * 1024;
    /** The highest part number, as S3. */
    static final int MAX_PART_NUMBER = 10_000;

    private static final Pattern UPLOAD_ID = Pattern.compile("[0-9a-f]{32}");
    private static final Pattern PART_NAME = Pattern.compile("\\d{5}");
    private static final String METADATA_SUFFIX = ".meta";

    private final FileStore store;
    private final SecureRandom random = new SecureRandom();

    /**
     * A part of an upload.
     *
     * @param number   its number.
     * @param etag     its MD5, hex, unquoted.
     * @param size     its length.
     * @param modified when it was stored, ms.
     * @param name     its rfs name.
     */
    record Part(int number, String etag, long size, long modified, String name)
    {
    }

    /**
     * A completed upload.
     *
     * @param stat     the object's stat.
     * @param metadata its metadata, with S3's multipart ETag.
     */
    record Completed(FileStat stat, ObjectMetadata metadata)
    {
    }

    MultipartUploads(final FileStore store)
    {
        this.store = store;
    }

    /**
     * @return a new upload's id.
     */
    String initiate(final String bucket, final String key, final String contentType) throws IOException
    {
        final byte[] id = new byte[16];
        random.nextBytes(id);
        final String uploadId = HexFormat.of().formatHex(id);
        final Properties upload = new Properties();
        upload.setProperty("bucket", bucket);
        upload.setProperty("key", key);
        upload.setProperty("content-type", contentType);
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        upload.store(bytes, null);
        SmallFiles.write(store, UPLOADS + uploadId, bytes.toByteArray());
        return uploadId;
    }

    /**
     * Stores a part; the body is verified as a put's is, so a body that does not match stores no part.
     *
     * @return the part's ETag (MD5 hex, unquoted).
     */
    String uploadPart(final String uploadId, final String bucket, final String key, final String partNumber,
        final VerifyingInputStream body) throws IOException
    {
        upload(uploadId, bucket, key);
        final String name = partsPrefix(uploadId) + String.format("%05d", partNumber(partNumber));
        final FileStat stat = store.put(name, body, TransferListener.NONE);
        final ObjectMetadata metadata = new ObjectMetadata(SigV4.hex(body.result(ChecksumAlgorithm.MD5)),
            ObjectMetadata.DEFAULT_CONTENT_TYPE, stat.sha256());
        SmallFiles.write(store, name + METADATA_SUFFIX, metadata.encode());
        return metadata.etag();
    }

    /**
     * @return the upload's current parts in part number order.
     */
    List<Part> parts(final String uploadId, final String bucket, final String key) throws IOException
    {
        upload(uploadId, bucket, key);
        final List<Part> parts = new ArrayList<>();
        for (final FileStat stat : store.list(partsPrefix(uploadId)))
        {
            final String number = stat.name().substring(partsPrefix(uploadId).length());
            if (PART_NAME.matcher(number).matches())
            {
                final ObjectMetadata metadata = ObjectMetadata.decode(SmallFiles.read(store, stat.name() + METADATA_SUFFIX), stat);
                parts.add(new Part(Integer.parseInt(number), metadata.etag(), stat.size(),
                    stat.version().physicalMs(), stat.name()));
            }
        }
        return parts;
    }

    /**
     * @param requested the parts the client lists, number and ETag, in the order it lists them.
     * @return the object written.
     * @throws S3Exception {@code InvalidPart}, {@code InvalidPartOrder}, {@code EntityTooSmall},
     *                     {@code NoSuchUpload}.
     */
    Completed complete(final String uploadId, final String bucket, final String key, final List<Part> requested)
        throws IOException
    {
        final Properties upload = upload(uploadId, bucket, key);
        final TreeMap<Integer, Part> stored = new TreeMap<>();
        parts(uploadId, bucket, key).forEach(part -> stored.put(part.number(), part));
        if (requested.isEmpty())
        {
            throw S3Error.MALFORMED_XML.exception("You must specify at least one part");
        }
        final List<String> names = new ArrayList<>(requested.size());
        final MessageDigest etags = SigV4.digest("MD5");
        int previous = 0;
        for (final Part asked : requested)
        {
            if (asked.number() <= previous)
            {
                throw S3Error.INVALID_PART_ORDER.exception("The list of parts was not in ascending order.");
            }
            previous = asked.number();
        }
        for (int i = 0; i < requested.size(); i++)
        {
            final Part asked = requested.get(i);
            final Part part = stored.get(asked.number());
            if (part == null || !part.etag().equals(asked.etag()))
            {
                throw S3Error.INVALID_PART.exception("Part " + asked.number() + " with ETag " + asked.etag() +
                    " could not be found.");
            }
            if (i < requested.size() - 1 && part.size() < MIN_PART_BYTES)
            {
                throw S3Error.ENTITY_TOO_SMALL.exception("Part " + part.number() + " is " + part.size() +
                    " bytes; every part but the last must be at least " + MIN_PART_BYTES);
            }
            names.add(part.name());
            etags.update(HexFormat.of().parseHex(part.etag()));
        }
        final String objectName = ObjectNames.objectName(bucket, key);
        final FileStat stat = StorePipe.copy(store, names, in -> store.put(objectName, in, TransferListener.NONE));
        final ObjectMetadata metadata = new ObjectMetadata(SigV4.hex(etags.digest()) + "-" + requested.size(),
            upload.getProperty("content-type", ObjectMetadata.DEFAULT_CONTENT_TYPE), stat.sha256());
        SmallFiles.write(store, ObjectNames.metadataName(bucket, key), metadata.encode());
        abort(uploadId, bucket, key);
        return new Completed(stat, metadata);
    }

    /**
     * Deletes an upload and its parts.
     */
    void abort(final String uploadId, final String bucket, final String key) throws IOException
    {
        upload(uploadId, bucket, key);
        for (final FileStat part : store.list(partsPrefix(uploadId)))
        {
            SmallFiles.delete(store, part.name());
        }
        SmallFiles.delete(store, UPLOADS + uploadId);
    }

    private Properties upload(final String uploadId, final String bucket, final String key) throws IOException
    {
        if (uploadId == null || !UPLOAD_ID.matcher(uploadId).matches())
        {
            throw noSuchUpload();
        }
        final byte[] bytes = SmallFiles.read(store, UPLOADS + uploadId);
        if (bytes == null)
        {
            throw noSuchUpload();
        }
        final Properties upload = new Properties();
        try (InputStream in = new ByteArrayInputStream(bytes))
        {
            upload.load(in);
        }
        if (!bucket.equals(upload.getProperty("bucket")) || !key.equals(upload.getProperty("key")))
        {
            throw noSuchUpload();
        }
        return upload;
    }

    private static S3Exception noSuchUpload()
    {
        return S3Error.NO_SUCH_UPLOAD.exception("The specified upload does not exist. The upload ID may be " +
            "invalid, or the upload may have been aborted or completed.");
    }

    static int partNumber(final String text) throws S3Exception
    {
        try
        {
            final int number = Integer.parseInt(text);
            if (number >= 1 && number <= MAX_PART_NUMBER)
            {
                return number;
            }
        }
        catch (final NumberFormatException ignore)
        {
            // answered below
        }
        throw S3Error.INVALID_ARGUMENT.exception("Part number must be an integer between 1 and " + MAX_PART_NUMBER);
    }

    private static String partsPrefix(final String uploadId)
    {
        return UPLOADS + uploadId + "/";
    }
}

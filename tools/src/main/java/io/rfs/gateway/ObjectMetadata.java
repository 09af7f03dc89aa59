package io.rfs.gateway;

import io.rfs.store.FileStat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Properties;

/**
 * What S3 tells of an object that the store does not keep: its ETag (the MD5 of its bytes) and content type. Kept as
 * a small {@link Properties} file under {@link ObjectNames#metadataName} (docs/GATEWAY.md, "Names"), with the
 * SHA-256 of the object it describes: metadata whose SHA-256 is not the current object's (a put that failed between
 * the object and its metadata, or two racing puts) is ignored, so a stale ETag is never shown.
 *
 * @param etag        the MD5 of the object's bytes, lowercase hex, without quotes.
 * @param contentType the {@code Content-Type} it was put with.
 * @param sha256      the SHA-256 of the object's bytes, lowercase hex.
 */
public record ObjectMetadata(String etag, String contentType, String sha256)
{
    /** S3's content type for objects put without one. */
    public static final String DEFAULT_CONTENT_TYPE = "binary/octet-stream";

    /**
     * @return the file's bytes.
     */
    public byte[] encode()
    {
        final Properties properties = new Properties();
        properties.setProperty("etag", etag);
        properties.setProperty("content-type", contentType);
        properties.setProperty("sha256", sha256);
        final ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try
        {
            properties.store(out, null);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("a byte array does not fail", ex);
        }
        return out.toByteArray();
    }

    /**
     * @param bytes  a metadata file, or null if there is none.
     * @param object the current version of the object it should describe.
     * @return the metadata if it describes that version, else what can be said without it: an ETag derived from
     * the SHA-256 (the first 32 hex digits, so never mistaken for a wrong MD5 by length alone, but not an MD5) and
     * the default content type.
     */
    public static ObjectMetadata decode(final byte[] bytes, final FileStat object)
    {
        if (bytes != null)
        {
            final Properties properties = new Properties();
            try
            {
                properties.load(new ByteArrayInputStream(bytes));
            }
            catch (final IOException | IllegalArgumentException ex)
            {
                properties.clear();
            }
            final String etag = properties.getProperty("etag");
            if (etag != null && object.sha256().equals(properties.getProperty("sha256")))
            {
                return new ObjectMetadata(etag, properties.getProperty("content-type", DEFAULT_CONTENT_TYPE),
                    object.sha256());
            }
        }
        return new ObjectMetadata(
            object.sha256().substring(0, 32), DEFAULT_CONTENT_TYPE, object.sha256());
    }

    /**
     * @return the ETag as a header or XML element carries it, quoted.
     */
    public String quotedEtag()
    {
        return "\"" + etag + "\"";
    }
}
